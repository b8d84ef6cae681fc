"""Shuffle and split exactly as TensorFlow Playground's generateData does."""

from __future__ import annotations

import math
from typing import NamedTuple

from .dataset import Dataset
from .generators import DATASETS, NUM_SAMPLES, Array, Rand
from .seedrandom import SeedRandom


class DataSplit(NamedTuple):
    X_train: Array  # (n_train, the inputs' columns): (x, y) for a plane
    y_train: Array  # (n_train,)
    X_test: Array  # (n_test, the inputs' columns)
    y_test: Array  # (n_test,)


def shuffle(X: Array, y: Array, rand: Rand) -> tuple[Array, Array]:
    """Fisher-Yates in the original's draw order; returns new arrays."""
    order = list(range(len(y)))
    counter = len(order)
    while counter > 0:
        index = math.floor(rand() * counter)
        counter -= 1
        order[counter], order[index] = order[index], order[counter]
    return X[order], y[order]


def split(X: Array, y: Array, perc_train: float) -> DataSplit:
    """The first floor(N * perc / 100) points train, the rest test."""
    n_train = math.floor(len(y) * perc_train / 100)
    return DataSplit(X[:n_train], y[:n_train], X[n_train:], y[n_train:])


def make_data(
    name: str | Dataset,
    noise_percent: float,
    perc_train: float,
    rng: SeedRandom,
    classes: int = 2,
) -> DataSplit:
    """Generate, shuffle once and split, all from ``rng``'s stream.

    ``classes`` goes to the generator: the multi-class sets draw that many classes
    (2 … their ``max_classes``); the original's sets ignore it and stay draw for draw.

    ``rng`` is left right after the shuffle: the original draws the initial weights
    (each ``rng.random() - 0.5``) from the same continuing stream. ``name`` may also be
    a dataset's record (a session's own points).
    """
    dataset = DATASETS[name] if isinstance(name, str) else name
    X, y = dataset.fn(NUM_SAMPLES[dataset.problem], noise_percent / 100, rng.random, classes)
    width = len(dataset.inputs.columns)
    if X.ndim != 2 or X.shape[1] != width:
        raise ValueError(
            f"the dataset {dataset.label} draws rows of {X.shape[-1]} numbers; its inputs declare {width}"
        )
    X, y = shuffle(X, y, rng.random)
    return split(X, y, perc_train)
