"""The optimizer lab's page: controls, and the race drawn and animated in the browser.

The server computes every racer's whole path when a setting changes (in the lab worker,
off the event loop) and sends it once (``OptimizerRace.racers``);
``assets/optimizer_lab.js`` plays it back with requestAnimationFrame. Play, pause, step
and restart never reach the server, and a closed tab leaves nothing running here.
"""

import base64
import html
import math
from collections.abc import Callable
from functools import partial
from importlib import resources
from typing import ClassVar

import numpy as np
import panel as pn
import param
from panel.custom import JSComponent

from playground.engine import OPTIMIZERS
from playground.labs.offload import TabJob
from playground.labs.optimizers.race import RacerPath
from playground.labs.optimizers.racers import (
    all_hyper_parameters,
    colour,
    mark,
    race_hyper_parameters,
    racers,
    rate_key,
)
from playground.labs.optimizers.state import OptimizerLabState
from playground.labs.optimizers.surfaces import SURFACES, shading
from playground.labs.page import LabView, lab_controls, served_document
from playground.labs.scene import LabScene, scene_query
from playground.labs.when_free import WhenFree
from playground.pipe.library import BrowserMessages
from playground.views.esm import join_modules

ASSETS = resources.files("playground.assets")
TITLE = "Optimizers racing on a loss surface"
F32_MAX = float(np.finfo(np.float32).max)
GRID = 300  # the surface picture's cells per side; the browser scales it to the canvas
OVERLAYS = ("showPath", "showGradient", "showMomentum", "showStep", "showSquares")

NUMBERS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")
EXPLANATION = (
    "{count} optimizers start from the same point and walk downhill on a loss surface of two "
    "parameters, each using only the gradient where it stands. Plain gradient descent "
    "steps straight down the slope, so on a narrow valley it zig-zags or, with too large a "
    "learning rate, flies off. Momentum and Nesterov carry part of every earlier step "
    "along, which speeds them up along a valley floor but lets them overshoot. Adagrad and "
    "RMSprop divide each coordinate's step by the root of its squared gradients so far "
    "(Adagrad's running sum, RMSprop's fading average), which evens out steep and flat "
    "directions; Adagrad's sum only grows, so it slows down for good. Adam combines a "
    "fading average of the gradient with RMSprop's scaling. Click the picture to start "
    "elsewhere, switch on the arrows to see what each optimizer feels, and change a "
    "learning rate to watch a racer crawl or diverge."
)


def _packed(values: np.ndarray | None, dtype=np.float32) -> str:
    """Little-endian numbers as base64 ("" for none): a path is sent once, compactly."""
    if values is None:
        return ""
    if np.dtype(dtype) == np.float32:
        # A racer flying off passes float32's range long before float64's; drawn, it is
        # far outside the picture either way.
        values = np.clip(values, -F32_MAX, F32_MAX)
    return base64.b64encode(
        np.ascontiguousarray(values, dtype=f"<{np.dtype(dtype).str[1:]}")
    ).decode()


def explanation() -> str:
    """The lab's paragraph, counting the engine's optimizers."""
    count = len(racers())
    return EXPLANATION.format(count=NUMBERS[count] if count < len(NUMBERS) else count)


def racer_record(path: RacerPath, steps: int, lr: float, hyper: dict[str, float]) -> dict:
    """What the browser needs of one racer's path: its label, colour and marker
    (``racers.py``), its settings, and its vectors as float32 (for drawing); the loss as
    float64, which keeps the chart's small values and huge ones."""
    symbols = all_hyper_parameters()
    settings = ", ".join([f"lr {lr:g}"] + [f"{symbols[k].symbol} {v:g}" for k, v in hyper.items()])
    return {
        "name": path.name,
        "label": OPTIMIZERS[path.name].label,
        "color": colour(path.name),
        "mark": list(mark(path.name)),
        "settings": settings,
        "steps": steps,  # asked for; a racer that diverged has fewer points
        "count": len(path.points),
        "divergedAt": path.diverged_at,
        "points": _packed(path.points),
        "loss": _packed(path.loss, np.float64),
        "grad": _packed(path.grad),
        "step": _packed(path.step),
        "momentum": _packed(path.momentum),
        "squares": _packed(path.root_sum_squares),
    }


