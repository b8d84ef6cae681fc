"""A CSV file of the user's own data, read with every check a file from anywhere needs.

A file is rows of numbers and a label, the label last: two numbers a row are points
(x, y) of the plane; up to ``MAX_COLUMNS`` are a table of that many columns. The first
row is a header when one of its number cells is not a number. Labels are ±1 or 0/1 (two
classes), class names (up to ``MAX_NAMED_CLASSES``), or any other numbers (regression).
Every refusal is a ``CsvError`` whose message names the row and the column, in words a
student can act on; nothing here raises anything else for any bytes at all.
"""

from __future__ import annotations

import csv
import math
import re
from typing import NamedTuple

import numpy as np

from .inputs import MAX_COLUMNS
from .multiclass import MOST_CLASSES

MAX_BYTES = 1_000_000  # 1 MB
MAX_ROWS = 5_000
MAX_NAMED_CLASSES = MOST_CLASSES  # as many as the class colours: the digits' 10
QUOTE_CHARS = 20  # a note quotes at most this much of a cell
# A number as people write them: no Python extras (1_000, nan, infinity, ٣).
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
NOT_FINITE = re.compile(r"[+-]?(nan|inf|infinity)", re.IGNORECASE)


class CsvError(ValueError):
    """What is wrong with a file, in one sentence that names the row and column."""


class CsvData(NamedTuple):
    X: np.ndarray  # (rows, columns) float64
    y: np.ndarray  # (rows,): ±1 for two classes, 0 … K-1 beyond, else the values
    columns: tuple[str, ...] | None  # a table's column names; None: points (x, y)
    problem: str  # "classification" or "regression"
    class_names: tuple[str, ...] | None  # each class's name, in class order


def _quoted(cell: str) -> str:
    shown = "".join(ch if ch.isprintable() else "?" for ch in cell[:QUOTE_CHARS])
    return f'"{shown}{"…" if len(cell) > QUOTE_CHARS else ""}"'


