"""One Chromium tab per speed setting (``browser.py --speeds 1,3,max``): the frames it
paints per second, and how many epochs each painted frame shows.

At a fixed speed every painted frame should show exactly that many more epochs than the
one before it (the original shows one epoch a frame at speed 1); a frame that shows more
means a frame was skipped somewhere (not drawn by the server, or not painted by the
browser). At max speed the epochs per frame are whatever fits.
"""

import statistics
import time
from itertools import pairwise

# benchmarks/ is on sys.path: the benchmarks run as scripts.
from chromium_tabs import (
    START_S,
    WARM_UP_S,
    Tab,
    log,
    open_tab,
    play_windows,
    pump,
    wait_loaded,
    wait_reported,
    wait_started,
    wall_ms,
)

SPEED_VALUES = {"max": 0}  # the URL's speed=0 is max speed


def speed_value(name: str) -> int:
    return SPEED_VALUES[name] if name in SPEED_VALUES else int(name)


def epochs_per_frame(paints: list[tuple[float, int | None]], start: float, end: float) -> list:
    """The epochs each frame painted in ``start``..``end`` shows beyond the frame before."""
    shown = [(when, epoch) for when, epoch in paints if epoch is not None]
    steps = []
    for (_, before), (when, epoch) in pairwise(shown):
        if start < when <= end:
            steps.append((epoch - before) % 1_000_000)  # the counter has 6 digits
    return steps


def frame_steps(tab: Tab, bounds: list[tuple[float, float]], speed: int) -> dict:
    """Painted frames per second (median over the windows) and the epochs per painted
    frame over all windows: their median and spread, and at a fixed speed the share of
    frames that show exactly ``speed`` epochs."""
    fps = [tab.window(start, end)[0] for start, end in bounds]
    eps = [tab.window(start, end)[1] for start, end in bounds]
    steps = [s for start, end in bounds for s in epochs_per_frame(tab.paints, start, end)]
    result = {
        "fps": {
            "min": round(min(fps), 1),
            "median": round(statistics.median(fps), 1),
            "max": round(max(fps), 1),
        },
        "epochs_per_s": round(statistics.median(eps), 1),
        "painted_frames": len(steps),
    }
    if steps:
        result["epochs_per_frame"] = {
            "min": min(steps),
            "median": statistics.median(steps),
            "max": max(steps),
        }
        if speed:
            exact = sum(1 for s in steps if s == speed) / len(steps)
            result["share_of_frames_with_exactly_speed_epochs"] = round(exact, 3)
    return result


def measure_speeds(browser, server, speeds: list[str], args) -> dict:
    """For each speed, one tab alone on the server: it plays ``args.repeats`` windows of
    ``args.seconds``."""
    results = {}
    for name in speeds:
        speed = speed_value(name)
        tab = open_tab(browser, f"{server.base_url}?seed=0.5&speed={speed}")
        try:
            wait_loaded([tab])
            press = wall_ms()
            tab.page.evaluate("() => window.__bench.play()")
            if wait_started([tab], press):
                log(f"  speed {name}: no training painted within {START_S} s")
            pump([tab], WARM_UP_S)
            bounds = play_windows([tab], args.seconds, args.repeats)
            wait_reported([tab], bounds[-1][1])
            results[name] = frame_steps(tab, bounds, speed)
            log(f"  speed {name}: {results[name]}")
        finally:
            tab.context.close()
            time.sleep(0.5)  # the server notices the closed tab before the next opens
    return results
