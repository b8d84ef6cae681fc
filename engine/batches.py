"""How one epoch's examples split into runs between updates (the original's batching),
and those runs as whole batches for a normalization with batch statistics.

Examples are visited in stored order, and an update happens after example i (0-based,
within the epoch) iff (i + 1) % batch == 0; examples after the epoch's last update carry
into the next epoch's first update.
"""

import numpy as np

Array = np.ndarray

# One run of an epoch: its rows, their targets, how many, and whether an update follows.
Segment = tuple[Array, Array, int, bool]


def batch_segments(n: int, batch_size: int) -> list[tuple[int, int, bool]]:
    """(start, stop, update_after) runs of one epoch over n examples."""
    segments, start = [], 0
    for stop in range(batch_size, n + 1, batch_size):
        segments.append((start, stop, True))
        start = stop
    if start < n:
        segments.append((start, n, False))
    return segments


class WholeBatches:
    """The examples of each update as one batch: a leftover run at the end of an epoch
    waits (no update comes between it and the next epoch's first examples) and joins the
    next update's batch. The usual join, this data's leftover before its first run, is
    made once per data set."""

    def __init__(self) -> None:
        self.waiting: tuple[Array, Array] | None = None  # leftover rows and targets
        self._segments: list[Segment] = []
        self._joined: tuple[Array, Array] | None = None

    def set_segments(self, segments: list[Segment]) -> int:
        """A new epoch's runs (new data); returns the most rows one batch may have."""
        self._segments, self._joined = segments, None
        most = max((count for _, _, count, update in segments if update), default=0)
        if len(segments) > 1 and not segments[-1][3]:
            (X_first, y_first, _, _), (X_left, y_left, _, _) = segments[0], segments[-1]
            self._joined = np.concatenate([X_left, X_first]), np.concatenate([y_left, y_first])
            most = len(self._joined[0])
        return most

    def epoch(self):
        """Each update's batch of this epoch, (rows, targets), in order. An epoch with no
        update at all (a batch larger than the training set) yields nothing."""
        for X, y, _, update in self._segments:
            if not update:
                self.waiting = (X, y)
            elif self.waiting is None:
                yield X, y
            else:
                yield self._join(X, y)

    def _join(self, X: Array, y: Array) -> tuple[Array, Array]:
        (X_left, y_left), self.waiting = self.waiting, None
        segments = self._segments
        if self._joined is not None and X_left is segments[-1][0] and X is segments[0][0]:
            return self._joined
        return np.concatenate([X_left, X]), np.concatenate([y_left, y])  # data changed
