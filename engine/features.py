"""Input features computed from a point (x, y); the registry order is the UI's order."""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

Array = np.ndarray


class Feature(NamedTuple):
    fn: Callable[[Array, Array], Array]  # (x, y) -> feature value, elementwise
    label: str  # plain-text label; the UI typesets sub/superscripts itself


FEATURES: dict[str, Feature] = {
    "x": Feature(lambda x, y: x, "X1"),
    "y": Feature(lambda x, y: y, "X2"),
    "xSquared": Feature(lambda x, y: x * x, "X1^2"),
    "ySquared": Feature(lambda x, y: y * y, "X2^2"),
    "xTimesY": Feature(lambda x, y: x * y, "X1X2"),
    "sinX": Feature(lambda x, y: np.sin(x), "sin(X1)"),
    "sinY": Feature(lambda x, y: np.sin(y), "sin(X2)"),
}


def feature_matrix(names: list[str], points: Array, dtype: type = np.float64) -> Array:
    """Columns of the named features for ``points`` (n, 2), plus a trailing column of ones.

    The ones column carries the bias through the same matmul as the weights.
    """
    x, y = points[:, 0], points[:, 1]
    out = np.ones((len(points), len(names) + 1), dtype=dtype)
    for k, name in enumerate(names):
        out[:, k] = FEATURES[name].fn(x, y)
    return out
