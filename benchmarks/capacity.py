"""How many students a server holds: the capacity table of docs/DEPLOY.md.

    python benchmarks/capacity.py [--setups workers1,workers2,numprocs2] [--scene default]
        [--start 10] [--step 10] [--most 200] [--seconds 5] [--room 100] [--min-fps 10]

For each setup it starts ``playground serve`` on 127.0.0.1 (``--workers 1``; ``--workers
2`` behind HAProxy; ``--num-procs 2``), with ``--max-students 0`` so that nobody is
turned away, and measures with remote tabs (``playground.remote``: Bokeh protocol
clients, each with its own cookies, that play and acknowledge frames as browsers do,
through the proxy when there is one):

- the largest number of playing tabs at which the slowest tab still gets --min-fps
  frames per second or more over a --seconds window: tabs are added --step at a time
  from --start until the slowest falls below (or --most is reached), then the count is
  halved between the last that held and the first that did not, closing or adding
  tabs, down to one tab;
- --room tabs opening at once into an empty server: the time until the last has its
  page, its websocket and its document (what the last student waits), and the server's
  CPU time per tab opened (user + system of all its processes, from /proc).

Prints the table (``--json``: the figures as JSON too). The remote tabs run in this
process and take CPU from the same machine (about 1 ms a frame), so run it on a quiet
machine and say which. Quick check that it works: ``--start 2 --step 2 --most 4
--room 4 --seconds 2``.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# benchmarks/ is on sys.path: the benchmarks run as scripts.
from browser import SCENES, machine

from playground.remote import RemoteTab, RemoteTabs
from playground.testing import Server, start_server, stop_server

SETUPS = {
    "workers1": ("--workers", "1"),
    "workers2": ("--workers", "2"),
    "numprocs2": ("--num-procs", "2"),
}
SETTLE_S = 3.0  # after tabs come: their first frames, the pace settled
OPENING_TIMEOUT_S = 300.0  # a connection's wait, when a hundred open at once
LEAVE_S = 6.0  # after tabs leave: their sessions are let go (within ~4 s)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and every process under it."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(cpu_s(int(child)) for child in children)


def frame_rates(tabs: list[RemoteTab], seconds: float) -> list[float]:
    """Each tab's frames per second over the next ``seconds`` (0 for a tab that broke)."""
    start = time.time() * 1000
    time.sleep(seconds)
    end = start + seconds * 1000
    return [0.0 if tab.errors else tab.window(start, end)[0] for tab in tabs]


def holds(tabs: RemoteTabs, count: int, args) -> tuple[bool, dict]:
    """``count`` playing tabs (added or closed to get there): does the slowest keep
    ``args.min_fps``?"""
    if count > len(tabs.tabs):
        tabs.add(count - len(tabs.tabs), timeout=60 + 5 * count)
        time.sleep(SETTLE_S)
    elif count < len(tabs.tabs):
        tabs.remove(len(tabs.tabs) - count)
        time.sleep(LEAVE_S)
    rates = frame_rates(tabs.tabs, args.seconds)
    figures = {
        "tabs": count,
        "slowest_fps": round(min(rates), 1),
        "median_fps": round(statistics.median(rates), 1),
    }
    log(f"  {count} tabs: slowest {figures['slowest_fps']}, median {figures['median_fps']}")
    return min(rates) >= args.min_fps, figures


def largest_room(server: Server, args) -> dict:
    """The most playing tabs at which the slowest keeps ``args.min_fps``."""
    tabs = RemoteTabs(server.base_url, SCENES[args.scene])
    try:
        good, best, bad = 0, {"tabs": 0}, None
        count = args.start
        while count <= args.most:
            held, figures = holds(tabs, count, args)
            if not held:
                bad = count
                break
            good, best = count, figures
            count += args.step
        while bad is not None and bad - good > 1:
            middle = (good + bad) // 2
            held, figures = holds(tabs, middle, args)
            if held:
                good, best = middle, figures
            else:
                bad = middle
        return {**best, "limit_reached": bad is None}
    finally:
        tabs.close()


