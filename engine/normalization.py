"""What a hidden layer does to its pre-activations before its activation, with values
that training does not change: the place of a batch norm and its running statistics.

An entry sizes a layer's untrained state (the network's ``state`` buffer, beside its
trained ``params``: early stopping's record and a stored run's layers carry both) and,
unless it does nothing, changes the layer's pre-activations ``z`` (examples, nodes) in
place in the one layer loop (``forward.run_layers``). The pass's mode says what it may
do: ``TRAIN`` may update the state from the batch, ``EVAL`` (the losses, the grid,
``predict``) only reads it. Backprop goes through an entry as through the identity, so
an entry may only shift ``z`` by untrained values; one that scales ``z`` needs a
backward of its own first.

Only ``none`` ships; the tests register one that keeps a running mean.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

Array = np.ndarray


class Normalization(NamedTuple):
    state_size: Callable[[int], int]  # untrained values of a hidden layer of n nodes
    forward: Callable[[Array, Array, str], object] | None = None  # (z, state, mode), in place
    label: str = ""


NORMALIZATIONS: dict[str, Normalization] = {
    "none": Normalization(lambda n: 0, None, "None"),
}
