"""A fully connected network whose parameters live in one flat float64 buffer.

Layer k is the view ``layers[k]`` of shape (n_in + 1, n_out): row j holds the weights
from source node j, the last row holds the biases. Inputs carry a trailing column of
ones (see ``features.feature_matrix``), so ``a_aug @ layers[k]`` is a whole layer's
pre-activation in one matmul, and one matmul also yields the bias gradients. The flat
buffer lets an optimizer update every parameter with a single NumPy call.
"""

from collections.abc import Sequence

import numpy as np

from .activations import ACTIVATIONS, Activation
from .initializers import INITIALIZERS, Draw
from .losses import LOSSES
from .regularizers import REGULARIZERS

Array = np.ndarray


class Network:
    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "tanh",
    ) -> None:
        """``sizes`` = [n_inputs, *hidden, n_outputs]; parameters start at zero."""
        self.sizes = tuple(int(n) for n in sizes)
        self.activation = activation
        self.output_activation = output_activation
        self.params = np.zeros(sum((a + 1) * b for a, b in self.shapes))
        self.layers = self.layer_views(self.params)
        # Links frozen by the L1 zero-crossing rule; biases are never dead.
        self.dead = np.zeros(self.params.shape, dtype=bool)
        self.weight_mask = np.ones(self.params.shape)
        for view in self.layer_views(self.weight_mask):
            view[-1] = 0.0

    @property
    def shapes(self) -> list[tuple[int, int]]:
        return list(zip(self.sizes[:-1], self.sizes[1:], strict=True))

    @property
    def activations(self) -> list[Activation]:
        hidden = ACTIVATIONS[self.activation]
        return [hidden] * (len(self.sizes) - 2) + [ACTIVATIONS[self.output_activation]]

    def layer_views(self, flat: Array) -> list[Array]:
        """Per-layer (n_in + 1, n_out) views of any buffer laid out like ``params``."""
        views, start = [], 0
        for n_in, n_out in self.shapes:
            stop = start + (n_in + 1) * n_out
            views.append(flat[start:stop].reshape(n_in + 1, n_out))
            start = stop
        return views

    @classmethod
    def create(
        cls,
        sizes: Sequence[int],
        draw: Draw,
        activation: str = "tanh",
        output_activation: str = "tanh",
        init: str = "tfp",
    ) -> "Network":
        net = cls(sizes, activation, output_activation)
        initializer = INITIALIZERS[init]
        for (n_in, n_out), view in zip(net.shapes, net.layers, strict=True):
            view[:-1] = initializer.weights(n_in, n_out, draw)
            view[-1] = initializer.bias
        return net

    @classmethod
    def from_matrices(
        cls,
        weights: Sequence[Array],
        biases: Sequence[Array],
        activation: str = "tanh",
        output_activation: str = "tanh",
    ) -> "Network":
        """Build from the original's layout: W[k] is (n_out, n_in), W[k][i][j] = j -> i."""
        sizes = [np.shape(weights[0])[1]] + [np.shape(W)[0] for W in weights]
        net = cls(sizes, activation, output_activation)
        for view, W, b in zip(net.layers, weights, biases, strict=True):
            view[:-1] = np.asarray(W, dtype=float).T
            view[-1] = b
        return net

    def weight(self, k: int, i: int, j: int) -> float:
        """Weight of the link from node j of layer k to node i of layer k + 1."""
        return float(self.layers[k][j, i])

    def set_weight(self, k: int, i: int, j: int, value: float) -> None:
        self.layers[k][j, i] = value

    def bias(self, k: int, i: int) -> float:
        """Bias of node i of layer k + 1."""
        return float(self.layers[k][-1, i])

    def set_bias(self, k: int, i: int, value: float) -> None:
        self.layers[k][-1, i] = value

    def is_dead(self, k: int, i: int, j: int) -> bool:
        return bool(self.layer_views(self.dead)[k][j, i])

    def kill_links(self, mask: Array) -> None:
        """Freezes the links marked in ``mask`` (flat, laid out like ``params``) for good."""
        self.dead |= mask
        self.weight_mask[mask] = 0.0

    def predict(self, X_aug: Array) -> Array:
        """Outputs (n, n_outputs) for inputs (n, n_inputs + 1) with a trailing ones column."""
        return Workspace(self, len(X_aug)).forward(X_aug).copy()

    def loss_and_grads(
        self,
        X_aug: Array,
        y: Array,
        loss: str = "square",
        reg: str = "none",
        reg_rate: float = 0.0,
    ) -> tuple[float, Array]:
        """Mean loss plus ``reg_rate`` times the weight penalty, and its gradient.

        The gradient is flat, laid out like ``params``. Mutates nothing.
        """
        y = np.asarray(y, dtype=float).reshape(len(X_aug), -1)
        work = Workspace(self, len(X_aug))
        out = work.forward(X_aug)
        grads = np.zeros_like(self.params)
        work.backward(y, self.layer_views(grads), LOSSES[loss], fresh=True)
        grads /= len(X_aug)
        regularizer = REGULARIZERS[reg]
        value = float(np.mean(np.sum(LOSSES[loss].value(out, y), axis=1)))
        value += reg_rate * float(np.sum(regularizer.penalty(self.params) * self.weight_mask))
        grads += reg_rate * regularizer.grad(self.params) * self.weight_mask
        return value, grads


