"""One tab's optimizer race: the settings a link carries, and the paths they give.

Every param is a URL key (``playground.labs.scene``). The paths are computed whole when
a setting changes (the page has the lab worker compute them); the browser animates them,
so nothing runs on the server while the race plays.
"""

import param

from playground.labs.optimizers.race import LECTURE_HYPER, LECTURE_LR, RACERS, RacerPath, race
from playground.labs.optimizers.surfaces import SURFACES

DEFAULT_SURFACE = "himmelblau"
MAX_STEPS = 2000
LR_BOUNDS = (1e-5, 10.0)


def _rate(racer: str) -> param.Number:
    return param.Number(
        default=LECTURE_LR,
        bounds=LR_BOUNDS,
        softbounds=(1e-4, 1.0),
        label=f"{racer} learning rate",
        doc=f"the learning rate of the {racer} racer",
    )


def _fraction(default: float, label: str, top: float) -> param.Number:
    return param.Number(default=default, bounds=(0.0, top), label=label)


class OptimizerLabState(param.Parameterized):
    surface = param.Selector(default=DEFAULT_SURFACE, objects=list(SURFACES), label="Surface")
    racers = param.ListSelector(default=list(RACERS), objects=list(RACERS), label="Racers")
    sgdLr = _rate("SGD")
    momentumLr = _rate("Momentum")
    nesterovLr = _rate("Nesterov")
    adagradLr = _rate("Adagrad")
    rmspropLr = _rate("RMSprop")
    adamLr = _rate("Adam")
    momentum = _fraction(LECTURE_HYPER["momentum"]["momentum"], "Momentum μ", 0.999)
    rho = _fraction(LECTURE_HYPER["rmsprop"]["rho"], "RMSprop ρ", 0.9999)
    beta1 = _fraction(LECTURE_HYPER["adam"]["beta1"], "Adam β1", 0.999)
    beta2 = _fraction(LECTURE_HYPER["adam"]["beta2"], "Adam β2", 0.99999)
    startX = param.Number(default=SURFACES[DEFAULT_SURFACE].start[0], bounds=(-10.0, 10.0))
    startY = param.Number(default=SURFACES[DEFAULT_SURFACE].start[1], bounds=(-10.0, 10.0))
    steps = param.Integer(default=500, bounds=(1, MAX_STEPS), label="Steps")
    speed = param.Number(default=1.0, bounds=(0.1, 10.0), step=0.1, label="Playback speed")
    showPath = param.Boolean(default=True, label="Path")
    showGradient = param.Boolean(default=True, label="Gradient arrow")
    showMomentum = param.Boolean(default=False, label="Momentum arrow")
    showStep = param.Boolean(default=False, label="Step arrow (after the optimizer)")
    showSquares = param.Boolean(default=False, label="√Σg² squares (Adagrad, RMSprop)")

    def __init__(self, **params) -> None:
        # A link that names a surface but no start begins at that surface's start.
        surface = SURFACES[params.get("surface", DEFAULT_SURFACE)]
        params.setdefault("startX", surface.start[0])
        params.setdefault("startY", surface.start[1])
        super().__init__(**params)

    @param.depends("surface", watch=True)
    def _start_of_surface(self) -> None:
        x, y = SURFACES[self.surface].start
        self.param.update(startX=x, startY=y)

    def learning_rate(self, racer: str) -> float:
        return getattr(self, f"{racer}Lr")

    def hyper_parameters(self, racer: str) -> dict[str, float]:
        """The racer's own settings besides its learning rate (epsilon: the default)."""
        own = {
            "momentum": {"momentum": self.momentum},
            "nesterov": {"momentum": self.momentum},
            "rmsprop": {"rho": self.rho},
            "adam": {"beta1": self.beta1, "beta2": self.beta2},
        }
        return own.get(racer, {})

    def race_arguments(self) -> dict:
        """``race``'s arguments for this scene (the page runs it in the lab worker)."""
        chosen = [name for name in RACERS if name in self.racers]
        return {
            "surface": self.surface,
            "start": (self.startX, self.startY),
            "steps": self.steps,
            "racers": {n: (self.learning_rate(n), self.hyper_parameters(n)) for n in chosen},
        }

    def paths(self) -> dict[str, RacerPath]:
        """Each chosen racer's path, in the registry's order."""
        return race(**self.race_arguments())
