"""A network's float64 passes over rows of examples: forward (``TRAIN`` or ``EVAL``,
through the one layer loop of ``forward.py``) and backward."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .dropout import Dropout
from .forward import EVAL, TRAIN, LayerStep, run_layers
from .normalization import NORMALIZATIONS

if TYPE_CHECKING:
    from .network import Network

Array = np.ndarray


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
    steps: list[LayerStep]  # the same buffers, as the layer loop reads them


class Workspace:
    """Preallocated buffers for forward and backward passes over up to ``rows`` examples.

    The hot loop works in these buffers with ``out=`` so a training step allocates
    nothing, and the per-row-count views are cut once and cached: on arrays this small
    every NumPy call and every slice is overhead, so a step makes as few as it can.
    All hidden layers share one activation function, so their activations sit side by
    side in one buffer and one call computes every hidden layer's derivative.

    Given a ``Dropout``, a ``TRAIN`` pass drops hidden nodes under a fresh mask (kept in
    one buffer shaped like the hidden block, filled in place); ``backward`` follows the
    mask of the last forward.
    """

    def __init__(self, net: "Network", rows: int, dropout: Dropout | None = None) -> None:
        self.net = net
        self.rows = rows
        self.dropout = dropout
        self.acts = net.activations
        self.head = net.head
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
        self._mask = np.empty((rows, width)) if dropout is not None else None
        # Each hidden layer's normalization over views of the network's values (None: none).
        norm = NORMALIZATIONS[net.normalization]
        self._norms = None
        if norm.layer is not None:
            values = zip(net.norm_views(net.params), net.state_views(), strict=False)
            self._norms = [norm.layer(trained, state) for trained, state in values]
            # Where the normalization's gradients go when the caller wants none.
            self._norm_scratch = [np.empty(view.size) for view in net.norm_views(net.params)]
        self._views: dict[int, SizedViews] = {}
        self._current: SizedViews | None = None
        self._inputs_t: Array | None = None
        self._derivs_done = False  # the last forward computed (and masked) da/dz

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
            views = self._views[m] = SizedViews(layers, hidden, self._steps(layers, m))
        return views

    def _steps(self, layers: list[LayerViews], m: int) -> list[LayerStep]:
        net, act = self.net, self.acts[0]
        masks = self.masks(m)
        norms = [None] * len(masks) if self._norms is None else [n.forward for n in self._norms]
        hidden = zip(net.layers, layers[:-1], norms, masks, strict=False)
        steps = [
            LayerStep(
                W=W,
                bias=None,  # W's last row: the inputs end in a column of ones
                fn=act.fn,
                z=layer.z,
                a=layer.a,
                out=layer.a_aug,
                norm=norm,
                grad=act.grad,
                deriv=layer.deriv,
                mask=mask,
            )
            for W, layer, norm, mask in hidden
        ]
        out = layers[-1]
        fn = self.acts[-1].fn
        steps.append(LayerStep(W=net.layers[-1], bias=None, fn=fn, z=out.z, a=out.a, out=out.a))
        return steps

    @property
    def layers(self) -> list[LayerViews]:
        """Every layer's views as of the last ``forward``, the output layer last."""
        return self._current.layers

    @property
    def output(self) -> LayerViews:
        """The output layer's views as of the last ``forward``."""
        return self._current.layers[-1]

    def masks(self, m: int) -> list[Array | None]:
        """Per hidden layer, the (m, n) view of the dropout mask (None without dropout)."""
        sizes = self.net.sizes[1:-1]
        if self._mask is None:
            return [None] * len(sizes)
        mask = self._mask[:m]
        return [mask[:, o : o + n] for o, n in zip(self._offsets, sizes, strict=True)]

    def forward(self, X_aug: Array, mode: str = EVAL, fresh_mask: bool = True) -> Array:
        """Network outputs (m, n_out) as a view into the workspace.

        A ``TRAIN`` pass with dropout draws a fresh mask first, unless ``fresh_mask`` is
        False: then the last one holds (a gradient check through a fixed mask)."""
        m = len(X_aug)
        self._current = views = self._sized(m)
        self._inputs_t = X_aug.T
        drop = self._derivs_done = mode == TRAIN and self._mask is not None
        if drop and fresh_mask:
            self.dropout.draw(self._mask[:m])
        return run_layers(views.steps, X_aug, mode, drop)

    def backward(
        self,
        t: Array,
        grads: list[Array],
        fresh: bool,
        norm_grads: list[Array] | None = None,
    ) -> None:
        """Sum of per-example gradients of the last ``forward`` against targets ``t``
        (as the head encodes them), into ``grads`` (the layers' views) and, under a
        normalization that trains values, ``norm_grads`` (``Network.norm_views``; None:
        not wanted).

        ``fresh`` overwrites ``grads``; otherwise the sums are added to what is there
        (the original's accumulators, which may carry examples over from a previous call).
        """
        layers, hidden = self._current.layers, self._current.hidden
        norms = self._norms
        if norms is not None and norm_grads is None:
            norm_grads = self._norm_scratch
        last = len(layers) - 1
        out = layers[last]
        self.head.delta(out.z, out.a, t, out.deriv, out.delta)
        if last and not self._derivs_done:
            self.acts[0].grad(hidden.z, hidden.a, hidden.deriv)
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
                if norms is not None:  # from dLoss/d(normalized z) to dLoss/dz
                    norms[k - 1].backward(below.delta, norm_grads[k - 1], fresh)
