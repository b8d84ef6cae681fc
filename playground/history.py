"""The loss chart's points, in memory that does not grow however long a tab plays.

One point (epoch, training loss, test loss) is recorded per displayed frame. Once
``capacity`` points are kept, the history is thinned: the last ``recent`` points stay,
and of the older ones only every ``stride``-th recorded point, the stride doubling
until at most half the capacity is left. The older part is thus evenly spaced over the
whole run (the first point included), the recent one at full resolution, and the
browser's 150-pixel chart, whose x axis is the epoch, looks the same. NumPy only.
"""

import numpy as np

SERIES = ("epoch", "train", "test")
# Points kept at most (14 kB per tab): the browser draws every point while it has fewer
# than 600 (a point per half pixel of its 150-pixel chart), and skips some beyond.
CAPACITY = 598
RECENT = 100  # the last points, always kept


class LossHistory:
    """Loss points in the order recorded. ``generation`` changes whenever points already
    handed out change (a thinning, a clear): a reader that had them must start afresh."""

    def __init__(self, capacity: int = CAPACITY, recent: int = RECENT) -> None:
        if not 0 < recent < capacity // 2:
            raise ValueError("the recent points must fit in half the capacity")
        self.capacity, self.recent = capacity, recent
        self._values = np.empty((len(SERIES), capacity))  # rows: epoch, train, test
        self._number = np.empty(capacity, dtype=np.int64)  # each point's place in the run
        self._size = 0
        self._recorded = 0  # points recorded since the last clear
        self._stride = 1  # of the older points, every stride-th recorded is kept
        self.generation = 0

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, name: str) -> list[float]:
        """One series as a list, e.g. ``history["epoch"]``."""
        return self._values[SERIES.index(name), : self._size].tolist()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LossHistory):
            return NotImplemented
        mine, theirs = self._values[:, : self._size], other._values[:, : other._size]
        return mine.shape == theirs.shape and bool(np.array_equal(mine, theirs, equal_nan=True))

    __hash__ = None  # mutable

    def append(self, epoch: int, train: float, test: float) -> None:
        if self._size == self.capacity:
            self._thin()
        self._values[:, self._size] = (epoch, train, test)
        self._number[self._size] = self._recorded
        self._size += 1
        self._recorded += 1

    def clear(self) -> None:
        self._size = self._recorded = 0
        self._stride = 1
        self.generation += 1

    def since(self, start: int) -> dict[str, np.ndarray]:
        """Copies of each series from point ``start`` on, as float64 arrays."""
        return {
            name: self._values[row, start : self._size].copy() for row, name in enumerate(SERIES)
        }

    def _thin(self) -> None:
        older = self._size - self.recent
        number = self._number[: self._size]
        keep = np.ones(self._size, dtype=bool)
        keep[:older] = number[:older] % self._stride == 0
        while keep.sum() > self.capacity // 2:
            self._stride *= 2
            keep[:older] = number[:older] % self._stride == 0
        kept = int(keep.sum())
        self._values[:, :kept] = self._values[:, : self._size][:, keep]
        self._number[:kept] = number[keep]
        self._size = kept
        self.generation += 1
