"""One tab's overfitting scene: its params (each a URL key) and what they show.

No Panel here: the state runs without a browser, and the view redraws from
``state.picture()`` whenever a param changes.
"""

import secrets
from typing import NamedTuple

import numpy as np
import param

from playground.labs.overfitting.polyfit import (
    MAX_DEGREE,
    ErrorCurves,
    PolyData,
    error_curves,
    fit_polynomial,
    make_data,
    mean_error_curves,
)

SEED_LIMIT = 2**31  # seeds are 0 … SEED_LIMIT - 1: short enough to read in a link
DEFAULT_DEGREES = [1, 3, 10]
MAX_DRAWS = 200  # the mean of 200 draws shows the U; more would cost time, not insight
AVERAGES = (1, 20, 200)  # the draws the page offers (a link may name others)


class Picture(NamedTuple):
    data: PolyData
    fits: dict[int, np.ndarray]  # chosen degree -> coefficients, degrees ascending
    curves: ErrorCurves  # every degree 0 … MAX_DEGREE, of this draw
    mean_curves: ErrorCurves | None = None  # the same, the mean over ``draws`` draws

    @property
    def shown_curves(self) -> ErrorCurves:
        """What the error chart shows: the mean over the draws if asked for."""
        return self.curves if self.mean_curves is None else self.mean_curves


class OverfittingState(param.Parameterized):
    points = param.Integer(default=10, bounds=(2, 100), label="Training points N")
    noise = param.Number(default=1.0, bounds=(0.0, 3.0), step=0.05, label="Noise σ")
    degrees = param.ListSelector(
        default=DEFAULT_DEGREES, objects=list(range(MAX_DEGREE + 1)), label="Degrees"
    )
    ridge = param.Number(default=0.0, bounds=(0.0, 10.0), label="Ridge penalty λ")
    # Seed 20 draws a typical scene: among seeds 0-39 its degree-10 test error is the
    # median (about 20 times the straight line's), not a lucky or an extreme one.
    seed = param.Integer(default=20, bounds=(0, SEED_LIMIT - 1), label="Seed")
    # The URL's key, camelCase as the playground's keys. None: as many test points as
    # training points, as in the lecture.
    testPoints = param.Integer(default=None, allow_None=True, bounds=(1, 1000), label="Test points")
    # The error chart's errors: of the draw shown (1), or the mean over this many draws,
    # those of seeds seed, seed + 1, … (the expected error the lecture is about).
    draws = param.Integer(default=1, bounds=(1, MAX_DRAWS), label="Error chart shows")

    def picture(self, averaged: bool = True) -> Picture:
        """What the page shows. ``averaged=False``: without the mean over the draws (a
        served page has it computed in the lab's worker: ``mean_arguments``)."""
        data = make_data(self.points, self.noise, self.seed, self.testPoints)
        fits = {
            degree: fit_polynomial(data.x_train, data.y_train, degree, self.ridge)
            for degree in sorted(set(self.degrees))
        }
        arguments = self.mean_arguments()
        mean = mean_error_curves(**arguments) if averaged and arguments else None
        return Picture(data, fits, error_curves(data, self.ridge), mean)

    def mean_arguments(self) -> dict | None:
        """``mean_error_curves``'s arguments for the error chart's mean (None: one draw,
        no mean)."""
        if self.draws == 1:
            return None
        return {
            "points": self.points,
            "noise": self.noise,
            "seed": self.seed,
            "draws": self.draws,
            "test_points": self.testPoints,
            "ridge": self.ridge,
        }

    def regenerate(self) -> None:
        """A new draw of both point sets: a fresh seed, never the current one."""
        seed = self.seed
        while seed == self.seed:
            seed = secrets.randbelow(SEED_LIMIT)
        self.seed = seed
