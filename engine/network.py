"""A fully connected network whose parameters live in one flat float64 buffer.

Layer k is the view ``layers[k]`` of shape (n_in + 1, n_out): row j holds the weights
from source node j, the last row holds the biases. Inputs carry a trailing column of
ones (see ``features.feature_matrix``), so ``a_aug @ layers[k]`` is a whole layer's
pre-activation in one matmul, and one matmul also yields the bias gradients. The flat
buffer lets an optimizer update every parameter with a single NumPy call.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, Activation
from .heads import HEADS, Head
from .initializers import INITIALIZERS, Draw
from .regularizers import REGULARIZERS

Array = np.ndarray

DEFAULT_HEAD = "tanhSquaredError"


class Network:
    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "tanh",
        head: str = DEFAULT_HEAD,
    ) -> None:
        """``sizes`` = [n_inputs, *hidden, n_outputs]; parameters start at zero.

        ``activation`` names the hidden layers' activation (``ACTIVATIONS``), ``head`` the
        output layer's activation and loss (``HEADS``).
        """
        self.sizes = tuple(int(n) for n in sizes)
        self.activation = activation
        self.head_name = head
        self.head: Head = HEADS[head]
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
        return [hidden] * (len(self.sizes) - 2) + [self.head.activation]

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
        head: str = DEFAULT_HEAD,
        init: str = "tfp",
    ) -> "Network":
        net = cls(sizes, activation, head)
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
        head: str = DEFAULT_HEAD,
    ) -> "Network":
        """Build from the original's layout: W[k] is (n_out, n_in), W[k][i][j] = j -> i."""
        sizes = [np.shape(weights[0])[1]] + [np.shape(W)[0] for W in weights]
        net = cls(sizes, activation, head)
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
        labels: Array,
        reg: str = "none",
        reg_rate: float = 0.0,
    ) -> tuple[float, Array]:
        """Mean loss plus ``reg_rate`` times the weight penalty, and its gradient.

        ``labels`` (n,) or (n, 1) are the dataset's; the head encodes them as targets.
        The gradient is flat, laid out like ``params``. Mutates nothing.
        """
        t = self.head.encode(labels, self.sizes[-1])
        work = Workspace(self, len(X_aug))
        work.forward(X_aug)
        grads = np.zeros_like(self.params)
        work.backward(t, self.layer_views(grads), fresh=True)
        grads /= len(X_aug)
        regularizer = REGULARIZERS[reg]
        out = work.output
        value = float(np.mean(self.head.loss(out.z, out.a, t)))
        value += reg_rate * float(np.sum(regularizer.penalty(self.params) * self.weight_mask))
        grads += reg_rate * regularizer.grad(self.params) * self.weight_mask
        return value, grads


# The workspace's views are slotted dataclasses rather than NamedTuples: the hot loop
# reads their fields every step, and Python specialises slot reads but not a
# NamedTuple's field descriptors (about 2 % of an epoch on the default network).


@dataclass(frozen=True, slots=True)
class LayerViews:
    """One layer's slices of a workspace for m rows; n is the layer's node count."""

    z: Array  # (m, n) pre-activation
    a_aug: Array  # (m, n + 1) activation and a column of ones: the next layer's input
    a: Array  # (m, n) activation, a_aug without its ones
    a_aug_t: Array  # (n + 1, m) a_aug transposed: the next layer's gradient is a_aug_t @ delta
    deriv: Array  # (m, n) da/dz
    delta: Array  # (m, n) dLoss/dz


@dataclass(frozen=True, slots=True)
class HiddenBlock:
    """Every hidden layer's z, a and da/dz side by side (each layer's block ends in ones)."""

    z: Array
    a: Array
    deriv: Array


