"""A run's inputs, read from its dataset's declaration (``datasets.Plane``, ``Table``):
which features a run may use and how they are named, which it starts with, and whether
its nodes can be pictured over the plane.

The features of a plane are the engine's ``FEATURES`` (x, y, x², …), computed from each
point; those of a table are its columns. Everything that lists, reads or writes a run's
features (the state, the URL, the ``train`` command, replay, the diagram) asks here.
"""

from collections.abc import Sequence

from playground.datasets import DATASETS, Table
from playground.engine import FEATURES

PLANE_DEFAULT = ("x", "y")  # the original's inputs


def is_plane(dataset: str) -> bool:
    return not isinstance(DATASETS[dataset].inputs, Table)


def table_of(dataset: str) -> Table | None:
    inputs = DATASETS[dataset].inputs
    return inputs if isinstance(inputs, Table) else None


def input_options(dataset: str) -> dict[str, str]:
    """Every feature a run on ``dataset`` may use, name -> plain label, in input order."""
    table = table_of(dataset)
    if table is None:
        return {name: spec.label for name, spec in FEATURES.items()}
    return {name: name for name in table.columns}


def default_features(dataset: str) -> tuple[str, ...]:
    """What a run on ``dataset`` starts with: x and y on a plane, every column of a table."""
    table = table_of(dataset)
    return PLANE_DEFAULT if table is None else table.columns


def columns(dataset: str) -> tuple[str, ...] | None:
    """A table's columns (the engine's ``columns``); None for a plane's (x, y)."""
    table = table_of(dataset)
    return None if table is None else table.columns


def point_width(dataset: str) -> int:
    """Numbers per point: 2 for a plane, one per column for a table."""
    return len(DATASETS[dataset].inputs.columns)


def in_input_order(names: Sequence[str], dataset: str) -> list[str]:
    """``names`` that ``dataset`` offers, in its input order."""
    chosen = set(names)
    return [name for name in input_options(dataset) if name in chosen]


def unknown_features(names: Sequence[str], dataset: str) -> list[str]:
    offered = input_options(dataset)
    return [name for name in names if name not in offered]
