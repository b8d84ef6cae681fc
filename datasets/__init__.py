"""Data sets that declare their inputs (planes of points (x, y), tables of named
columns) and the seeded stream that reproduces TensorFlow Playground's data.

Imports NumPy and the standard library only; there is no module-level mutable state.
"""

from .csv_file import CsvData, CsvError, read_csv
from .generators import DATASETS, NUM_SAMPLES, DataFn, Dataset
from .inputs import MAX_COLUMNS, PLANE, Inputs, Plane, Table
from .multiclass import (
    MAX_CLASSES,
    MIN_CLASSES,
    MOST_CLASSES,
    blob_centres,
    check_classes,
    class_index,
    class_labels,
)
from .seedrandom import SeedRandom, next_seed, random_seed
from .split import DataSplit, make_data, shuffle, split

__all__ = [
    "DATASETS",
    "MAX_CLASSES",
    "MAX_COLUMNS",
    "MIN_CLASSES",
    "MOST_CLASSES",
    "NUM_SAMPLES",
    "PLANE",
    "CsvData",
    "CsvError",
    "DataFn",
    "DataSplit",
    "Dataset",
    "Inputs",
    "Plane",
    "SeedRandom",
    "Table",
    "blob_centres",
    "check_classes",
    "class_index",
    "class_labels",
    "make_data",
    "next_seed",
    "random_seed",
    "read_csv",
    "shuffle",
    "split",
]
