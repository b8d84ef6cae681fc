"""Classification metrics and gradient sizes, whole-batch, from arrays the trainer has.

Classes are indices 0..K-1. A head with one output node splits two classes at its
output activation's midpoint (tanh: 0): index 1 above it (label +1), index 0 at or below
it (label -1). A head with K output nodes predicts the node with the largest output.
Targets as a head encodes them (±1, 0/1 or one-hot) go through the same rule, so the
true classes come from the same arrays as the predictions.
"""

from collections.abc import Sequence

import numpy as np

Array = np.ndarray

# Heads whose output is a number to fit, not a class: no accuracy, no confusion matrix.
REGRESSION_HEADS = frozenset({"linearSquaredError"})


def class_indices(a: Array, midpoint: float = 0.0) -> Array:
    """Class index (n,) per row of outputs or targets ``a`` (n, n_out)."""
    if a.shape[1] == 1:
        return (a[:, 0] > midpoint).astype(np.intp)
    return np.argmax(a, axis=1)


def accuracy(actual: Array, predicted: Array) -> float:
    """Fraction of points whose predicted class is the actual one (NaN for no points)."""
    if len(actual) == 0:
        return float("nan")
    return float(np.count_nonzero(actual == predicted)) / len(actual)


def confusion_matrix(actual: Array, predicted: Array, num_classes: int) -> Array:
    """(K, K) counts: row = actual class, column = predicted class."""
    cells = np.bincount(actual * num_classes + predicted, minlength=num_classes * num_classes)
    return cells.reshape(num_classes, num_classes)


def mean_abs_weights(layer_grads: Sequence[Array]) -> list[float]:
    """Mean |g| over each layer's weights; ``layer_grads`` are (n_in + 1, n_out) views
    whose last row (the biases) is left out."""
    return [float(np.abs(g[:-1]).mean()) for g in layer_grads]
