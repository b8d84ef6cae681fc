"""The Hopfield lab's page: controls, the live picture and charts, the capacity experiment
(``capacity.py``).

The network runs on the server, in a session's periodic callback that runs only while
the tab plays (Panel stops it when the session ends, and the end is logged); each tick
sends what changed as one message to ``HopfieldCanvas`` (``assets/hopfield.js``), which
draws it on canvases and sends back the strokes of the pen. A tick sends only while the
browser's socket is free (``when_free.py``) and sweeps only then: a browser that stops
reading stops the sweeps it would not see, and the server's memory stays as it was.
"""

import logging
import time
from importlib import resources
from typing import ClassVar

import numpy as np
import panel as pn
import param
from panel.custom import JSComponent

from playground.labs.hopfield.capacity import CapacityExperiment
from playground.labs.hopfield.state import HISTORY, HopfieldState
from playground.labs.offload import TabJob
from playground.labs.page import LabView, lab_controls, served_document
from playground.labs.scene import LabScene
from playground.labs.when_free import WhenFree
from playground.pipe.library import BrowserMessages, send_to_view
from playground.views.esm import join_modules
from playground.views.focus import ringed

log = logging.getLogger("playground")
ASSETS = resources.files("playground.assets")
TICK_MS = 50  # 20 pictures a second; faster speeds run several sweeps per tick
TICK_WORK_S = 0.01  # a tick's sweeps stop after this (the playground trains 2.5 ms at a time)
SESSION_END = "hopfield session ended: periodic callback stopped"
BUTTONS = ("playButton", "stepButton", "restartButton", "capacityButton")
CSS = """
:host { font-size: var(--text, 14px); }
.hopfield { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
.hopfield-picture { display: block; cursor: crosshair; touch-action: none;
  border: 1px solid #ccc; max-width: 100%; }
.hopfield-readout { color: #444; margin-top: 6px; }
.hopfield-hint { color: #666; }
.hopfield-chart-box { position: relative; margin-bottom: 6px; }
.hopfield-chart { display: block; }
/* Inside the chart's frame (hopfield.js CHART: 44 px left, 18 top, 8 right, 16 bottom). */
.hopfield-chart-empty { position: absolute; inset: 18px 8px 16px 44px; margin: 0;
  display: flex; align-items: center; justify-content: center; text-align: center;
  padding: 0 8px; color: #555; line-height: 1.3; }
.hopfield-chart-empty[hidden] { display: none; }
.hopfield-legend { color: #444; max-width: 340px; }
.hopfield-key { margin-right: 10px; white-space: nowrap; }
.hopfield-swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; }
.hopfield-more { color: #666; }
"""
EXPLANATION = (
    "A Hopfield network keeps pictures in its couplings. Each of the N = side² neurons "
    "is a spin S = ±1, and Hebb's rule J = (1/N) Σ<sub>μ</sub> ξ<sup>μ</sup>ξ<sup>μᵀ</sup> "
    "(no neuron coupled to itself) digs a valley of the energy E = &minus;½ SᵀJS at every "
    "stored pattern ξ<sup>μ</sup>. Damage a picture, or scribble on it, and press play: "
    "one neuron at a time, in a fresh random order each sweep, neuron i feels the field "
    "h<sub>i</sub> = Σ<sub>j</sub> J<sub>ij</sub>S<sub>j</sub> and becomes +1 with "
    "probability 1/(1 + e<sup>&minus;2h<sub>i</sub>/T</sup>). At T = 0 it just follows the sign "
    "of h<sub>i</sub>, so the energy can only fall and the picture slides into the nearest "
    "valley; heat makes it tremble, one memory melts above T = 1, and beyond about 0.14·N "
    "random patterns (&alpha; = p/N ≈ 0.14) the memories blur into each other. Letters look "
    "alike, so they crowd each other sooner. The notes write the rule for n = (S + 1)/2 "
    "∈ {0, 1}: as h<sub>i</sub> = 2 Σ<sub>j</sub> J<sub>ij</sub>(n<sub>j</sub> &minus; ½), our "
    "probability is 1/(1 + e<sup>&minus;4β Σ<sub>j</sub> J<sub>ij</sub>(n<sub>j</sub> &minus; ½)</sup>) "
    "with β = 1/T: the 4β is our 2/T times the 2 of S = 2n &minus; 1, and the &minus;½ is a threshold "
    "½ Σ<sub>j</sub> J<sub>ij</sub> on Σ<sub>j</sub> J<sub>ij</sub>n<sub>j</sub>."
)


