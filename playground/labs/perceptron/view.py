"""The perceptron lab's view: the points, the line the weights draw (w1·x + w2·y + b = 0),
the point the last update used, ringed, and a readout of the updates, the epoch and
what the rule has come to. Play shows the updates one after another (a periodic callback
that runs only while playing), Step one, Reset goes back to w = 0.

A run is computed whole when the settings change: ~0.35 s of a core for XOR's 500 points,
which on the server's event loop held every tab of the process. A served tab has it
computed in the lab's worker (``TabJob``: one at a time; after a burst of changes, one
more for the latest settings); meanwhile the readout says so and Play and Step wait."""

import logging
import time
from functools import partial

import panel as pn
from bokeh.models import ColumnDataSource, DataRange1d
from bokeh.plotting import figure

from playground.colors import SCALE
from playground.labs.offload import TabJob
from playground.labs.page import LabView, lab_controls, served_document
from playground.labs.perceptron.model import EXTENT, line_ends
from playground.labs.perceptron.state import MAX_EPOCHS, PerceptronState
from playground.labs.scene import LabScene, url_params
from playground.labs.when_free import WhenFree
from playground.views.focus import ringed

log = logging.getLogger("playground")
TICK_MS = 50
PLOT_PX = 340  # in the first screen of a laptop at 150 %, under the readout
SESSION_END = "perceptron session ended: periodic callback stopped"
COMPUTING = "Computing the rule's run for these settings…"
FAILED = "The run could not be computed; change a setting to try again."
EXPLANATION = (
    "Rosenblatt's rule looks at one point at a time. If the line puts it on the wrong "
    "side, the weights move by η·(y - ŷ)·x: the line turns and shifts toward that point "
    "(ringed); a point on its right side changes nothing. Where some straight line "
    "separates the two colours the rule finds one after a bounded number of updates and "
    "stops. On XOR or the circle no straight line can, and it never stops."
)


