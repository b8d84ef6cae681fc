"""The race's racers, from the engine's optimizer registry (``OPTIMIZERS``): one racer
per optimizer, in the registry's order, and the hyper-parameters they take.

Everything here is read afresh from the registry (a registry may grow): the racers'
names, their learning rates' URL keys (``<optimizer>Lr``), their colours and marker
shapes (by their place in the registry), and the race's hyper-parameters, each one URL
key, one control and one flag of ``playground optimize``, shared by the optimizers that
take it (Momentum and Nesterov share μ).

A hyper-parameter is in the race when its takers agree on its default or the lecture
gives it a value; ε is neither (Adagrad's is not Adam's), so each racer keeps its own.
No UI library here: the state, the page and the command read it.
"""

import math
from typing import NamedTuple

from playground.engine import OPTIMIZERS, Range, hyper_defaults, hyper_range, hyper_symbol
from playground.labs.optimizers.surfaces import SURFACES

LECTURE_LR = 0.01  # a racer's learning rate where its surface names none
# The lecture's values (its μ is 0.8, the engine's 0.9); any other hyper-parameter
# starts at the engine's default.
LECTURE_VALUES: dict[str, float] = {"momentum": 0.8, "rho": 0.99, "beta1": 0.9, "beta2": 0.999}
# Okabe and Ito's palette, which colour-blind readers tell apart (its yellow left out:
# too pale on the surface's picture); each racer also has its own marker shape.
COLOURS = ("#000000", "#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
# A marker: [corners, turn in radians] (0 corners: a circle).
MARKS = (
    (0, 0.0),  # circle
    (4, math.pi / 4),  # square
    (3, -math.pi / 2),  # triangle, point up
    (4, 0.0),  # diamond
    (3, math.pi / 2),  # triangle, point down
    (5, -math.pi / 2),  # pentagon
    (6, 0.0),  # hexagon
    (5, math.pi / 2),  # pentagon, point down
)
# How much closer to 1 than the engine's default the largest factor a link may set is:
# Adam's β2 of 0.999 may go to 0.99999.
FADING_ROOM = 100


class HyperParameter(NamedTuple):
    name: str  # the engine's keyword, the URL key and the flag (--name)
    default: float  # the lecture's value, else the engine's default
    symbol: str  # μ, ρ, β1
    takers: tuple[str, ...]  # the optimizers that take it, in the registry's order
    range: Range  # where its formula makes sense (the engine's)
    top: float | None  # the largest value a link or a control may set

    @property
    def label(self) -> str:
        """ "Momentum μ": its first taker and its symbol."""
        return f"{OPTIMIZERS[self.takers[0]].label} {self.symbol}"


def racers() -> tuple[str, ...]:
    """Every optimizer of the registry, in its order."""
    return tuple(OPTIMIZERS)


def rate_key(racer: str) -> str:
    """A racer's learning rate's URL key (and the state's param): ``adamLr``."""
    return f"{racer}Lr"


def default_rate(surface: str, racer: str) -> float:
    """A racer's learning rate on a surface until a student sets one: the surface's own
    for it (``surfaces.py``), else the lecture's."""
    return SURFACES[surface].rates.get(racer, LECTURE_LR)


def colour(racer: str) -> str:
    return COLOURS[racers().index(racer) % len(COLOURS)]


def mark(racer: str) -> tuple[int, float]:
    return MARKS[racers().index(racer) % len(MARKS)]


def _takers() -> dict[str, list[str]]:
    """Every hyper-parameter of the registry -> the optimizers that take it."""
    takers: dict[str, list[str]] = {}
    for name, optimizer in OPTIMIZERS.items():
        for hyper in hyper_defaults(optimizer):
            takers.setdefault(hyper, []).append(name)
    return takers


def _top(range_: Range, engine_default: float) -> float | None:
    if range_.high_open and range_.high == 1.0 and 0.0 <= engine_default < 1.0:
        return 1.0 - (1.0 - engine_default) / FADING_ROOM
    return range_.high if math.isfinite(range_.high) else None


def all_hyper_parameters() -> dict[str, HyperParameter]:
    """Every hyper-parameter an optimizer of the registry takes, by name (``ε`` too),
    as ``playground optimize`` offers them; ``default`` is the lecture's value, the
    takers' own default when they agree, else NaN (each keeps its own)."""
    found = {}
    for name, names in _takers().items():
        first = OPTIMIZERS[names[0]]
        defaults = {hyper_defaults(OPTIMIZERS[n])[name] for n in names}
        engine_default = hyper_defaults(first)[name]
        default = LECTURE_VALUES.get(name, engine_default if len(defaults) == 1 else math.nan)
        range_ = hyper_range(first, name)
        found[name] = HyperParameter(
            name, default, hyper_symbol(first, name), tuple(names), range_,
            _top(range_, engine_default),
        )  # fmt: skip
    return found


def race_hyper_parameters() -> dict[str, HyperParameter]:
    """The hyper-parameters the race sets, each one URL key and one control: those with
    one default for all their takers (ε has none: each racer keeps its own)."""
    return {name: h for name, h in all_hyper_parameters().items() if not math.isnan(h.default)}


def takes(racer: str) -> dict[str, HyperParameter]:
    """The race's hyper-parameters that ``racer`` takes."""
    return {name: h for name, h in race_hyper_parameters().items() if racer in h.takers}


def lecture_hyper(racer: str) -> dict[str, float]:
    """The race's starting values of the hyper-parameters ``racer`` takes."""
    return {name: h.default for name, h in takes(racer).items()}
