"""A run's settings and how they become data, a network and a trainer.

Shared by the command line and the app; imports no UI library. The seeded stream is
the original's: data are drawn first, then the initial weights continue the SAME
stream, so a TensorFlow Playground seed reproduces both.
"""

from collections.abc import Callable

import numpy as np

from playground.datasets import DataSplit, SeedRandom, make_data
from playground.engine import Network, Trainer
from playground.settings import OPTIMIZER, TRAINER, RunConfig

__all__ = ["RunConfig", "new_data", "new_network", "new_trainer", "start_run"]

# The engine's head (output activation and loss, engine/heads.py) of each problem type.
PROBLEM_HEADS = {"classification": "tanhSquaredError", "regression": "linearSquaredError"}


def stream_draw(rng: SeedRandom) -> Callable[[int], np.ndarray]:
    """Adapts the one-at-a-time seeded stream to the engine's ``draw(n)``."""
    return lambda n: np.array([rng.random() for _ in range(n)], dtype=float)


def new_network(config: RunConfig, rng: SeedRandom) -> Network:
    return Network.create(
        config.sizes,
        stream_draw(rng),
        activation=config.activation,
        head=PROBLEM_HEADS[config.problem],
        init="zero" if config.init_zero else "tfp",
    )


def new_data(config: RunConfig, rng: SeedRandom) -> DataSplit:
    return make_data(config.dataset, config.noise, config.perc_train_data, rng)


def new_trainer(config: RunConfig, net: Network, data: DataSplit) -> Trainer:
    return Trainer(
        net,
        list(config.features),
        (data.X_train, data.y_train),
        (data.X_test, data.y_test),
        **config.feeding(TRAINER),
        optimizer_options=config.feeding(OPTIMIZER),
    )


def start_run(config: RunConfig) -> tuple[SeedRandom, DataSplit, Trainer]:
    """What the original does on page load: seed, generate data, then draw weights."""
    rng = SeedRandom(config.seed)
    data = new_data(config, rng)
    return rng, data, new_trainer(config, new_network(config, rng), data)
