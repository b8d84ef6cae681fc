"""The lecture labs as objects of a Python session, as ``playground.notebook`` makes the
playground one: ``OptimizerLab(surface="rosenbrock")``, ``OverfittingLab(n=12)``,
``HopfieldLab(temperature=0.4)``, each taking its page's link keys, each value read as
the link's (a clamp or a refusal is the page's note, and a ``SettingNote`` warning), a
key the lab has not a ``TypeError``. Shown in a cell, the lab's page is live over
Panel's comms; ``.state`` is its param state, readable and settable from code, and
each lab's methods do what its buttons do (``OptimizerLab.play()``,
``HopfieldLab.step(5)``); ``close()`` stops a lab for good, as running its cell again
does.
"""

import difflib
import warnings
from collections.abc import Callable
from typing import Any, ClassVar

import panel as pn
import param

from playground import notebook
from playground.labs.page import LabView, frame, served_document
from playground.labs.scene import HIDE, read_scene, url_params
from playground.notebook import SettingNote, _text
from playground.notebook_view import shown_live
from playground.pipe.library import send_to_view
from playground.views.notes import UrlNotes


class Lab(pn.viewable.Viewer):
    """One lab's page around its state; a subclass names its lab's ``parts``."""

    title: ClassVar[str]

    @classmethod
    def parts(cls) -> tuple[type[param.Parameterized], Callable[..., LabView], tuple[str, ...]]:
        """The lab's state class, its view builder and the ids its link may hide besides
        the params (buttons), imported when first asked for."""
        raise NotImplementedError

    def __init__(self, **settings: Any) -> None:
        super().__init__()
        state_cls, build_view, hidable = self.parts()
        keys = set(url_params(state_cls))
        known = keys | {f"{name}{HIDE}" for name in (*keys, *hidable)}
        for key in settings:
            if key not in known:
                near = difflib.get_close_matches(key, sorted(known), n=3)
                hint = f"; did you mean {' or '.join(near)}?" if near else ""
                raise TypeError(f"{type(self).__name__} has no setting {key!r}{hint}")
        query = {key: _text(value) for key, value in settings.items()}
        scene = read_scene(state_cls, query, hidable=hidable)
        self.state = state_cls(**scene.values)
        self.notes: list[str] = list(scene.notes)
        for note in self.notes:
            warnings.warn(note, SettingNote, stacklevel=2)
        notes_box = UrlNotes(notes=self.notes, visible=bool(self.notes))
        view = build_view(self.state, scene)
        self._driver = view.driver
        self._page = frame(self.title, view, notes_box, home=False)
        self.closed = False
        notebook._cells().started(self)  # a cell run again closes what its last run made

    def close(self) -> None:
        """Stops what the lab does in the kernel, for good: nothing more reaches its views
        (a cell run again closes what its last run made)."""
        self.closed = True
        for end in self._ends():
            end(None)

    def _ends(self) -> list[Callable[[Any], None]]:
        """What a served tab ends when it closes (``pn.state.on_session_destroyed``)."""
        return []

    def __panel__(self):
        return self._page

    def _repr_mimebundle_(self, include=None, exclude=None):
        return shown_live(self._page, include, exclude)


class OptimizerLab(Lab):
    """The optimizer race on a loss surface (``/optimizers``). The race plays in the
    browser, as on the page: ``play()``, ``pause()``, ``step(n)`` and ``restart()`` tell
    every view of this lab, as its buttons do; a setting changed in ``state`` races
    again."""

    title = "Optimizers racing on a loss surface"

    def play(self) -> None:
        self._playback("play")

    def pause(self) -> None:
        self._playback("pause")

    def step(self, steps: int = 1) -> None:
        """Pauses, then moves ``steps`` steps on."""
        self._playback("step", steps=int(steps))

    def restart(self) -> None:
        self._playback("restart")

    def _playback(self, action: str, **more: int) -> None:
        if not self.closed:
            send_to_view(self._driver.race, {"playback": action, **more})

    def close(self) -> None:
        self.pause()
        super().close()

    def _ends(self):
        return [self._driver.outbox.end, self._driver.job.end]

    @classmethod
    def parts(cls):
        from playground.labs.optimizers.state import lab_state_class
        from playground.labs.optimizers.view import build_view

        return lab_state_class(), build_view, ()


class OverfittingLab(Lab):
    """Polynomials of every degree fitted to a few noisy points (``/overfitting``).
    Nothing moves by itself: a setting changed in ``state`` (``state.degrees``,
    ``state.points``) redraws both charts; ``regenerate()`` draws new points."""

    title = "Overfitting with polynomials"

    def regenerate(self) -> None:
        self.state.regenerate()

    def _ends(self):
        return [self._driver.outbox.end, self._driver.means.job.end]

    @classmethod
    def parts(cls):
        from playground.labs.overfitting.state import OverfittingState
        from playground.labs.overfitting.view import build_view

        return OverfittingState, build_view, ("regenerateButton",)


class HopfieldLab(Lab):
    """A Hopfield memory at temperature T (``/hopfield``): it sweeps in the kernel, as a
    page's does on the server. ``play()`` and ``pause()`` as its button, ``step(n)``
    sweeps ``n`` times now, ``restart()`` starts again from the damaged picture; the
    kernel's Interrupt pauses it, and a cell run again closes the one it made."""

    title = "A Hopfield memory at temperature T"

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        if served_document() is None:  # in a kernel: its Interrupt pauses the lab
            notebook._interrupts().watch(self)

    def play(self) -> None:
        if not self.closed:
            self.state.playing = True

    def pause(self) -> None:
        self.state.playing = False

    def step(self, sweeps: int = 1) -> None:
        """Pauses, then sweeps ``sweeps`` times now, in this cell."""
        self.pause()
        if not self.closed:
            self._driver.step(int(sweeps))

    def restart(self) -> None:
        self.state.restart(self.state.cue)

    def close(self) -> None:
        self.pause()
        super().close()

    def _ends(self):
        return [self._driver.end]

    @classmethod
    def parts(cls):
        from playground.labs.hopfield.state import HopfieldState
        from playground.labs.hopfield.view import BUTTONS, build_view

        return HopfieldState, build_view, (*BUTTONS, "startFrom")
