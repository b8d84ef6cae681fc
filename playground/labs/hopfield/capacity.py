"""The Hopfield lab's capacity experiment: a button, two charts and a caption.

The experiment takes ~0.3 s of a core. It runs in the server's lab worker process
(``TabJob``), not on the event loop, which serves every tab of the process: ten clicks
once froze them all for four seconds. One run per tab at a time; the button says that
it runs, and further clicks meanwhile do nothing.
"""

import time

import panel as pn
from bokeh.models import ColumnDataSource, Label, Span
from bokeh.plotting import figure

from playground.labs.hopfield.model import CapacityCurves
from playground.labs.hopfield.state import CAPACITY, HopfieldState
from playground.labs.offload import TabJob

RUN = "Run the capacity experiment"
RUNNING = "Running the experiment…"
FAILED = "The experiment failed; run it again"
EMPTY = "Press “Run the capacity experiment”\nto draw this curve"
BEFORE = (
    "<h4>Capacity experiment</h4><p class='capacity-hint'>The charts are empty until you "
    "press “Run the capacity experiment”: it stores more and more random patterns, then "
    "heats two of them, and measures how well each is recalled.</p>"
)
AFTER = "<h4>Capacity experiment</h4>"
TEXT_CSS = "h4 { font-size: var(--text, 14px); } p { font-size: var(--text, 14px); color: #444; }"


def _charts():
    by_alpha, by_t = ColumnDataSource({"x": [], "y": []}), ColumnDataSource({"x": [], "y": []})
    mean_field = ColumnDataSource({"x": [], "y": []})
    common = {"height": 260, "width": 350, "toolbar_location": None, "y_range": (-0.15, 1.05)}
    load = figure(
        title="Recall against load (T = 0)",
        x_axis_label="\u03b1 = p/N",
        x_range=(0, 0.32),
        **common,
    )
    load.add_layout(Span(location=0.138, dimension="height", line_dash="dashed", line_color="#999"))
    load.line("x", "y", source=by_alpha, line_width=2, color="#0877bd")
    load.scatter("x", "y", source=by_alpha, size=5, color="#0877bd")
    heat = figure(
        title="Recall against temperature (p = 2)", x_axis_label="T", x_range=(0, 1.55), **common
    )
    heat.line("x", "y", source=mean_field, line_dash="dashed", color="#f59322",
              legend_label="m = tanh(m/T)")  # fmt: skip
    heat.line("x", "y", source=by_t, line_width=2, color="#0877bd", legend_label="measured")
    heat.scatter("x", "y", source=by_t, size=5, color="#0877bd")
    # Under the chart, clear of the curves.
    legend = heat.legend[0]
    heat.center.remove(legend)
    legend.orientation = "horizontal"
    heat.add_layout(legend, "below")
    empty = []
    for fig in (load, heat):
        fig.yaxis.axis_label = "overlap after relaxation"
        fig.toolbar.logo = None
        middle = (fig.x_range.start + fig.x_range.end) / 2
        label = Label(
            x=middle, y=0.45, text=EMPTY, text_align="center", text_font_size="14px",
            text_color="#555",
        )  # fmt: skip
        fig.add_layout(label)
        empty.append(label)
    return (load, heat), (by_alpha, by_t, mean_field), empty


class CapacityExperiment:
    """The button, the charts, and the tab's one run at a time."""

    def __init__(self, state: HopfieldState, job: TabJob) -> None:
        self.state = state
        self.job = job
        self.started = 0.0
        self.figures, self.sources, self.empty_labels = _charts()
        self.heading = pn.pane.HTML(BEFORE, stylesheets=[TEXT_CSS], sizing_mode="stretch_width")
        self.button = pn.widgets.Button(label=RUN, height=44, css_classes=["ui-capacityButton"])
        self.button.on_click(self.run)

    def run(self, _event=None) -> None:
        kwargs = self.state.capacity_arguments()
        if self.job.start("capacity", kwargs, self.show, self.failed):
            self.started = time.perf_counter()
            self.button.param.update(label=RUNNING, disabled=True)

    def show(self, curves: CapacityCurves) -> None:
        self.state.capacity = curves
        by_alpha, by_t, mean_field = self.sources
        by_alpha.data = {"x": curves.alphas.tolist(), "y": curves.overlap_by_alpha.tolist()}
        by_t.data = {"x": curves.temperatures.tolist(), "y": curves.overlap_by_temperature.tolist()}
        mean_field.data = {"x": curves.temperatures.tolist(), "y": curves.mean_field.tolist()}
        for label in self.empty_labels:
            label.visible = False
        self.heading.object = AFTER
        took = time.perf_counter() - self.started
        self.button.param.update(label=f"Run again (took {took:.1f} s)", disabled=False)

    def failed(self) -> None:
        self.button.param.update(label=FAILED, disabled=False)

    def panel(self, with_button: bool = True):
        """The heading, the button (unless the link hides it), the charts, the caption."""
        caption = pn.pane.HTML(
            f"From each stored pattern itself, N = {CAPACITY['n']} neurons, "
            f"{CAPACITY['sweeps']} sweeps, the mean of {CAPACITY['trials']} networks per point "
            "(the overlap averaged over the last half of the sweeps); dashed: &alpha; ≈ 0.138, "
            "where recall breaks down as N grows.",
            css_classes=["hint"],
            sizing_mode="stretch_width",
        )
        return pn.Column(
            self.heading,
            *([self.button] if with_button else []),
            pn.FlexBox(*(pn.pane.Bokeh(fig) for fig in self.figures), flex_wrap="wrap"),
            caption,
            css_classes=["hopfield-capacity"],
        )
