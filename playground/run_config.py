"""A headless run's settings: the rows of ``playground.settings`` that feed a run, as a
mapping by name, with what follows from them (problem type, classes, inputs, layer
sizes, the dataset's points)."""

from collections.abc import Mapping
from typing import Any

from playground import inputs
from playground.datasets import Dataset
from playground.datasets.own import DRAWN_SETS, Stored, drawn_arrays
from playground.settings import run_settings


class RunConfig(Mapping[str, Any]):
    """A headless run's settings by name (``config.learning_rate``); a setting not given
    is its default, but ``features``, whose default is the dataset's (``inputs``).
    ``dataset`` is the dataset in use, of either problem type; ``own``, a session's own
    points, stands in for the uploaded set of its problem type. Features the dataset
    does not offer are refused (ValueError)."""

    def __init__(self, own: Dataset | None = None, **values: Any) -> None:
        rows = run_settings()
        unknown = set(values) - set(rows)
        if unknown:
            raise TypeError(f"unknown run settings: {', '.join(sorted(unknown))}")
        self._values = {name: _frozen(values.get(name, row.default)) for name, row in rows.items()}
        self.own = own
        self._spec: Dataset | None = None
        declared = self.declared
        if values.get("features") is None:
            self._values["features"] = inputs.default_features(declared)
        if foreign := inputs.unknown_features(self._values["features"], declared):
            offered = ", ".join(inputs.input_options(declared))
            raise ValueError(
                f"unknown feature(s) {', '.join(foreign)} for the dataset {self.dataset}; "
                f"it offers {offered}"
            )

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"RunConfig({', '.join(f'{k}={v!r}' for k, v in self._values.items())})"

    def replace(self, **changes: Any) -> "RunConfig":
        return RunConfig(own=self.own, **{**self._values, **changes})

    def feeding(self, part: str) -> dict[str, Any]:
        """The settings that feed ``part`` (TRAINER, OPTIMIZER…) by the engine's keyword."""
        rows = run_settings()
        return {rows[name].keyword: value for name, value in self._values.items()
                if rows[name].feeds == part}  # fmt: skip

    @property
    def declared(self) -> Dataset:
        """The dataset in use as declared: the registry's, or the session's own."""
        return inputs.dataset_in_use(self.dataset, self.own)

    @property
    def spec(self) -> Dataset:
        """The dataset in use, whose generator gives its points: for the drawn set, the
        drawn points of ``points``."""
        if self._spec is None:
            spec = self.declared
            if self.dataset in DRAWN_SETS.values():
                X, y = drawn_arrays(self.points, self.problem, self.classes)
                spec = spec._replace(fn=Stored(X, y))
            self._spec = spec
        return self._spec

    @property
    def problem(self) -> str:
        return self.declared.problem

    @property
    def classes(self) -> int:
        """Classes of the data in use: 1 for regression; a set's own count if it is fixed
        (the digits, a file), else as many as ``num_classes`` asks, up to the set's most."""
        spec = self.declared
        if spec.problem == "regression":
            return 1
        return spec.max_classes if spec.fixed_classes else min(self.num_classes, spec.max_classes)

    @property
    def columns(self) -> tuple[str, ...] | None:
        """The dataset's columns if it is a table (None for a plane's points (x, y))."""
        return inputs.columns(self.declared)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Inputs, hidden layers, outputs: one output node, or one per class beyond two."""
        outputs = self.classes if self.classes > 2 else 1
        return (len(self.features), *self.network_shape, outputs)


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
