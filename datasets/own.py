"""A session's own points: drawn on the plane, or read from a file.

The registry names them (``drawn``, ``upload`` and their regression twins) so that the
link, the controls and a stored run can say which set is in use, but their generator
gives no points: the session's own record stands in, a ``Dataset`` whose generator
gives back the points it holds (``own_dataset``).

Drawn points travel in the link in a compact form (``encode_points``): each is three
numbers of 12 bits, its x and y on [-6, 6] and its label, each as two characters of
the URL-safe base-64 alphabet, six characters a point. Drawn points are kept as those
whole numbers, so a link gives back exactly the points it was made from. A label is a
class number for classification, a value on [-1, 1] for regression.
"""

from __future__ import annotations

import numpy as np

from .csv_file import CsvData
from .dataset import Dataset
from .draws import Array, Rand
from .inputs import PLANE, Inputs, Table
from .multiclass import MAX_CLASSES, MIN_CLASSES, class_labels

DRAWN, REG_DRAWN, UPLOAD, REG_UPLOAD = "drawn", "reg-drawn", "upload", "reg-upload"
DRAWN_SETS = {"classification": DRAWN, "regression": REG_DRAWN}
UPLOADED_SETS = {"classification": UPLOAD, "regression": REG_UPLOAD}

LEVELS = 4096  # 12 bits: two base-64 characters
EXTENT = 6.0  # drawn points lie on [-6, 6]², the output plot
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_DIGIT = {ch: i for i, ch in enumerate(ALPHABET)}
CHARS_PER_POINT = 6
MAX_LINK_POINTS = 300  # a link carries this many drawn points (1,800 characters)
MAX_DRAWN = 2000  # a session keeps at most this many

Point = tuple[int, int, int]  # x, y and the label, each 0 … LEVELS - 1


def no_points(n: int, noise: float, rand: Rand, classes: int = 2) -> tuple[Array, Array]:
    return np.zeros((0, 2)), np.zeros(0)


OWN_DATASETS = {
    DRAWN: Dataset(no_points, "classification", "Drawn points", MAX_CLASSES, takes_noise=False),
    REG_DRAWN: Dataset(no_points, "regression", "Drawn points", 1, takes_noise=False),
    UPLOAD: Dataset(
        no_points, "classification", "Your file", MIN_CLASSES, fixed_classes=True, takes_noise=False
    ),
    REG_UPLOAD: Dataset(no_points, "regression", "Your file", 1, takes_noise=False),
}


class Stored:
    """A generator that gives back the points it holds (copies), whatever it is asked."""

    def __init__(self, X: Array, y: Array) -> None:
        self.X = np.array(X, dtype=np.float64)
        self.y = np.array(y, dtype=np.float64)
        self.X.flags.writeable = self.y.flags.writeable = False

    def __call__(self, n: int, noise: float, rand: Rand, classes: int = 2) -> tuple[Array, Array]:
        return self.X.copy(), self.y.copy()


def own_dataset(
    X: Array,
    y: Array,
    problem: str,
    classes: int,
    inputs: Inputs = PLANE,
    class_names: tuple[str, ...] | None = None,
) -> Dataset:
    """A session's points as a dataset of its own (not registered): ``classes`` classes
    exactly (1 for regression), labels as ``class_labels`` gives them."""
    return OWN_DATASETS[UPLOADED_SETS[problem]]._replace(
        fn=Stored(X, y), max_classes=classes, inputs=inputs, class_names=class_names
    )


def from_csv(data: CsvData) -> Dataset:
    """A file's points (``csv_file.read_csv``) as a session's own dataset."""
    classes = 1 if data.class_names is None else len(data.class_names)
    inputs = PLANE if data.columns is None else Table(data.columns)
    return own_dataset(data.X, data.y, data.problem, classes, inputs, data.class_names)


# -- drawn points --------------------------------------------------------------------


def level(value: float, low: float, high: float) -> int:
    """``value`` on [low, high] as the nearest of LEVELS steps (clamped)."""
    t = (min(max(value, low), high) - low) / (high - low)
    return round(t * (LEVELS - 1))


def at_level(step: int | Array, low: float, high: float) -> float | Array:
    return low + (high - low) * np.asarray(step, dtype=np.float64) / (LEVELS - 1)


def drawn_point(x: float, y: float, label: float, problem: str) -> Point:
    """A point drawn at (x, y): ``label`` a class number (classification) or a value on
    [-1, 1] (regression), all on the 12-bit steps a link carries."""
    if problem == "regression":
        mark = level(label, -1.0, 1.0)
    else:
        mark = int(label)
        if not 0 <= mark < LEVELS:
            raise ValueError(f"not a class number: {label!r}")
    return level(x, -EXTENT, EXTENT), level(y, -EXTENT, EXTENT), mark


def drawn_arrays(points, problem: str, classes: int) -> tuple[Array, Array]:
    """The drawn points as X (n, 2) and labels (n,): for classification the labels of
    ``classes`` classes (points of a class beyond them are left out), for regression
    each point's value."""
    data = np.asarray(points, dtype=np.int64).reshape(-1, 3)
    X = at_level(data[:, :2], -EXTENT, EXTENT).reshape(-1, 2)
    if problem == "regression":
        return X, at_level(data[:, 2], -1.0, 1.0).reshape(-1)
    keep = data[:, 2] < classes
    return X[keep], class_labels(classes)[data[keep, 2]]


def encode_points(points) -> str:
    """Drawn points as link text: six characters each."""
    return "".join(ALPHABET[v >> 6] + ALPHABET[v & 63] for point in points for v in point)


def decode_points(text: str) -> tuple[Point, ...]:
    """Link text back to points; ValueError when it is not six characters a point of
    the alphabet."""
    if len(text) % CHARS_PER_POINT:
        raise ValueError(f"{len(text)} characters are no whole number of points")
    try:
        values = [_DIGIT[a] * 64 + _DIGIT[b] for a, b in zip(text[::2], text[1::2], strict=True)]
    except KeyError as bad:
        raise ValueError(f"the character {bad.args[0]!r} is not a point's") from None
    return tuple(tuple(values[i : i + 3]) for i in range(0, len(values), 3))