class Workspace:
    """Preallocated buffers for forward and backward passes over up to ``rows`` examples.

    The hot loop works in these buffers with ``out=`` so a training step allocates
    nothing, and the per-row-count views are cut once and cached: on arrays this small
    every NumPy call and every slice is overhead, so a step makes as few as it can.
    All hidden layers share one activation function, so their activations sit side by
    side in one buffer and one call computes every hidden layer's derivative.
    """

    def __init__(self, net: Network, rows: int) -> None:
        self.net = net
        self.rows = rows
        self.acts = net.activations
        self.weights_t = [layer[:-1].T for layer in net.layers]  # (n_out, n_in) views
        hidden = list(net.sizes[1:-1])
        n_out = net.sizes[-1]
        width = sum(n + 1 for n in hidden)  # each layer's block ends in a column of ones
        self._offsets = np.cumsum([0] + [n + 1 for n in hidden])[:-1].tolist()
        # z, a and derivative of the hidden layers, block by block; zeros so the unused
        # z of each ones column is harmless.
        self._hidden = [np.zeros((rows, width)), np.ones((rows, width)), np.zeros((rows, width))]
        self._out = [np.zeros((rows, n_out)), np.ones((rows, n_out + 1)), np.zeros((rows, n_out))]
        self._delta = [np.empty((rows, n)) for n in net.sizes[1:]]
        self._grad_tmp = [np.empty((n_in + 1, n)) for n_in, n in net.shapes]
        self._views: dict[int, tuple] = {}
        self._current: tuple = ()
        self._inputs_t: Array | None = None

    def _sized(self, m: int) -> tuple:
        """Views for m rows: per layer (z, a with ones, a, (a with ones).T, derivative,
        delta), plus the hidden block's z, a and derivative as a whole."""
        views = self._views.get(m)
        if views is None:
            Z, A, D = (buf[:m] for buf in self._hidden)
            layers = [
                (
                    Z[:, o : o + n],
                    A[:, o : o + n + 1],
                    A[:, o : o + n],
                    A[:, o : o + n + 1].T,
                    D[:, o : o + n],
                    delta[:m],
                )
                for o, n, delta in zip(
                    self._offsets, self.net.sizes[1:-1], self._delta, strict=False
                )
            ]
            z, a, d = (buf[:m] for buf in self._out)
            layers.append((z, a, a[:, :-1], a.T, d, self._delta[-1][:m]))
            views = self._views[m] = (layers, (Z, A, D))
        return views

    def forward(self, X_aug: Array) -> Array:
        """Network outputs (m, n_out) as a view into the workspace."""
        self._current = views = self._sized(len(X_aug))
        self._inputs_t = X_aug.T
        a_aug = X_aug
        for W, act, (z, a_full, a, _, _, _) in zip(
            self.net.layers, self.acts, views[0], strict=True
        ):
            np.matmul(a_aug, W, out=z)
            act.fn(z, out=a)
            a_aug = a_full
        return views[0][-1][2]

    def backward(self, y: Array, grads: list[Array], loss, fresh: bool) -> None:
        """Sum of per-example gradients of the last ``forward``, into ``grads``.

        ``fresh`` overwrites ``grads``; otherwise the sums are added to what is there
        (the original's accumulators, which may carry examples over from a previous call).
        """
        layers, (Z, A, D) = self._current
        last = len(layers) - 1
        z, _, a, _, deriv, delta = layers[last]
        loss.grad(a, y, delta)
        np.multiply(delta, self.acts[last].grad(z, a, deriv), out=delta)
        if last:
            self.acts[0].grad(Z, A, D)  # every hidden layer's derivative in one call
        for k in range(last, -1, -1):
            delta = layers[k][5]
            inputs_t = layers[k - 1][3] if k else self._inputs_t
            if fresh:
                np.matmul(inputs_t, delta, out=grads[k])
            else:
                grads[k] += np.matmul(inputs_t, delta, out=self._grad_tmp[k])
            if k:
                # Back through the pre-update weights; the bias row has no source node.
                below = layers[k - 1]
                np.matmul(delta, self.weights_t[k], out=below[5])
                np.multiply(below[5], below[4], out=below[5])
