"""The output heatmap's data points, as the live view draws them."""

import numpy as np

from playground.colors import class_shade, quantize
from playground.datasets import DataSplit, class_index

EXTENT = 6.0


def point_set(name: str, X: np.ndarray, y: np.ndarray, classes: int = 2) -> dict:
    """Points inside the plot: float32 ``<name>_x``, ``<name>_y``, and ``<name>_c``, the
    palette index of each label: the full colour of its class beyond two classes, else
    the original's (regression labels get shades, as in the original)."""
    inside = np.all(np.abs(X) <= EXTENT, axis=1)
    labels = y[inside]
    if classes > 2:
        colours = class_shade(class_index(labels, classes), np.ones(len(labels)))
    else:
        colours = quantize(labels)
    return {
        f"{name}_x": X[inside, 0].astype(np.float32),
        f"{name}_y": X[inside, 1].astype(np.float32),
        f"{name}_c": colours,
    }


def points_arrays(data: DataSplit | None, classes: int = 2) -> dict[str, np.ndarray]:
    """The training and the test points, as the live view takes them; no data: none."""
    if data is None:
        empty = np.zeros((0, 2)), np.zeros(0)
        data = DataSplit(*empty, *empty)
    return {
        **point_set("train", data.X_train, data.y_train, classes),
        **point_set("test", data.X_test, data.y_test, classes),
    }
