"""Output heads: the output layer's activation and the loss, chosen together as one entry.

A head says everything the engine needs to know about the output layer:

- ``activation``: applied to the output pre-activation ``z`` (n, n_out), row by row;
- ``loss``: the per-example loss (n,) from ``z``, the outputs ``a`` and the targets ``t``
  (summed over output nodes; a cross-entropy is computed from ``z``, which stays finite
  where ln p would not);
- ``loss_grad``: dLoss/da into a buffer, or dLoss/dz directly when ``fused_delta`` is set;
- ``encode``: how a dataset's labels (n,) become the targets ``t`` (n, n_out);
- ``output_range``: the output's range, whose midpoint separates the two classes of a
  one-node head (``classify``) and which ``signed`` maps onto [-1, 1] for drawing.

``fused_delta`` is for a softmax or sigmoid output under cross-entropy, whose
dLoss/dz = a - t is simpler (and steadier) than dLoss/da times the activation's
derivative. Labels are ±1 for two classes and 0..K-1 for K > 2; how many output nodes a
problem gets is ``output_nodes``: one node per class for a softmax
(``one_node_per_class``), one per class when K > 2 for a head that can take either
(``per_class_above_two``), else one.

Names are ``<output activation><loss>``:

- ``tanhSquaredError``: TensorFlow Playground's classification. tanh output, loss
  ½(a - t)² summed over nodes. One node: the label ±1 is the target. K nodes: labels
  0..K-1 become ±1 one-hot targets (+1 at the label's node, -1 elsewhere).
- ``linearSquaredError``: TensorFlow Playground's regression. Identity output, the
  label is the target, loss ½(a - t)².
- ``sigmoidCrossEntropy``: two classes, one sigmoid node p = sigmoid(z), t = (label + 1)/2,
  loss ln(1 + e^z) - t z = -[t ln p + (1 - t) ln(1 - p)], δ = p - t.
- ``softmaxCrossEntropy``: K classes, K softmax nodes, one-hot t, loss
  logsumexp(z) - z_label = -ln p_label, δ = p - t.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .activations import ACTIVATIONS, Activation

Array = np.ndarray


class Head(NamedTuple):
    activation: Activation  # output activation over rows of z (n, n_out)
    loss: Callable[[Array, Array, Array], Array]  # (z, a, t) -> per-example loss (n,)
    loss_grad: Callable[[Array, Array, Array], Array]  # (a, t, out) -> dLoss/da (or /dz)
    encode: Callable[[Array, int], Array]  # (labels (n,) or (n, 1), n_out) -> t (n, n_out)
    label: str
    fused_delta: bool = False  # loss_grad already is dLoss/dz: skip the activation's derivative
    one_node_per_class: bool = False  # K output nodes for K classes, even K = 2
    per_class_above_two: bool = False  # one node for two classes, K nodes for K > 2
    output_range: tuple[float, float] = (-1.0, 1.0)

    def output_nodes(self, num_classes: int) -> int:
        """Output layer size for a problem with ``num_classes`` classes (regression: any)."""
        if self.one_node_per_class or (self.per_class_above_two and num_classes > 2):
            return num_classes
        return 1

    def delta(self, z: Array, a: Array, t: Array, deriv: Array, out: Array) -> Array:
        """δ_out = dLoss/dz per example, into ``out``; ``deriv`` is scratch for a'(z).

        Allocates nothing. Unfused: ``out = loss_grad(a, t)`` then ``out *= a'(z)``, the
        original's order of operations, which the parity tests hold to the last bit.
        """
        self.loss_grad(a, t, out)
        if not self.fused_delta:
            np.multiply(out, self.activation.grad(z, a, deriv), out=out)
        return out

    def classify(self, a: Array) -> Array:
        """Predicted labels (n,) for outputs ``a`` (n, n_out), in the dataset's label space:
        ±1 from one node (which side of the output range's midpoint), 0..K-1 from K nodes
        (the largest output)."""
        a = np.asarray(a)
        if a.shape[1] == 1:
            low, high = self.output_range
            return np.where(a[:, 0] > 0.5 * (low + high), 1.0, -1.0)
        return a.argmax(axis=1).astype(float)

    def signed(self, a: Array) -> Array:
        """Outputs of any shape mapped elementwise from ``output_range`` onto [-1, 1], for
        drawing a one-node head's output on one colour scale (tanh: a, sigmoid: 2a - 1)."""
        low, high = self.output_range
        if (low, high) == (-1.0, 1.0):
            return np.asarray(a)
        return (np.asarray(a) - 0.5 * (low + high)) * (2.0 / (high - low))


def _squared_error(z: Array, a: Array, t: Array) -> Array:
    err = a - t
    return (0.5 * err * err).sum(axis=1)


def _error(a: Array, t: Array, out: Array) -> Array:
    # a - t is dLoss/da for ½(a - t)², and dLoss/dz for both cross-entropies.
    return np.subtract(a, t, out=out)


def _label_column(labels: Array, n_out: int) -> Array:
    """The labels themselves, one per row: ±1 for two classes, a number for regression."""
    return np.asarray(labels, dtype=float).reshape(-1, 1)


def _one_hot(labels: Array, n_out: int) -> Array:
    """Labels 0..K-1 as rows of the K x K identity."""
    return np.eye(n_out)[np.asarray(labels).astype(int).ravel()]


def _signed_targets(labels: Array, n_out: int) -> Array:
    """One node: the label ±1. K nodes: labels 0..K-1 as ±1 one-hot rows."""
    if n_out == 1:
        return _label_column(labels, n_out)
    return 2.0 * _one_hot(labels, n_out) - 1.0


def _zero_one_column(labels: Array, n_out: int) -> Array:
    """Labels ±1 as the probability targets 0 and 1."""
    return (_label_column(labels, n_out) + 1.0) / 2.0


def _binary_cross_entropy(z: Array, a: Array, t: Array) -> Array:
    # -[t ln p + (1 - t) ln(1 - p)] with p = sigmoid(z) is ln(1 + e^z) - t z, finite for any z.
    return (np.logaddexp(0.0, z) - t * z).sum(axis=1)


def _softmax_cross_entropy(z: Array, a: Array, t: Array) -> Array:
    # -ln p_label = logsumexp(z) - z_label, with the row maximum taken out first.
    top = z.max(axis=1, keepdims=True)
    log_sum_exp = top[:, 0] + np.log(np.exp(z - top).sum(axis=1))
    return log_sum_exp - (t * z).sum(axis=1)


def _softmax(z: Array, out: Array | None = None) -> Array:
    """Row-wise softmax, p_j = exp(z_j - logsumexp(z)), stable for any z.

    Column 0 of ``out`` holds each row's log-sum-exp until it is the last column turned
    into a probability, so no other buffer is needed. Into a column-major ``out`` (the
    workspace's output layer) that allocates nothing; into a row-major one NumPy copies
    the log-sum-exp column once, as it overlaps the other columns' memory. Working in
    place (the grid evaluator's ``out`` is ``z``) needs the inputs kept: ``z`` is copied.
    """
    if out is None:
        out = np.empty_like(z, order="F")
    elif np.may_share_memory(z, out):
        z = z.copy()
    z_cols, out_cols = z.T, out.T  # a row per output node
    log_sum_exp = out_cols[0]
    np.logaddexp.reduce(z_cols, axis=0, out=log_sum_exp)
    np.subtract(z_cols[1:], log_sum_exp, out=out_cols[1:])
    np.subtract(z_cols[0], log_sum_exp, out=log_sum_exp)
    return np.exp(out, out=out)


def _no_elementwise_derivative(z: Array, a: Array, out: Array | None = None) -> Array:
    raise TypeError("softmax has no elementwise derivative: its heads fuse δ = p - t")


SOFTMAX = Activation(_softmax, _no_elementwise_derivative, "Softmax")

HEADS: dict[str, Head] = {
    "tanhSquaredError": Head(
        ACTIVATIONS["tanh"],
        _squared_error,
        _error,
        _signed_targets,
        "Squared error",
        per_class_above_two=True,
    ),
    "linearSquaredError": Head(
        ACTIVATIONS["linear"], _squared_error, _error, _label_column, "Squared error"
    ),
    "sigmoidCrossEntropy": Head(
        ACTIVATIONS["sigmoid"],
        _binary_cross_entropy,
        _error,
        _zero_one_column,
        "Cross-entropy",
        fused_delta=True,
        output_range=(0.0, 1.0),
    ),
    "softmaxCrossEntropy": Head(
        SOFTMAX,
        _softmax_cross_entropy,
        _error,
        _one_hot,
        "Cross-entropy",
        fused_delta=True,
        one_node_per_class=True,
        output_range=(0.0, 1.0),
    ),
}
