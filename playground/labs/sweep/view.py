"""The sweep lab's view: the controls, Run and Stop, a heat map that fills in as the
runs finish (the best marked; a click opens that run in the playground), and the table
of runs, each with its link.

The runs are a ``SweepJob`` of this server's Fleet, which shares the CPU between it and
the playing tabs; a closed tab's sweep stops at once.
"""

import html
import math

import numpy as np
import panel as pn
from bokeh.models import ColorBar, ColumnDataSource, LinearColorMapper, OpenURL, TapTool
from bokeh.palettes import Viridis256
from bokeh.plotting import figure

from playground.labs.page import LabView, lab_controls, served_document
from playground.labs.scene import LabScene, url_params
from playground.labs.sweep.state import NO_AXIS, SweepState
from playground.labs.when_free import WhenFree
from playground.session import process_fleet
from playground.sweep import SweepJob, best_index
from playground.views.focus import ringed

EXPLANATION = (
    "Which learning rate, which batch size? The same scene is trained once for every "
    "pair of values (or for random draws from ranges), each run from the same data and "
    "the same first weights, and each square shows where its run ended. Dark is a low "
    "loss (or accuracy: bright is high); the ringed square is the best. Click a square, "
    "or a row of the table, to open that run in the playground."
)
FIELDS = ("x", "y", "label", "value", "link", "text", "ink")
ONE_ROW = "runs"  # the y factor of a sweep over one setting
READY = "Press Run to train the runs."
CONTROL_PX = 230
PLOT_PX = 340  # in the first screen of a laptop at 150 %, under the readout


