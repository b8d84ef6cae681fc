"""Output heads: the output layer's activation and the loss, chosen together as one entry.

A head says everything the engine needs to know about the output layer:

- ``activation``: applied to the output pre-activation ``z`` (n, n_out), row by row;
- ``loss``: the per-example loss (n,) from ``z``, the outputs ``a`` and the targets ``t``
  (summed over output nodes; a cross-entropy is best computed from ``z``);
- ``loss_grad``: dLoss/da into a buffer, or dLoss/dz directly when ``fused_delta`` is set;
- ``encode``: how a dataset's labels (n,) become the targets ``t`` (n, n_out).

``fused_delta`` is for a softmax or sigmoid output under cross-entropy, whose
dLoss/dz = a - t is simpler (and steadier) than dLoss/da times the activation's
derivative; ``one_node_per_class`` is for a head with one output node per class (softmax
over K classes) rather than one node for the whole problem.

Names are ``<output activation><loss>``, so that a sigmoid or softmax cross-entropy
head (``sigmoidCrossEntropy``, ``softmaxCrossEntropy``) is one more entry here:

- ``tanhSquaredError``: TensorFlow Playground's classification. tanh output, labels ±1
  used as they are, loss ½(a - t)².
- ``linearSquaredError``: TensorFlow Playground's regression. Identity output, the
  label is the target, loss ½(a - t)².
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
    one_node_per_class: bool = False  # K output nodes for K classes, else one

    def output_nodes(self, num_classes: int) -> int:
        """Output layer size for a problem with ``num_classes`` classes (regression: any)."""
        return num_classes if self.one_node_per_class else 1

    def delta(self, z: Array, a: Array, t: Array, deriv: Array, out: Array) -> Array:
        """δ_out = dLoss/dz per example, into ``out``; ``deriv`` is scratch for a'(z).

        Allocates nothing. Unfused: ``out = loss_grad(a, t)`` then ``out *= a'(z)``, the
        original's order of operations, which the parity tests hold to the last bit.
        """
        self.loss_grad(a, t, out)
        if not self.fused_delta:
            np.multiply(out, self.activation.grad(z, a, deriv), out=out)
        return out


def _squared_error(z: Array, a: Array, t: Array) -> Array:
    err = a - t
    return (0.5 * err * err).sum(axis=1)


def _error(a: Array, t: Array, out: Array) -> Array:
    return np.subtract(a, t, out=out)


def _label_column(labels: Array, n_out: int) -> Array:
    """The labels themselves, one per row: ±1 for two classes, a number for regression."""
    return np.asarray(labels, dtype=float).reshape(-1, 1)


HEADS: dict[str, Head] = {
    "tanhSquaredError": Head(
        ACTIVATIONS["tanh"], _squared_error, _error, _label_column, "Squared error"
    ),
    "linearSquaredError": Head(
        ACTIVATIONS["linear"], _squared_error, _error, _label_column, "Squared error"
    ),
}
