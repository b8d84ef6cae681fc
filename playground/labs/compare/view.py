"""The compare lab's view: Play, Step and Reset for both runs; the shared controls and
each side's; the two boundaries side by side (one above the other on a phone), and one
chart with both runs' losses. A frame trains both runs the same number of epochs, then
draws both: the two sides always show the same epoch. The clock (a periodic callback)
runs only while playing and stops when the tab closes."""

import html
import logging

import panel as pn
import param
from bokeh.models import ColumnDataSource, DataRange1d, LinearColorMapper, Range1d
from bokeh.plotting import figure

from playground.colors import CLASS_COLORS
from playground.labs.compare.state import COMPARED, SHARED, CompareState
from playground.labs.page import LabView, controls_of, served_document
from playground.labs.when_free import WhenFree
from playground.settings import SETTINGS
from playground.views.focus import ringed
from playground.views.setting_bar import options_of

log = logging.getLogger("playground")
TICK_MS = 50
PICTURE_PX = 440  # the most a boundary takes across (and up)
# The two boundaries side by side, each as wide as half the room allows; on a phone one
# above the other.
PICTURES_CSS = """
:host { display: grid !important; column-gap: 0.5rem; justify-content: space-evenly;
  grid-template-columns: repeat(2, minmax(0, 440px)); }
@media (max-width: 700px) { :host { grid-template-columns: minmax(0, 1fr); } }
"""
CHART_PX = 240
# Above the loss chart until the first epoch: what to do to fill it.
WAITING = "Press \u25b6 or Step: both runs' losses are drawn below, epoch by epoch."
EXTENT = 6.0
SIDE_NAMES = ("A", "B")
SIDE_COLOURS = ("#e8590c", "#0877bd")  # A and B on the chart, and on their headings
SESSION_END = "compare session ended: periodic callback stopped"
EXPLANATION = (
    "The same data and the same first weights, trained twice: A and B differ only in the "
    "settings you pick (say plain SGD against Adam, tanh against ReLU, or a batch of 1 "
    "against one of 30). Play trains both, epoch for epoch, so the two pictures always "
    "show the same epoch; the chart puts their losses on one scale (solid: test, dashed: "
    "training). Reset, or any change, starts both again from epoch 0 and the same first "
    "weights. Other settings of a side come "
    "from its link: <code>a.networkShape=8,8</code>."
)


