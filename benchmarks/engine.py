"""Engine speed: one epoch (training pass + train and test loss) and one grid evaluation.

    python benchmarks/engine.py [--repeats 9]

Prints one JSON object with the median over repeats, in milliseconds.
Budgets (2-core machine): epoch <= 1.2 ms default / 3 ms large; grid <= 1 / 5 ms.
"""

import argparse
import json
import statistics
import time

from playground.engine import FEATURES, GridEvaluator
from playground.model import RunConfig, start_run
from playground.threads import single_threaded_blas

SCENES = {
    "default": RunConfig(),
    "large": RunConfig(
        dataset="spiral",
        features=tuple(FEATURES),
        network_shape=(8,) * 6,
        regularization="L2",
        regularization_rate=0.001,
    ),
}


def per_call_ms(fn, calls: int, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls * 1e3)
    return statistics.median(samples)


def measure(config: RunConfig, repeats: int) -> dict[str, float]:
    _, _, trainer = start_run(config)
    grid = GridEvaluator(list(config.features), trainer.net.sizes)
    for _ in range(20):  # warm up caches and let the weights leave their start
        trainer.epoch()
        grid.evaluate(trainer.net)
    return {
        "epoch_ms": round(per_call_ms(trainer.epoch, 100, repeats), 4),
        "grid_ms": round(per_call_ms(lambda: grid.evaluate(trainer.net), 50, repeats), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=9)
    repeats = parser.parse_args().repeats
    single_threaded_blas()
    print(json.dumps({name: measure(config, repeats) for name, config in SCENES.items()}))


if __name__ == "__main__":
    main()
