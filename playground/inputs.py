"""A run's inputs, read from its dataset's declaration (``datasets.Plane``, ``Table``):
which features a run may use and how they are named, which it starts with, and whether
its nodes can be pictured over the plane.

The features of a plane are the engine's ``FEATURES`` (x, y, x², …), computed from each
point; those of a table are its columns. Everything that lists, reads or writes a run's
features (the state, the URL, the ``train`` command, replay, the diagram) asks here.

A dataset is named (the registry's ``DATASETS``) or, for a session's own points (a file
it uploaded), given as its ``Dataset`` record (``datasets.own``).
"""

from collections.abc import Sequence

from playground.datasets import DATASETS, Dataset, Table
from playground.datasets.own import UPLOADED_SETS
from playground.engine import FEATURES

PLANE_DEFAULT = ("x", "y")  # the original's inputs
DatasetRef = str | Dataset


def spec(dataset: DatasetRef) -> Dataset:
    return DATASETS[dataset] if isinstance(dataset, str) else dataset


def dataset_in_use(name: str, own: Dataset | None) -> Dataset:
    """The dataset called ``name``: the session's ``own`` for the uploaded set's name of
    its problem type, else the registry's."""
    if own is not None and UPLOADED_SETS.get(own.problem) == name:
        return own
    return DATASETS[name]


def is_plane(dataset: DatasetRef) -> bool:
    return not isinstance(spec(dataset).inputs, Table)


def table_of(dataset: DatasetRef) -> Table | None:
    inputs = spec(dataset).inputs
    return inputs if isinstance(inputs, Table) else None


def picture_of(dataset: DatasetRef) -> tuple[int, int] | None:
    """A table's picture shape (rows, columns), if its rows are images."""
    table = table_of(dataset)
    return None if table is None else table.picture


def input_options(dataset: DatasetRef) -> dict[str, str]:
    """Every feature a run on ``dataset`` may use, name -> plain label, in input order."""
    table = table_of(dataset)
    if table is None:
        return {name: feature.label for name, feature in FEATURES.items()}
    return {name: name for name in table.columns}


def default_features(dataset: DatasetRef) -> tuple[str, ...]:
    """What a run on ``dataset`` starts with: x and y on a plane, every column of a table."""
    table = table_of(dataset)
    return PLANE_DEFAULT if table is None else table.columns


def columns(dataset: DatasetRef) -> tuple[str, ...] | None:
    """A table's columns (the engine's ``columns``); None for a plane's (x, y)."""
    table = table_of(dataset)
    return None if table is None else table.columns


def point_width(dataset: DatasetRef) -> int:
    """Numbers per point: 2 for a plane, one per column for a table."""
    return len(spec(dataset).inputs.columns)


def in_input_order(names: Sequence[str], dataset: DatasetRef) -> list[str]:
    """``names`` that ``dataset`` offers, in its input order."""
    chosen = set(names)
    return [name for name in input_options(dataset) if name in chosen]


def unknown_features(names: Sequence[str], dataset: DatasetRef) -> list[str]:
    offered = input_options(dataset)
    return [name for name in names if name not in offered]
