"""Names for every control of a page, and the focus kept where the student left it.

Bokeh draws a slider's handle, a multi-choice's search field and a few other controls
without a name that a screen reader (or a test) can find, and draws a button anew when
its label changes, which dropped the focus of a student who pressed Enter on Play.
``ControlNames`` (``assets/names.js``), once on a page, names each control after the
title its widget shows (or after ``names``, by its widget's css class), names the play
buttons' symbols "Play" and "Pause", and gives a redrawn button back its focus.

It also shows each control's hint (``hints``, by its widget's css class; ``assets/hints.js``):
a "?" beside a dropdown's or slider's title, or the button itself, shows it on hover,
keyboard focus or a tap, and a screen reader reads it after the name. A Bokeh tooltip
per control would cost every tab that opens a few models each to build and send.
"""

from collections.abc import Iterable
from importlib import resources

import panel as pn
import param
from panel.custom import JSComponent

from playground.pipe.library import JoinedModule
from playground.views.esm import join_modules

ASSETS = resources.files("playground.assets")


class ControlNames(JoinedModule, JSComponent):
    names = param.Dict(default={}, doc="css class of a widget -> the name of its controls")
    hints = param.Dict(default={}, doc="css class of a widget -> its hint")

    _esm = join_modules(ASSETS / "names.js")

    def __init__(self, **params) -> None:
        super().__init__(**{"width": 0, "height": 0, "margin": 0, **params})


def take_hints(components: Iterable) -> dict[str, str]:
    """The hints Panel would give as tooltip models (a widget's ``description``, which
    ``from_param`` takes from its parameter's doc), by the widget's ``ui-`` css class,
    for ``ControlNames`` to show instead; each such widget's description is dropped. A
    widget without such a class keeps its own."""
    hints = {}
    for component in components:
        widgets = [component] if isinstance(component, pn.widgets.Widget) else []
        if hasattr(component, "select"):
            widgets = component.select(pn.widgets.Widget)
        for widget in widgets:
            text = getattr(widget, "description", None)
            names = [c for c in widget.css_classes if c.startswith("ui-")]
            if isinstance(text, str) and text and names:
                hints[names[0]] = text
                widget.description = None
    return hints
