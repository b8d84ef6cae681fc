"""Inverted dropout on the hidden nodes, for training passes only.

Each forward draws a fresh mask over every hidden node of every example: a node is kept
with probability 1 - rate and its activation is then multiplied by 1 / (1 - rate), so
each node's expected activation is the one without dropout and evaluation (losses, the
grid) uses the plain network, unscaled. The ones column that carries the next layer's
bias is never masked, nor are the inputs or the outputs. The mask also multiplies da/dz,
so a dropped node passes no gradient back: backprop sees the network it ran forward.
"""

import numpy as np

from .network import Network, Workspace

Array = np.ndarray

MAX_RATE = 0.5


def check_rate(rate: float) -> float:
    rate = float(rate)
    if not 0.0 <= rate <= MAX_RATE:
        raise ValueError(f"dropout rate must be in [0, {MAX_RATE}], got {rate}")
    return rate


def _derivs_already_masked(z: Array, a: Array, out: Array) -> Array:
    # The forward pass computed and masked every hidden da/dz; backprop must not redo
    # them from the masked activations.
    return out


class DropoutWorkspace(Workspace):
    """A training workspace whose ``forward`` drops hidden nodes; ``backward`` is the
    plain one and follows the mask of the last forward.

    The mask lives in one preallocated buffer shaped like the hidden block (each layer's
    nodes, then its ones column), filled in place from ``rng``: a step allocates nothing.
    """

    def __init__(self, net: Network, rows: int, rng: np.random.Generator, rate: float) -> None:
        super().__init__(net, rows)
        self.rng = rng
        self.rate = check_rate(rate)
        self._mask = np.empty(self._hidden.a.shape)
        self._mask_views: dict[int, list[Array]] = {}
        self._hidden_grad = _derivs_already_masked

    def masks(self, m: int) -> list[Array]:
        """Per hidden layer, the (m, n) mask of the current draw: 0 or 1 / (1 - rate)."""
        views = self._mask_views.get(m)
        if views is None:
            mask = self._mask[:m]
            sizes = self.net.sizes[1:-1]
            views = [mask[:, o : o + n] for o, n in zip(self._offsets, sizes, strict=True)]
            self._mask_views[m] = views
        return views

    def resample(self, m: int) -> None:
        """A fresh mask for the first m rows."""
        mask = self._mask[:m]  # C-contiguous, as Generator.random(out=) requires
        self.rng.random(out=mask)
        # Kept (1) iff u - rate >= 0, i.e. u >= rate: probability 1 - rate. Float to float
        # throughout: a comparison into this float buffer would allocate a cast buffer.
        np.subtract(mask, self.rate, out=mask)
        np.heaviside(mask, 1.0, out=mask)
        np.multiply(mask, 1.0 / (1.0 - self.rate), out=mask)

    def forward(self, X_aug: Array) -> Array:
        """Outputs under a freshly drawn mask."""
        self.resample(len(X_aug))
        return self.forward_masked(X_aug)

    def forward_masked(self, X_aug: Array) -> Array:
        """Outputs under the current mask (drawn by the last ``forward`` or ``resample``)."""
        m = len(X_aug)
        self._current = views = self._sized(m)
        self._inputs_t = X_aug.T
        act, a_aug = self.acts[0], X_aug
        # The masks are the hidden layers': the zip stops before the output layer.
        for W, layer, mask in zip(self.net.layers, views.layers, self.masks(m), strict=False):
            np.matmul(a_aug, W, out=layer.z)
            act.fn(layer.z, out=layer.a)
            act.grad(layer.z, layer.a, layer.deriv)  # from the activation before masking
            np.multiply(layer.a, mask, out=layer.a)
            np.multiply(layer.deriv, mask, out=layer.deriv)
            a_aug = layer.a_aug
        out = views.layers[-1]
        np.matmul(a_aug, self.net.layers[-1], out=out.z)
        self.acts[-1].fn(out.z, out=out.a)
        return out.a