@dataclass(frozen=True, slots=True)
class SizedViews:
    layers: list[LayerViews]  # input side first; the last one is the output layer
    hidden: HiddenBlock


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
        self.head = net.head
        # Every hidden layer's da/dz in one call before backprop; a workspace that has
        # them already (dropout's, which masks them in its forward) swaps this out.
        self._hidden_grad = self.acts[0].grad
        self.weights_t = [layer[:-1].T for layer in net.layers]  # (n_out, n_in) views
        hidden = list(net.sizes[1:-1])
        n_out = net.sizes[-1]
        width = sum(n + 1 for n in hidden)  # each layer's block ends in a column of ones
        self._offsets = np.cumsum([0] + [n + 1 for n in hidden])[:-1].tolist()
        # z, a and derivative of the hidden layers, block by block; zeros so the unused
        # z of each ones column is harmless.
        self._hidden = HiddenBlock(
            np.zeros((rows, width)), np.ones((rows, width)), np.zeros((rows, width))
        )
        # The output layer's activations column by column (Fortran order): its ones column
        # is never read, and so each output node's values lie contiguous, which halves
        # the cost of a several-call output activation (a sigmoid) on a small batch.
        self._out = (
            np.zeros((rows, n_out)),
            np.ones((rows, n_out + 1), order="F"),
            np.zeros((rows, n_out)),
        )
        self._delta = [np.empty((rows, n)) for n in net.sizes[1:]]
        self._grad_tmp = [np.empty((n_in + 1, n)) for n_in, n in net.shapes]
        self._views: dict[int, SizedViews] = {}
        self._current: SizedViews | None = None
        self._inputs_t: Array | None = None

    def _sized(self, m: int) -> SizedViews:
        """The views for m rows, cut on first use."""
        views = self._views.get(m)
        if views is None:
            full = self._hidden
            hidden = HiddenBlock(full.z[:m], full.a[:m], full.deriv[:m])
            layers = [
                LayerViews(
                    z=hidden.z[:, o : o + n],
                    a_aug=hidden.a[:, o : o + n + 1],
                    a=hidden.a[:, o : o + n],
                    a_aug_t=hidden.a[:, o : o + n + 1].T,
                    deriv=hidden.deriv[:, o : o + n],
                    delta=delta[:m],
                )
                for o, n, delta in zip(
                    self._offsets, self.net.sizes[1:-1], self._delta, strict=False
                )
            ]
            z, a_aug, deriv = (buf[:m] for buf in self._out)
            layers.append(LayerViews(z, a_aug, a_aug[:, :-1], a_aug.T, deriv, self._delta[-1][:m]))
            views = self._views[m] = SizedViews(layers, hidden)
        return views

    @property
    def layers(self) -> list[LayerViews]:
        """Every layer's views as of the last ``forward``, the output layer last."""
        return self._current.layers

    @property
    def output(self) -> LayerViews:
        """The output layer's views as of the last ``forward``."""
        return self._current.layers[-1]

    def forward(self, X_aug: Array) -> Array:
        """Network outputs (m, n_out) as a view into the workspace."""
        self._current = views = self._sized(len(X_aug))
        self._inputs_t = X_aug.T
        a_aug = X_aug
        for W, act, layer in zip(self.net.layers, self.acts, views.layers, strict=True):
            np.matmul(a_aug, W, out=layer.z)
            act.fn(layer.z, out=layer.a)
            a_aug = layer.a_aug
        return views.layers[-1].a

    def backward(self, t: Array, grads: list[Array], fresh: bool) -> None:
        """Sum of per-example gradients of the last ``forward`` against targets ``t``
        (as the head encodes them), into ``grads``.

        ``fresh`` overwrites ``grads``; otherwise the sums are added to what is there
        (the original's accumulators, which may carry examples over from a previous call).
        """
        layers, hidden = self._current.layers, self._current.hidden
        last = len(layers) - 1
        out = layers[last]
        self.head.delta(out.z, out.a, t, out.deriv, out.delta)
        if last:
            self._hidden_grad(hidden.z, hidden.a, hidden.deriv)
        for k in range(last, -1, -1):
            delta = layers[k].delta
            inputs_t = layers[k - 1].a_aug_t if k else self._inputs_t
            if fresh:
                np.matmul(inputs_t, delta, out=grads[k])
            else:
                grads[k] += np.matmul(inputs_t, delta, out=self._grad_tmp[k])
            if k:
                # Back through the pre-update weights; the bias row has no source node.
                below = layers[k - 1]
                np.matmul(delta, self.weights_t[k], out=below.delta)
                np.multiply(below.delta, below.deriv, out=below.delta)
