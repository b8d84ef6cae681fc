"""The original's random draws, shared by the classic and the multi-class generators.

Each helper consumes ``rand`` (a ``() -> float`` in [0, 1)) exactly as TensorFlow
Playground's dataset.ts does, so a seeded stream gives the same numbers draw for draw.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Rand = Callable[[], float]


def uniform(rand: Rand, a: float, b: float) -> float:
    return rand() * (b - a) + a  # the original's randUniform, same association


def normal(rand: Rand, mean: float, variance: float) -> float:
    """Marsaglia's polar method as the original has it: v2 is drawn and thrown away."""
    while True:
        v1 = 2 * rand() - 1
        v2 = 2 * rand() - 1
        s = v1 * v1 + v2 * v2
        if s <= 1:  # s == 0 is not rejected, as in the original
            break
    return mean + math.sqrt(variance) * (math.sqrt(-2 * math.log(s) / s) * v1)


def as_arrays(points: list[tuple[float, float, float]]) -> tuple[Array, Array]:
    """(x, y, label) rows -> X (n, 2), y (n,)."""
    data = np.array(points, dtype=np.float64).reshape(-1, 3)
    return data[:, :2].copy(), data[:, 2].copy()
