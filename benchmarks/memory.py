"""Server memory under hostile URLs and many short visits: RSS of the real server.

Starts README's ``panel serve`` (as the e2e tests do), warms it up, then measures the
server's resident memory (VmRSS in /proc) once every session has ended:

1. after warm-up (WARM_UP ordinary visits),
2. after 300 hostile requests (plain GETs: each creates a session that nobody opens,
   left to expire after ``--unused-session-lifetime``),
3. after 300 open/close cycles (GET, Bokeh's websocket, the document pulled, closed).

Target: under 20 MB growth from 1 to 3. Usage: ``.venv/bin/python benchmarks/memory.py``
"""

import argparse
import asyncio
import re
import sys
import tempfile
import time
from pathlib import Path

from playground.testing import Server, bad_lines, start_server, stop_server
from playground.visitors import get_page, hostile_queries, pulled_doc

WARM_UP = 30
CYCLES = 300
TARGET_MB = 20
COUNTS = re.compile(r"(\d+) live sessions, (\d+) frame loops")
EXPIRY_S = 120


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def wait_until_no_session(server: Server) -> float:
    """Seconds until the server's last count says no session and no frame loop is left."""
    start = time.monotonic()
    while time.monotonic() - start < EXPIRY_S:
        found = COUNTS.findall(server.log())
        if found and found[-1] == ("0", "0"):
            time.sleep(1.0)  # the rest of the clean-up (Bokeh's own) and a breath
            return time.monotonic() - start
        time.sleep(0.5)
    raise RuntimeError(f"sessions still live after {EXPIRY_S} s:\n{server.log()[-2000:]}")


async def open_and_close(server: Server, query: str) -> None:
    status, page = get_page(server.base_url, query)
    if status != 200:
        raise RuntimeError(f"{status} for {query[:80]}")
    await pulled_doc(server.base_url, page)


def measure(label: str, server: Server, base: float | None) -> float:
    waited = wait_until_no_session(server)
    mb = rss_mb(server.process.pid)
    growth = "" if base is None else f"  ({mb - base:+.1f} MB)"
    print(f"{label:<34} {mb:7.1f} MB{growth}   (sessions ended {waited:.0f} s after)")
    return mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=CYCLES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # Tabs open and close faster than closed ones are let go: no room limit.
        server = start_server(Path(folder) / "panel-serve.log", extra_args=("--max-students", "0"))
        try:
            for _ in range(WARM_UP):
                asyncio.run(open_and_close(server, "activation=relu&seed=0.5"))
            base = measure(f"after warm-up ({WARM_UP} visits)", server, None)
            queries = hostile_queries()
            for n in range(args.cycles):
                get_page(server.base_url, queries[n % len(queries)])
            measure(f"after {args.cycles} hostile GETs", server, base)

            async def cycles() -> None:
                for n in range(args.cycles):
                    await open_and_close(server, f"seed={n}&networkShape=4,{1 + n % 8}")

            asyncio.run(cycles())
            final = measure(f"after {args.cycles} open/close cycles", server, base)
        finally:
            stop_server(server)
        errors = bad_lines(server.log())
    print(f"growth {final - base:+.1f} MB (target under {TARGET_MB} MB)")
    if errors:
        print("the server logged errors:\n" + "\n".join(errors[:10]))
    return 0 if final - base < TARGET_MB and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
