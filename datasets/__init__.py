"""2-D data sets and the seeded stream that reproduces TensorFlow Playground's data.

Imports NumPy and the standard library only; there is no module-level mutable state.
"""

from .generators import DATASETS, NUM_SAMPLES, Dataset
from .seedrandom import SeedRandom, next_seed
from .split import DataSplit, make_data, shuffle, split

__all__ = [
    "DATASETS",
    "NUM_SAMPLES",
    "DataSplit",
    "Dataset",
    "SeedRandom",
    "make_data",
    "next_seed",
    "shuffle",
    "split",
]
