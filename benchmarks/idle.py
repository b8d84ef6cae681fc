"""What idle tabs cost the server: a room of open tabs where nobody plays.

Starts README's server (``playground serve``, as the e2e tests do), opens ``/app`` tabs
as Bokeh protocol clients (``playground/visitors.py``) that never touch a control, lets
them settle, and prints the server's CPU use as a percentage of one core: its user +
system CPU time (``/proc/PID/stat``) over ``--window`` seconds, the median of
``--windows`` windows. Each count of ``--tabs`` is measured twice, on a fresh server
each time: tabs whose live view reported ready (and acknowledged their first frame, as
a browser that painted it) and tabs whose live view never does (a client that runs none
of our JavaScript). The first line is the server with no tab at all.

The figure is CPU time, not speed: other work on the machine changes it little.
``--executable`` measures another ``playground`` command (another checkout's virtual
environment), for a before/after on the same machine. Usage:
``.venv/bin/python benchmarks/idle.py [--tabs 50 200] [--window 20] [--windows 3]``
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playground.testing import Server, bad_lines, cpu_seconds, start_server, stop_server
from playground.visitors import close_tabs, open_idle_tabs

SETTLE_S = 5  # after the last tab opened: first frames, acknowledgements, collections


def cpu_percent(server: Server, window_s: float, windows: int) -> float:
    """The server's CPU time over each window, as % of one core: the median."""
    pid = server.process.pid
    shares = []
    for _ in range(windows):
        start_cpu, start = cpu_seconds(pid), time.perf_counter()
        time.sleep(window_s)
        shares.append((cpu_seconds(pid) - start_cpu) / (time.perf_counter() - start))
    return 100 * statistics.median(shares)


def measure(tabs: int, ready: bool, args, log_path: Path) -> tuple[float, list[str]]:
    """CPU % of a fresh server with ``tabs`` idle tabs open, and its log's bad lines."""
    executable = [args.executable] if args.executable else None
    # Nobody turned away (the room's limit is not what this measures); another
    # checkout's older command has no limit, nor the option.
    unlimited = () if executable else ("--max-students", "0")
    server = start_server(log_path, executable=executable, extra_args=unlimited)
    event_loop = asyncio.new_event_loop()  # the tabs' sockets live in it until closed
    try:
        opened = event_loop.run_until_complete(open_idle_tabs(server.base_url, tabs, ready))
        try:
            # The tabs' sockets must be read while they sit: the loop runs in the sleeps.
            event_loop.run_until_complete(asyncio.sleep(SETTLE_S))
            percent = event_loop.run_until_complete(
                asyncio.to_thread(cpu_percent, server, args.window, args.windows)
            )
        finally:
            event_loop.run_until_complete(close_tabs(opened))
    finally:
        event_loop.close()
        stop_server(server)
    return percent, bad_lines(server.log())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, nargs="+", default=[50, 200], help="tab counts")
    parser.add_argument("--window", type=float, default=20, help="seconds per window")
    parser.add_argument("--windows", type=int, default=3, help="windows (the median is shown)")
    parser.add_argument("--executable", help="another playground command to measure")
    args = parser.parse_args()
    errors = []
    with tempfile.TemporaryDirectory() as folder:
        cases = [(0, True)] + [(n, ready) for n in args.tabs for ready in (True, False)]
        for n, (tabs, ready) in enumerate(cases):
            percent, bad = measure(tabs, ready, args, Path(folder) / f"serve-{n}.log")
            errors += bad
            kind = "" if not tabs else " ready" if ready else " never ready"
            print(f"{tabs:4d} idle{kind} tabs: server CPU {percent:5.1f} % of a core", flush=True)
    if errors:
        print("the server logged errors:\n" + "\n".join(errors[:10]))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
