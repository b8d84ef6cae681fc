"""Two runs trained in lockstep, and what a frame shows of each. No Panel here.

Both runs come from ``model.start_run``: the same seed gives the same data and, after
it in the same stream, the same first weights wherever the two networks have the same
shape and initializer (``same_start`` says whether they do). ``Comparison.train`` trains
an epoch of one, then of the other, so that both have always done as many epochs.
"""

import time

import numpy as np

from playground.colors import HEATMAP_ALPHA, map_palette, rgb
from playground.engine.grid import GridEvaluator
from playground.history import LossHistory
from playground.model import start_run
from playground.run_config import RunConfig
from playground.views.pictures import Pictures

GRID = 80  # cells per side of a boundary picture: the browser scales it up


class Run:
    """One side: its data, trainer, picture maker and loss history."""

    def __init__(self, config: RunConfig) -> None:
        self.config = config
        _, self.data, self.trainer = start_run(config)
        self.first_weights = self.trainer.net.params.copy()
        self.grid = GridEvaluator(list(config.features), config.sizes, GRID)
        self.pictures = Pictures(self.trainer.head, config.sizes[-1])
        self.colours = palette(config.classes)
        self.losses = LossHistory()  # bounded: a run may play for an hour

    @property
    def diverged(self) -> bool:
        return self.trainer.diverged

    def record(self, epoch: int) -> None:
        self.trainer.update_losses()
        self.losses.append(epoch, self.trainer.train_loss, self.trainer.test_loss)

    def image(self, discretize: bool = False) -> np.ndarray:
        """The output over the plane as (GRID, GRID) uint8 indices into ``colours``, row 0
        at y = -6 (as Bokeh's ``image`` draws it): a quarter of the bytes of colours."""
        maps = self.grid.evaluate(self.trainer.net)
        indices = self.pictures.output(maps, discretize).astype(np.uint8)
        return indices[::-1].copy()  # the grid's row 0 is the top, y = +6


def palette(classes: int) -> list[str]:
    """Each picture index's colour, painted over white as the playground's plot shows it."""
    shades = []
    for colour in map_palette(classes):
        r, g, b = (round(255 + (c - 255) * HEATMAP_ALPHA) for c in rgb(colour))
        shades.append(f"#{r:02x}{g:02x}{b:02x}")
    return shades


class Comparison:
    """Runs ``a`` and ``b`` from their configs, trained in lockstep."""

    def __init__(self, a: RunConfig, b: RunConfig) -> None:
        self.runs = (Run(a), Run(b))
        self.epoch = 0
        for run in self.runs:
            run.record(0)

    @property
    def same_start(self) -> bool:
        """Both networks start from the very same weights."""
        first, second = (run.first_weights for run in self.runs)
        return first.shape == second.shape and bool(np.array_equal(first, second))

    @property
    def diverged(self) -> list[int]:
        """The sides (0, 1) whose weights are no longer finite numbers."""
        return [side for side, run in enumerate(self.runs) if run.diverged]

    def train(self, epochs: int, budget_s: float | None = None) -> int:
        """Up to ``epochs`` epochs of each run, one of each in turn; fewer once ``budget_s``
        seconds have gone (at least one) or a run diverges. Records the losses once at
        the end; returns the epochs done (the same for both)."""
        start, done = time.perf_counter(), 0
        while done < epochs and not self.diverged:
            for run in self.runs:
                run.trainer.run(1, losses=False)
            done += 1
            if budget_s is not None and time.perf_counter() - start > budget_s:
                break
        if done:
            self.epoch += done
            for run in self.runs:
                run.record(self.epoch)
        return done
