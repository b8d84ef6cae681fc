"""The optimizer lab's loss surfaces: value and analytic gradient of f(x, y).

Every function takes arrays of any one shape (a single point, a path, or a whole grid
for drawing) and works element-wise, so the picture is one call over the grid. Each
surface also knows where its minima are (to mark them), a window that shows them, a
start that makes an interesting race and each optimizer's learning rate there: a rate
that suits one surface throws a racer off another (Rosenbrock's valley walls are 100
times steeper than the bowl), so each surface names its own, with which no racer
diverges in its first 100 steps and each shows its character
(``tests/test_optimizer_defaults.py``).
"""

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

Array = np.ndarray


class Surface(NamedTuple):
    label: str
    formula: str  # ASCII; the page shows "-" as a minus sign
    value: Callable[[Array, Array], Array]  # (x, y) -> f
    grad: Callable[[Array, Array], tuple[Array, Array]]  # (x, y) -> (df/dx, df/dy)
    minima: tuple[tuple[float, float], ...]  # every global minimum (f = 0 on all five but saddle)
    saddle_points: tuple[tuple[float, float], ...]
    window: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max of the picture
    start: tuple[float, float]
    log_scale: bool  # shade log(1 + f - f_min): values span many decades
    rates: Mapping[str, float] = MappingProxyType({})  # optimizer -> its learning rate here


def _bowl(x: Array, y: Array) -> Array:
    return x**2 / 20 + y**2


def _bowl_grad(x: Array, y: Array) -> tuple[Array, Array]:
    return x / 10, 2 * y


def _rosenbrock(x: Array, y: Array) -> Array:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(x: Array, y: Array) -> tuple[Array, Array]:
    valley = y - x**2
    return -2 * (1 - x) - 400 * x * valley, 200 * valley


def _saddle(x: Array, y: Array) -> Array:
    return x**2 - y**2


def _saddle_grad(x: Array, y: Array) -> tuple[Array, Array]:
    return 2 * x, -2 * y


def _himmelblau(x: Array, y: Array) -> Array:
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(x: Array, y: Array) -> tuple[Array, Array]:
    a, b = x**2 + y - 11, x + y**2 - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


# Beale's three terms are (c_k - x + x y^k) for k = 1, 2, 3.
_BEALE_C = (1.5, 2.25, 2.625)


def _beale(x: Array, y: Array) -> Array:
    return sum((c - x + x * y**k) ** 2 for k, c in enumerate(_BEALE_C, start=1))


def _beale_grad(x: Array, y: Array) -> tuple[Array, Array]:
    dx, dy = 0.0, 0.0
    for k, c in enumerate(_BEALE_C, start=1):
        term = c - x + x * y**k
        dx = dx + 2 * term * (y**k - 1)
        dy = dy + 2 * term * k * x * y ** (k - 1)
    return dx, dy


def _rates(by_optimizer: dict[str, float]) -> Mapping[str, float]:
    return MappingProxyType(by_optimizer)


SURFACES: dict[str, Surface] = {
    "bowl": Surface(
        "Bowl",
        "x²/20 + y²",
        _bowl,
        _bowl_grad,
        minima=((0.0, 0.0),),
        saddle_points=(),
        window=(-10.0, 10.0, -5.0, 5.0),
        start=(-8.0, 3.0),
        log_scale=False,
        rates=_rates(
            {
                "sgd": 0.9,
                "momentum": 0.2,
                "nesterov": 0.2,
                "adagrad": 1.0,
                "rmsprop": 0.05,
                "adam": 0.2,
            }
        ),
    ),
    "rosenbrock": Surface(
        "Rosenbrock",
        "(1 - x)² + 100 (y - x²)²",
        _rosenbrock,
        _rosenbrock_grad,
        minima=((1.0, 1.0),),
        saddle_points=(),
        window=(-2.0, 2.0, -1.0, 3.0),
        start=(-1.5, 2.5),
        log_scale=True,
        rates=_rates(
            {
                "sgd": 0.001,
                "momentum": 0.0005,
                "nesterov": 0.0005,
                "adagrad": 0.3,
                "rmsprop": 0.01,
                "adam": 0.05,
            }
        ),
    ),
    "saddle": Surface(
        "Saddle",
        "x² - y²",
        _saddle,
        _saddle_grad,
        minima=(),  # unbounded below: a racer that finds the way down never stops
        saddle_points=((0.0, 0.0),),
        window=(-2.0, 2.0, -2.0, 2.0),
        start=(-1.8, 0.02),
        log_scale=False,
        rates=_rates(
            {
                "sgd": 0.01,
                "momentum": 0.005,
                "nesterov": 0.005,
                "adagrad": 0.1,
                "rmsprop": 0.01,
                "adam": 0.02,
            }
        ),
    ),
    "himmelblau": Surface(
        "Himmelblau",
        "(x² + y - 11)² + (x + y² - 7)²",
        _himmelblau,
        _himmelblau_grad,
        # Four minima; three have no closed form (Newton's method to full precision).
        minima=(
            (3.0, 2.0),
            (-2.805118086952745, 3.131312518250573),
            (-3.779310253377747, -3.283185991286170),
            (3.584428340330492, -1.848126526964404),
        ),
        saddle_points=(),
        window=(-5.0, 5.0, -5.0, 5.0),
        start=(0.0, -0.5),
        log_scale=True,
        rates=_rates(
            {
                "sgd": 0.01,
                "momentum": 0.005,
                "nesterov": 0.005,
                "adagrad": 0.3,
                "rmsprop": 0.02,
                "adam": 0.05,
            }
        ),
    ),
    "beale": Surface(
        "Beale",
        "(1.5 - x + xy)² + (2.25 - x + xy²)² + (2.625 - x + xy³)²",
        _beale,
        _beale_grad,
        minima=((3.0, 0.5),),
        saddle_points=(),
        window=(-4.5, 4.5, -4.5, 4.5),
        start=(1.0, 1.4),
        log_scale=True,
        rates=_rates(
            {
                "sgd": 0.002,
                "momentum": 0.001,
                "nesterov": 0.001,
                "adagrad": 0.5,
                "rmsprop": 0.01,
                "adam": 0.05,
            }
        ),
    ),
}


def grid_axes(surface: Surface, size: int) -> tuple[Array, Array]:
    """Pixel-centre coordinates of a size x size picture of the window (y upwards)."""
    x0, x1, y0, y1 = surface.window
    xs = x0 + (np.arange(size) + 0.5) * (x1 - x0) / size
    ys = y1 - (np.arange(size) + 0.5) * (y1 - y0) / size  # row 0 is the top
    return xs, ys


def shading(surface: Surface, size: int) -> Array:
    """(size, size) levels in [0, 1] for the picture, row 0 at the top: the value, or
    log(1 + f - f_min) where the surface spans many decades, scaled to the window."""
    xs, ys = grid_axes(surface, size)
    X, Y = np.meshgrid(xs, ys)
    f = surface.value(X, Y)
    level = f - f.min()
    if surface.log_scale:
        level = np.log1p(level)
    top = level.max()
    return level / top if top > 0 else np.zeros_like(level)
