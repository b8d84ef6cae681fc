"""Optimizers update the flat parameter buffer in place from accumulated gradients.

``step(params, grad_sum, count, lr)`` receives the SUM of ``count`` per-example
gradients, as the original accumulates them; each optimizer divides where it must.
"""

import numpy as np

Array = np.ndarray


class SGD:
    """The original's plain step: w <- w - (lr / n) * sum of gradients."""

    label = "SGD"

    def __init__(self, size: int) -> None:
        self._step = np.empty(size)

    def step(self, params: Array, grad_sum: Array, count: int, lr: float) -> None:
        np.multiply(grad_sum, lr / count, out=self._step)
        np.subtract(params, self._step, out=params)


OPTIMIZERS: dict[str, type[SGD]] = {
    "sgd": SGD,
}
