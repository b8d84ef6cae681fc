"""Input features: what the network sees of a point.

A plane's points are (x, y), and its features are computed from them (``FEATURES``,
whose order is the UI's). A table's points are rows of named columns, and each feature
is one of its columns, taken as it is.
"""

from collections.abc import Callable, Sequence
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


def feature_matrix(
    names: Sequence[str],
    points: Array,
    dtype: type = np.float64,
    columns: Sequence[str] | None = None,
) -> Array:
    """Columns of the named features for ``points``, plus a trailing column of ones.

    Without ``columns`` the points are a plane's (n, 2) and each name is a feature of
    ``FEATURES``; with them, the points are a table's (n, len(columns)) rows and each
    name is one of ``columns``. The ones column carries the bias through the same
    matmul as the weights.
    """
    out = np.ones((len(points), len(names) + 1), dtype=dtype)
    if columns is not None:
        order = list(columns)
        for k, name in enumerate(names):
            out[:, k] = points[:, order.index(name)]
        return out
    x, y = points[:, 0], points[:, 1]
    for k, name in enumerate(names):
        out[:, k] = FEATURES[name].fn(x, y)
    return out
