"""Activation functions: value and derivative side by side.

Both take an optional ``out`` buffer so the trainer's hot loop allocates nothing, and
arrays of shape (n_examples, n_nodes): the elementwise ones here do not mind, an output
activation across nodes (a softmax, see ``heads``) normalises each row.
``grad`` receives the pre-activation ``z`` and the activation ``a = fn(z)``: the classic
derivatives are cheapest written in terms of ``a`` (tanh' = 1 - a², sigmoid' = a(1 - a)).
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

Array = np.ndarray


class Activation(NamedTuple):
    fn: Callable[..., Array]  # (z, out=None) -> a
    grad: Callable[..., Array]  # (z, a, out=None) -> da/dz
    label: str


def _tanh_grad(z: Array, a: Array, out: Array | None = None) -> Array:
    out = np.multiply(a, a, out=out)
    return np.subtract(1.0, out, out=out)


def _sigmoid(z: Array, out: Array | None = None) -> Array:
    # 1 / (1 + exp(-z)), the original's formula, in place.
    out = np.negative(z, out=out)
    np.exp(out, out=out)
    np.add(out, 1.0, out=out)
    return np.divide(1.0, out, out=out)


def _sigmoid_grad(z: Array, a: Array, out: Array | None = None) -> Array:
    out = np.subtract(1.0, a, out=out)
    return np.multiply(out, a, out=out)


def _relu(z: Array, out: Array | None = None) -> Array:
    return np.maximum(z, 0.0, out=out)


def _relu_grad(z: Array, a: Array, out: Array | None = None) -> Array:
    # The original's relu'(0) is 0; the bool result is cast into the float buffer.
    if out is None:
        return (z > 0.0).astype(z.dtype)
    return np.greater(z, 0.0, out=out)


def _linear(z: Array, out: Array | None = None) -> Array:
    if out is None:
        return z.copy()
    np.copyto(out, z)
    return out


def _linear_grad(z: Array, a: Array, out: Array | None = None) -> Array:
    if out is None:
        return np.ones_like(z)
    out.fill(1.0)
    return out


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation(_relu, _relu_grad, "ReLU"),
    "tanh": Activation(np.tanh, _tanh_grad, "Tanh"),
    "sigmoid": Activation(_sigmoid, _sigmoid_grad, "Sigmoid"),
    "linear": Activation(_linear, _linear_grad, "Linear"),
}
