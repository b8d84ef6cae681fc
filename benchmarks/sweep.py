"""A sweep's speed: the issue's budget is a 5x5 grid of 200 epochs of the default net
within 10 s on a 2-core machine.

    .venv/bin/python benchmarks/sweep.py [--repeats 3]

Runs ``SweepJob.run_to_end`` in this process (as ``playground sweep`` does) for two grids
of the default scene: learning rate by L2 rate (batch 10) and learning rate by batch size
(batch 1 included: 250 updates an epoch), and prints the median wall and CPU seconds.
"""

import argparse
import json
import statistics
import time

from playground.model import RunConfig
from playground.sweep import SweepJob, cell_values, parse_axis
from playground.threads import single_threaded_blas

RATES = "learningRate=0.001,0.003,0.01,0.03,0.1"
GRIDS = {
    "lr_x_l2": (RATES, "regularizationRate=0,0.001,0.003,0.01,0.03", {"regularization": "L2"}),
    "lr_x_batch": (RATES, "batchSize=1,5,10,20,30", {}),
}
EPOCHS = 200


def timed(x: str, y: str, settings: dict) -> tuple[float, float]:
    cells = cell_values(parse_axis(x), parse_axis(y))
    job = SweepJob(RunConfig(**settings), cells, EPOCHS)
    wall, cpu = time.perf_counter(), time.process_time()
    job.run_to_end()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    single_threaded_blas()
    figures = {}
    for name, (x, y, settings) in GRIDS.items():
        runs = [timed(x, y, settings) for _ in range(args.repeats)]
        figures[name] = {
            "cells": 25,
            "epochs": EPOCHS,
            "wall_s": round(statistics.median(w for w, _ in runs), 2),
            "cpu_s": round(statistics.median(c for _, c in runs), 2),
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
