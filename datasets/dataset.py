"""What a dataset is: a generator of points, its problem type, its name on the page, how
many classes it can have and what its points are (its inputs)."""

from __future__ import annotations

from typing import NamedTuple, Protocol

from .draws import Array, Rand
from .inputs import PLANE, Inputs


class DataFn(Protocol):
    def __call__(
        self, n: int, noise: float, rand: Rand, classes: int = 2
    ) -> tuple[Array, Array]: ...  # X (n, the inputs' columns), y (n,)


class Dataset(NamedTuple):
    fn: DataFn
    problem: str  # "classification" or "regression"
    label: str  # the name the UI shows
    # The most classes ``fn`` can draw: 2 for the classic sets (labels ±1), MAX_CLASSES for
    # the multi-class sets (labels ±1 at 2 classes, else 0..K-1), 1 for regression (one target).
    max_classes: int = 2
    inputs: Inputs = PLANE  # what a point is: (x, y) of the plane, or a table's row
    # The set has exactly ``max_classes`` classes (the digits, an uploaded file), not as
    # many as the Classes setting asks for.
    fixed_classes: bool = False
    # Each class's name, in class order, where the labels are not the names (a file's
    # "cat" and "dog"); None: the labels name them.
    class_names: tuple[str, ...] | None = None
    takes_noise: bool = True  # its generator reads ``noise`` (the digits and one's own: no)
