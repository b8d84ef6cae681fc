"""The output heatmap's data points, as the live view draws them."""

import numpy as np

from playground.colors import quantize
from playground.datasets import DataSplit

EXTENT = 6.0


def point_set(name: str, X: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Points inside the plot: float32 ``<name>_x``, ``<name>_y``, and ``<name>_c``, the
    palette index of each label (regression labels get shades, as in the original)."""
    inside = np.all(np.abs(X) <= EXTENT, axis=1)
    return {
        f"{name}_x": X[inside, 0].astype(np.float32),
        f"{name}_y": X[inside, 1].astype(np.float32),
        f"{name}_c": quantize(y[inside]),
    }


def points_arrays(data: DataSplit) -> dict[str, np.ndarray]:
    """The training and the test points, as the live view takes them."""
    return {
        **point_set("train", data.X_train, data.y_train),
        **point_set("test", data.X_test, data.y_test),
    }
