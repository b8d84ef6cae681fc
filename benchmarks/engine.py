"""Engine speed: one epoch (training pass + train and test loss) and one grid evaluation.

    python benchmarks/engine.py [--repeats 9] [--cpu-time]

Prints one JSON object with the median over repeats, in milliseconds: of wall-clock
time, or with ``--cpu-time`` of the process's CPU time, which other work on a shared
machine disturbs less (the engine runs on one thread).
Budgets (2-core machine): epoch <= 1.2 ms default / 3 ms large; grid <= 1 / 5 ms.

Each scene also times an epoch of Adam under cross-entropy on the same points and
hidden layers: one sigmoid node (``adam_sigmoid_ce``) and a softmax over three classes
(``adam_softmax3_ce``, labels from the angle of each point), each beside its ratio to
the scene's SGD epoch measured in the same run (``_vs_sgd``, target: <= 1.3). Three
output nodes cost more whatever the optimizer, so the softmax run also has its ratio to
SGD on the same three-output net (``_vs_sgd3``: tanh and ±1 one-hot targets). And an
epoch of the scene with dropout 0.2 on its hidden nodes (``dropout_epoch_ms``), and one
with batch normalization on its hidden layers (``batch_norm_epoch_ms``).

The digits (``digits``): reading the shipped file (``load_ms``: the first ``images()`` of
a new interpreter, timed inside it, median over repeats), making their data from a seed
(``data_ms``: scale, shuffle, split) and one epoch of their scene (64-8-10, Adam,
softmax; ``epoch_ms``), with the test accuracy it has reached by then.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np

from playground.datasets import SeedRandom
from playground.engine import FEATURES, HEADS, GridEvaluator, Network, Trainer
from playground.model import RunConfig, new_data, start_run
from playground.threads import single_threaded_blas
from playground.views.image_inputs import DIGITS_SCENE

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


CLOCK = time.perf_counter  # time.process_time under --cpu-time


def per_call_ms(fns: dict[str, Callable[[], object]], calls: int, repeats: int) -> dict[str, float]:
    """Median time of one call of each function; each repeat times every function once,
    in turn, so that a slow spell of a shared machine weighs on all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = CLOCK()
            for _ in range(calls):
                fn()
            samples[name].append((CLOCK() - start) / calls * 1e3)
    return {name: statistics.median(times) for name, times in samples.items()}


def angle_classes(points: np.ndarray, k: int) -> np.ndarray:
    """Labels 0..k-1: the sector of the plane each point lies in."""
    angle = np.arctan2(points[:, 1], points[:, 0]) + np.pi
    return np.minimum((angle / (2 * np.pi) * k).astype(int), k - 1).astype(float)


def variant(
    config: RunConfig, sgd: Trainer, data, head: str, classes: int, optimizer: str = "adam"
) -> Trainer:
    """The scene's run with another head (and class count) and optimizer."""
    net = sgd.net
    sizes = (*net.sizes[:-1], HEADS[head].output_nodes(classes))
    adam_net = Network.create(sizes, np.random.default_rng(0).random, config.activation, head)
    if classes > 2:
        train = (data.X_train, angle_classes(data.X_train, classes))
        test = (data.X_test, angle_classes(data.X_test, classes))
    else:
        train, test = (data.X_train, data.y_train), (data.X_test, data.y_test)
    return Trainer(
        adam_net,
        sgd.features,
        train,
        test,
        batch_size=sgd.batch_size,
        learning_rate=0.003,
        regularization=sgd.regularization,
        regularization_rate=sgd.regularization_rate,
        optimizer=optimizer,
    )


def batch_norm(sgd: Trainer, data) -> Trainer:
    """The scene's run with batch normalization on its hidden layers."""
    net = sgd.net
    bn_net = Network.create(
        net.sizes, np.random.default_rng(0).random, net.activation, net.head_name,
        normalization="batchNorm",
    )  # fmt: skip
    train, test = (data.X_train, data.y_train), (data.X_test, data.y_test)
    return Trainer(
        bn_net,
        sgd.features,
        train,
        test,
        batch_size=sgd.batch_size,
        learning_rate=sgd.learning_rate,
        regularization=sgd.regularization,
        regularization_rate=sgd.regularization_rate,
    )


def measure(config: RunConfig, repeats: int) -> dict[str, float]:
    _, data, trainer = start_run(config)
    grid = GridEvaluator(list(config.features), trainer.net.sizes)
    others = {
        "adam_sigmoid_ce": variant(config, trainer, data, "sigmoidCrossEntropy", 2),
        "adam_softmax3_ce": variant(config, trainer, data, "softmaxCrossEntropy", 3),
        "sgd_tanh3": variant(config, trainer, data, "tanhSquaredError", 3, "sgd"),
        "dropout": start_run(config.replace(dropout=0.2))[2],
        "batch_norm": batch_norm(trainer, data),
    }
    for _ in range(20):  # warm up caches and let the weights leave their start
        trainer.epoch()
        grid.evaluate(trainer.net)
        for other in others.values():
            other.epoch()
    epochs = per_call_ms(
        {"sgd": trainer.epoch} | {name: other.epoch for name, other in others.items()},
        100,
        repeats,
    )
    row = {
        "epoch_ms": round(epochs["sgd"], 4),
        "grid_ms": round(
            per_call_ms({"grid": lambda: grid.evaluate(trainer.net)}, 50, repeats)["grid"], 4
        ),
    }
    for name in others:
        row[f"{name}_epoch_ms"] = round(epochs[name], 4)
    for name in ("adam_sigmoid_ce", "adam_softmax3_ce"):
        row[f"{name}_vs_sgd"] = round(epochs[name] / epochs["sgd"], 3)
    row["adam_softmax3_ce_vs_sgd3"] = round(epochs["adam_softmax3_ce"] / epochs["sgd_tanh3"], 3)
    return row


# In a fresh interpreter, so that nothing is cached: the module imported, then timed.
LOAD = (
    "import time; from playground.datasets import digits; t = time.perf_counter(); {call}; "
    "print((time.perf_counter() - t) * 1e3)"
)


def load_ms(repeats: int) -> float:
    """Reading the digits' file in a new process (its first ``images()``)."""
    times = []
    for _ in range(repeats):
        script = LOAD.format(call="digits.images()")
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True)
        times.append(float(out.stdout))
    return statistics.median(times)


def measure_digits(repeats: int) -> dict[str, float]:
    config = RunConfig(dataset="digits", **{k: tuple(v) if isinstance(v, list) else v
                                            for k, v in DIGITS_SCENE.items()})  # fmt: skip
    _, _, trainer = start_run(config)
    for _ in range(3):
        trainer.epoch()
    times = per_call_ms(
        {
            "data": lambda: new_data(config, SeedRandom("bench")),
            "epoch": trainer.epoch,
        },
        5,
        repeats,
    )
    return {
        "load_ms": round(load_ms(repeats), 3),
        "data_ms": round(times["data"], 3),
        "epoch_ms": round(times["epoch"], 3),
        "test_accuracy": round(trainer.test_accuracy, 3),
    }


def main() -> None:
    global CLOCK
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--cpu-time", action="store_true", help="the process's CPU time")
    args = parser.parse_args()
    if args.cpu_time:
        CLOCK = time.process_time
    single_threaded_blas()
    rows = {name: measure(config, args.repeats) for name, config in SCENES.items()}
    rows["digits"] = measure_digits(args.repeats)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
