"""Every node's output over the 100 x 100 grid on [-6, 6]^2, in one float32 pass.

The views draw the output heatmap and a map per node from this; float32 halves the
memory traffic and makes tanh over (10_000, n) several times faster than float64.
"""

import numpy as np

from .features import FEATURES
from .network import Network

Array = np.ndarray


def grid_points(size: int = 100, extent: float = 6.0) -> Array:
    """(size * size, 2) points, row-major with row 0 at y = +extent (the original's layout)."""
    t = np.arange(size) / (size - 1)
    axis = -extent * (1 - t) + extent * t
    xs, ys = np.meshgrid(axis, axis[::-1])
    return np.column_stack([xs.ravel(), ys.ravel()])


class GridEvaluator:
    """Evaluates a network of one architecture over the grid, reusing one buffer.

    ``feature_maps`` holds all seven input features (enabled or not), computed once.
    """

    def __init__(self, features: list[str], sizes: tuple[int, ...], size: int = 100) -> None:
        self.size = size
        points = grid_points(size)
        x, y = points[:, 0], points[:, 1]
        self.feature_maps = np.stack(
            [spec.fn(x, y).reshape(size, size) for spec in FEATURES.values()]
        ).astype(np.float32)
        n_in = len(features)
        # Rows: enabled inputs, then every hidden node, then the output(s): one block per
        # layer, so each layer is one matmul reading the rows of the previous block.
        self._rows = np.empty((sum(sizes), size * size), dtype=np.float32)
        order = list(FEATURES)
        for r, name in enumerate(features):
            self._rows[r] = self.feature_maps[order.index(name)].ravel()
        self._bounds = np.cumsum((0, *sizes))
        self._n_in = n_in

    def evaluate(self, net: Network) -> Array:
        """Maps (n_hidden + n_out, size, size) of every non-input node, hidden layers first.

        The result is a view into a reused buffer: valid until the next call.
        """
        rows, b = self._rows, self._bounds
        with np.errstate(all="ignore"):
            for k, (layer, act) in enumerate(zip(net.layers, net.activations, strict=True)):
                W = layer[:-1].T.astype(np.float32)  # (n_out, n_in)
                bias = layer[-1].astype(np.float32)[:, None]
                z = np.matmul(W, rows[b[k] : b[k + 1]], out=rows[b[k + 1] : b[k + 2]])
                np.add(z, bias, out=z)
                act.fn(z.T, out=z.T)  # activations take rows of examples, as in training
        return rows[self._n_in :].reshape(-1, self.size, self.size)