def spin_text(S: np.ndarray) -> str:
    """The spins as text, row by row: "1" for +1, "0" for -1 (N bytes a picture)."""
    return ((S > 0).astype(np.uint8) + ord("0")).tobytes().decode("ascii")


class HopfieldCanvas(BrowserMessages, JSComponent):
    scene = param.Dict(default={}, doc="side, names, spins and history: see hopfield.js")

    _esm = join_modules(ASSETS / "hopfield.js")
    _stylesheets: ClassVar[list[str]] = [CSS]

    def __init__(self, on_message, **params) -> None:
        super().__init__(**params)
        self._on_message = on_message

    def browser_message(self, data) -> None:
        self._on_message(data)


class HopfieldPage:
    """One tab: the state, its canvas, its periodic callback (only while playing), and
    what the browser has been sent."""

    def __init__(self, state: HopfieldState, doc=None) -> None:
        self.state = state
        self.scene_id = 0
        self.sent_sweep = 0  # the browser has every sweep up to this one
        self.scene_changed = False  # rebuilt or restarted since the last scene sent
        self.budget = 0.0  # sweeps owed to the speed setting, carried between ticks
        self.last_tick = time.monotonic()
        # As wide as the page allows: the charts go below the picture on a phone.
        self.canvas = HopfieldCanvas(
            self.browser_message, sizing_mode="stretch_width", css_classes=["hopfield-view"]
        )
        self.outbox = WhenFree(doc)
        self.callback = pn.state.add_periodic_callback(self.tick, period=TICK_MS, start=False)
        state.param.watch(self._playing, "playing")
        state.param.watch(lambda _: self.changed(scene=True), ["restarts"])
        self.send_scene()

    def changed(self, scene: bool = False) -> None:
        """Something to show: sent when the browser's socket is free (``WhenFree``)."""
        self.scene_changed |= scene
        self.outbox.send("picture", self._send)

    def _send(self) -> None:
        if self.scene_changed:
            self.send_scene()
        else:
            self.send_frame()

    def send_scene(self) -> None:
        state, shown = self.state, self.state.tracked
        self.scene_id += 1
        self.scene_changed = False
        self.sent_sweep = state.sweep
        history = len(state.energies)
        self.canvas.scene = {
            "id": self.scene_id,
            "side": state.side,
            "names": [state.names[k] for k in shown],
            "total": len(state.names),
            "spins": spin_text(state.net.S),
            "sweep": state.sweep,
            "sweeps": list(range(state.sweep - history + 1, state.sweep + 1)),
            "energy": list(state.energies),
            "overlaps": state.overlap_history,
            "energy_now": state.net.energy(),
            "overlaps_now": state.net.overlaps()[shown].tolist(),
        }

    def send_frame(self) -> None:
        """The sweeps since the last frame (those still kept), and the picture now."""
        state = self.state
        new = min(state.sweep - self.sent_sweep, len(state.energies))
        self.sent_sweep = state.sweep
        message = {
            "id": self.scene_id,
            "sweep": state.sweep,
            "spins": spin_text(state.net.S),
            "sweeps": list(range(state.sweep - new + 1, state.sweep + 1)),
            "energy": state.energies[len(state.energies) - new :],
            "overlaps": state.overlap_history[len(state.overlap_history) - new :],
            "keep": HISTORY,
            "energy_now": state.net.energy(),  # after a stroke, too, with no new sweep
            "overlaps_now": state.net.overlaps()[state.tracked].tolist(),
        }
        send_to_view(self.canvas, message)

    def step(self, sweeps: int = 1) -> None:
        self.state.step(sweeps)
        self.changed()

    def tick(self) -> None:
        now = time.monotonic()
        if not self.outbox.free:
            # The browser has not taken the last picture yet (a slow or hidden tab, or
            # one that never reads): no sweeps it would not see.
            self.last_tick = now
            return
        self.budget = min(self.budget + (now - self.last_tick) * self.state.speed, 20.0)
        self.last_tick = now
        sweeps = self.run_sweeps(int(self.budget))
        if sweeps:
            self.budget -= sweeps
            self.changed()

    def run_sweeps(self, owed: int) -> int:
        """Up to ``owed`` sweeps, as many as fit in ``TICK_WORK_S`` (one at least); says
        how many. The event loop serves every tab of the process, and a sweep of the
        largest picture, hot, takes ~25 ms: such a tab sweeps slower than its speed."""
        started = time.perf_counter()
        done = 0
        while done < owed and (done == 0 or time.perf_counter() - started < TICK_WORK_S):
            self.state.step(1)
            done += 1
        return done

    def _playing(self, event) -> None:
        if event.new:
            self.last_tick, self.budget = time.monotonic(), 1.0  # the first sweep at once
            self.callback.start()
        else:
            self.callback.stop()

    def browser_message(self, data) -> None:
        """A stroke of the pen: ``{"draw": [cells], "value": 1 or -1, "id": scene}``;
        anything else, or cells that are not in the picture, are ignored."""
        if not isinstance(data, dict) or data.get("id") != self.scene_id:
            return  # a stroke on a picture that has since been replaced
        cells, value = data.get("draw"), data.get("value")
        if isinstance(cells, list) and value in (1, -1) and len(cells) <= self.state.n:
            self.state.draw(cells, value)
            if not self.state.playing:
                self.changed()

    def end(self, _session_context) -> None:
        self.callback.stop()
        self.outbox.end(_session_context)
        log.info("%s after %d sweeps", SESSION_END, self.state.sweep)


