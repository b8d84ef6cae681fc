"""The 8 by 8 handwritten digits: 1,797 images of 10 classes, shipped in ``digits.npz``.

They are the test set of "Optical Recognition of Handwritten Digits" (E. Alpaydin and
C. Kaynak, UCI Machine Learning Repository, 1998; CC BY 4.0), as scikit-learn ships it:
each image is 8 by 8 counts from 0 to 16 (the "on" pixels of a 4 by 4 block of a 32 by
32 bitmap). The file holds them as uint8, ``pixels`` (1797, 64) row by row from the top
left, and ``labels`` (1797,), the digit each shows. The network sees each pixel's count
divided by 16, so every input lies in [0, 1]; a label is its digit, 0 to 9.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np

from .draws import Array, Rand
from .inputs import Table

SIDE = 8
CLASSES = 10
DARKEST = 16  # a pixel's largest count
COLUMNS = tuple(f"p{row}_{col}" for row in range(SIDE) for col in range(SIDE))
TABLE = Table(COLUMNS, picture=(SIDE, SIDE))
FILE = "digits.npz"


@cache
def images() -> tuple[np.ndarray, np.ndarray]:
    """(pixels (1797, 64) uint8 counts 0..16, labels (1797,) uint8), read once per process
    from the package's file and read-only thereafter."""
    with resources.files(__package__).joinpath(FILE).open("rb") as file, np.load(file) as data:
        pixels, labels = data["pixels"], data["labels"]
    pixels.flags.writeable = labels.flags.writeable = False
    return pixels, labels


def digits(n: int, noise: float, rand: Rand, classes: int = CLASSES) -> tuple[Array, Array]:
    """Every image, whatever ``n``, ``noise`` and ``classes`` say: the set is what it is.
    Draws nothing from ``rand``; ``make_data``'s shuffle then does."""
    pixels, labels = images()
    return pixels / DARKEST, labels.astype(np.float64)