def surface_record(name: str) -> dict:
    surface = SURFACES[name]
    levels = np.round(shading(surface, GRID) * 255).astype(np.uint8)
    return {
        "name": name,
        "formula": surface.formula.replace("-", "\N{MINUS SIGN}"),
        "window": list(surface.window),
        "grid": GRID,
        "levels": base64.b64encode(levels.tobytes()).decode(),
        "minima": [list(point) for point in surface.minima],
        "saddles": [list(point) for point in surface.saddle_points],
        "logScale": surface.log_scale,
    }


class OptimizerRace(BrowserMessages, JSComponent):
    """The surface, the racers and the loss chart, drawn on canvases in the browser.

    A click on the picture comes as a message handled in the tab's document (see
    ``BrowserMessages``): changes it makes, the link's included, reach the browser."""

    surface = param.Dict(default={})
    racers = param.List(default=[])
    speed = param.Number(default=1.0)
    showPath = param.Boolean(default=True)
    showGradient = param.Boolean(default=True)
    showMomentum = param.Boolean(default=False)
    showStep = param.Boolean(default=False)
    showSquares = param.Boolean(default=False)

    _esm = join_modules(ASSETS / "optimizer_lab.js")
    _stylesheets: ClassVar[list[str]] = [(ASSETS / "optimizer_lab.css").read_text()]

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.on_click: Callable[[float, float], None] | None = None

    def browser_message(self, data) -> None:
        """A click on the picture: ``{"start": [x, y]}``; anything else is ignored."""
        point = data.get("start") if isinstance(data, dict) else None
        if not (isinstance(point, list) and len(point) == 2):
            return
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in point):
            return
        if self.on_click is not None:
            self.on_click(float(point[0]), float(point[1]))


class OptimizerLabView:
    """Keeps the race component in step with the tab's state.

    A race of 2,000 steps takes ~0.1 s: when served, the lab worker computes it
    (``TabJob``, one race per tab at a time; changes meanwhile ask for one more race,
    of the latest scene). Requests and results go when the browser's socket is free
    (``WhenFree``): a browser that sends changes faster than it reads the races gets
    the latest one, and one that stops reading costs no work."""

    def __init__(self, state: OptimizerLabState, doc=None) -> None:
        """``doc``: the tab's document when served; without one (tests), races are
        computed at once."""
        self.state = state
        self.race = OptimizerRace(
            surface=surface_record(state.surface),
            **{name: getattr(state, name) for name in ("speed", *OVERLAYS)},
            css_classes=["optimizer-race"],
            sizing_mode="stretch_width",
        )
        self.outbox = WhenFree(doc)
        self.job = TabJob(doc)
        self.served = doc is not None
        self.changed_meanwhile = False
        self._asked_for: str | None = None  # the scene of the race asked for last
        self._sent_for: str | None = None  # the scene whose paths were sent last
        self.request_race()  # the first one with the page, here
        state.param.watch(
            lambda *_events: self.outbox.send("ask", self.request_race),
            ["surface", "racers", "steps", "startX", "startY"]
            + list(race_hyper_parameters())
            + [rate_key(name) for name in racers()],
        )
        state.param.watch(self._display_changed, ["speed", *OVERLAYS])
        self.race.on_click = self._clicked

    def request_race(self) -> None:
        # A new surface moves the start too: several changes, one race to compute.
        scene = scene_query(self.state)
        if self.job.running:
            self.changed_meanwhile = True
            return
        if scene == self._asked_for:
            return
        self._asked_for = scene
        arguments = self.state.race_arguments()
        if self._sent_for is None:  # the page's own race, in its first document
            self.race_done(scene, arguments, self.state.paths(), at_once=True)
        elif not self.served:
            self.race_done(scene, arguments, self.state.paths())
        else:
            done = partial(self.race_done, scene, arguments)
            self.job.start("race", arguments, done, self.race_failed)

    def race_done(
        self, scene: str, arguments: dict, paths: dict[str, RacerPath], at_once: bool = False
    ) -> None:
        settings, steps = arguments["racers"], arguments["steps"]
        records = [racer_record(path, steps, *settings[name]) for name, path in paths.items()]
        show = partial(self.show, scene, arguments["surface"], records)
        if at_once:
            show()
        else:
            self.outbox.send("race", show)
        if self.changed_meanwhile:
            self.changed_meanwhile = False
            self.request_race()

    def race_failed(self) -> None:
        self._asked_for = None  # the next change asks again

    def show(self, scene: str, surface: str, records: list[dict]) -> None:
        """The surface, if it changed, then the racers."""
        if self.race.surface.get("name") != surface:
            self.race.surface = surface_record(surface)
        if scene != self._sent_for:
            self._sent_for = scene
            self.race.racers = records

    def _display_changed(self, event) -> None:
        name = event.name
        self.outbox.send(name, lambda: setattr(self.race, name, getattr(self.state, name)))

    def _clicked(self, x: float, y: float) -> None:
        bound = self.state.param.startX.bounds[1]
        x, y = (round(min(max(v, -bound), bound), 3) for v in (x, y))
        if (x, y) != (self.state.startX, self.state.startY):
            self.state.param.update(startX=x, startY=y)


