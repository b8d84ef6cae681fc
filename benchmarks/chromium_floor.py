"""What Chromium alone costs per painted frame, with a page that draws next to nothing.

    python benchmarks/chromium_floor.py [--tabs 1,10,20] [--fps 10] [--seconds 5]

A static page (no Panel, no server work: Python's own http.server on 127.0.0.1) puts
new pixels into one 100 x 100 canvas, scaled to 260 px, and a counter, ``--fps`` times a
second in an animation frame. It is opened in N tabs of headless Chromium, each in its
own browser context, with the flags of the browser tests. Prints JSON: per N, the
frames painted per second in each tab and the CPU that Chromium's processes used (100 =
one core), in all and per painted frame, and the same with the tabs open but idle.

This is the floor under ``browser.py``'s many-tab figures: whatever the app does, N
local tabs painting F frames a second cost at least this much of the machine.
"""

import argparse
import functools
import http.server
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from playground.testing import CHROMIUM, CHROMIUM_ARGS

# Freshly opened tabs cost Chromium about twice as much for their first ~5 s (measured:
# 193 % of a core for 20 tabs in the first 5 s, 95-109 % in the next 25 s).
SETTLE_S = 10

PAGE = """<!doctype html><html><body>
<div id="counter">0</div>
<canvas id="canvas" width="100" height="100" style="width:260px;height:260px"></canvas>
<script>
const fps = Number(new URLSearchParams(location.search).get("fps"));
const ctx = document.getElementById("canvas").getContext("2d");
const image = ctx.createImageData(100, 100);
const pixels = new Uint32Array(image.data.buffer);
const counter = document.getElementById("counter");
window.painted = 0;
let frame = 0;
function paint() {
  frame += 1;
  for (let i = 0; i < pixels.length; i++) pixels[i] = 0xff000000 | ((i + frame) * 2654435761);
  ctx.putImageData(image, 0, 0);
  counter.textContent = frame;
  window.painted += 1;
}
if (fps > 0) setInterval(() => requestAnimationFrame(paint), 1000 / fps);
</script></body></html>
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def descendants_cpu_s(root: int) -> float:
    """User + system CPU seconds of root's descendant processes, Playwright's driver
    (node) left out: what Chromium's processes used."""
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        names[pid] = name
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    total, stack = 0.0, list(children.get(root, []))
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        if not names.get(pid, "").startswith("node"):
            total += times.get(pid, 0.0)
    return total


def window(pages: list, seconds: float) -> dict:
    painted0 = [page.evaluate("window.painted") for page in pages]
    cpu0, start = descendants_cpu_s(os.getpid()), time.monotonic()
    time.sleep(seconds)
    cpu1, elapsed = descendants_cpu_s(os.getpid()), time.monotonic() - start
    painted = [page.evaluate("window.painted") - p for page, p in zip(pages, painted0, strict=True)]
    frames = sum(painted)
    return {
        "fps_each_median": round(statistics.median(painted) / elapsed, 1),
        "chromium_cpu_percent": round(100 * (cpu1 - cpu0) / elapsed),
        "chromium_cpu_ms_per_frame": round(1000 * (cpu1 - cpu0) / frames, 2) if frames else None,
    }


def measure(browser, url: str, tabs: int, fps: float, seconds: float) -> dict:
    """The tabs open but idle, then painting ``fps`` frames a second."""
    contexts = [browser.new_context(viewport={"width": 1300, "height": 800}) for _ in range(tabs)]
    pages = [context.new_page() for context in contexts]
    try:
        result = {}
        for label, rate in (("idle", 0), ("painting", fps)):
            for page in pages:
                page.goto(f"{url}?fps={rate}")
            time.sleep(SETTLE_S)
            result[label] = window(pages, seconds)
        return result
    finally:
        for context in contexts:
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tabs", default="1,10,20", help="comma-separated tab counts")
    parser.add_argument("--fps", type=float, default=10, help="frames per second in each tab")
    parser.add_argument("--seconds", type=float, default=5, help="length of one window")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="chromium-floor-"))
    (folder / "page.html").write_text(PAGE)
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/page.html"
    out = {"cores": len(os.sched_getaffinity(0)), "fps_asked": args.fps, "tabs": {}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                out["chromium"] = browser.version
                for tabs in sorted({int(t) for t in args.tabs.split(",") if t.strip()}):
                    out["tabs"][str(tabs)] = measure(browser, url, tabs, args.fps, args.seconds)
                    print(f"{tabs} tab(s): {out['tabs'][str(tabs)]}", file=sys.stderr)
            finally:
                browser.close()
    finally:
        server.shutdown()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
