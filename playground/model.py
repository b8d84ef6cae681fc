"""A run's settings and how they become data, a network and a trainer.

Shared by the command line and the app; imports no UI library. The seeded stream is
the original's: data are drawn first, then the initial weights continue the SAME
stream, so a TensorFlow Playground seed reproduces both.
"""

import dataclasses
from collections.abc import Callable

import numpy as np

from playground.datasets import DATASETS, DataSplit, SeedRandom, make_data
from playground.engine import Network, Trainer

# The engine's head (output activation and loss, engine/heads.py) of each problem type.
PROBLEM_HEADS = {"classification": "tanhSquaredError", "regression": "linearSquaredError"}


@dataclasses.dataclass(frozen=True)
class RunConfig:
    """Every classic setting, named as in the app (URL names in comments)."""

    dataset: str = "circle"  # dataset / regDataset
    noise: float = 0  # noise, slider units 0-50; the generator receives noise / 100
    perc_train: float = 50  # percTrainData
    batch_size: int = 10  # batchSize
    learning_rate: float = 0.03  # learningRate
    activation: str = "tanh"  # activation (hidden layers)
    regularization: str = "none"  # regularization
    regularization_rate: float = 0.0  # regularizationRate
    hidden: tuple[int, ...] = (4, 2)  # networkShape
    features: tuple[str, ...] = ("x", "y")  # x, y, xSquared, ...
    seed: str = "0.31415"  # seed
    init_zero: bool = False  # initZero

    @property
    def problem(self) -> str:
        return DATASETS[self.dataset].problem

    @property
    def sizes(self) -> tuple[int, ...]:
        return (len(self.features), *self.hidden, 1)


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
    return make_data(config.dataset, config.noise, config.perc_train, rng)


def new_trainer(config: RunConfig, net: Network, data: DataSplit) -> Trainer:
    return Trainer(
        net,
        list(config.features),
        (data.X_train, data.y_train),
        (data.X_test, data.y_test),
        batch_size=config.batch_size,
        learning_rate=config.learning_rate,
        regularization=config.regularization,
        regularization_rate=config.regularization_rate,
    )


def start_run(config: RunConfig) -> tuple[SeedRandom, DataSplit, Trainer]:
    """What the original does on page load: seed, generate data, then draw weights."""
    rng = SeedRandom(config.seed)
    data = new_data(config, rng)
    return rng, data, new_trainer(config, new_network(config, rng), data)