def _inputs(state: OptimizerLabState) -> dict:
    """Widgets that fit better than param's defaults."""
    rates = {
        rate_key(name): pn.widgets.FloatInput.from_param(
            state.param[rate_key(name)], label=f"{OPTIMIZERS[name].label} lr", width=110, step=0.001
        )
        for name in racers()
    }
    fractions = {
        name: pn.widgets.FloatInput.from_param(state.param[name], width=110, step=0.01)
        for name in race_hyper_parameters()
    }
    widgets = {
        "surface": pn.widgets.Select.from_param(
            state.param.surface, options={s.label: key for key, s in SURFACES.items()}, width=230
        ),
        "racers": pn.widgets.CheckBoxGroup.from_param(
            state.param.racers,
            options={OPTIMIZERS[n].label: n for n in racers()},
            inline=True,
            width=230,
            # The names do not fit on one line of the column: they wrap.
            stylesheets=[".bk-input-group { flex-wrap: wrap; row-gap: 2px; }"],
        ),
        "startX": pn.widgets.FloatInput.from_param(state.param.startX, label="Start x", width=110),
        "startY": pn.widgets.FloatInput.from_param(state.param.startY, label="Start y", width=110),
        "steps": pn.widgets.IntInput.from_param(state.param.steps, width=110),
        "speed": pn.widgets.FloatSlider.from_param(
            state.param.speed,
            step=0.1,
            width=220,
            format="0.0",
            name="Playback speed (\N{MULTIPLICATION SIGN})",
        ),
        **rates,
        **fractions,
        **{name: pn.widgets.Checkbox.from_param(state.param[name]) for name in OVERLAYS},
    }
    # A class per control, named as its URL key, to find it by (``ui-steps``).
    for name, widget in widgets.items():
        widget.css_classes = [*widget.css_classes, f"ui-{name}"]
    return widgets


def _group(title: str, widgets: list, pairs: bool = False) -> list:
    if not widgets:
        return []
    heading = pn.pane.HTML(f"<h4>{html.escape(title)}</h4>", margin=(6, 5, 0, 5))
    body = pn.GridBox(*widgets, ncols=2) if pairs else pn.Column(*widgets)
    return [heading, body]


def build_view(state: OptimizerLabState, scene: LabScene) -> LabView:
    view = OptimizerLabView(state, served_document())
    for end in (view.outbox.end, view.job.end):
        pn.state.on_session_destroyed(end)
    inputs = _inputs(state)

    def controls(names) -> list:
        return lab_controls(state, names, scene.hidden, **inputs)

    column = [
        *_group("Surface", controls(["surface"])),
        *_group("Racers", controls(["racers"])),
        *_group("Learning rates", controls([rate_key(n) for n in racers()]), pairs=True),
        *_group("Hyper-parameters", controls(list(race_hyper_parameters())), pairs=True),
        *_group("Start and length", controls(["startX", "startY", "steps"]), pairs=True),
        *_group("Playback", controls(["speed"])),
        *_group("Show", controls(list(OVERLAYS))),
    ]
    return LabView(column, view.race, explanation(), driver=view)
