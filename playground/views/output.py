"""The big output plot: the decision heatmap over [-6, 6]^2 and the data points."""

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, LinearColorMapper
from bokeh.plotting import figure

from playground.colors import HEATMAP_ALPHA, NAN_COLOR, PALETTE, quantize
from playground.state import PlaygroundState

EXTENT = 6.0


def palette_mapper() -> LinearColorMapper:
    """Maps uint8 palette indices (NAN_INDEX included) to the original's colours."""
    colors = [*PALETTE, NAN_COLOR]
    return LinearColorMapper(palette=colors, low=-0.5, high=len(colors) - 0.5)


def label_indices(labels: np.ndarray) -> np.ndarray:
    """Point colours: the quantized colour of each label (regression labels get shades)."""
    return quantize(labels).astype(np.int32)


class OutputPlot(pn.viewable.Viewer):
    def __init__(self, state: PlaygroundState, size: int = 300) -> None:
        super().__init__()
        self.state = state
        self._image = ColumnDataSource(
            {"image": [np.zeros((100, 100), dtype=np.uint8)], "frame": [0]}
        )
        self._train = ColumnDataSource({"x": [], "y": [], "c": []})
        self._test = ColumnDataSource({"x": [], "y": [], "c": []})
        self.figure = self._make_figure(size)
        self._pane = pn.pane.Bokeh(self.figure, css_classes=["output-plot"])
        self.draw_points()
        state.param.watch(lambda _: self.draw_points(), ["data_version"])
        state.param.watch(self._show_test_changed, ["show_test_data"])

    def _make_figure(self, size: int):
        fig = figure(
            width=size,
            height=size,
            x_range=(-EXTENT, EXTENT),
            y_range=(-EXTENT, EXTENT),
            toolbar_location=None,
            tools="",
            min_border=20,
            y_axis_location="right",
            match_aspect=True,
            name="output-figure",
            css_classes=["output-plot"],
        )
        fig.image(
            image="image",
            source=self._image,
            x=-EXTENT,
            y=-EXTENT,
            dw=2 * EXTENT,
            dh=2 * EXTENT,
            color_mapper=palette_mapper(),
            alpha=HEATMAP_ALPHA,
        )
        mapper = palette_mapper()
        fig.scatter(
            "x",
            "y",
            source=self._train,
            size=6,
            line_color="white",
            line_width=1,
            fill_color={"field": "c", "transform": mapper},
        )
        self._test_renderer = fig.scatter(
            "x",
            "y",
            source=self._test,
            size=6,
            line_color="black",
            line_alpha=0.6,
            line_width=1,
            fill_color={"field": "c", "transform": mapper},
            visible=self.state.show_test_data,
        )
        fig.grid.visible = False
        for axis in (fig.xaxis, fig.yaxis):
            axis.ticker = list(range(-6, 7))
            axis.major_label_text_font_size = "9px"
        fig.outline_line_color = None
        return fig

    def draw_points(self) -> None:
        """Points change only with the data; points outside the plot are not drawn."""
        data = self.state.data
        for source, X, y in (
            (self._train, data.X_train, data.y_train),
            (self._test, data.X_test, data.y_test),
        ):
            inside = np.all(np.abs(X) <= EXTENT, axis=1)
            source.data = {"x": X[inside, 0], "y": X[inside, 1], "c": label_indices(y[inside])}

    def _show_test_changed(self, event) -> None:
        self._test_renderer.visible = event.new

    @property
    def image_source(self) -> ColumnDataSource:
        return self._image

    def update(self, values: np.ndarray, discretize: bool = False, frame: int = 0) -> None:
        """Draws a (100, 100) map whose row 0 is y = +6 (Bokeh's row 0 is the bottom).

        ``frame`` travels with the picture so the browser can acknowledge it.
        """
        self._image.data = {"image": [quantize(values[::-1], discretize)], "frame": [frame]}

    def __panel__(self):
        return self._pane
