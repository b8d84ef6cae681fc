"""Every node's output over the 100 x 100 grid on [-6, 6]^2, in one float32 pass.

The views draw the output heatmap and a map per node from this; float32 halves the
memory traffic and makes tanh over (10_000, n) several times faster than float64. The
pass is the one layer loop (``forward.run_layers``) in ``EVAL`` mode.
"""

import itertools

import numpy as np

from .features import FEATURES
from .forward import EVAL, LayerStep, run_layers
from .network import Network
from .normalization import NORMALIZATIONS

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
        # layer, each node's map contiguous. The loop reads a block as its transpose, an
        # (examples, nodes) view, and each layer is one matmul reading the previous block.
        self._rows = np.empty((sum(sizes), size * size), dtype=np.float32)
        order = list(FEATURES)
        for r, name in enumerate(features):
            self._rows[r] = self.feature_maps[order.index(name)].ravel()
        self._bounds = np.cumsum((0, *sizes))
        self._n_in = n_in
        shapes = itertools.pairwise(sizes)
        self._params = np.empty(sum((n_in + 1) * n for n_in, n in shapes), np.float32)
        self._net: Network | None = None
        self._steps: list[LayerStep] = []

    def evaluate(self, net: Network) -> Array:
        """Maps (n_hidden + n_out, size, size) of every non-input node, hidden layers first.

        The result is a view into a reused buffer: valid until the next call.
        """
        if net is not self._net:
            self._steps, self._net = self._cut_steps(net), net
        with np.errstate(all="ignore"):  # a weight beyond float32 casts to inf, quietly
            np.copyto(self._params, net.params, casting="same_kind")
            run_layers(self._steps, self._rows[: self._n_in].T, EVAL)
        return self._rows[self._n_in :].reshape(-1, self.size, self.size)

    def _cut_steps(self, net: Network) -> list[LayerStep]:
        """Steps over this evaluator's buffers, with ``net``'s activations and state."""
        rows, b = self._rows, self._bounds
        if self._params.size != net.params.size:  # a normalization's trained values too
            self._params = np.empty(net.params.size, np.float32)
        entry = NORMALIZATIONS[net.normalization]
        norms = [None] * (len(net.layers) - 1)
        if entry.layer is not None:
            values = zip(net.norm_views(self._params), net.state_views(), strict=False)
            norms = [entry.layer(trained, state).forward for trained, state in values]
        steps = []
        layers = zip(net.layer_views(self._params), net.activations, strict=True)
        for k, (layer, act) in enumerate(layers):
            maps = rows[b[k + 1] : b[k + 2]].T  # (points, nodes): z, then a in place
            hidden = k < len(net.layers) - 1
            steps.append(
                LayerStep(
                    W=layer[:-1],
                    bias=layer[-1],
                    fn=act.fn,
                    z=maps,
                    a=maps,
                    out=maps,
                    norm=norms[k] if hidden else None,
                )
            )
        return steps
