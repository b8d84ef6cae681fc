"""The loss chart: training (grey) and test (black) loss against the epoch."""

import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

from playground.state import PlaygroundState


class LossChart(pn.viewable.Viewer):
    def __init__(self, state: PlaygroundState, width: int = 150, height: int = 55) -> None:
        super().__init__()
        self.state = state
        self._source = ColumnDataSource({"epoch": [], "train": [], "test": []})
        self._sent = 0
        self._network_version = -1
        fig = figure(
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
            self._sent = len(history["epoch"])
            return
        if len(history["epoch"]) > self._sent:
            new = {key: history[key][self._sent :] for key in ("epoch", "train", "test")}
            self._source.stream(new)
            self._sent = len(history["epoch"])

    def __panel__(self):
        return self._pane
