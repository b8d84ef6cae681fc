"""Optimizer lab: painted frames per second while the race plays, in headless Chromium.

    python benchmarks/optimizer_lab.py [--seconds 1.5] [--repeats 3] [--steps 2000]

Starts ``playground serve`` on 127.0.0.1 and a free port and opens /optimizers in
headless Chromium (the browser tests' flags) with all six racers, every overlay on,
``--steps`` steps and the fastest playback (the longest paths drawn per frame), timed so
that the race is still running at the end of the last window. The page counts each animation frame that drew the race
(``window.__optimizerLabPainted``); a window is the count's growth over ``--seconds``,
read in the page with its own clock. Prints JSON: each window's frames per second, their
median, and whether it meets the issue's 30.
"""

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from playground.testing import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

BUDGET_FPS = 30
# Beale: no racer diverges, so all six paths grow for the whole race. At 10x the race
# covers 300 steps a second: the windows see the paths grow to about 1,700 points.
SCENE = (
    "racers=sgd,momentum,nesterov,adagrad,rmsprop,adam&surface=beale&showGradient=true"
    "&showMomentum=true&showStep=true&showSquares=true&speed=10"
)
# Counted inside the page, so that the window needs no round trip to a busy tab.
WINDOW_JS = """async (seconds) => {
  const first = window.__optimizerLabPainted || 0;
  const start = performance.now();
  await new Promise((done) => setTimeout(done, seconds * 1000));
  const painted = (window.__optimizerLabPainted || 0) - first;
  return painted / ((performance.now() - start) / 1000);
}"""


def measure(base_url: str, seconds: float, repeats: int, steps: int) -> list[float]:
    url = f"{base_url.rsplit('/app', 1)[0]}/optimizers?{SCENE}&steps={steps}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(url)
            page.wait_for_selector(".surface-canvas")
            expect(page.locator(".legend-row")).to_have_count(6)  # (in the shadow DOM)
            page.locator(".race-bar button.play").click()
            page.wait_for_timeout(1000)  # past the first frames' layout work
            rates = []
            for _ in range(repeats):
                rates.append(page.evaluate(WINDOW_JS, seconds))
                print(f"window: {rates[-1]:.1f} painted frames/s", file=sys.stderr)
            step = page.locator(".counter").inner_text()
            print(f"still playing at the end: {step}", file=sys.stderr)
        finally:
            browser.close()
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = start_server(Path(folder) / "serve.log")
        try:
            rates = measure(server.base_url, args.seconds, args.repeats, args.steps)
        finally:
            stop_server(server)
    median = statistics.median(rates)
    result = {
        "painted_fps": [round(rate, 1) for rate in rates],
        "median_painted_fps": round(median, 1),
        "budget_fps": BUDGET_FPS,
        "pass": median >= BUDGET_FPS,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