def _widget(name: str, widget):
    widget.css_classes = [f"ui-{name}"]
    return widget


def build_view(state: HopfieldState, scene: LabScene) -> LabView:
    doc = served_document()
    page = HopfieldPage(state, doc)
    capacity = CapacityExperiment(state, TabJob(doc))
    for end in (page.end, capacity.job.end):
        pn.state.on_session_destroyed(end)
    # 44 px tall: a finger's size on a phone.
    play = _widget(
        "playButton",
        pn.widgets.Button(**ringed(), label="▶", width=56, height=44, color="primary"),
    )
    step = _widget("stepButton", pn.widgets.Button(**ringed(), label="Step", width=64, height=44))
    restart = _widget(
        "restartButton", pn.widgets.Button(**ringed(), label="Restart", width=80, height=44)
    )
    play.on_click(lambda _: state.toggle_play())
    state.param.watch(lambda e: setattr(play, "label", "❚❚" if e.new else "▶"), "playing")
    step.on_click(lambda _: page.step(1))
    start = _widget("startFrom", pn.widgets.Select(label="Start from (flipped)", width=230))

    def names_changed(*_events) -> None:
        start.options = {name: k for k, name in enumerate(state.names)}
        start.value = state.cue if state.names else None

    names_changed()
    state.param.watch(names_changed, ["restarts"])
    start.param.watch(
        lambda e: e.new is not None and e.new != state.cue and state.restart(e.new), "value"
    )
    restart.on_click(lambda _: state.restart(state.cue))
    sliders = {
        "speed": pn.widgets.IntSlider.from_param(state.param.speed, label="Speed (sweeps/s)"),
        "temperature": pn.widgets.FloatSlider.from_param(
            state.param.temperature, label="Temperature T"
        ),
        "flip": pn.widgets.FloatSlider.from_param(state.param.flip, label="Flip at the start"),
        "patterns": pn.widgets.CheckBoxGroup.from_param(
            state.param.patterns, label="Stored pictures", inline=True, width=230
        ),
        "random": pn.widgets.IntSlider.from_param(state.param.random, label="Random patterns"),
        "side": pn.widgets.IntSlider.from_param(state.param.side, label="Side (N = side²)"),
        "seed": pn.widgets.IntInput.from_param(state.param.seed, label="Seed", width=120),
    }
    for widget in sliders.values():
        widget.width = min(widget.width or 230, 230)
    widgets = {name: _widget(name, w) for name, w in sliders.items()}
    label = pn.pane.HTML("Stored pictures", margin=(8, 10, 0, 10))
    widgets["patterns"] = pn.Column(label, widgets["patterns"], css_classes=["ui-patterns"])
    actions = [w for name, w in (("playButton", play), ("stepButton", step),
                                 ("restartButton", restart)) if name not in scene.hidden]  # fmt: skip
    controls = [
        *lab_controls(state, ["speed", "temperature", "flip"], scene.hidden, **widgets),
        *([start] if "startFrom" not in scene.hidden else []),
        *lab_controls(state, ["patterns", "random", "side", "seed"], scene.hidden, **widgets),
    ]
    # The play row over the picture: on a phone it stays with it, above the controls.
    main = pn.Column(
        pn.Row(*actions, css_classes=["hopfield-actions"], margin=0),
        page.canvas,
        capacity.panel(with_button="capacityButton" not in scene.hidden),
        sizing_mode="stretch_width",
        margin=0,
    )
    return LabView(controls, main, EXPLANATION, driver=page)
