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

from importlib import resources

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
