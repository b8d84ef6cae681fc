"""Multi-class data sets: K-arm spirals and K Gaussian blobs, for K = 2 to 6 classes, and
the class labels of every classification set (up to 10 classes: the digits).

They draw from the same seeded ``rand`` stream as the original's sets, noise draws
included when ``noise == 0``, so a seed always gives the same points. Labels: with 2
classes the classic ±1 (class 0 is -1, class 1 is +1), so everything written for the
original's two-class sets works unchanged; with K > 2 classes the class numbers
0.0 … K-1. Classes are balanced (sizes differ by at most one) and stored class by class;
``make_data`` shuffles them.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from .draws import Array, Rand, as_arrays, normal, uniform

MIN_CLASSES, MAX_CLASSES = 2, 6  # the generated sets' class counts (the Classes slider)
MOST_CLASSES = 10  # any classification set's: the digits have 10


def check_classes(classes: int, most: int = MOST_CLASSES) -> None:
    if not (isinstance(classes, int | np.integer) and MIN_CLASSES <= classes <= most):
        raise ValueError(
            f"classes must be a whole number from {MIN_CLASSES} to {most}, got {classes!r}"
        )


def class_labels(classes: int) -> Array:
    """The K labels in class order: [-1, +1] for 2 classes, else [0, 1, … K-1]."""
    check_classes(classes)
    return np.array([-1.0, 1.0]) if classes == 2 else np.arange(classes, dtype=np.float64)


def class_index(y: Array, classes: int) -> NDArray[np.intp]:
    """Class numbers 0 … K-1 of labels ``y`` (any shape): the inverse of ``class_labels``."""
    labels = class_labels(classes)
    y = np.asarray(y, dtype=np.float64)
    if not np.isin(y, labels).all():
        raise ValueError(f"labels of a {classes}-class set must be among {labels.tolist()}")
    return np.searchsorted(labels, y)  # labels are increasing, so this is the class number


def _class_sizes(n: int, classes: int) -> list[int]:
    return [n // classes + (k < n % classes) for k in range(classes)]  # earlier classes +1


ARM_LENGTH = 5.0  # each arm runs from the centre out to this radius, like `spiral`
ARM_TURNS_TIMES_CLASSES = 3.5  # 1.75 turns per arm at 2 classes, as `spiral`


def spirals(n: int, noise: float, rand: Rand, classes: int = 2) -> tuple[Array, Array]:
    """K arms winding out from the centre, arm k turned by k / K of a circle.

    With more arms each turns less, so that along any ray neighbouring arms stay
    ``ARM_LENGTH / ARM_TURNS_TIMES_CLASSES`` (about 1.4) apart whatever K. Noise moves
    each coordinate by up to ``noise`` times that gap: half-way to the next arm at 0.5.
    """
    check_classes(classes, MAX_CLASSES)
    labels = class_labels(classes)
    turns = ARM_TURNS_TIMES_CLASSES / classes
    gap = ARM_LENGTH / ARM_TURNS_TIMES_CLASSES
    points = []
    for k, count in enumerate(_class_sizes(n, classes)):
        start = 2 * math.pi * k / classes
        for i in range(count):
            along = i / count  # 0 at the centre, towards 1 at the arm's end
            r = along * ARM_LENGTH
            t = start + along * turns * 2 * math.pi
            x = r * math.sin(t) + uniform(rand, -1.0, 1.0) * noise * gap
            y = r * math.cos(t) + uniform(rand, -1.0, 1.0) * noise * gap
            points.append((x, y, labels[k]))
    return as_arrays(points)


BLOB_SPACING = 3.6  # distance between neighbouring centres, whatever K
BLOB_SPREAD = (0.35, 1.3)  # standard deviation at noise 0 and at noise 0.5


def blob_centres(classes: int) -> Array:
    """(K, 2) centres spread evenly on a circle, neighbours ``BLOB_SPACING`` apart.

    The first centre is lower left, so at 2 classes the -1 blob sits lower left and the
    +1 blob upper right, as in ``gauss``.
    """
    check_classes(classes, MAX_CLASSES)
    ring = BLOB_SPACING / (2 * math.sin(math.pi / classes))  # chord of 1/K circle = spacing
    angles = 1.25 * math.pi + 2 * math.pi * np.arange(classes) / classes
    return ring * np.column_stack([np.cos(angles), np.sin(angles)])


def blobs(n: int, noise: float, rand: Rand, classes: int = 2) -> tuple[Array, Array]:
    """K round Gaussian blobs. At noise 0 they lie 5 standard deviations from the half-way
    line to a neighbour (separable); at noise 0.5, 1.4 standard deviations (much overlap)."""
    centres = blob_centres(classes)
    low, high = BLOB_SPREAD
    spread = low + (high - low) * noise / 0.5
    labels = class_labels(classes)
    points = []
    for k, count in enumerate(_class_sizes(n, classes)):
        cx, cy = centres[k]
        for _ in range(count):
            x = normal(rand, cx, spread**2)
            y = normal(rand, cy, spread**2)
            points.append((x, y, labels[k]))
    return as_arrays(points)
