"""Overfitting lab: the maths behind one redraw of the page, and one CLI fit.

    python benchmarks/overfitting.py [--repeats 9]

Prints one JSON object of medians over repeats, in milliseconds. The issue sets no speed
budget for this lab; what a user feels is a redraw (a slider moved): ``picture`` fits the
chosen degrees and all sixteen degrees of the U-curve. Reference: it should stay well
under a frame of interaction (~16 ms) at the slider's largest N.
"""

import argparse
import json
import statistics
import time
from collections.abc import Callable

from playground.labs.overfitting.polyfit import fit_polynomial, make_data
from playground.labs.overfitting.state import OverfittingState
from playground.threads import single_threaded_blas


def median_ms(fn: Callable[[], object], repeats: int, calls: int = 20) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls * 1e3)
    return round(statistics.median(times), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=9)
    repeats = parser.parse_args().repeats
    single_threaded_blas()
    figures = {}
    for points in (10, 100):
        state = OverfittingState(points=points, degrees=[1, 3, 10, 15])
        figures[f"picture_n{points}_ms"] = median_ms(state.picture, repeats)
    # The errors averaged over many draws of the data: the lecture's 200, and the most
    # a link may ask for at the largest N and test count.
    for points, draws, tests in ((10, 200, None), (100, 200, 1000)):
        state = OverfittingState(points=points, draws=draws, testPoints=tests)
        figures[f"picture_n{points}_{draws}_draws_ms"] = median_ms(state.picture, repeats, 3)
    data = make_data(2000, 1.0, 0)
    figures["fit_degree15_n2000_ms"] = median_ms(
        lambda: fit_polynomial(data.x_train, data.y_train, 15), repeats
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