def _label(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class SweepView:
    def __init__(self, state: SweepState, scene: LabScene, doc) -> None:
        self.state, self.doc = state, doc
        self.outbox = WhenFree(doc)
        self.job: SweepJob | None = None
        self.source = ColumnDataSource({name: [] for name in FIELDS})
        self.best = ColumnDataSource({"x": [], "y": []})
        # Said once the browser is connected (a click before that would be lost).
        self.readout = pn.pane.HTML(
            READY if doc is None else "Connecting…",
            css_classes=["sweep-readout"],
            sizing_mode="stretch_width",
        )
        self.table = pn.pane.HTML("", css_classes=["sweep-table"], sizing_mode="stretch_width")
        self.run_button = pn.widgets.Button(
            **ringed(), label="Run", color="primary", height=44, css_classes=["ui-runButton"]
        )
        self.stop_button = pn.widgets.Button(
            **ringed(), label="Stop", disabled=True, height=44, css_classes=["ui-stopButton"]
        )
        self.run_button.on_click(lambda _event: self.run())
        self.stop_button.on_click(lambda _event: self.stop())
        names = list(url_params(SweepState))
        fitted = {  # the column's width: Panel's default (300 px) is wider
            name: pn.Param(
                state.param[name], show_name=False, widgets={name: {"width": CONTROL_PX}}
            )
            for name in names
        }
        self.controls = [
            pn.Row(self.run_button, self.stop_button),
            *lab_controls(state, names, scene.hidden, **fitted),
        ]
        self.pane = pn.pane.Bokeh(self._figure([], []), sizing_mode="stretch_width", height=PLOT_PX)
        state.param.watch(lambda *_: self.stop(), list(url_params(SweepState)))
        if doc is not None:
            pn.state.onload(lambda: setattr(self.readout, "object", READY))

    # -- the runs ---------------------------------------------------------------------

    def run(self) -> None:
        self.stop()
        try:
            cells, base = self.state.cells(), self.state.base()
        except ValueError as problem:
            self.readout.object = f"<b>Cannot run:</b> {html.escape(str(problem))}"
            return
        self.job = job = SweepJob(base, cells, self.state.epochs, self._cell_done)
        self._lay_out(cells)
        self.run_button.disabled, self.stop_button.disabled = True, False
        fleet = process_fleet()
        fleet.join(job)
        if self.doc is not None:
            fleet.start()
            fleet.wake()
        else:  # a test without a server: here and now
            job.run_to_end()
        self._show()

    def stop(self) -> None:
        job, self.job = self.job, None
        if job is not None:
            job.stop()
            process_fleet().leave(job)
        self.run_button.disabled, self.stop_button.disabled = False, True

    def _cell_done(self, _index: int, _values: dict, _figures: dict) -> None:
        job = self.job
        if job is not None and job.done:
            process_fleet().leave(job)
        # The Fleet trains on the server's loop, outside this document's lock.
        if self.doc is not None:
            self.doc.add_next_tick_callback(lambda: self.outbox.send("cells", self._show))
        else:
            self._show()

    # -- the pictures -----------------------------------------------------------------

    def _lay_out(self, cells: list[dict]) -> None:
        positions = [self._position(cell) for cell in cells]
        xs = list(dict.fromkeys(x for x, _ in positions))
        ys = list(dict.fromkeys(y for _, y in positions))
        self.pane.object = self._figure(xs, ys)

    def _position(self, cell: dict) -> tuple:
        """Where a cell's square goes: its values (random draws), or their labels (a
        grid's rows and columns)."""
        state = self.state
        x, y = cell[state.x], cell[state.y] if state.y != NO_AXIS else None
        if state.random:
            return x, 0 if y is None else y
        return _label(x), ONE_ROW if y is None else _label(y)

    def _figure(self, x_factors: list[str], y_factors: list[str]):
        state = self.state
        random = bool(state.random)
        options = {"x_range": x_factors, "y_range": y_factors or [ONE_ROW]} if not random else {}
        if random and x_factors:
            options = {"x_axis_type": "log" if state.axes()[0].logarithmic else "linear"}
            y = state.axes()[1]
            options["y_axis_type"] = "log" if y is not None and y.logarithmic else "linear"
        plot = figure(
            height=PLOT_PX, sizing_mode="stretch_width", toolbar_location=None, tools="",
            x_axis_label=state.x, y_axis_label="" if state.y == NO_AXIS else state.y,
            **options,
        )  # fmt: skip
        plot.toolbar.logo = None
        low, high = self._range()
        mapper = LinearColorMapper(palette=Viridis256, low=low, high=high, nan_color="#dddddd")
        colour = {"field": "value", "transform": mapper}
        if random:
            cells = plot.scatter(
                "x", "y", source=self.source, size=18, fill_color=colour, line_color="#333"
            )
        else:
            cells = plot.rect(
                "x", "y", 1, 1, source=self.source, fill_color=colour, line_color="white"
            )
            plot.text("x", "y", text="text", source=self.source, text_align="center",
                      text_baseline="middle", text_font_size="12px", text_color="ink")  # fmt: skip
        ring = {"source": self.best, "fill_alpha": 0, "line_color": "#e8590c", "line_width": 5}
        if random:
            plot.scatter("x", "y", size=30, **ring)
        else:  # the best square's edge
            plot.rect("x", "y", 0.96, 0.96, **ring)
        plot.add_tools(TapTool(renderers=[cells], callback=OpenURL(url="@link", same_tab=False)))
        plot.add_layout(
            ColorBar(color_mapper=mapper, title=state.metric.replace("_", " ")), "right"
        )
        return plot

    def _range(self) -> tuple[float, float]:
        results = self.job.results if self.job is not None else []
        values = [r[self.state.metric] for r in results if math.isfinite(r[self.state.metric])]
        if not values:
            return 0.0, 1.0
        return min(values), max(values) if max(values) > min(values) else min(values) + 1e-9

    def _show(self) -> None:
        job, state = self.job, self.state
        if job is None:
            return
        results = job.results
        metric = state.metric
        data = {name: [] for name in FIELDS}
        keys = list(job.cells[0])
        for result in results:
            x, y = self._position(result)
            data["x"].append(x)
            data["y"].append(y)
            value = result[metric]
            data["value"].append(value if math.isfinite(value) else np.nan)
            data["text"].append(f"{value:.3g}" if math.isfinite(value) else "diverged")
            data["label"].append(", ".join(f"{k} {_label(result[k])}" for k in keys))
            data["link"].append(state.cell_link({k: result[k] for k in keys}))
        low, high = self._range()
        # Dark text on the bright end of the palette, white on the dark.
        data["ink"] = [
            "#222222" if math.isfinite(v) and (v - low) > 0.6 * (high - low) else "white"
            for v in data["value"]
        ]
        plot = self.pane.object
        plot.select_one(LinearColorMapper).update(low=low, high=high)
        self.source.data = data
        best = best_index(results, metric)
        self.best.data = (
            {"x": [data["x"][best]], "y": [data["y"][best]]}
            if best is not None
            else {"x": [], "y": []}
        )
        self.readout.object = self._summary(data, best)
        self.table.object = self._table(data, best)
        if job.done:
            self.run_button.disabled, self.stop_button.disabled = False, True

    def _summary(self, data: dict, best: int | None) -> str:
        text = f"<b>{len(data['label'])} of {len(self.job.cells)} runs</b> done"
        if best is not None:
            metric = self.state.metric.replace("_", " ")
            text += f"; the best so far: {html.escape(data['label'][best])}, {metric} {data['text'][best]}"
        return text + "."

    def _table(self, data: dict, best: int | None) -> str:
        rows = "".join(
            f"<tr{' class=best' if i == best else ''}><td>{html.escape(label)}</td>"
            f"<td>{html.escape(text)}</td><td><a href='{html.escape(link)}' target='_blank'>Open in the playground</a></td></tr>"
            for i, (label, text, link) in enumerate(
                zip(data["label"], data["text"], data["link"], strict=True)
            )
        )
        metric = self.state.metric.replace("_", " ")
        return f"<table><tr><th>Run</th><th>{metric}</th><th></th></tr>{rows}</table>"

    def main(self):
        # The class names the map for the browser tests (a Bokeh pane's own does not
        # reach the page).
        heat_map = pn.Column(self.pane, css_classes=["sweep-map"], sizing_mode="stretch_width")
        return pn.Column(self.readout, heat_map, self.table, sizing_mode="stretch_width")


def build_view(state: SweepState, scene: LabScene) -> LabView:
    view = SweepView(state, scene, served_document())
    pn.state.on_session_destroyed(lambda _context: view.stop())
    pn.state.on_session_destroyed(view.outbox.end)
    return LabView(view.controls, view.main(), EXPLANATION)
