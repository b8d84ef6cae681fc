"""What each node's map looks like: palette indices for the big plot and the thumbnails.

Hidden nodes and a single output node are drawn on the original's orange-to-blue scale.
With more than two classes there is one output node per class: its own map is drawn in
its class's colour (stronger where the class is more likely), and the output picture is
the winning class at every point, as strong as its lead over a uniform guess.
"""

import numpy as np

from playground.colors import class_shade, quantize, quantize_classes
from playground.engine import Head

THUMB = 10  # thumbnail pixels per side


def block_means(maps: np.ndarray) -> np.ndarray:
    """(n, 100, 100) -> (n, 10, 10) float32: the mean of each 10 x 10 block (reduceMatrix).

    Adding slices is ~6x faster than ``reshape(...).mean(axis=(2, 4))`` (NumPy reduces
    length-10 axes slowly) and, unlike a matmul, keeps a NaN inside its own block. Rows
    first: those slices are contiguous runs of 100 values over the whole input.
    """
    n, size, _ = maps.shape
    step = size // THUMB
    with np.errstate(invalid="ignore", over="ignore"):
        rows = maps.reshape(n, THUMB, step, size)
        bands = rows[:, :, 0].astype(np.float32)
        for r in range(1, step):
            bands += rows[:, :, r]
        blocks = bands.reshape(n, THUMB, THUMB, step)
        out = blocks[..., 0].copy()
        for c in range(1, step):
            out += blocks[..., c]
        out *= np.float32(1 / step**2)
    return out


class Pictures:
    """Paints the maps of a network with ``n_out`` output nodes under ``head``."""

    def __init__(self, head: Head, n_out: int) -> None:
        self.head = head
        self.n_out = n_out

    def _scores(self, outputs: np.ndarray) -> np.ndarray:
        """Output values as class scores in [0, 1]."""
        return (self.head.signed(outputs) + 1) / 2

    def node(self, maps: np.ndarray, index: int, discretize: bool = False) -> np.ndarray:
        """Node ``index`` of ``maps`` (hidden nodes first, then the outputs)."""
        return self._paint(maps[index : index + 1], index, len(maps), discretize)[0]

    def output(self, maps: np.ndarray, discretize: bool = False) -> np.ndarray:
        """The output picture from ``maps`` (its last ``n_out`` rows are the outputs)."""
        outputs = maps[len(maps) - self.n_out :]
        if self.n_out == 1:
            return quantize(self.head.signed(outputs[0]), discretize)
        return quantize_classes(self._scores(outputs), discretize)

    def thumbnails(self, maps: np.ndarray, discretize: bool = False) -> np.ndarray:
        """Every node's 10 x 10 thumbnail, (nodes, 10, 10) uint8."""
        return self._paint(block_means(maps), 0, len(maps), discretize)

    def _paint(self, maps: np.ndarray, first: int, total: int, discretize: bool) -> np.ndarray:
        """``maps`` are nodes ``first``… of ``total`` (the last ``n_out`` are outputs)."""
        n_hidden = total - self.n_out
        indices = np.arange(first, first + len(maps))
        out = np.empty(maps.shape, dtype=np.uint8)
        hidden = indices < n_hidden
        out[hidden] = quantize(maps[hidden], discretize)
        outputs = ~hidden
        if not outputs.any():
            return out
        if self.n_out == 1:
            out[outputs] = quantize(self.head.signed(maps[outputs]), discretize)
            return out
        scores = self._scores(maps[outputs])
        if discretize:
            scores = np.where(scores >= 0.5, np.float32(1), np.float32(0))
        classes = (indices[outputs] - n_hidden).reshape(-1, *([1] * (maps.ndim - 1)))
        out[outputs] = class_shade(np.broadcast_to(classes, scores.shape), scores)
        return out
