"""The lecture labs as objects of a Python session, as ``playground.notebook`` makes the
playground one: ``OptimizerLab(surface="rosenbrock")``, ``OverfittingLab(n=12)``,
``HopfieldLab(temperature=0.4)``, each taking its page's link keys, each value read as
the link's (a clamp or a refusal is the page's note, and a ``SettingNote`` warning), a
key the lab has not a ``TypeError``. Shown in a cell, the lab's page is live over
Panel's comms; ``.state`` is its param state, readable and settable from code.
"""

import difflib
import warnings
from collections.abc import Callable
from typing import Any, ClassVar

import panel as pn
import param

from playground.labs.page import LabView, frame
from playground.labs.scene import HIDE, read_scene, url_params
from playground.notebook import SettingNote, _text
from playground.notebook_view import shown_live
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
        self._page = frame(self.title, build_view(self.state, scene), notes_box)

    def __panel__(self):
        return self._page

    def _repr_mimebundle_(self, include=None, exclude=None):
        return shown_live(self._page, include, exclude)


class OptimizerLab(Lab):
    """The optimizer race on a loss surface (``/optimizers``)."""

    title = "Optimizers racing on a loss surface"

    @classmethod
    def parts(cls):
        from playground.labs.optimizers.state import lab_state_class
        from playground.labs.optimizers.view import build_view

        return lab_state_class(), build_view, ()


class OverfittingLab(Lab):
    """Polynomials of every degree fitted to a few noisy points (``/overfitting``)."""

    title = "Overfitting with polynomials"

    @classmethod
    def parts(cls):
        from playground.labs.overfitting.state import OverfittingState
        from playground.labs.overfitting.view import build_view

        return OverfittingState, build_view, ("regenerateButton",)


class HopfieldLab(Lab):
    """A Hopfield memory at temperature T (``/hopfield``)."""

    title = "A Hopfield memory at temperature T"

    @classmethod
    def parts(cls):
        from playground.labs.hopfield.state import HopfieldState
        from playground.labs.hopfield.view import BUTTONS, build_view

        return HopfieldState, build_view, (*BUTTONS, "startFrom")
