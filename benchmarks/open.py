"""What opening a tab costs the server: a room of students opening a link at once.

Starts README's server (``playground serve``, as the e2e tests do) and opens the app the
way a tab does, without a browser: the page's GET (which builds the session), Bokeh's
websocket, the document pulled, closed. Prints, after a warm-up:

- one at a time: the median wall time of an open and the server's CPU time per open
  (user + system, from /proc), and how many Bokeh models a tab's document holds; with
  ``--open N``, while N other tabs stay open (connected, not playing), as in a room
  that has come in (their sessions and documents stay in the server's memory);
- a room: ``--room`` tabs opening at the same moment, the time until the last one has
  its document (what the last student waits).

``--executable`` measures another ``playground`` command instead (another checkout's
virtual environment), for a before/after on the same machine. Usage:
``.venv/bin/python benchmarks/open.py [--opens 40] [--room 30] [--open 0] [--executable CMD]``
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Self

from playground.testing import (
    ProtocolTab,
    Server,
    bad_lines,
    cpu_seconds,
    serialized_models,
    start_server,
    stop_server,
)
from playground.visitors import get_page, pulled_doc

WARM_UP = 5
QUERY = "seed=0.5"


async def open_tab(server: Server, query: str = QUERY) -> int:
    """One tab opened and closed; the number of models in its document."""
    status, page = await asyncio.to_thread(get_page, server.base_url, query)
    if status != 200:
        raise RuntimeError(f"{status} for {query}")
    doc = await pulled_doc(server.base_url, page)
    return len(list(serialized_models(doc)))


class OpenTabs:
    """``count`` tabs connected, on an event loop of their own, until the block ends."""

    def __init__(self, server: Server, count: int) -> None:
        self.server, self.count = server, count
        self.loop = asyncio.new_event_loop()
        self.tabs: list[ProtocolTab] = []

    async def _open_all(self) -> None:
        for _ in range(self.count):
            status, page = await asyncio.to_thread(get_page, self.server.base_url, QUERY)
            if status != 200:
                raise RuntimeError(f"{status} for an open tab")
            tab = ProtocolTab.of_page(self.server.base_url, page)
            await tab.connect()
            await tab.pull_doc()
            self.tabs.append(tab)

    async def _close_all(self) -> None:
        await asyncio.gather(*(tab.close() for tab in self.tabs))

    def __enter__(self) -> Self:
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._open_all(), self.loop).result()
        return self

    def __exit__(self, *_exc) -> None:
        asyncio.run_coroutine_threadsafe(self._close_all(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)


def one_at_a_time(server: Server, opens: int) -> dict:
    pid = server.process.pid
    walls, models = [], 0
    cpu_before = cpu_seconds(pid)
    for n in range(opens):
        start = time.perf_counter()
        models = asyncio.run(open_tab(server, f"{QUERY}&networkShape=4,{1 + n % 8}"))
        walls.append(time.perf_counter() - start)
    return {
        "median_s": statistics.median(walls),
        "server_cpu_s": (cpu_seconds(pid) - cpu_before) / opens,
        "models": models,
    }


def a_room(server: Server, tabs: int) -> float:
    async def together() -> None:
        await asyncio.gather(*(open_tab(server) for _ in range(tabs)))

    start = time.perf_counter()
    asyncio.run(together())
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=40, help="tabs opened one at a time")
    parser.add_argument("--room", type=int, default=30, help="tabs opened at once")
    parser.add_argument("--open", type=int, default=0, help="tabs kept open meanwhile")
    parser.add_argument("--executable", help="another playground command to measure")
    args = parser.parse_args()
    executable = [args.executable] if args.executable else None
    with tempfile.TemporaryDirectory() as folder:
        # Nobody turned away (the room's limit is not what this measures); another
        # checkout's older command has no limit, nor the option.
        unlimited = () if executable else ("--max-students", "0")
        server = start_server(
            Path(folder) / "panel-serve.log", executable=executable, extra_args=unlimited
        )
        try:
            for _ in range(WARM_UP):
                asyncio.run(open_tab(server))
            with OpenTabs(server, args.open):
                single = one_at_a_time(server, args.opens)
            room = a_room(server, args.room) if args.room else 0.0
        finally:
            stop_server(server)
        errors = bad_lines(server.log())
    print(
        f"one at a time ({args.opens}, {args.open} more open): median {single['median_s'] * 1000:.0f} ms per open, "
        f"server CPU {single['server_cpu_s'] * 1000:.0f} ms per open, "
        f"{single['models']} models per document"
    )
    if args.room:
        print(f"{args.room} tabs at once: the last has its document after {room:.1f} s")
    if errors:
        print("the server logged errors:\n" + "\n".join(errors[:10]))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
