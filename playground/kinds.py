"""The kinds of value a setting takes: pure data, no behaviour.

Each consumer of ``playground.settings`` maps a kind's class to what it builds: a param
(``state.py``), a URL reader (``url.py``), a widget (``views/controls.py``), an argparse
type (``cli.py``). Choices backed by a registry read it whenever they are needed.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from playground.datasets import DATASETS
from playground.datasets.own import CHARS_PER_POINT
from playground.engine import FEATURES


@dataclass(frozen=True)
class Choice:
    """One name out of ``options()``: {name: label}, read whenever it is needed."""

    options: Callable[[], Mapping[str, str]]
    what: str  # "an activation", for notes


@dataclass(frozen=True)
class Dataset:
    """A dataset of one problem type (the other problem's names belong to another key)."""

    problem: str

    def options(self) -> dict[str, str]:
        return {name: spec.label for name, spec in DATASETS.items() if spec.problem == self.problem}


@dataclass(frozen=True)
class Rate:
    """A dropdown of numbers; a URL value between them snaps to the nearest (log scale)."""

    values: tuple[float, ...]


@dataclass(frozen=True)
class Steps:
    """A dropdown of named values, read from the URL by value."""

    values: Mapping[str, int]  # label -> value


@dataclass(frozen=True)
class Slider:
    """A whole number from ``low`` to ``high`` in steps of ``step``."""

    low: int
    high: int
    step: int = 1


@dataclass(frozen=True)
class Number:
    """Any number from ``low`` to ``high`` (a hyper-parameter such as momentum); the
    control steps by ``step``, a slider if ``slider`` else a box to type in."""

    low: float
    high: float
    step: float
    slider: bool = False


@dataclass(frozen=True)
class Flag:
    """True or false; in a URL anything but ``false`` is true (the original's rule)."""


@dataclass(frozen=True)
class Text:
    """Any text, verbatim."""


@dataclass(frozen=True)
class Shape:
    """Neurons per hidden layer."""

    max_layers: int
    max_neurons: int


@dataclass(frozen=True)
class Features:
    """A subset of the input features; in a URL each feature is a flag of its own key."""

    def options(self) -> dict[str, str]:
        return {name: spec.label for name, spec in FEATURES.items()}


@dataclass(frozen=True)
class Points:
    """Points drawn on the plane, each (x, y, label) as whole 12-bit steps
    (``datasets.own``); in a URL six characters a point, up to ``most`` points."""

    most: int

    @property
    def longest(self) -> int:
        """The most characters a URL value may have."""
        return self.most * CHARS_PER_POINT


Kind = Choice | Dataset | Rate | Steps | Slider | Number | Flag | Text | Shape | Features | Points