class CompareView:
    def __init__(self, state: CompareState, doc) -> None:
        self.state = state
        self.outbox = WhenFree(doc)
        self.images = [ColumnDataSource({"image": []}) for _ in SIDE_NAMES]
        self.points = ColumnDataSource({"x": [], "y": [], "colour": []})
        # The first point from the start: a chart with no data at all has no ranges.
        self.losses = [ColumnDataSource(run.losses.since(0)) for run in state.comparison.runs]
        self.readout = pn.pane.HTML(css_classes=["compare-readout"], sizing_mode="stretch_width")
        self.chart_hint = pn.pane.HTML(
            f"<p>{html.escape(WAITING)}</p>", css_classes=["compare-chart-hint"], margin=(0, 10)
        )
        self.mappers: list = [None, None]
        self.sent = [(-1, 0), (-1, 0)]  # per side: the history's generation and points sent
        self.figures = [self._picture(side) for side in range(2)]
        self.chart = self._chart()
        self.callback = pn.state.add_periodic_callback(self.tick, period=TICK_MS, start=False)
        state.param.watch(self._playing, "playing")
        # A pause may come with news: a run that diverged.
        state.param.watch(lambda *_: self.outbox.send("frame", self.draw), ["epoch", "playing"])
        state.param.watch(lambda *_: self.new_runs(), ["run_version"])
        if doc is None:
            self.new_runs()
        else:  # drawn once the browser is connected: its readout says the page is ready
            self.readout.object = "Connecting…"
            pn.state.onload(self.new_runs)

    # -- the pictures ------------------------------------------------------------------

    def _picture(self, side: int):
        plot = figure(
            x_range=Range1d(-EXTENT, EXTENT), y_range=Range1d(-EXTENT, EXTENT),
            sizing_mode="scale_width", aspect_ratio=1, max_width=PICTURE_PX,
            toolbar_location=None, tools="",
            title=SIDE_NAMES[side], min_border=4,
        )  # fmt: skip
        plot.toolbar.logo = None
        plot.title.text_color = SIDE_COLOURS[side]
        self.mappers[side] = LinearColorMapper(palette=["#ffffff"], low=-0.5, high=0.5)
        plot.image("image", x=-EXTENT, y=-EXTENT, dw=2 * EXTENT, dh=2 * EXTENT,
                   source=self.images[side], color_mapper=self.mappers[side])  # fmt: skip
        plot.scatter("x", "y", source=self.points, size=5, color="colour", line_color="white",
                     line_width=0.5)  # fmt: skip
        return plot

    def _chart(self):
        plot = figure(
            height=CHART_PX, sizing_mode="stretch_width", toolbar_location=None, tools="",
            x_axis_label="epoch", y_axis_label="loss", min_border_left=40,
            x_range=DataRange1d(start=0),  # epochs: never a negative one before the runs
        )  # fmt: skip
        plot.toolbar.logo = None
        for side, source in enumerate(self.losses):
            colour, name = SIDE_COLOURS[side], SIDE_NAMES[side]
            plot.line("epoch", "test", source=source, color=colour, line_width=2.5,
                      legend_label=f"{name} test")  # fmt: skip
            plot.line("epoch", "train", source=source, color=colour, line_width=1.5,
                      line_dash="dashed", legend_label=f"{name} training")  # fmt: skip
        plot.legend.location = "top_right"
        plot.legend.orientation = "horizontal"
        plot.legend.background_fill_alpha = 0.7
        return plot

    def new_runs(self) -> None:
        """The runs started again: their points and titles, then a frame."""
        comparison = self.state.comparison
        data = comparison.runs[0].data
        classes = comparison.runs[0].config.classes
        colours = [CLASS_COLORS[0] if label < 0 else CLASS_COLORS[1] for label in data.y_train]
        if classes > 2:
            colours = [CLASS_COLORS[int(label) % len(CLASS_COLORS)] for label in data.y_train]
        self.points.data = {
            "x": data.X_train[:, 0].tolist(), "y": data.X_train[:, 1].tolist(), "colour": colours,
        }  # fmt: skip
        for side, plot in enumerate(self.figures):
            plot.title.text = f"{SIDE_NAMES[side]}: {self.differences(side)}"
            colours = comparison.runs[side].colours
            # Index i is the palette's i-th colour: bins of width 1 centred on each index.
            self.mappers[side].update(palette=colours, low=-0.5, high=len(colours) - 0.5)
        self.sent = [(-1, 0), (-1, 0)]
        self.outbox.send("frame", self.draw)

    def differences(self, side: int) -> str:
        """What sets this side apart: the compared settings whose values differ."""
        state = self.state
        a, b = state.settings(0), state.settings(1)
        names = [n for n in COMPARED if a[n] != b[n]] or ["optimizer"]
        shown = state.settings(side)
        return ", ".join(f"{SETTINGS[n].label.lower()} {shown[n]}" for n in names)

    def draw(self) -> None:
        with pn.io.hold():  # one message: the browser never shows one side a frame ahead
            self._draw()

    def _draw(self) -> None:
        comparison = self.state.comparison
        for side, run in enumerate(comparison.runs):
            self.images[side].data = {"image": [run.image()]}
            self._send_losses(side, run.losses)
        self.readout.object = self.summary()
        waiting = comparison.epoch == 0
        if self.chart_hint.visible != waiting:
            self.chart_hint.visible = waiting

    def _send_losses(self, side: int, history) -> None:
        """Only the points the browser does not have, unless the history was thinned."""
        generation, count = self.sent[side]
        if generation != history.generation:
            self.losses[side].data = history.since(0)
        elif len(history) > count:
            self.losses[side].stream(history.since(count))
        self.sent[side] = (history.generation, len(history))

    def summary(self) -> str:
        comparison = self.state.comparison
        losses = "; ".join(
            f"<b style='color:{SIDE_COLOURS[side]}'>{SIDE_NAMES[side]}</b> test loss "
            f"{run.losses['test'][-1]:.3f}"
            for side, run in enumerate(comparison.runs)
        )
        text = f"<b>Epoch {comparison.epoch} on both</b>: {losses}."
        if comparison.diverged:
            names = " and ".join(SIDE_NAMES[side] for side in comparison.diverged)
            text += f" {names} diverged (the loss is no longer a number): lower its learning rate."
        if not comparison.same_start:
            text += (
                " <i>The two networks differ in shape or initializer, so their first weights "
                "cannot be the same; both come from the same seed.</i>"
            )
        return text

    # -- the clock ---------------------------------------------------------------------

    def tick(self) -> None:
        if not self.outbox.free:  # the browser is behind: no training it cannot see
            return
        if self.state.playing:
            self.state.frame()

    def _playing(self, event) -> None:
        if event.new:
            self.callback.start()
        else:
            self.callback.stop()

    def end(self, session_context) -> None:
        self.callback.stop()
        self.outbox.end(session_context)
        log.info("%s after %d epochs", SESSION_END, self.state.epoch)


