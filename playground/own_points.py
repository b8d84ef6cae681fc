"""A session's own points, as the state's methods: points drawn on the plot, a file's
points, a stored scene opened again.

Drawn points are a setting (``points``, in the link); the drawn set is the data while it
is the dataset in use, and a change to them makes the data again from the same seed while
training goes on. A file's points are the session's ``own`` dataset, for the uploaded
set's name of their problem type. Mixed into ``PlaygroundState``; imports no UI library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import param

from playground.datasets import Dataset, SeedRandom
from playground.datasets.own import (
    DRAWN_SETS,
    EXTENT,
    MAX_DRAWN,
    UPLOADED_SETS,
    at_level,
    drawn_point,
)

if TYPE_CHECKING:
    from playground.scene_file import StoredScene

REACH = 0.25  # a click this close to a drawn point (plot units) removes it
FULL_NOTE = f"The drawing is full: {MAX_DRAWN:,} points are the most a session keeps."


class OwnPoints:
    """Methods of ``PlaygroundState`` for a session's own points."""

    @property
    def drawing(self) -> bool:
        """The drawn set is the data in use (Draw mode)."""
        return self.current_dataset in DRAWN_SETS.values()

    def start_drawing(self) -> None:
        """Draw mode: the drawn set of the problem type becomes the data."""
        self._set_dataset(DRAWN_SETS[self.problem])

    def stop_drawing(self, back_to: str) -> None:
        if self.drawing:
            self._set_dataset(back_to)

    def _set_dataset(self, name: str) -> None:
        if self.problem == "classification":
            self.dataset = name
        else:
            self.reg_dataset = name

    def toggle_point(self, x: float, y: float, label: float) -> None:
        """A click at (x, y) in Draw mode: the drawn point within ``REACH`` of it goes, or
        else a point of ``label`` (a class number, or a value for regression) comes."""
        config = self.config
        problem, points = config.problem, self.points
        if points:
            data = np.asarray(points, dtype=np.float64).reshape(-1, 3)
            distance = np.hypot(*(at_level(data[:, :2], -EXTENT, EXTENT) - (x, y)).T)
            if problem == "classification":  # a class the set does not have is not shown
                distance[data[:, 2] >= config.classes] = np.inf
            nearest = int(np.argmin(distance))
            if distance[nearest] <= REACH:
                self.points = points[:nearest] + points[nearest + 1 :]
                return
        if len(points) >= MAX_DRAWN:
            self.message = FULL_NOTE
            return
        self.points = (*points, drawn_point(x, y, label, problem))

    def clear_points(self) -> None:
        self.points = ()

    def use_file(self, own: Dataset) -> None:
        """A file's points become the data: the uploaded set of their problem type."""
        self.own = own
        version = self.data_version
        with param.parameterized.batch_call_watchers(self):
            self.problem = own.problem
            self._set_dataset(UPLOADED_SETS[own.problem])
        if self.data_version == version:  # the same set's name as before: no change heard
            self.regenerate()

    def open_stored(self, scene: StoredScene) -> None:
        """A stored scene: its settings, its points as they were split, its network as it
        was after its epochs from its initial network, and its loss chart."""
        self.own = scene.own
        with param.discard_events(self):
            self.param.update(**scene.settings)
        self._fit_features()
        self._rng = SeedRandom(self.seed)
        self.data = scene.data
        self.data_version += 1
        self.start_from(scene.network)
        self.initial_network = scene.initial
        self.changed_while_training = not scene.replayable
        self.epoch = self.trainer.epoch_count = scene.epoch  # the rate's decay goes on
        if scene.history is not None:
            self.loss_history = scene.history
