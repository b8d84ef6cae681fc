"""One tab's optimizer race: the settings a link carries, and the paths they give.

Every param is a URL key (``playground.labs.scene``). The paths are computed whole when
a setting changes (the page has the lab worker compute them); the browser animates them,
so nothing runs on the server while the race plays.

The racers' params come from the engine's optimizer registry (``racers.py``): a
learning rate per racer (``adamLr``) and one param per hyper-parameter of the race
(``beta1``). A param class is made once per registry (``lab_state_class``), with its
params in the order links write them: surface, racers, the rates, the hyper-parameters,
then the start, length, playback and overlays.
"""

from functools import cache

import param

from playground.engine import OPTIMIZERS
from playground.labs.optimizers.race import RacerPath, race
from playground.labs.optimizers.racers import (
    HyperParameter,
    default_rate,
    race_hyper_parameters,
    racers,
    rate_key,
    takes,
)
from playground.labs.optimizers.surfaces import SURFACES

DEFAULT_SURFACE = "himmelblau"
MAX_STEPS = 2000
LR_BOUNDS = (1e-5, 10.0)


def _rate(name: str, label: str) -> param.Number:
    return param.Number(
        default=default_rate(DEFAULT_SURFACE, name),
        bounds=LR_BOUNDS,
        softbounds=(1e-4, 1.0),
        label=f"{label} learning rate",
        doc=f"the learning rate of the {label} racer",
    )


def _hyper(hyper: HyperParameter) -> param.Number:
    return param.Number(
        default=hyper.default, bounds=(hyper.range.low, hyper.top), label=hyper.label
    )


class RaceScene(param.Parameterized):
    """What every race's settings do; ``lab_state_class`` adds the params."""

    def __init__(self, **params) -> None:
        # A link that names a surface but no start or rates begins at that surface's.
        name = params.get("surface", DEFAULT_SURFACE)
        surface = SURFACES[name]
        params.setdefault("startX", surface.start[0])
        params.setdefault("startY", surface.start[1])
        for racer in self._racers():
            params.setdefault(rate_key(racer), default_rate(name, racer))
        super().__init__(**params)
        self.param.watch(self._defaults_of_surface, ["surface"])

    def _defaults_of_surface(self, event) -> None:
        """A new surface brings its start, and its rates for the racers whose rate is
        still the old surface's: a rate the student set stays."""
        x, y = SURFACES[event.new].start
        rates = {
            rate_key(racer): default_rate(event.new, racer)
            for racer in self._racers()
            if self.learning_rate(racer) == default_rate(event.old, racer)
        }
        self.param.update(startX=x, startY=y, **rates)

    def default_value(self, name: str):
        """What a link may leave out for param ``name`` (``labs.scene.scene_query``):
        a racer's rate on this surface is the surface's own."""
        for racer in self._racers():
            if name == rate_key(racer):
                return default_rate(self.surface, racer)
        return self.param[name].default

    @classmethod
    def _racers(cls) -> list[str]:
        """The racers of this class's registry (the registry may have grown since)."""
        return list(cls.param.racers.objects)

    def learning_rate(self, racer: str) -> float:
        return getattr(self, rate_key(racer))

    def hyper_parameters(self, racer: str) -> dict[str, float]:
        """The racer's own settings besides its learning rate (ε: its own default)."""
        return {name: getattr(self, name) for name in takes(racer)}

    def race_arguments(self) -> dict:
        """``race``'s arguments for this scene (the page runs it in the lab worker)."""
        chosen = [name for name in racers() if name in self.racers]
        return {
            "surface": self.surface,
            "start": (self.startX, self.startY),
            "steps": self.steps,
            "racers": {n: (self.learning_rate(n), self.hyper_parameters(n)) for n in chosen},
        }

    def paths(self) -> dict[str, RacerPath]:
        """Each chosen racer's path, in the registry's order."""
        return race(**self.race_arguments())


def lab_state_class() -> type[RaceScene]:
    """The race's settings for the engine's optimizers as registered now."""
    return _state_class(tuple(OPTIMIZERS.items()))


@cache
def _state_class(registry: tuple) -> type[RaceScene]:
    names = [name for name, _ in registry]
    params = {
        "surface": param.Selector(default=DEFAULT_SURFACE, objects=list(SURFACES), label="Surface"),
        "racers": param.ListSelector(default=list(names), objects=list(names), label="Racers"),
        **{rate_key(name): _rate(name, optimizer.label) for name, optimizer in registry},
        **{name: _hyper(hyper) for name, hyper in race_hyper_parameters().items()},
        "startX": param.Number(default=SURFACES[DEFAULT_SURFACE].start[0], bounds=(-10.0, 10.0)),
        "startY": param.Number(default=SURFACES[DEFAULT_SURFACE].start[1], bounds=(-10.0, 10.0)),
        "steps": param.Integer(default=500, bounds=(1, MAX_STEPS), label="Steps"),
        "speed": param.Number(default=1.0, bounds=(0.1, 10.0), step=0.1, label="Playback speed"),
        "showPath": param.Boolean(default=True, label="Path"),
        "showGradient": param.Boolean(default=True, label="Gradient arrow"),
        "showMomentum": param.Boolean(default=False, label="Momentum arrow"),
        "showStep": param.Boolean(default=False, label="Step arrow (after the optimizer)"),
        "showSquares": param.Boolean(default=False, label="√Σg² squares (Adagrad, RMSprop)"),
    }
    return type("OptimizerLabState", (RaceScene,), {"__module__": __name__, **params})


OptimizerLabState = lab_state_class()  # for the engine's own optimizers
