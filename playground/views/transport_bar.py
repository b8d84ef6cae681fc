"""Reset, Play and Step, the epoch counter, the presenter toggle and the space bar: the
row a lecturer's hand goes to, drawn by the browser as one component
(``assets/transport_bar.js``).

Each button sits in an element with the original's css class (``ui-playButton``), so
``playButton_hide=true`` and the tests find it. Play shows ▶ or ❚❚ and is named "Play"
or "Pause"; it keeps the focus when it changes, so Enter or Space presses it again. The
space bar plays anywhere on the page, except where it already means something (typing,
a focused button); on a page of several scenes it plays the scene it is pressed in
(``scope``: the one holding the focus, or, with nothing focused, the one last clicked).
The counter shows the epoch of each frame its scene's live view paints, which costs the
server nothing more per frame. As six Panel components this row was a tenth of what
opening a tab cost the server."""

from collections.abc import Callable, Iterable
from importlib import resources
from typing import ClassVar

import param
from panel.custom import JSComponent

from playground.pipe.library import BrowserMessages
from playground.views.controls import format_epoch
from playground.views.drawn import DrawnByPage
from playground.views.esm import join_modules
from playground.views.focus import FOCUS_RING

ASSETS = resources.files("playground.assets")
BUTTONS = ("reset", "play", "step")  # in the original's order


class TransportBar(DrawnByPage, BrowserMessages, JSComponent):
    """``act(name)`` is called for a press of a button or of the space bar ("play"), and
    ``on_presenter(on)`` for a click on the presenter toggle."""

    buttons = param.List(default=list(BUTTONS), doc="the buttons shown, in order")
    playing = param.Boolean(default=False)
    presenter = param.Boolean(default=False)
    counter = param.String(default=format_epoch(0), doc="the counter before the first frame")
    view_id = param.String(default="", doc="the live view whose frames it counts")
    scope = param.String(default="", doc="the css class of its scene; '': the whole page")
    hints = param.Dict(default={}, doc="a button's (or the toggle's) hint, by its name")

    _drawn = ("buttons", "playing", "presenter", "counter", "view_id", "scope", "hints")
    _esm = join_modules(ASSETS / "transport_bar.js")
    _stylesheets: ClassVar[list[str]] = [(ASSETS / "transport_bar.css").read_text(), FOCUS_RING]

    def __init__(
        self,
        act: Callable[[str], None],
        on_presenter: Callable[[bool], None],
        *,
        buttons: Iterable[str] = BUTTONS,
        **params,
    ) -> None:
        super().__init__(buttons=[b for b in BUTTONS if b in set(buttons)], **params)
        self._act = act
        self._on_presenter = on_presenter
        self._watch_drawn()

    def browser_message(self, data) -> None:
        """``{"press": button}`` (a button shown, or "play" for the space bar) or
        ``{"presenter": on}``; anything else changes nothing."""
        if not isinstance(data, dict) or len(data) != 1:
            return
        press = data.get("press")
        if press in self.buttons or press == "play":  # the space bar plays, Play shown or not
            self._act(press)
        elif isinstance(data.get("presenter"), bool):
            self._on_presenter(data["presenter"])
