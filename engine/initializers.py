"""Initial weights. ``draw(n)`` returns n uniform draws in [0, 1).

The draws are consumed layer by layer, destination node by destination node, source
node by source node: the original's order, so a seeded stream gives its exact weights.
Every initializer keeps that order, so a seeded run with any of them reproduces.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

Array = np.ndarray
Draw = Callable[[int], Array]


class Initializer(NamedTuple):
    weights: Callable[[int, int, Draw], Array]  # (n_in, n_out, draw) -> W (n_in, n_out)
    bias: float
    label: str


def _in_draw_order(values: Array, n_in: int, n_out: int) -> Array:
    """Values listed destination by destination, source by source, as W (n_in, n_out)."""
    return values.reshape(n_out, n_in).T


def _tfp_uniform(n_in: int, n_out: int, draw: Draw) -> Array:
    return _in_draw_order(draw(n_in * n_out) - 0.5, n_in, n_out)


def _zeros(n_in: int, n_out: int, draw: Draw) -> Array:
    return np.zeros((n_in, n_out))


def _glorot_uniform(n_in: int, n_out: int, draw: Draw) -> Array:
    """U(-L, L) with L = sqrt(6 / (n_in + n_out)): one draw u per weight, (2u - 1) L."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return _in_draw_order((2.0 * draw(n_in * n_out) - 1.0) * limit, n_in, n_out)


def standard_normals(n: int, draw: Draw) -> Array:
    """n draws of N(0, 1) by Box-Muller, from 2 * ceil(n / 2) uniform draws.

    Pair k is the draws (u1, u2) = (u[2k], u[2k + 1]); with r = sqrt(-2 ln(1 - u1)) and
    θ = 2π u2 it gives normal 2k = r cos θ and normal 2k + 1 = r sin θ. For odd n the
    last sine is dropped. 1 - u1 lies in (0, 1], so the logarithm is never of 0.
    """
    u = draw(2 * ((n + 1) // 2)).reshape(-1, 2)
    r = np.sqrt(-2.0 * np.log1p(-u[:, 0]))
    theta = 2.0 * np.pi * u[:, 1]
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)]).ravel()[:n]


def _he_normal(n_in: int, n_out: int, draw: Draw) -> Array:
    """N(0, sqrt(2 / n_in)), the normals in draw order (see ``standard_normals``)."""
    scale = np.sqrt(2.0 / n_in)
    return _in_draw_order(standard_normals(n_in * n_out, draw) * scale, n_in, n_out)


INITIALIZERS: dict[str, Initializer] = {
    "tfp": Initializer(_tfp_uniform, 0.1, "Uniform ±0.5"),
    "zero": Initializer(_zeros, 0.0, "Zero"),  # the original's `initZero`
    "glorot": Initializer(_glorot_uniform, 0.0, "Glorot uniform"),
    "he": Initializer(_he_normal, 0.0, "He normal"),
}
