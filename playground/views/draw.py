"""Draw mode: points of one's own, clicked onto the output plot.

The browser (``assets/draw.js``) shows the Draw button under the plot and, while it is
on, the class to draw (or, for regression, the value), Clear and the count; a click on
the plot sends its place in plot units with the chosen label. Everything it sends is
checked twice: against the message schema (``pipe/schema.py``), then here against the
scene (a class the set has, a value on [-1, 1], and only while drawing).
"""

from __future__ import annotations

import math

import numpy as np

from playground.colors import map_palette
from playground.datasets.own import EXTENT, MAX_DRAWN, MAX_LINK_POINTS
from playground.state import PlaygroundState, datasets_of
from playground.views.insight import class_names
from playground.views.output import point_set

DRAW_HINT = "Click the plot to add a point of the chosen class; click a point to remove it."
REG_DRAW_HINT = "Click the plot to add a point of the chosen value; click a point to remove it."


def swatches(state: PlaygroundState) -> list[str]:
    """The colour each class's points are drawn in (classification)."""
    classes = state.config.classes
    labels = np.array([-1.0, 1.0]) if classes == 2 else np.arange(float(classes))
    indices = point_set("p", np.zeros((classes, 2)), labels, classes)["p_c"]
    palette = map_palette(classes, state.palette)
    return [palette[i] for i in indices]


def draw_view(state: PlaygroundState) -> dict:
    """What the browser's draw bar shows."""
    problem = state.problem
    count = len(state.points)
    view = {
        "on": state.drawing,
        "offered": state.is_plane,
        "problem": problem,
        "count": count,
        "limit": MAX_LINK_POINTS,
        "most": MAX_DRAWN,
        "hint": DRAW_HINT if problem == "classification" else REG_DRAW_HINT,
    }
    if problem == "classification" and state.drawing:
        view["colours"] = swatches(state)
        view["names"] = class_names(state.config.classes)
    return view


class DrawHandlers:
    """The tab's answers to the draw bar's messages."""

    def __init__(self, state: PlaygroundState) -> None:
        self.state = state
        self._before = state.current_dataset  # where Draw off goes back to

    def drawing(self, on: bool) -> None:
        state = self.state
        if on and not state.drawing:
            self._before = state.current_dataset
            state.start_drawing()
        elif not on and state.drawing:
            back = self._before if self._before != state.current_dataset else None
            state.stop_drawing(back or _first_of(state))

    def draw(self, point) -> None:
        """[x, y, label] in plot units: a point goes or comes (only while drawing)."""
        state = self.state
        x, y, label = point
        if not state.drawing or not (abs(x) <= EXTENT and abs(y) <= EXTENT):
            return
        if state.problem == "classification":
            if not (float(label).is_integer() and 0 <= label < state.config.classes):
                return
            label = int(label)
        elif not (math.isfinite(label) and -1.0 <= label <= 1.0):
            return
        state.toggle_point(float(x), float(y), label)

    def clear(self, _true) -> None:
        if self.state.drawing:
            self.state.clear_points()


def _first_of(state: PlaygroundState) -> str:
    return datasets_of(state.problem)[0]
