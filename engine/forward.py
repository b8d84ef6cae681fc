"""The one layer loop: training (with or without dropout), the losses, ``predict`` and
the grid all run a network forward through ``run_layers``.

A pass cuts one ``LayerStep`` per layer, once per row count, from buffers of its own:
(examples, nodes) views whatever their layout and dtype. The trainer's are float64 rows
whose inputs end in a column of ones, so the weights' bias row makes the affine map one
matmul; the grid's are float32 maps stored node by node (its views are transposes), with
the bias added after the matmul. Per layer: the affine map, the layer's normalization
(a ``normalization.NormLayer`` over the network's values), the activation, then, in
``TRAIN`` mode with dropout on, dropout's mask on the activation and on its derivative.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Array = np.ndarray

TRAIN, EVAL = "train", "eval"  # a training pass; everything else (losses, grid, predict)
MODES = (TRAIN, EVAL)


# Slotted dataclasses: the loop reads these fields every step of training, and Python
# specialises slot reads but not a NamedTuple's field descriptors.


@dataclass(frozen=True, slots=True)
class LayerStep:
    """One layer of a pass over m rows."""

    W: Array  # (n_in + 1, n) with a bias row when the inputs end in ones, else (n_in, n)
    bias: Array | None  # (n,) added after the matmul when W has no bias row
    fn: Callable[..., Array]  # the activation: (z, out=) -> a
    z: Array  # (m, n) pre-activation
    a: Array  # (m, n) activation; may be z itself (the grid works in place)
    out: Array  # what the next layer reads: ``a``, or ``a`` and its ones column
    norm: Callable[[Array, str], object] | None = None  # its normalization's forward
    grad: Callable[..., Array] | None = None  # (z, a, out=) -> da/dz; with a dropout mask
    deriv: Array | None = None  # (m, n) da/dz, computed here when masked
    mask: Array | None = None  # (m, n) dropout's mask: 0 or 1 / (1 - rate); hidden layers


def run_layers(steps: Sequence[LayerStep], inputs: Array, mode: str, drop: bool = False) -> Array:
    """The network's outputs for ``inputs`` (m, n_in [+ 1]), a view into the last step's
    buffer. ``drop``: apply the steps' dropout masks (a ``TRAIN`` pass only)."""
    a = inputs
    for s in steps:
        np.matmul(a, s.W, out=s.z)
        if s.bias is not None:
            np.add(s.z, s.bias, out=s.z)
        if s.norm is not None:
            s.norm(s.z, mode)
        s.fn(s.z, out=s.a)
        if drop and s.mask is not None:
            # da/dz from the activation before masking; a dropped node passes nothing back.
            s.grad(s.z, s.a, s.deriv)
            np.multiply(s.a, s.mask, out=s.a)
            np.multiply(s.deriv, s.mask, out=s.deriv)
        a = s.out
    return a
