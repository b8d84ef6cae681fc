"""A hyper-parameter sweep: one scene trained again and again, each run (a *cell*) with
other values of one or two settings, on the same data and the same first weights (the
scene's seed), for a number of epochs; what each ends with is its train and test loss
(and accuracy, for classification).

A grid takes every pair of the values given (``learningRate=0.001,0.01,0.1``); a random
search draws ``count`` pairs from ranges (``learningRate=0.001:0.1``: log-uniform for a
learning or regularization rate, uniform otherwise, whole numbers where the setting
takes them), from its own seed. Any numeric setting of the registry may be an axis, and
so may the network's ``width`` (neurons per hidden layer) and ``depth`` (hidden layers).

A cell is the ``train`` command's run with the same settings, epoch for epoch. A
``SweepJob`` trains the cells in turns of the time the Fleet gives it (a headless job:
it draws nothing), so that a sweep on the server shares the CPU with the playing tabs.
Imports no UI library.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.kinds import Number, Rate, Slider
from playground.model import RunConfig, start_run
from playground.settings import MAX_LAYERS, MAX_NEURONS, SETTINGS, run_settings

SHAPE_AXES = {"width": (1, MAX_NEURONS), "depth": (1, MAX_LAYERS)}
MAX_CELLS = 400


@dataclass(frozen=True)
class Axis:
    """A setting by its URL key (or ``width``/``depth``) and the values it takes: a
    grid's, or a random search's range (``low``, ``high``)."""

    key: str
    values: tuple[float, ...] = ()
    low: float | None = None
    high: float | None = None

    @property
    def whole(self) -> bool:
        return self.key in SHAPE_AXES or isinstance(_kind(self.key), Slider)

    @property
    def logarithmic(self) -> bool:
        return isinstance(_kind(self.key), Rate) and (self.low or 0) > 0


def _setting_by_key(key: str):
    for setting in run_settings().values():
        if setting.key == key:
            return setting
    return None


def _kind(key: str):
    setting = _setting_by_key(key)
    return None if setting is None else setting.kind


def axis_keys() -> list[str]:
    """The keys a sweep can vary: every numeric run setting, then width and depth."""
    numeric = (Rate, Slider, Number)
    keys = [s.key for s in run_settings().values() if isinstance(s.kind, numeric)]
    return [*keys, *SHAPE_AXES]


def _bounds(key: str) -> tuple[float, float]:
    if key in SHAPE_AXES:
        return SHAPE_AXES[key]
    kind = _kind(key)
    if isinstance(kind, Rate):
        return 0.0, math.inf
    return kind.low, kind.high


def _number(key: str, text: str, whole: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{key}: {text.strip()[:20]!r} is not a number") from None
    low, high = _bounds(key)
    if not low <= value <= high or not math.isfinite(value):
        shown_high = "any" if math.isinf(high) else f"{high:g}"
        raise ValueError(f"{key}: {value:g} is outside {low:g} to {shown_high}")
    if whole and value != int(value):
        raise ValueError(f"{key}: {value:g} is not a whole number")
    return int(value) if whole else value


def parse_axis(text: str) -> Axis:
    """``key=v1,v2,…`` (a grid's values) or ``key=low:high`` (a random search's range);
    ValueError says what is wrong."""
    key, sep, values = text.partition("=")
    key = key.strip()
    if not sep or key not in axis_keys():
        raise ValueError(
            f"expected KEY=VALUES with KEY one of {', '.join(axis_keys())}; got {text[:40]!r}"
        )
    whole = key in SHAPE_AXES or isinstance(_kind(key), Slider)
    if ":" in values:
        low, _, high = values.partition(":")
        low_value, high_value = _number(key, low, whole), _number(key, high, whole)
        if low_value >= high_value:
            raise ValueError(f"{key}: a range needs its low end first")
        return Axis(key, low=low_value, high=high_value)
    numbers = tuple(_number(key, part, whole) for part in values.split(",") if part.strip())
    if not numbers:
        raise ValueError(f"{key}: no values")
    return Axis(key, values=numbers)


def draw_values(axis: Axis, count: int, rng: np.random.Generator) -> list[float]:
    """``count`` values from a random search's range."""
    if axis.logarithmic:
        values = np.exp(rng.uniform(math.log(axis.low), math.log(axis.high), count))
    else:
        values = rng.uniform(axis.low, axis.high + (1 if axis.whole else 0), count)
    if axis.whole:
        return [int(min(v, axis.high)) for v in np.floor(values)]
    return [float(v) for v in values]


