"""The playground as an object of a Python session: shown in a notebook cell it trains
live, its frames over Panel's own comms; served (``.servable()``, ``pn.serve``) it is
the ``/app`` page of that session.

    from playground import Playground
    pg = Playground(dataset="spiral", features="x,y,sinX,sinY", optimizer="adam")
    pg             # the live view, in the cell's output
    pg.step(100)   # trains 100 epochs now; pg.state, pg.trainer: the run, from any cell

The settings are the link's keys (``learningRate=0.1``, ``networkShape=[4, 2]``), read
exactly as a link's values are (``playground.url``): a value out of range is clamped,
a name no setting has is refused, and each gives the note the page shows, here also
as a ``SettingNote`` warning. A key no scene has is a ``TypeError``.

In a kernel every playground is a job of the kernel's one ``Fleet``, on the kernel's
event loop: between two chunks of training the kernel handles the next cell, and a
view that stops painting (its output cleared, the notebook closed) stops its training,
as a closed tab does. A cell run again stops the playgrounds it made the last time;
``close`` stops one at once. Nothing here is known to the engine or the datasets.
"""

import asyncio
import difflib
import logging
import signal
import warnings
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

import panel as pn

from playground import inputs
from playground.engine import FEATURES, Trainer
from playground.history import LossHistory
from playground.labs.page import served_document
from playground.notebook_view import shown_live
from playground.session import process_fleet, read_scene, serve_scenes
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.url import PRESENTER, fields, hide_ids, scene_from_query

log = logging.getLogger("playground")

# Keys of a scene that are not settings: the page's own.
PAGE_KEYS = ("hideText", PRESENTER)


class SettingNote(UserWarning):
    """A setting's value was clamped, snapped or refused, as a link's would be."""


def scene_query(settings: Mapping[str, Any]) -> dict[str, str]:
    """The keyword settings as a link's query: each value as the text a link would
    carry (``True`` as ``true``, a list as ``4,2``). ``features`` may name a plane's
    features as a table's columns are named (``"x,y,sinX"``): it becomes their flags.
    A key no scene has raises ``TypeError``, naming the nearest ones."""
    known = {*fields(), *FEATURES, "features", *PAGE_KEYS, *(f"{i}_hide" for i in hide_ids())}
    query = {}
    for key, value in settings.items():
        if key not in known:
            near = difflib.get_close_matches(key, sorted(known), n=3)
            hint = f"; did you mean {' or '.join(near)}?" if near else ""
            raise TypeError(f"no setting is called {key!r}{hint} (the keys are a link's)")
        query[key] = _text(value)
    return _plane_features(query)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return ",".join(_text(item) for item in value)
    return str(value)


def _plane_features(query: dict[str, str]) -> dict[str, str]:
    """A plane's ``features=x,y`` as the original's flags (``x=true&y=true&...=false``);
    a name no plane feature has stays in ``features``, where the link's reading notes it."""
    listed = query.get("features")
    if listed is None or not inputs.is_plane(_dataset(query)):
        return query
    names = [part.strip() for part in listed.split(",") if part.strip()]
    if any(part not in FEATURES for part in names):
        return query
    rest = {key: value for key, value in query.items() if key != "features"}
    return {**rest, **{feature: _text(feature in names) for feature in FEATURES}}


def _plane_feature_note(query: dict[str, str]) -> list[str]:
    """The note for plane features no plane has (a link's flags cannot name one)."""
    listed = query.get("features")
    if listed is None or not inputs.is_plane(_dataset(query)):
        return []
    unknown = [p.strip() for p in listed.split(",") if p.strip() and p.strip() not in FEATURES]
    if not unknown:
        return []
    return [
        (
            f"features={listed} names {', '.join(unknown)}, not a feature of the plane "
            f"({', '.join(FEATURES)}); using the dataset's own."
        )
    ]


def _dataset(query: dict[str, str]) -> str:
    settings = scene_from_query(query).settings
    problem = settings.get("problem", "classification")
    key = "dataset" if problem == "classification" else "reg_dataset"
    return settings.get(key, PlaygroundState.param[key].default)


def _warn(notes: Iterable[str]) -> None:
    for note in notes:
        warnings.warn(note, SettingNote, stacklevel=3)  # the line that made the object