def _button(name: str, label: str, **options):
    # 44 px tall: a finger's size on a phone.
    return pn.widgets.Button(**ringed(), label=label, height=44, css_classes=[f"ui-{name}"],
                             **options)  # fmt: skip


def _labelled(settings, name: str) -> dict:
    """A dropdown's options as the playground names them ({"SGD": "sgd"}), not as the
    link writes them."""
    parameter = settings.param[name]
    if not isinstance(parameter, param.Selector):
        return {}
    labels = {value: label for label, value in options_of(SETTINGS[name]).items()}
    return {"options": {labels.get(v, str(v)): v for v in parameter.objects}}


def _controls(state: CompareState, doc) -> list:
    """The shared controls, then each side's under its heading; a link hides one with
    ``<key>_hide=true`` (both sides') or ``a.<key>_hide=true``."""
    shown = []
    groups = [("Both", state.shared, SHARED, state.hidden[0] & state.hidden[1])]
    groups += [(SIDE_NAMES[side], state.sides[side], COMPARED, state.hidden[side])
               for side in range(2)]  # fmt: skip
    for title, settings, names, hidden in groups:
        widgets = []
        for name in names:
            if SETTINGS[name].key in hidden:
                continue
            widget = pn.Param(settings.param[name], show_name=False,
                              widgets={name: {"width": 230, **_labelled(settings, name)}})  # fmt: skip
            widgets.append(widget)
            if doc is not None:
                controls_of(doc)[f"{title}.{name}"] = widget
        if widgets:
            colour = SIDE_COLOURS[SIDE_NAMES.index(title)] if title in SIDE_NAMES else "#333"
            heading = f"<h2 style='color:{colour}'>{html.escape(title)}</h2>"
            shown += [pn.pane.HTML(heading, css_classes=["compare-heading"], margin=(0, 10)),
                      *widgets]  # fmt: skip
    return shown


def build_view(state: CompareState) -> LabView:
    doc = served_document()
    view = CompareView(state, doc)
    pn.state.on_session_destroyed(view.end)
    play = _button("playButton", "▶", color="primary", width=56)
    step = _button("stepButton", "Step", width=60)
    reset = _button("resetButton", "Reset", width=64)
    play.on_click(lambda _: state.toggle_play())
    state.param.watch(lambda e: setattr(play, "label", "❚❚" if e.new else "▶"), "playing")
    step.on_click(lambda _: state.step())
    reset.on_click(lambda _: state.restart())
    buttons = {"playButton": play, "stepButton": step, "resetButton": reset}
    actions = [button for name, button in buttons.items() if name not in state.buttons_hidden]
    controls = [pn.Row(*actions), *_controls(state, doc)]
    # The class names each side for the browser tests (a Bokeh pane's own does not
    # reach the page).
    pictures = pn.Column(
        *(pn.Column(pn.pane.Bokeh(plot, sizing_mode="scale_width", aspect_ratio=1,
                                  max_width=PICTURE_PX),
                    css_classes=[f"compare-side-{name.lower()}"], sizing_mode="stretch_width")
          for plot, name in zip(view.figures, SIDE_NAMES, strict=True)),
        css_classes=["compare-pictures"], stylesheets=[PICTURES_CSS], sizing_mode="stretch_width",
    )  # fmt: skip
    chart = pn.Column(view.chart_hint,
                      pn.pane.Bokeh(view.chart, sizing_mode="stretch_width", height=CHART_PX),
                      css_classes=["compare-chart"], sizing_mode="stretch_width")  # fmt: skip
    main = pn.Column(view.readout, pictures, chart, sizing_mode="stretch_width")
    return LabView(controls, main, EXPLANATION)