def cell_values(
    x: Axis, y: Axis | None = None, count: int | None = None, seed: int = 0
) -> list[dict[str, float]]:
    """Each cell's values by key: a grid (row by row, ``y`` outer) or, with ``count``, a
    random search's draws."""
    if count is not None:
        rng = np.random.default_rng(seed)
        xs = draw_values(x, count, rng)
        ys = draw_values(y, count, rng) if y is not None else [None] * count
        cells = [
            {x.key: a} | ({y.key: b} if y is not None else {}) for a, b in zip(xs, ys, strict=True)
        ]
    else:
        rows = y.values if y is not None else (None,)
        cells = [{x.key: a} | ({y.key: b} if y is not None else {}) for b in rows for a in x.values]
    if len(cells) > MAX_CELLS:
        raise ValueError(f"{len(cells)} runs: a sweep takes at most {MAX_CELLS}")
    return cells


def configure(base: RunConfig, values: dict[str, float]) -> RunConfig:
    """The base scene with a cell's values (``width``/``depth`` reshape its hidden
    layers: the base's first width and its depth where one is not given)."""
    by_key = {s.key: s.name for s in SETTINGS.values()}
    changes = {by_key[k]: v for k, v in values.items() if k not in SHAPE_AXES}
    if SHAPE_AXES.keys() & values.keys():
        changes["network_shape"] = hidden_shape(base.network_shape, values)
    return base.replace(**changes)


def hidden_shape(shape: tuple[int, ...], values: dict[str, float]) -> tuple[int, ...]:
    """``shape`` with a cell's ``width`` and ``depth`` (each kept where not given)."""
    width = int(values.get("width", (shape or (4,))[0]))
    depth = int(values.get("depth", len(shape)))
    return (width,) * depth


def run_cell(config: RunConfig, epochs: int) -> dict[str, float]:
    """What the ``train`` command's run of ``config`` ends with after ``epochs``."""
    trainer = start_run(config)[2]
    for _ in range(epochs):
        trainer.epoch()
    return final_figures(trainer)


def final_figures(trainer) -> dict[str, float]:
    names = ["train_loss", "test_loss"]
    if not trainer.is_regression:
        names += ["train_accuracy", "test_accuracy"]
    return {name: float(getattr(trainer, name)) for name in names}


class SweepJob:
    """A sweep as a Fleet job: it trains one cell at a time, in turns of the time it is
    given, and calls ``on_cell(index, values, figures)`` as each ends."""

    draws = False  # a headless job
    owes = False

    def __init__(
        self,
        base: RunConfig,
        cells: list[dict[str, float]],
        epochs: int,
        on_cell: Callable[[int, dict, dict], None] | None = None,
    ) -> None:
        self.base, self.cells, self.epochs = base, cells, epochs
        self.results: list[dict] = []
        self.on_cell = on_cell
        self.stopped = False
        self._trainer = None
        self._epoch = 0

    @property
    def done(self) -> bool:
        return len(self.results) == len(self.cells)

    @property
    def playing(self) -> bool:
        return not (self.done or self.stopped)

    @property
    def wants_training(self) -> bool:
        return self.playing

    def stop(self) -> None:
        self.stopped = True

    def fail(self) -> None:
        self.stopped = True

    def train_chunk(self, seconds: float) -> None:
        """At least one epoch, then epochs until ``seconds`` have passed or the sweep ends."""
        end = time.perf_counter() + seconds
        while self.playing:
            if self._trainer is None:
                values = self.cells[len(self.results)]
                self._trainer = start_run(configure(self.base, values))[2]
                self._epoch = 0
            if self._epoch < self.epochs:
                self._trainer.epoch()
                self._epoch += 1
            if self._epoch == self.epochs:
                self._finish_cell()
            if time.perf_counter() >= end:
                return

    def _finish_cell(self) -> None:
        index = len(self.results)
        values = self.cells[index]
        figures = final_figures(self._trainer)
        self.results.append({**values, **figures})
        self._trainer = None
        if self.on_cell is not None:
            self.on_cell(index, values, figures)

    def run_to_end(self) -> list[dict]:
        """Every cell, here and now (the command line)."""
        while self.playing:
            self.train_chunk(math.inf)
        return self.results


def best_index(results: list[dict], metric: str = "test_loss") -> int | None:
    """The cell with the lowest ``metric`` (a loss) or highest (an accuracy); a run that
    diverged (NaN) is never the best."""
    scored = [(i, r[metric]) for i, r in enumerate(results) if math.isfinite(r[metric])]
    if not scored:
        return None
    pick = max if metric.endswith("accuracy") else min
    return pick(scored, key=lambda pair: pair[1])[0]
