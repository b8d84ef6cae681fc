"""The live view: diagram, loss readouts and chart, output heatmap, in one JS component.

Everything that changes while training travels as ONE message per frame (``send``,
packed by ``playground.pipe.wire``). The browser draws them on plain canvases
(``assets/live_view.js`` and its modules), so a frame costs neither side Bokeh's document machinery.
The diagram's geometry and the data points ride along only when they change.

Which socket a frame takes, and what the browser's answers mean, is the tab's pipe's
business (``playground.pipe.TabPipe``): this view only carries frames over Bokeh's
websocket and hands on what its browser side sends (``listen``).
"""

from collections.abc import Callable
from importlib import resources
from typing import ClassVar

import numpy as np
import param
from panel.custom import Child, JSComponent

from playground.pipe.library import BrowserMessages, send_to_view
from playground.pipe.wire import pack
from playground.views.esm import join_modules

ASSETS = resources.files("playground.assets")
# Each part of the live view: its heading and a one-line hint above it.
HEADINGS = {
    "features": ("Features", "What the network is told about each point. Click one to use it."),
    "hidden": (
        "Hidden layers",
        "Neurons that mix what comes in; the buttons above add or remove them.",
    ),
    "output": ("Output", "The network's answer across the plane, under the data's points."),
}


class LiveView(BrowserMessages, JSComponent):
    view_id = param.String(default="", doc="its name on the page (assets/view_events.js)")
    layer_buttons = param.Boolean(default=True, doc="show the hidden-layer +/- buttons")
    frame_socket = param.String(default="", doc="path of the tab's own frame socket, if any")
    test_loss = param.Boolean(default=True, doc="show the test loss readout")
    presenter = param.Boolean(default=False, doc="larger plots, for a projector (fit.js)")
    headings = param.Dict(default=HEADINGS, doc="{part: (heading, hint)}")
    below_plot = Child(doc="drawn right under the output plot: its checkboxes")

    # live_view.js and the modules it imports, joined once (no build step): see esm.py.
    _esm = join_modules(ASSETS / "live_view.js")
    _stylesheets: ClassVar[list[str]] = [(ASSETS / "live_view.css").read_text()]

    def __init__(self, **params) -> None:
        # As wide as the page allows (fit.js scales the drawings to it), as tall as they are.
        params.setdefault("sizing_mode", "stretch_width")
        super().__init__(**params)
        self._listener: Callable | None = None

    def listen(self, callback: Callable) -> None:
        """``callback(data)`` gets each message from the browser side, unchecked."""
        self._listener = callback

    def browser_message(self, data) -> None:
        if self._listener is not None:
            self._listener(data)

    def send(self, message: dict, arrays: dict[str, np.ndarray]) -> None:
        """``message`` (JSON-friendly) and ``arrays`` over Bokeh's websocket, at once
        (see ``playground.pipe.bokeh_socket``)."""
        binary, parts = pack(arrays)
        send_to_view(self, {**message, "binary": binary, "parts": parts})