class Playground(pn.viewable.Viewer):
    """One scene of the playground: its state, its live view, its training loop."""

    def __init__(self, **settings: Any) -> None:
        super().__init__()
        query = scene_query(settings)
        extra = _plane_feature_note(query)
        self._task: asyncio.Future | None = None
        self._location = None
        if served_document() is not None:  # a script under `panel serve`, or pn.serve
            apps, self._location = serve_scenes([""], query=query)
            self.app = apps[0]
            self.app.page.notes = [*self.app.page.notes, *extra]
        else:
            scene, state = read_scene(query)
            scene = scene._replace(notes=[*scene.notes, *extra])
            self.app = PlaygroundApp(state, scene, process_fleet())
            self._start()
            _cells().started(self)
            _interrupts().watch(self)
        self.notes: list[str] = [*self.app.page.notes]
        _warn(self.notes)

    # -- what the next cell reads ------------------------------------------------------

    @property
    def state(self) -> PlaygroundState:
        """Every setting, the data (``state.data``), the epoch and losses."""
        return self.app.state

    @property
    def trainer(self) -> Trainer:
        """The engine's trainer: its network (``trainer.net``: weights, biases)."""
        return self.app.state.trainer

    @property
    def losses(self) -> LossHistory:
        """The loss chart's points: epochs, training and test losses."""
        return self.app.state.loss_history

    # -- driving it from code ----------------------------------------------------------

    def play(self) -> None:
        """Trains on while a view shows it (a diverged network refuses, with a message)."""
        if not self.state.playing:
            self.state.toggle_play()

    def pause(self) -> None:
        self.state.playing = False

    def step(self, epochs: int = 1) -> None:
        """Pauses, then trains ``epochs`` epochs now, in this cell."""
        self.state.step(int(epochs))

    def close(self) -> None:
        """Stops its training and frame clock for good (a cell run again does this)."""
        loop = self.app.loop
        self.pause()
        loop.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    @property
    def closed(self) -> bool:
        return self.app.loop not in self.app.loop.fleet.jobs

    # -- showing it --------------------------------------------------------------------

    def _start(self) -> None:
        """Its frame clock and the kernel's trainer, on the running event loop (a
        kernel's); without one (a plain script) it trains only when told to ``step``."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        self._task = asyncio.ensure_future(self.app.loop.run())
        self.app.loop.fleet.start()

    def servable(self, title: str | None = None, **kwargs):
        if self._location is not None:
            kwargs.setdefault("location", self._location)
        return self.app.servable(title=title, **kwargs)

    def __panel__(self):
        return self.app

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The browser's view exists: the next frame brings everything (as its "ready").
        return shown_live(self.app, include, exclude, on_shown=self.app.pipe.view_ready)

    def __repr__(self) -> str:
        state = self.state
        return (
            f"<Playground {state.current_dataset}, epoch {state.epoch}, "
            f"train loss {state.train_loss:.4f}, test loss {state.test_loss:.4f}>"
        )


class CellRuns:
    """The playgrounds each notebook cell made in its latest run, so that running the
    cell again stops the older ones. JupyterLab and Notebook 7 send the cell's id with
    each run (``metadata.cellId``); a run without one (nbclient) keeps everything."""

    def __init__(self) -> None:
        self.runs: dict[str, tuple[str, weakref.WeakSet]] = {}

    def started(self, playground: Playground) -> None:
        cell, run = _cell_and_run()
        if cell is None:
            return
        last_run, made = self.runs.get(cell, (None, weakref.WeakSet()))
        if last_run != run:
            for old in list(made):
                old.close()
            made = weakref.WeakSet()
        made.add(playground)
        self.runs[cell] = (run, made)


def _cells() -> CellRuns:
    """The kernel's one record of cell runs, in Panel's process cache."""
    return pn.state.cache.setdefault("playground.notebook_cells", CellRuns())


class KernelInterrupts:
    """The kernel's Interrupt (■) pauses every playground of the kernel.

    Between cells ipykernel ignores SIGINT (``SIG_IGN``; it sets Python's own handler
    only while a cell runs, and puts back what it found afterwards), so an interrupt
    while a playground plays between cells would reach nothing. While one plays, a
    handler of ours stands in for ``SIG_IGN``, checked a few times a second; an
    interrupt during a cell is still the cell's ``KeyboardInterrupt``."""

    CHECK_S = 0.25

    def __init__(self) -> None:
        self.playgrounds: weakref.WeakSet[Playground] = weakref.WeakSet()
        self._task: asyncio.Future | None = None

    def watch(self, playground: Playground) -> None:
        self.playgrounds.add(playground)
        playground.state.param.watch(lambda event: event.new and self._listen(), ["playing"])
        if playground.state.playing:
            self._listen()

    def _listen(self) -> None:
        if self._task is not None and not self._task.done():
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        self._task = asyncio.ensure_future(self._stand_in())

    async def _stand_in(self) -> None:
        loop = asyncio.get_running_loop()

        def interrupted(_signum, _frame) -> None:  # between two bytecodes: pause later
            loop.call_soon_threadsafe(self.pause_all)

        while any(playground.state.playing for playground in list(self.playgrounds)):
            if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
                signal.signal(signal.SIGINT, interrupted)
            await asyncio.sleep(self.CHECK_S)
        if signal.getsignal(signal.SIGINT) is interrupted:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    def pause_all(self) -> None:
        for playground in list(self.playgrounds):
            playground.pause()


def _interrupts() -> KernelInterrupts:
    """The kernel's one ``KernelInterrupts``, in Panel's process cache."""
    return pn.state.cache.setdefault("playground.notebook_interrupts", KernelInterrupts())


def _cell_and_run() -> tuple[str | None, str | None]:
    """The id of the cell being run and of this run's request, if a kernel runs it."""
    try:
        from IPython import get_ipython  # the kernel's own; absent outside Jupyter
    except ImportError:
        return None, None
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    parent = kernel.get_parent() if kernel is not None else None
    if not isinstance(parent, dict):
        return None, None
    cell = (parent.get("metadata") or {}).get("cellId")
    run = (parent.get("header") or {}).get("msg_id")
    return (cell, run) if isinstance(cell, str) else (None, None)
