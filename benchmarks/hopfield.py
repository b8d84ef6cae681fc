"""Hopfield lab speed: sweeps per second at 32 x 32 neurons, the model alone and in the
page while the pen draws, and the command line's wall time for N = 2000, 40 sweeps.

    python benchmarks/hopfield.py [--repeats 3] [--no-browser]

Prints one JSON object: medians over --repeats runs. Targets (issue 11): >= 20 sweeps/s
at 32 x 32 while drawing; the command line under 5 s.

- ``model_sweeps_per_s``: ``Hopfield.sweep`` on 1024 neurons storing A, T, X from a
  start with 20 % flipped, at T = 0 (few flips once recalled), 0.5 and 2 (half the
  neurons flip every sweep: the most work a sweep can be).
- ``page_sweeps_per_s_drawing``: a real ``playground serve`` and headless Chromium at
  speed=120, side 32, T = 0.5, playing while the mouse draws strokes across the picture
  for 5 s; sweeps counted from the page's readout (what the student sees).
- ``cli_wall_s``: ``python -m playground hopfield --neurons 2000 --patterns 20
  --sweeps 40 --flip 0.2 --json`` as a subprocess, interpreter start included.
- ``picture_overlaps``: how alike the built-in pictures are at 32 x 32 (why storing many
  letters recalls mixtures).
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from playground.labs.hopfield.model import PICTURES, Hopfield, corrupted, picture
from playground.testing import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server
from playground.threads import single_threaded_blas

SWEEP = re.compile(r"Sweep (\d+)")


def model_sweeps_per_s(temperature: float, sweeps: int = 200) -> float:
    rng = np.random.default_rng(0)
    stored = np.array([picture(name, 32) for name in ("A", "T", "X")])
    net = Hopfield(stored, corrupted(stored[0], 0.2, rng), rng)
    started = time.perf_counter()
    for _ in range(sweeps):
        net.sweep(temperature)
    return sweeps / (time.perf_counter() - started)


def cli_wall_s(temperature: float) -> float:
    command = [sys.executable, "-m", "playground", "hopfield", "--neurons", "2000",
               "--patterns", "20", "--temperature", str(temperature), "--sweeps", "40",
               "--flip", "0.2", "--seed", "1", "--json"]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def page_sweeps_per_s_drawing(browser, url: str, seconds: float = 5.0) -> float:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(url)
        readout = page.locator(".hopfield-readout")
        readout.wait_for()
        page.locator(".ui-playButton button").click()
        box = page.locator("canvas.hopfield-picture").bounding_box()
        first = int(SWEEP.search(readout.inner_text())[1])
        started = time.monotonic()
        stroke = 0
        while time.monotonic() - started < seconds:
            y = box["y"] + box["height"] * (0.1 + 0.8 * ((stroke * 0.37) % 1))
            page.mouse.move(box["x"] + 5, y)
            page.mouse.down()
            page.mouse.move(box["x"] + box["width"] - 5, y, steps=20)
            page.mouse.up()
            stroke += 1
        elapsed = time.monotonic() - started
        return (int(SWEEP.search(readout.inner_text())[1]) - first) / elapsed
    finally:
        page.close()


def browser_figures(repeats: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server = start_server(Path(folder) / "serve.log")
        try:
            url = server.base_url.rsplit("/app", 1)[0] + "/hopfield?speed=120&temperature=0.5"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    return [page_sweeps_per_s_drawing(browser, url) for _ in range(repeats)]
                finally:
                    browser.close()
        finally:
            stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    single_threaded_blas()

    def median(fn, *fn_args) -> float:
        return round(statistics.median(fn(*fn_args) for _ in range(args.repeats)), 3)

    names = list(PICTURES)
    drawn = np.array([picture(name, 32) for name in names], dtype=np.float64)
    result = {
        "model_sweeps_per_s": {f"T={t}": median(model_sweeps_per_s, t) for t in (0.0, 0.5, 2.0)},
        "cli_wall_s": {f"T={t}": median(cli_wall_s, t) for t in (0.0, 0.5, 2.0)},
        "picture_overlaps": {
            f"{a}{b}": round(float(drawn[i] @ drawn[j]) / drawn.shape[1], 2)
            for i, a in enumerate(names)
            for j, b in enumerate(names)
            if i < j
        },
    }
    if not args.no_browser and CHROMIUM.exists():
        runs = browser_figures(args.repeats)
        result["page_sweeps_per_s_drawing"] = round(statistics.median(runs), 1)
        result["page_runs"] = [round(r, 1) for r in runs]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
