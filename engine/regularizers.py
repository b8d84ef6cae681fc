"""Weight penalties. Biases are never regularized (the trainer masks them out)."""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

Array = np.ndarray


class Regularizer(NamedTuple):
    penalty: Callable[[Array], Array]  # w -> per-weight penalty
    grad: Callable[..., Array]  # (w, out=None) -> d penalty / dw
    label: str
    # The original's L1 quirk: a weight whose update crosses zero is set to 0 and frozen.
    kills_zero_crossings: bool = False


def _zero_grad(w: Array, out: Array | None = None) -> Array:
    if out is None:
        return np.zeros_like(w)
    out.fill(0.0)
    return out


def _l2_grad(w: Array, out: Array | None = None) -> Array:
    if out is None:
        return w.copy()
    np.copyto(out, w)
    return out


REGULARIZERS: dict[str, Regularizer] = {
    "none": Regularizer(np.zeros_like, _zero_grad, "None"),
    "L1": Regularizer(np.abs, lambda w, out=None: np.sign(w, out=out), "L1", True),
    "L2": Regularizer(lambda w: 0.5 * w * w, _l2_grad, "L2"),
}
