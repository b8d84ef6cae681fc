"""What a thousand hostile messages cost the server: its CPU time and the log it writes.

One tab of /app sends N bad messages on Bokeh's websocket, cycling through the kinds the
issue measured: an unknown model id, a slider value far out of range, a megabyte value
for a dropdown, deep nesting. Prints the server's CPU seconds (from /proc) and the bytes
and lines of log the messages caused.

    .venv/bin/python benchmarks/hostile.py [--messages 1000] [--executable PATH] [--runs 3]

``--executable``: another ``playground`` command (an older checkout's, for before/after).
"""

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path

from playground.testing import (
    ProtocolTab,
    cpu_seconds,
    model_changed,
    serialized_models,
    start_server,
    stop_server,
)
from playground.visitors import get_page


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def new_tab(url: str) -> ProtocolTab:
    """A new tab of ``url``: its page's GET, whose session the tab joins."""
    status, page = get_page(url, "")
    if status != 200:
        raise RuntimeError(f"the page answered {status}")
    return ProtocolTab.of_page(url, page)


async def send_all(tab: ProtocolTab, messages: int) -> None:
    """``messages`` bad changes on the tab's Bokeh socket, sent by hand (Bokeh's own
    client sends only what its document can hold), then the document pulled: answered
    once every message before it is handled."""
    await tab.connect()
    models = list(serialized_models(await tab.pull_doc()))
    slider = next(m["id"] for m in models if m.get("name", "").endswith("Slider"))
    select = next(m["id"] for m in models if m.get("name", "").endswith("Select"))
    bad = [
        ("no-such-model", 1),
        (slider, 1e30),
        (select, "v" * 1_000_000),
        (slider, nested(400)),
    ]
    for n in range(messages):
        model, value = bad[n % len(bad)]
        await tab.patch(model_changed(model, "value", value))
    await tab.pull_doc()
    tab.socket.close()


def one_run(messages: int, executable: list[str] | None) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        server = start_server(Path(folder) / "serve.log", executable=executable)
        try:
            url = server.base_url
            asyncio.run(send_all(new_tab(url), 1))  # the first costs: not counted
            tab = new_tab(url)
            offset, cpu = server.log_size(), cpu_seconds(server.process.pid)
            asyncio.run(send_all(tab, messages))
            cpu = cpu_seconds(server.process.pid) - cpu
            log = server.log_since(offset)
        finally:
            stop_server(server)
    return cpu, len(log.encode()), log.count("\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--executable", help="a playground command to measure instead")
    args = parser.parse_args()
    executable = [args.executable] if args.executable else None
    runs = [one_run(args.messages, executable) for _ in range(args.runs)]
    cpu = statistics.median(r[0] for r in runs)
    log_bytes = statistics.median(r[1] for r in runs)
    lines = statistics.median(r[2] for r in runs)
    print(f"{args.messages} hostile messages on /app, median of {args.runs} runs:")
    print(f"  server CPU {cpu:.2f} s, log {log_bytes / 1e6:.3f} MB in {lines:.0f} lines")


if __name__ == "__main__":
    main()
