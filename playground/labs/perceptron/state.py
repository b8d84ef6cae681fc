"""One tab's perceptron scene: its params (each a URL key but the position shown) and
the run they mean. No Panel here."""

import param

from playground.engine.perceptron import PerceptronRun, train_perceptron
from playground.labs.perceptron.model import DATASETS, perceptron_data

MAX_EPOCHS = 100  # a set no line separates stops here


class PerceptronState(param.Parameterized):
    dataset = param.Selector(default="line", objects=list(DATASETS), label="Data")
    points = param.Integer(default=40, bounds=(2, 500), label="Points")
    seed = param.Integer(default=1, bounds=(0, 2**31 - 1), label="Seed")
    rate = param.Number(default=0.1, bounds=(0.001, 10.0), step=0.01, label="Learning rate η")
    noise = param.Number(default=0.0, bounds=(0.0, 50.0), step=5, label="Noise (%)")
    speed = param.Integer(default=4, bounds=(1, 100), label="Speed (updates/s)")
    # Not in the URL (precedence < 0): what the tab shows now.
    shown = param.Integer(default=0, precedence=-1, doc="updates shown so far")
    playing = param.Boolean(default=False, precedence=-1)

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self._key = None
        self._run = None

    def settings(self) -> tuple:
        return (self.dataset, self.points, self.seed, self.rate, self.noise)

    def run_arguments(self) -> dict:
        """``model.run``'s arguments for the current settings (the lab's worker computes
        a served tab's run from them)."""
        names = ("dataset", "points", "seed", "rate", "noise")
        return {**dict(zip(names, self.settings(), strict=True)), "epochs": MAX_EPOCHS}

    @property
    def ready(self) -> bool:
        """Whether the run of the current settings is at hand (``run`` would not compute)."""
        return self._key == self.settings()

    def use_run(self, settings: tuple, computed) -> None:
        """``computed``, the (X, y, PerceptronRun) of ``settings``, computed elsewhere."""
        self._key, self._run = settings, computed

    def run(self):
        """(X, y, PerceptronRun) of the current settings, computed once for them."""
        key = self.settings()
        if key != self._key:
            X, y = perceptron_data(self.dataset, self.points, self.seed, self.noise)
            self._run, self._key = (X, y, train_perceptron(X, y, self.rate, MAX_EPOCHS)), key
        return self._run

    @property
    def result(self) -> PerceptronRun:
        return self.run()[2]

    @property
    def finished(self) -> bool:
        return self.shown >= len(self.result.updates)

    def step(self, updates: int = 1) -> None:
        self.shown = min(self.shown + updates, len(self.result.updates))
        if self.finished:
            self.playing = False

    def reset(self) -> None:
        self.playing = False
        self.shown = 0
