"""Activation functions: value and derivative side by side.

Both take an optional ``out`` buffer so the trainer's hot loop allocates nothing, and
arrays of shape (n_examples, n_nodes): the elementwise ones here do not mind, an output
activation across nodes (a softmax, see ``heads``) normalises each row.
``grad`` receives the pre-activation ``z`` and the activation ``a = fn(z)``: the classic
derivatives are cheapest written in terms of ``a`` (tanh' = 1 - a², sigmoid' = a(1 - a)).

``fn`` may also be asked to work in place (``out`` is ``z``: the grid evaluator does).

Beyond the original's four: ``leakyRelu``, ``elu``, ``softplus`` and ``swish``, as
``tests/reference/extended/README.md`` writes them; at z = 0 leaky ReLU's derivative
is the left-hand 0.01 (as ReLU's is 0).
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


LEAK = 0.01  # leaky ReLU's slope for z <= 0


def _kept(z: Array, out: Array | None) -> Array:
    """``z``, or a copy of it when ``out`` overlaps it: the activations below read z again
    after writing ``out``, and the grid evaluator works in place (``out`` is ``z``)."""
    return z.copy() if out is not None and np.may_share_memory(z, out) else z


def _leaky_relu(z: Array, out: Array | None = None) -> Array:
    # max(0.01 z, z) is z for z > 0 and 0.01 z otherwise.
    z = _kept(z, out)
    out = np.multiply(z, LEAK, out=out)
    return np.maximum(out, z, out=out)


def _leaky_relu_grad(z: Array, a: Array, out: Array | None = None) -> Array:
    # [z > 0] * 0.99 + 0.01 is 1 or 0.01 (0.99 + 0.01 rounds to exactly 1.0).
    out = _relu_grad(z, a, out)
    np.multiply(out, 1.0 - LEAK, out=out)
    return np.add(out, LEAK, out=out)


def _elu(z: Array, out: Array | None = None) -> Array:
    # e^z - 1 >= z everywhere, so max(e^min(z, 0) - 1, z) is z for z > 0 and e^z - 1 for
    # z <= 0; min(z, 0) keeps exp from overflowing on the side where it is unused.
    z = _kept(z, out)
    out = np.minimum(z, 0.0, out=out)
    np.expm1(out, out=out)
    return np.maximum(out, z, out=out)


def _elu_grad(z: Array, a: Array, out: Array | None = None) -> Array:
    # e^min(z, 0): e^z for z <= 0 (1 at z = 0) and 1 for z > 0.
    out = np.minimum(z, 0.0, out=out)
    return np.exp(out, out=out)


def _softplus(z: Array, out: Array | None = None) -> Array:
    return np.logaddexp(0.0, z, out=out)  # ln(1 + e^z) without overflow


def _softplus_grad(z: Array, a: Array, out: Array | None = None) -> Array:
    return _sigmoid(z, out)


def _swish(z: Array, out: Array | None = None) -> Array:
    z = _kept(z, out)
    out = _sigmoid(z, out)
    return np.multiply(out, z, out=out)


def _swish_grad(z: Array, a: Array, out: Array | None = None) -> Array:
    """s + z s (1 - s) = s (1 + z - a) = a (1 + z - a) / z, with s = sigmoid(z), a = z s.

    The last form needs no buffer besides ``out``; at z = 0 it is 0/0, and there the
    derivative is sigmoid(0) = 0.5.
    """
    out = np.subtract(z, a, out=out)
    np.add(out, 1.0, out=out)
    np.multiply(out, a, out=out)
    with np.errstate(invalid="ignore"):
        np.divide(out, z, out=out)
    if not z.all():
        out[z == 0.0] = 0.5  # rare enough to allocate a mask
    return out


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation(_relu, _relu_grad, "ReLU"),
    "tanh": Activation(np.tanh, _tanh_grad, "Tanh"),
    "sigmoid": Activation(_sigmoid, _sigmoid_grad, "Sigmoid"),
    "linear": Activation(_linear, _linear_grad, "Linear"),
    "leakyRelu": Activation(_leaky_relu, _leaky_relu_grad, "Leaky ReLU"),
    "elu": Activation(_elu, _elu_grad, "ELU"),
    "softplus": Activation(_softplus, _softplus_grad, "Softplus"),
    "swish": Activation(_swish, _swish_grad, "Swish"),
}
