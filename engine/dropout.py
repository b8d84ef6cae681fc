"""Inverted dropout on the hidden nodes, for training passes only.

Each training pass draws a fresh mask over every hidden node of every example: a node is
kept with probability 1 - rate and its activation is then multiplied by 1 / (1 - rate),
so each node's expected activation is the one without dropout and evaluation (losses,
the grid) uses the plain network, unscaled. The ones column that carries the next
layer's bias is never masked, nor are the inputs or the outputs. The mask also
multiplies da/dz, so a dropped node passes no gradient back: backprop sees the network
it ran forward. The masking itself is a step of the one layer loop
(``forward.run_layers``); a workspace holds the mask buffer.
"""

import numpy as np

Array = np.ndarray

MAX_RATE = 0.5


def check_rate(rate: float) -> float:
    rate = float(rate)
    if not 0.0 <= rate <= MAX_RATE:
        raise ValueError(f"dropout rate must be in [0, {MAX_RATE}], got {rate}")
    return rate


class Dropout:
    """The rate and the seeded generator a training workspace draws its masks from."""

    def __init__(self, rng: np.random.Generator, rate: float) -> None:
        self.rng = rng
        self.rate = check_rate(rate)

    def draw(self, mask: Array) -> None:
        """A fresh mask in place (C-contiguous, as ``Generator.random(out=)`` requires)."""
        self.rng.random(out=mask)
        # Kept (1) iff u - rate >= 0, i.e. u >= rate: probability 1 - rate. Float to float
        # throughout: a comparison into this float buffer would allocate a cast buffer.
        np.subtract(mask, self.rate, out=mask)
        np.heaviside(mask, 1.0, out=mask)
        np.multiply(mask, 1.0 / (1.0 - self.rate), out=mask)
