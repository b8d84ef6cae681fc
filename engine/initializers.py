"""Initial weights. ``draw(n)`` returns n uniform draws in [0, 1).

The draws are consumed layer by layer, destination node by destination node, source
node by source node: the original's order, so a seeded stream gives its exact weights.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

Array = np.ndarray
Draw = Callable[[int], Array]


class Initializer(NamedTuple):
    weights: Callable[[int, int, Draw], Array]  # (n_in, n_out, draw) -> W (n_in, n_out)
    bias: float


def _tfp_uniform(n_in: int, n_out: int, draw: Draw) -> Array:
    return (draw(n_in * n_out) - 0.5).reshape(n_out, n_in).T


def _zeros(n_in: int, n_out: int, draw: Draw) -> Array:
    return np.zeros((n_in, n_out))


INITIALIZERS: dict[str, Initializer] = {
    "tfp": Initializer(_tfp_uniform, 0.1),
    "zero": Initializer(_zeros, 0.0),  # the original's `initZero`
}