def _decoded(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise CsvError(f"The file is {len(data):,} bytes; at most {MAX_BYTES:,} (1 MB) are read.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        row = data[: bad.start].count(b"\n") + 1
        raise CsvError(
            f"Row {row}: the byte 0x{data[bad.start]:02x} is not UTF-8 text; save the file "
            "as UTF-8 (CSV UTF-8)."
        ) from None


def _delimiter(first_line: str) -> str:
    """A comma, unless the first line has none but semicolons or tabs."""
    if "," in first_line:
        return ","
    return next((d for d in ";\t" if d in first_line), ",")


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """(row number from 1, cells) of every row that is not blank."""
    if "\x00" in text:
        row = text[: text.index("\x00")].count("\n") + 1
        raise CsvError(f"Row {row} holds a NUL character: this is no text file.")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise CsvError("The file is empty: it has no rows of data.")
    reader = csv.reader(lines, delimiter=_delimiter(first), strict=True)
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            if any(cell.strip() for cell in cells):
                rows.append((number, [cell.strip() for cell in cells]))
            if len(rows) > MAX_ROWS + 1:  # + 1: the header, if there is one
                break
    except csv.Error as bad:
        raise CsvError(f"Row {reader.line_num}: {bad}.") from None
    if not rows:
        raise CsvError("The file is empty: it has no rows of data.")
    return rows


def _number(cell: str) -> float | None:
    """The cell's number, or None when it is none; NaN and infinities are refused."""
    if NUMBER.fullmatch(cell):
        value = float(cell)
        return value if math.isfinite(value) else math.inf
    if NOT_FINITE.fullmatch(cell):
        return math.inf
    return None


def _is_header(cells: list[str]) -> bool:
    return any(_number(cell) is None for cell in cells[:-1])


def _column_names(header: list[str] | None, width: int) -> tuple[str, ...]:
    """Names a column may have (a word of letters, digits and _, each its own): the
    header's, made so, or c1, c2, …"""
    names: list[str] = []
    for k in range(width):
        raw = header[k] if header else ""
        name = re.sub(r"\W+", "_", raw, flags=re.ASCII).strip("_") or f"c{k + 1}"
        if name[0].isdigit():
            name = "c" + name
        while name in names:
            name += "_"
        names.append(name)
    return tuple(names)


def _features(rows: list[tuple[int, list[str]]], width: int, names: list[str]) -> np.ndarray:
    X = np.empty((len(rows), width - 1))
    for r, (number, cells) in enumerate(rows):
        if len(cells) != width:
            raise CsvError(
                f"Row {number} has {len(cells)} columns; the first row has {width}: every "
                "row needs the same."
            )
        for c, cell in enumerate(cells[:-1]):
            value = _number(cell)
            where = f"Row {number}, column {c + 1} ({names[c]})"
            if value is None:
                problem = "is empty" if not cell else f"holds {_quoted(cell)}, not a number"
                raise CsvError(f"{where} {problem}.")
            if math.isinf(value):
                raise CsvError(f"{where} holds {_quoted(cell)}: NaN and infinities are refused.")
            X[r, c] = value
    return X


def _labels(rows: list[tuple[int, list[str]]], width: int) -> tuple[np.ndarray, str, tuple | None]:
    """(labels, problem, class names) from the last column."""
    cells = [(number, row[-1]) for number, row in rows]
    where = f"column {width} (the label)"
    for number, cell in cells:
        if not cell:
            raise CsvError(f"Row {number}, {where} is empty.")
    values = [_number(cell) for _, cell in cells]
    if all(v is not None for v in values):
        for (number, cell), value in zip(cells, values, strict=True):
            if math.isinf(value):
                raise CsvError(
                    f"Row {number}, {where} holds {_quoted(cell)}: NaN and infinities are refused."
                )
        y = np.array(values, dtype=np.float64)
        kinds = set(np.unique(y).tolist())
        if kinds <= {-1.0, 1.0}:
            return y, "classification", ("-1", "+1")
        if kinds <= {0.0, 1.0}:
            return 2 * y - 1, "classification", ("0", "1")
        return y, "regression", None
    names: list[str] = []
    for number, cell in cells:
        if cell not in names:
            names.append(cell)
            if len(names) > MAX_NAMED_CLASSES:
                raise CsvError(
                    f"Row {number}, {where}: {_quoted(cell)} is class number {len(names)}; "
                    f"at most {MAX_NAMED_CLASSES} classes can be told apart."
                )
    if len(names) < 2:
        raise CsvError(
            f"Every row's label, {where}, is {_quoted(names[0])}: a classifier needs two classes."
        )
    names.sort(key=_natural)  # classes in the order of their names, whatever the rows'
    index = {name: k for k, name in enumerate(names)}
    k = np.array([index[cell] for _, cell in cells], dtype=np.float64)
    y = 2 * k - 1 if len(names) == 2 else k
    return y, "classification", tuple(names)


def _natural(name: str) -> list:
    """ "class 2" before "class 10"; case aside."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name)]


def read_csv(data: bytes) -> CsvData:
    """The file's points and labels, or a ``CsvError`` naming what is wrong where."""
    rows = _rows(_decoded(data))
    number, first = rows[0]
    width = len(first)
    if width < 2:
        raise CsvError(f"Row {number} has one column: a row needs numbers and then a label.")
    if width - 1 > MAX_COLUMNS:
        raise CsvError(
            f"Row {number} has {width} columns: at most {MAX_COLUMNS} numbers and a label."
        )
    header = first if _is_header(first) else None
    data_rows = rows[1:] if header else rows
    if len(data_rows) > MAX_ROWS:
        raise CsvError(
            f"Row {data_rows[MAX_ROWS][0]} is one too many: at most {MAX_ROWS:,} rows of data."
        )
    if len(data_rows) < 2:
        raise CsvError("The file has fewer than two rows of data: nothing to train and test on.")
    names = _column_names(header, width - 1)
    X = _features(data_rows, width, list(names))
    y, problem, class_names = _labels(data_rows, width)
    return CsvData(X, y, None if width == 3 else names, problem, class_names)
