"""TensorFlow Playground's six 2-D data sets, draw for draw, and the registry of all sets
(theirs, the multi-class sets, the digits and a session's own points).

Every set declares its inputs (``inputs.py``): the sets here are planes, points (x, y);
a table's generator gives rows of its named columns instead.
Each generator takes ``rand`` (a ``() -> float`` in [0, 1), normally ``SeedRandom.random``)
and consumes it in exactly the original's order, noise draws included even when
``noise == 0``, so a seeded stream gives the original's draws and labels bit for bit.
(Coordinates computed through sin, cos or log may differ from V8's in the last bit.)
That order is sequential, hence the per-point loops. ``noise`` is the fraction the original
generator receives (the slider value / 100, 0 to 0.5). Every generator takes ``classes`` so
that all share one signature; the original's six sets ignore it (see ``multiclass``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from . import digits as handwritten
from .dataset import DataFn, Dataset
from .draws import Array, Rand, as_arrays, normal, uniform
from .multiclass import MAX_CLASSES, blobs, spirals
from .own import OWN_DATASETS

__all__ = ["DATASETS", "NUM_SAMPLES", "DataFn", "Dataset"]


NUM_SAMPLES: dict[str, int] = {"classification": 500, "regression": 1200}


def _d3_linear(v: float, d0: float, d1: float, r0: float, r1: float, clamp: bool = False) -> float:
    # d3 v3's linear scale, with its exact arithmetic: labels must match to the last bit.
    t = (v - d0) / (d1 - d0)
    if clamp:
        t = max(0.0, min(1.0, t))
    return r0 * (1 - t) + r1 * t


def _dist(x: float, y: float, cx: float, cy: float) -> float:
    dx, dy = x - cx, y - cy
    return math.sqrt(dx * dx + dy * dy)  # not math.hypot: it rounds differently


# Two-class sets: the original loops `i < n / 2` per class, which is ceil(n/2) points each;
# we give the second class n // 2 so that odd n still yields n points (same for even n).


def circle(n: int, noise: float, rand: Rand, classes: int = 2) -> tuple[Array, Array]:
    radius = 5.0
    rings = ((0.0, radius * 0.5, n - n // 2), (radius * 0.7, radius, n // 2))  # +1 inside, -1 out
    points = []
    for r_min, r_max, count in rings:
        for _ in range(count):
            r = uniform(rand, r_min, r_max)
            angle = uniform(rand, 0.0, 2 * math.pi)
            x, y = r * math.sin(angle), r * math.cos(angle)
            noise_x = uniform(rand, -radius, radius) * noise
            noise_y = uniform(rand, -radius, radius) * noise
            # Only the label sees the noise: stored points stay exactly on their rings.
            inside = _dist(x + noise_x, y + noise_y, 0.0, 0.0) < radius * 0.5
            points.append((x, y, 1.0 if inside else -1.0))
    return as_arrays(points)


def xor(n: int, noise: float, rand: Rand, classes: int = 2) -> tuple[Array, Array]:
    padding = 0.3  # pushes points off the axes, where the label is ambiguous
    points = []
    for _ in range(n):
        x = uniform(rand, -5.0, 5.0)
        x += padding if x > 0 else -padding
        y = uniform(rand, -5.0, 5.0)
        y += padding if y > 0 else -padding
        noise_x = uniform(rand, -5.0, 5.0) * noise
        noise_y = uniform(rand, -5.0, 5.0) * noise
        points.append((x, y, 1.0 if (x + noise_x) * (y + noise_y) >= 0 else -1.0))
    return as_arrays(points)


def gauss(n: int, noise: float, rand: Rand, classes: int = 2) -> tuple[Array, Array]:
    variance = _d3_linear(noise, 0.0, 0.5, 0.5, 4.0)  # noise widens both blobs
    points = []
    for center, label, count in ((2.0, 1.0, n - n // 2), (-2.0, -1.0, n // 2)):
        for _ in range(count):
            x = normal(rand, center, variance)
            y = normal(rand, center, variance)
            points.append((x, y, label))
    return as_arrays(points)


def spiral(n: int, noise: float, rand: Rand, classes: int = 2) -> tuple[Array, Array]:
    half = n / 2  # a float, as in the original: it divides i in r and t
    points = []
    for delta_t, label, count in ((0.0, 1.0, n - n // 2), (math.pi, -1.0, n // 2)):
        for i in range(count):
            r = i / half * 5
            t = 1.75 * i / half * 2 * math.pi + delta_t  # left to right, as the JS evaluates it
            x = r * math.sin(t) + uniform(rand, -1.0, 1.0) * noise
            y = r * math.cos(t) + uniform(rand, -1.0, 1.0) * noise
            points.append((x, y, label))
    return as_arrays(points)


def _regression(
    n: int, noise: float, rand: Rand, label_of: Callable[[float, float], float]
) -> tuple[Array, Array]:
    radius = 6.0
    points = []
    for _ in range(n):
        x = uniform(rand, -radius, radius)
        y = uniform(rand, -radius, radius)
        noise_x = uniform(rand, -radius, radius) * noise
        noise_y = uniform(rand, -radius, radius) * noise
        # Only the label sees the noise; the stored coordinates are clean.
        points.append((x, y, label_of(x + noise_x, y + noise_y)))
    return as_arrays(points)


def _plane_label(x: float, y: float) -> float:
    return _d3_linear(x + y, -10.0, 10.0, -1.0, 1.0)  # unclamped: reaches about ±1.2


_BUMPS = (
    (-4.0, 2.5, 1),
    (0.0, 2.5, -1),
    (4.0, 2.5, 1),
    (-4.0, -2.5, -1),
    (0.0, -2.5, 1),
    (4.0, -2.5, -1),
)


def _bumps_label(x: float, y: float) -> float:
    label = 0.0
    for cx, cy, sign in _BUMPS:
        value = sign * _d3_linear(_dist(x, y, cx, cy), 0.0, 2.0, 1.0, 0.0, clamp=True)
        if abs(value) > abs(label):  # strictly larger: on a tie the earlier bump wins
            label = value
    return label


def reg_plane(n: int, noise: float, rand: Rand, classes: int = 2) -> tuple[Array, Array]:
    return _regression(n, noise, rand, _plane_label)


def reg_gauss(n: int, noise: float, rand: Rand, classes: int = 2) -> tuple[Array, Array]:
    return _regression(n, noise, rand, _bumps_label)


DATASETS: dict[str, Dataset] = {
    "circle": Dataset(circle, "classification", "Circle"),
    "xor": Dataset(xor, "classification", "Exclusive or"),
    "gauss": Dataset(gauss, "classification", "Gaussian"),
    "spiral": Dataset(spiral, "classification", "Spiral"),
    "spirals": Dataset(spirals, "classification", "Spirals", MAX_CLASSES),
    "blobs": Dataset(blobs, "classification", "Blobs", MAX_CLASSES),
    "reg-plane": Dataset(reg_plane, "regression", "Plane", 1),
    "reg-gauss": Dataset(reg_gauss, "regression", "Multi gaussian", 1),
    "digits": Dataset(
        handwritten.digits,
        "classification",
        "Handwritten digits",
        handwritten.CLASSES,
        handwritten.TABLE,
        fixed_classes=True,
        takes_noise=False,
    ),
    # A session's own points, drawn or from a file: a name for the link and the
    # controls; the session's own record of its points stands in (``own.py``).
    **OWN_DATASETS,
}