class PerceptronView:
    def __init__(self, state: PerceptronState, doc) -> None:
        self.state = state
        self.outbox = WhenFree(doc)
        self.job = TabJob(doc)
        self.served = doc is not None
        self.changed_meanwhile = False
        self.points = ColumnDataSource({"x": [], "y": [], "colour": []})
        self.line = ColumnDataSource({"x": [], "y": []})
        self.ring = ColumnDataSource({"x": [], "y": []})
        self.readout = pn.pane.HTML(css_classes=["perceptron-readout"], sizing_mode="stretch_width")
        self.plot = self._figure()
        self.budget, self.last_tick = 0.0, time.monotonic()
        self.callback = pn.state.add_periodic_callback(self.tick, period=TICK_MS, start=False)
        state.param.watch(self._playing, "playing")
        state.param.watch(lambda *_: self.outbox.send("picture", self.draw), "shown")
        settings = [n for n in url_params(PerceptronState) if n != "speed"]
        state.param.watch(lambda *_: self.new_run(), settings)
        if doc is None:
            self.new_run()
        else:  # drawn once the browser is connected: its readout says the page is ready
            self.readout.object = "Connecting…"
            pn.state.onload(self.new_run)

    def _figure(self):
        plot = figure(
            # Ranges from the data, the square [-6, 6]² at least (an invisible frame),
            # widened to keep one unit as long across as up.
            x_range=DataRange1d(), y_range=DataRange1d(), height=PLOT_PX,
            # One unit is as long across as up: the plane widens with the window.
            match_aspect=True, sizing_mode="stretch_width", toolbar_location=None, tools="",
        )  # fmt: skip
        plot.toolbar.logo = None
        plot.scatter([-EXTENT, EXTENT], [-EXTENT, EXTENT], size=0, alpha=0)  # the frame
        plot.scatter("x", "y", source=self.points, size=8, color="colour", line_color="white")
        plot.line("x", "y", source=self.line, line_width=3, color="#222222")
        plot.scatter("x", "y", source=self.ring, size=22, fill_alpha=0, line_color="#222222",
                     line_width=3)  # fmt: skip
        return plot

    def new_run(self) -> None:
        self.state.reset()
        if self.served and not self.state.ready:
            self.ask()
        else:
            self.show_run()

    def ask(self) -> None:
        """The worker computes the current settings' run (once the one it computes is done)."""
        if self.job.running:
            self.changed_meanwhile = True
            return
        self.readout.object = COMPUTING
        settings = self.state.settings()
        self.job.start(
            "perceptron", self.state.run_arguments(), partial(self.computed, settings), self.failed
        )

    def computed(self, settings: tuple, run) -> None:
        self.state.use_run(settings, run)
        if self.changed_meanwhile:
            self.changed_meanwhile = False
            if not self.state.ready:
                self.ask()
                return
        if self.state.ready:
            self.show_run()

    def failed(self) -> None:
        self.changed_meanwhile = False
        self.readout.object = FAILED

    def show_run(self) -> None:
        X, y, _ = self.state.run()
        colours = [SCALE[0] if label < 0 else SCALE[2] for label in y]  # as the playground's
        self.points.data = {"x": X[:, 0].tolist(), "y": X[:, 1].tolist(), "colour": colours}
        self.outbox.send("picture", self.draw)

    def draw(self) -> None:
        state = self.state
        if self.served and not state.ready:  # its run is being computed: drawn after
            return
        X, _, result = state.run()
        if state.shown:
            update = result.updates[state.shown - 1]
            xs, ys = line_ends(update.weights)
            ring = {"x": [X[update.index, 0]], "y": [X[update.index, 1]]}
        else:
            xs, ys, ring = [], [], {"x": [], "y": []}
        self.line.data = {"x": xs, "y": ys}
        self.ring.data = ring
        self.readout.object = self.summary()

    def summary(self) -> str:
        state, result = self.state, self.state.result
        total = len(result.updates)
        if not state.shown:
            return f"<b>w = 0</b>: no line yet. Play or Step to show the rule's {total} updates."
        update = result.updates[state.shown - 1]
        text = f"<b>Update {state.shown} of {total}</b>, epoch {update.epoch}. "
        if not state.finished:
            return text + "The ringed point was on the wrong side; the line moved toward it."
        if result.converged:
            epochs = len(result.mistakes)
            return text + (
                f"In epoch {epochs} no point was wrong: every point is on its side, and the "
                "rule stops for good."
            )
        return text + (
            f"After {MAX_EPOCHS} epochs, {result.mistakes[-1]} points were still wrong in the "
            "last one: no straight line separates these colours, so the rule never stops."
        )

    def step(self) -> None:
        if self.state.ready:
            self.state.step(1)

    def tick(self) -> None:
        now = time.monotonic()
        if not self.outbox.free or not self.state.ready:
            self.last_tick = now
            return
        self.budget = min(self.budget + (now - self.last_tick) * self.state.speed, 50.0)
        self.last_tick = now
        if self.budget >= 1:
            self.state.step(int(self.budget))
            self.budget -= int(self.budget)

    def _playing(self, event) -> None:
        if event.new:
            if self.state.ready and self.state.finished:
                self.state.shown = 0  # Play at the end starts over
            self.last_tick, self.budget = time.monotonic(), 1.0
            self.callback.start()
        else:
            self.callback.stop()

    def end(self, _session_context) -> None:
        self.callback.stop()
        self.outbox.end(_session_context)
        self.job.end(_session_context)
        log.info("%s after %d updates", SESSION_END, self.state.shown)


def _button(name: str, label: str, **options):
    # 44 px tall: a finger's size on a phone.
    return pn.widgets.Button(
        **ringed(), label=label, height=44, css_classes=[f"ui-{name}"], **options
    )


def build_view(state: PerceptronState, scene: LabScene) -> LabView:
    view = PerceptronView(state, served_document())
    pn.state.on_session_destroyed(view.end)
    play = _button("playButton", "▶", color="primary", width=56)
    step = _button("stepButton", "Step", width=60)
    reset = _button("resetButton", "Reset", width=64)
    play.on_click(lambda _: setattr(state, "playing", not state.playing))
    state.param.watch(lambda e: setattr(play, "label", "❚❚" if e.new else "▶"), "playing")
    step.on_click(lambda _: view.step())
    reset.on_click(lambda _: state.reset())
    buttons = {"playButton": play, "stepButton": step, "resetButton": reset}
    actions = [button for name, button in buttons.items() if name not in scene.hidden]
    fitted = {
        name: pn.Param(state.param[name], show_name=False, widgets={name: {"width": 230}})
        for name in url_params(PerceptronState)
    }
    controls = [
        pn.Row(*actions),
        *lab_controls(state, list(url_params(PerceptronState)), scene.hidden, **fitted),
    ]
    plot = pn.Column(
        pn.pane.Bokeh(view.plot, sizing_mode="stretch_width", height=PLOT_PX),
        css_classes=["perceptron-plot"],
        sizing_mode="stretch_width",
    )
    main = pn.Column(view.readout, plot, sizing_mode="stretch_width")
    return LabView(controls, main, EXPLANATION)
