"""A fully connected network whose parameters live in one flat float64 buffer.

Layer k is the view ``layers[k]`` of shape (n_in + 1, n_out): row j holds the weights
from source node j, the last row holds the biases. Inputs carry a trailing column of
ones (see ``features.feature_matrix``), so ``a_aug @ layers[k]`` is a whole layer's
pre-activation in one matmul, and one matmul also yields the bias gradients. The flat
buffer lets an optimizer update every parameter with a single NumPy call.

A normalization's trained values (a batch norm's γ and β, ``normalization.py``) follow
every layer's weights in ``params``, hidden layer by hidden layer (``norm_views``), so
one optimizer step updates them too. Beside ``params``, ``state`` holds the values
training does not change (a batch norm's running statistics), one flat buffer too, laid
out hidden layer by hidden layer. Under the normalization ``none`` neither has any.
"""

from collections.abc import Sequence

import numpy as np

from .activations import ACTIVATIONS, Activation
from .heads import HEADS, Head
from .initializers import INITIALIZERS, Draw
from .normalization import NORMALIZATIONS
from .regularizers import REGULARIZERS
from .workspace import Workspace

Array = np.ndarray

DEFAULT_HEAD = "tanhSquaredError"


class Network:
    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "tanh",
        head: str = DEFAULT_HEAD,
        normalization: str = "none",
    ) -> None:
        """``sizes`` = [n_inputs, *hidden, n_outputs]; weights and biases start at zero,
        the normalization's values (trained and not) at its start.

        ``activation`` names the hidden layers' activation (``ACTIVATIONS``), ``head`` the
        output layer's activation and loss (``HEADS``), ``normalization`` what the hidden
        layers do to their pre-activations first (``NORMALIZATIONS``).
        """
        self.sizes = tuple(int(n) for n in sizes)
        self.activation = activation
        self.head_name = head
        self.head: Head = HEADS[head]
        self.normalization = normalization
        norm = NORMALIZATIONS[normalization]
        hidden = self.sizes[1:-1]
        state_start = [norm.state_start(n) for n in hidden]
        norm_start = [norm.params_start(n) for n in hidden]
        self._state_sizes = [values.size for values in state_start]
        self._norm_sizes = [values.size for values in norm_start]
        self._n_weights = sum((a + 1) * b for a, b in self.shapes)
        self.state = np.concatenate([np.zeros(0), *state_start])
        self.params = np.concatenate([np.zeros(self._n_weights), *norm_start])
        self.layers = self.layer_views(self.params)
        # Links frozen by the L1 zero-crossing rule; biases are never dead. The weight
        # penalty reaches live weights only: neither biases nor a normalization's values.
        self.dead = np.zeros(self.params.shape, dtype=bool)
        self.weight_mask = np.ones(self.params.shape)
        for view in self.layer_views(self.weight_mask):
            view[-1] = 0.0
        self.weight_mask[self._n_weights :] = 0.0

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

    def norm_views(self, flat: Array) -> list[Array]:
        """Per hidden layer, its normalization's trained values in any buffer laid out
        like ``params`` (empty under ``none``)."""
        views, start = [], self._n_weights
        for size in self._norm_sizes:
            views.append(flat[start : start + size])
            start += size
        return views

    def state_views(self, flat: Array | None = None) -> list[Array]:
        """Per layer, its slice of ``state`` (or of a buffer laid out like it); the
        output layer's is empty."""
        flat = self.state if flat is None else flat
        views, start = [], 0
        for size in self._state_sizes:
            views.append(flat[start : start + size])
            start += size
        return [*views, flat[start:start]]

    @classmethod
    def create(
        cls,
        sizes: Sequence[int],
        draw: Draw,
        activation: str = "tanh",
        head: str = DEFAULT_HEAD,
        init: str = "tfp",
        normalization: str = "none",
    ) -> "Network":
        net = cls(sizes, activation, head, normalization)
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
        normalization: str = "none",
        states: Sequence[Sequence[float]] | None = None,
        norm_params: Sequence[Sequence[float]] | None = None,
    ) -> "Network":
        """Build from the original's layout: W[k] is (n_out, n_in), W[k][i][j] = j -> i;
        ``states[k]``, if given, is layer k's untrained state (empty for the output), and
        ``norm_params[k]`` hidden layer k's normalization's trained values."""
        sizes = [np.shape(weights[0])[1]] + [np.shape(W)[0] for W in weights]
        net = cls(sizes, activation, head, normalization)
        for view, W, b in zip(net.layers, weights, biases, strict=True):
            view[:-1] = np.asarray(W, dtype=float).T
            view[-1] = b
        if states is not None:
            net.set_state(states)
        if norm_params is not None:
            net.set_norm_params(norm_params)
        return net

    def copy(self) -> "Network":
        """Another network of the same kind with these parameters, dead links and state."""
        twin = Network(self.sizes, self.activation, self.head_name, self.normalization)
        twin.params[:] = self.params
        twin.state[:] = self.state
        twin.kill_links(self.dead)
        return twin

    def set_state(self, states: Sequence[Sequence[float]]) -> None:
        """Every layer's untrained state, input side first (the output layer's empty)."""
        views = self.state_views()
        if len(states) != len(views):
            raise ValueError(f"{len(states)} layers of state for {len(views)} layers")
        for k, (view, values) in enumerate(zip(views, states, strict=True)):
            values = np.asarray(values, dtype=float).ravel()
            if values.size != view.size:
                raise ValueError(
                    f"{values.size} values of state for layer {k}, whose normalization "
                    f"{self.normalization!r} keeps {view.size}"
                )
            view[:] = values

    def set_norm_params(self, values: Sequence[Sequence[float]]) -> None:
        """Every hidden layer's normalization's trained values, input side first."""
        views = self.norm_views(self.params)
        if len(values) != len(views):
            raise ValueError(f"{len(values)} layers of trained values for {len(views)} hidden")
        for k, (view, given) in enumerate(zip(views, values, strict=True)):
            given = np.asarray(given, dtype=float).ravel()
            if given.size != view.size:
                raise ValueError(
                    f"{given.size} trained values for hidden layer {k}, whose normalization "
                    f"{self.normalization!r} trains {view.size}"
                )
            view[:] = given

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
        The gradient is flat, laid out like ``params``. An evaluation pass: mutates
        nothing, the state included (a batch norm uses its running statistics).
        """
        t = self.head.encode(labels, self.sizes[-1])
        work = Workspace(self, len(X_aug))
        work.forward(X_aug)
        grads = np.zeros_like(self.params)
        work.backward(t, self.layer_views(grads), fresh=True, norm_grads=self.norm_views(grads))
        grads /= len(X_aug)
        regularizer = REGULARIZERS[reg]
        out = work.output
        value = float(np.mean(self.head.loss(out.z, out.a, t)))
        value += reg_rate * float(np.sum(regularizer.penalty(self.params) * self.weight_mask))
        grads += reg_rate * regularizer.grad(self.params) * self.weight_mask
        return value, grads
