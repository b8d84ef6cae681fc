"""What a dataset's points are: the inputs it declares.

A ``Plane`` is points (x, y): the network sees features derived from them (the engine's
``FEATURES``: x, y, x², sin x…) and every node can be pictured over the plane. A
``Table`` is rows of named numeric columns, each column an input the network may see;
``picture`` (rows, columns), when given, says how a row of the table, or a weight per
column, is drawn as an image (8 by 8 for the 64 pixels of a small digit).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_COLUMNS = 64


@dataclass(frozen=True)
class Plane:
    columns: tuple[str, ...] = ("x", "y")


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    picture: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        names = self.columns
        if not isinstance(names, tuple) or not 1 <= len(names) <= MAX_COLUMNS:
            raise ValueError(f"a table has a tuple of 1 to {MAX_COLUMNS} columns: {names!r}")
        if len(set(names)) != len(names):
            raise ValueError(f"each of a table's columns needs a name of its own: {names}")
        if not all(isinstance(n, str) and n.isidentifier() for n in names):
            raise ValueError(f"a column's name is a word of letters, digits and _: {names}")
        if self.picture is not None:
            rows, cols = self.picture
            if rows < 1 or cols < 1 or rows * cols != len(names):
                raise ValueError(f"a {rows} x {cols} picture does not hold {len(names)} columns")

    def image(self, values: np.ndarray) -> np.ndarray:
        """One value per column (a row of the table, or a node's weights from each
        column) as the (rows, columns) picture, row 0 at the top."""
        if self.picture is None:
            raise ValueError("this table declares no picture")
        return np.asarray(values).reshape(self.picture)


Inputs = Plane | Table
PLANE = Plane()
