"""What a hidden layer does to its pre-activations before its activation: nothing, or a
batch normalization with its trained scale and shift and its running statistics.

An entry says what a hidden layer of n nodes keeps: trained values (``params_start``:
their values at the start; they sit in the network's flat ``params`` after every
layer's weights, so the optimizers, clipping and early stopping treat them like any
other parameter, and no weight penalty reaches them) and untrained ones (``state_start``:
the network's ``state``, carried by early stopping's record and a stored run's layers).
Its ``layer`` makes one layer's ``NormLayer`` over views of both; the one layer loop
(``forward.run_layers``) calls its ``forward`` on the pre-activations ``z`` (examples,
nodes) in place, and ``Workspace.backward`` its ``backward``. The pass's mode says what
the layer may do: ``TRAIN`` may use and update statistics of the batch, ``EVAL`` (the
losses, the grid, ``predict``) only reads the state.

An entry with ``batch_statistics`` needs every update's examples in one pass: the
trainer then runs the examples between two updates as one batch.
"""

from collections.abc import Callable
from typing import NamedTuple, Protocol

import numpy as np

from .forward import TRAIN

Array = np.ndarray

EPSILON = 1e-5  # added to the variance under the square root, as PyTorch's default
MOMENTUM = 0.1  # weight of a batch in the running statistics, as PyTorch's default


class NormLayer(Protocol):
    def forward(self, z: Array, mode: str) -> None:
        """Normalizes ``z`` (m, n) in place."""

    def backward(self, delta: Array, grad: Array, fresh: bool) -> None:
        """Turns ``delta`` = dLoss/d(output) of the last forward into dLoss/dz in place
        and puts the sums of the trained values' gradients into ``grad`` (added when not
        ``fresh``)."""


def _nothing(n: int) -> Array:
    return np.zeros(0)


class Normalization(NamedTuple):
    label: str
    layer: Callable[[Array, Array], NormLayer] | None = None  # (trained, state) views
    params_start: Callable[[int], Array] = _nothing  # a layer of n nodes' trained values
    state_start: Callable[[int], Array] = _nothing  # and its untrained ones
    batch_statistics: bool = False  # a training pass normalizes over its batch


class BatchNorm:
    """y = γ·(z - μ)/√(σ² + ε) + β per node. ``TRAIN``: μ and σ² (biased) of the batch,
    and the running statistics move towards them: mean ← (1 - 0.1)·mean + 0.1·μ,
    var ← (1 - 0.1)·var + 0.1·σ²·m/(m - 1) (unbiased; a batch of one example leaves the
    running variance as it is). ``EVAL``: the running mean and variance instead.

    Trained values: γ (n), then β (n); state: the running mean (n), then variance (n).
    """

    def __init__(self, trained: Array, state: Array) -> None:
        n = trained.size // 2
        self.gamma, self.beta = trained[:n], trained[n:]
        self.state = state
        self.mean, self.var = state[:n], state[n:]
        self._batch = np.empty(2 * n)  # the last batch's μ, then σ² (biased)
        self._sums = np.empty(2 * n)  # the last backward's Σ δ·x̂, then Σ δ
        self._moves: dict[int, tuple[Array, Array]] = {}  # per batch size: decay, weight
        self._xhat: Array | None = None  # (z - μ)/√(σ² + ε) of the last forward
        self._inv: Array | None = None  # 1/√(σ² + ε) of the last forward
        self._mode = TRAIN

    def _move(self, m: int) -> tuple[Array, Array]:
        """How the running mean and variance move after a batch of m: state ← decay ·
        state + weight · (μ, σ²), the variance's weight making σ² unbiased."""
        move = self._moves.get(m)
        if move is None:
            n = self.gamma.size
            keep_var = m == 1  # one example has no unbiased variance
            decay = np.repeat([1.0 - MOMENTUM, 1.0 if keep_var else 1.0 - MOMENTUM], n)
            weight = np.repeat([MOMENTUM, 0.0 if keep_var else MOMENTUM * m / (m - 1)], n)
            move = self._moves[m] = (decay, weight)
        return move

    def forward(self, z: Array, mode: str) -> None:
        self._mode = mode
        if mode == TRAIN:
            # Few NumPy calls: on a batch of ten, each call costs more than its maths.
            m, n, batch = len(z), self.gamma.size, self._batch
            mu, var = batch[:n], batch[n:]
            np.add.reduce(z, axis=0, out=mu)
            mu *= 1.0 / m
            xhat = np.subtract(z, mu)
            np.einsum("ij,ij->j", xhat, xhat, out=var)
            var *= 1.0 / m
            inv = np.add(var, EPSILON)
            np.sqrt(inv, out=inv)
            np.divide(1.0, inv, out=inv)
            np.multiply(xhat, inv, out=xhat)
            self._xhat, self._inv = xhat, inv
            decay, weight = self._move(m)
            self.state *= decay
            self.state += weight * batch
            np.multiply(xhat, self.gamma, out=z)
            np.add(z, self.beta, out=z)
            return
        inv = 1.0 / np.sqrt(self.var + EPSILON)
        if z.dtype == np.float64:  # the trainer's passes, which may go backward
            self._inv = inv
            self._xhat = np.multiply(np.subtract(z, self.mean), inv)
        # One scale and shift per node, in z's own precision (the grid's float32).
        scale = self.gamma * inv
        shift = self.beta - self.mean * scale
        np.multiply(z, scale.astype(z.dtype), out=z)
        np.add(z, shift.astype(z.dtype), out=z)

    def backward(self, delta: Array, grad: Array, fresh: bool) -> None:
        n, xhat, sums = self.gamma.size, self._xhat, self._sums
        d_gamma, d_beta = sums[:n], sums[n:]
        np.einsum("ij,ij->j", delta, xhat, out=d_gamma)
        np.add.reduce(delta, axis=0, out=d_beta)
        if fresh:
            np.copyto(grad, sums)
        else:
            grad += sums
        scale = self.gamma * self._inv
        if self._mode == TRAIN:
            # dz = γ/(m·√(σ²+ε)) · (m·δ - Σδ - x̂·Σ(δ·x̂)), sums over the batch.
            m = len(delta)
            np.multiply(delta, m, out=delta)
            delta -= d_beta
            delta -= xhat * d_gamma
            np.multiply(delta, scale / m, out=delta)
        else:
            np.multiply(delta, scale, out=delta)


NORMALIZATIONS: dict[str, Normalization] = {
    "none": Normalization("None"),
    "batchNorm": Normalization(
        "Batch norm",
        BatchNorm,
        params_start=lambda n: np.concatenate([np.ones(n), np.zeros(n)]),
        state_start=lambda n: np.concatenate([np.zeros(n), np.ones(n)]),
        batch_statistics=True,
    ),
}