def opening_at_once(server: Server, count: int, scene: str) -> dict:
    """``count`` tabs opening at the same moment: until the last has its document."""
    tabs = RemoteTabs(server.base_url, scene)
    try:
        opening = [RemoteTab(server.base_url, scene) for _ in range(count)]
        tabs.tabs = opening

        async def together() -> None:
            await asyncio.gather(*(tab.open(False, OPENING_TIMEOUT_S) for tab in opening))

        cpu_before = cpu_s(server.process.pid)
        start = time.perf_counter()
        tabs.run(together(), timeout=600)
        last_s = time.perf_counter() - start
        cpu_per_open = (cpu_s(server.process.pid) - cpu_before) / count
    finally:
        tabs.close()
    figures = {
        "tabs": count,
        "last_ready_s": round(last_s, 1),
        "cpu_ms_per_open": round(cpu_per_open * 1000),
    }
    log(f"  last ready after {figures['last_ready_s']} s, {figures['cpu_ms_per_open']} ms CPU each")
    return figures


def measure(setup: str, args) -> dict:
    extra = (*SETUPS[setup], "--max-students", "0")
    with tempfile.TemporaryDirectory() as folder:
        log(f"{setup}: playground serve {' '.join(extra)}")
        server = start_server(Path(folder) / "serve.log", extra_args=extra)
        try:
            time.sleep(LEAVE_S)  # the page start_server asked for is let go
            result = {"setup": " ".join(SETUPS[setup]), "tabs": 0, "limit_reached": False}
            if args.most:
                result |= largest_room(server, args)
            time.sleep(LEAVE_S)
            if args.room:
                log(f"  {args.room} tabs opening at once")
                result["opening"] = opening_at_once(server, args.room, SCENES[args.scene])
        finally:
            stop_server(server)
    return result


def table(results: list[dict], args) -> str:
    title = (
        f"{machine()}; scene {args.scene!r}; slowest tab >= {args.min_fps:g} frames/s "
        f"over {args.seconds:g} s"
    )
    header = (
        f"{'setup':<14} {'playing tabs':>12} {'slowest':>8} {'median':>7} "
        f"{'opening at once':>16} {'last ready':>11} {'CPU per open':>13}"
    )
    lines = [title, header]
    for r in results:
        tabs = f"{r['tabs']}{'+' if r['limit_reached'] else ''}" if r["tabs"] else "-"
        opening = r.get("opening")
        ready = f"{opening['last_ready_s']} s" if opening else "-"
        cpu = f"{opening['cpu_ms_per_open']} ms" if opening else "-"
        lines.append(
            f"{r['setup']:<14} {tabs:>12} {r.get('slowest_fps', '-'):>8} "
            f"{r.get('median_fps', '-'):>7} {opening['tabs'] if opening else '-':>16} "
            f"{ready:>11} {cpu:>13}"
        )
    if any(r["limit_reached"] for r in results):
        lines.append("(+: the slowest still kept the pace at --most tabs; raise it)")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", default=",".join(SETUPS), help="from: " + ", ".join(SETUPS))
    parser.add_argument("--scene", default="default", choices=["default", "large"])
    parser.add_argument("--start", type=int, default=10, help="playing tabs to start with")
    parser.add_argument("--step", type=int, default=10, help="tabs added at a time")
    parser.add_argument(
        "--most", type=int, default=200, help="stop there (0: only the tabs opening at once)"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="window per measurement")
    parser.add_argument("--min-fps", type=float, default=10.0)
    parser.add_argument("--room", type=int, default=100, help="tabs opening at once (0: none)")
    parser.add_argument("--json", action="store_true", help="the figures as JSON too")
    args = parser.parse_args()
    setups = [name.strip() for name in args.setups.split(",") if name.strip()]
    if unknown := [name for name in setups if name not in SETUPS]:
        parser.error(f"unknown setups {unknown}; choose from {', '.join(SETUPS)}")
    if (args.most and not 0 < args.start <= args.most) or args.step < 1:
        parser.error("need 0 < --start <= --most (or --most 0) and --step >= 1")
    results = [measure(setup, args) for setup in setups]
    print(table(results, args))
    if args.json:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
