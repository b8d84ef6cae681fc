"""The loss chart: training (grey) and test (black) loss against the epoch."""

import math

import panel as pn
from bokeh.models import ColumnDataSource, Range1d
from bokeh.plotting import figure

from playground.state import PlaygroundState


class LossChart(pn.viewable.Viewer):
    def __init__(self, state: PlaygroundState, width: int = 150, height: int = 55) -> None:
        super().__init__()
        self.state = state
        self._source = ColumnDataSource({"epoch": [], "train": [], "test": []})
        self._sent = 0
        self._network_version = -1
        # Ranges set from Python, as the original's [min, max] since reset: auto-ranging
        # would make every browser send its computed ranges back on every frame.
        self._x_range, self._y_range = Range1d(0, 1), Range1d(0, 1)
        self._low, self._high = math.inf, -math.inf
        fig = figure(
            x_range=self._x_range,
            y_range=self._y_range,
            width=width,
            height=height,
            toolbar_location=None,
            tools="",
            min_border=2,
            name="loss-chart",
            css_classes=["loss-chart"],
        )
        fig.line("epoch", "train", source=self._source, line_color="#777", line_width=1.5)
        fig.line("epoch", "test", source=self._source, line_color="black", line_width=1.5)
        fig.axis.visible = False
        fig.grid.visible = False
        fig.outline_line_color = None
        self.figure = fig
        self._pane = pn.pane.Bokeh(fig, css_classes=["loss-chart"])
        self.update()

    def update(self) -> None:
        """Sends only the points added since the last call; a reset starts afresh."""
        history = self.state.loss_history
        if self.state.network_version != self._network_version:
            self._network_version = self.state.network_version
            self._source.data = {key: list(history[key]) for key in ("epoch", "train", "test")}
            self._low, self._high = math.inf, -math.inf
            self._fit(history["train"] + history["test"], history["epoch"])
            self._sent = len(history["epoch"])
            return
        if len(history["epoch"]) > self._sent:
            new = {key: history[key][self._sent :] for key in ("epoch", "train", "test")}
            self._source.stream(new)
            self._fit(new["train"] + new["test"], history["epoch"])
            self._sent = len(history["epoch"])

    def _fit(self, new_losses: list[float], epochs: list[int]) -> None:
        """Widens the y range to every finite loss since reset; x spans the epochs."""
        finite = [v for v in new_losses if math.isfinite(v)]
        if finite:
            self._low, self._high = min(self._low, *finite), max(self._high, *finite)
            pad = 0.05 * (self._high - self._low) or 0.01
            self._y_range.update(start=self._low - pad, end=self._high + pad)
        if epochs:
            self._x_range.update(start=epochs[0], end=max(epochs[-1], epochs[0] + 1))

    def __panel__(self):
        return self._pane
