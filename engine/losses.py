"""Per-example losses of the network output ``out`` (n, 1) against labels ``y`` (n, 1)."""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

Array = np.ndarray


class Loss(NamedTuple):
    value: Callable[[Array, Array], Array]  # (out, y) -> per-example loss
    grad: Callable[..., Array]  # (out, y, out_buf=None) -> d loss / d out


def _square_value(out: Array, y: Array) -> Array:
    err = out - y
    return 0.5 * err * err


def _square_grad(out: Array, y: Array, buf: Array | None = None) -> Array:
    return np.subtract(out, y, out=buf)


LOSSES: dict[str, Loss] = {
    # TensorFlow Playground's only error function: 0.5 * (out - label)^2.
    "square": Loss(_square_value, _square_grad),
}
