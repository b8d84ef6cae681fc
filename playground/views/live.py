"""The live view: diagram, loss readouts and chart, output heatmap, in one JS component.

Everything that changes while training travels as ONE message per frame
(``send``): uint8 palette indices, float32 weights and biases and the new loss points,
packed into one binary buffer (``pack``). The browser draws them on plain canvases
(``assets/live_view.js``), so a frame costs neither side Bokeh's document machinery.
The diagram's geometry and the data points ride along only when they change.

Frames go over the tab's own websocket once the browser has opened it
(``playground.channel``), else over Bokeh's. The browser answers with small messages
(acknowledgements on the tab's socket when it is open), each dispatched to the handler
of its key:
``ready`` (the view exists: send everything), ``ack`` (frame painted), ``hover``,
``tap``, ``layers`` and ``neurons``.
"""

from collections.abc import Callable
from importlib import resources
from typing import ClassVar

import numpy as np
import param
from panel.custom import JSComponent
from panel.io.state import set_curdoc

ASSETS = resources.files("playground.assets")
WIDTH, HEIGHT = 910, 510
TYPES = {np.dtype(np.uint8): "u8", np.dtype("<f4"): "f32", np.dtype("<f8"): "f64"}
ALIGN = 8  # every part starts where a Float64Array may begin


def pack(arrays: dict[str, np.ndarray]) -> tuple[bytes, dict[str, list]]:
    """Arrays as one little-endian buffer, and where each lies: name -> [type, offset, n].

    One buffer because Bokeh sends every buffer of a message as websocket frames of
    its own, which costs more than the few kilobytes inside.
    """
    parts, offset = {}, 0
    flat = {name: np.ascontiguousarray(a).reshape(-1) for name, a in arrays.items()}
    for name, a in flat.items():
        parts[name] = [TYPES[a.dtype], offset, a.size]
        offset += -(-a.nbytes // ALIGN) * ALIGN
    buffer = np.zeros(offset, dtype=np.uint8)
    for name, a in flat.items():
        start = parts[name][1]
        buffer[start : start + a.nbytes] = a.view(np.uint8)
    return buffer.tobytes(), parts


class LiveView(JSComponent):
    layer_buttons = param.Boolean(default=True, doc="show the hidden-layer +/- buttons")
    frame_socket = param.String(default="", doc="path of the tab's own frame socket, if any")

    _esm = ASSETS / "live_view.js"
    _stylesheets: ClassVar[list[str]] = [(ASSETS / "live_view.css").read_text()]

    def __init__(self, handlers: dict[str, Callable], **params) -> None:
        params.setdefault("width", WIDTH)
        params.setdefault("height", HEIGHT)
        super().__init__(**params)
        self._handlers = handlers

    def send(self, message: dict, arrays: dict[str, np.ndarray]) -> None:
        """``message`` (JSON-friendly) and ``arrays`` (uint8, float32 or float64) at once.

        Panel writes it to the socket at once (see ``TabConnection.free``).
        """
        binary, parts = pack(arrays)
        self._send_msg({**message, "binary": binary, "parts": parts})

    def _process_bokeh_event(self, doc, event) -> None:
        """Panel's own version counts every browser event in a process-wide "busy" list,
        whose watchers grow with the number of open tabs: with acknowledgements arriving
        ~10 times a second per tab, that bookkeeping outweighed drawing the frames. These
        events are handled at once and must not show a busy indicator anyway."""
        with set_curdoc(doc):
            self._process_event(event)

    def _handle_msg(self, data) -> None:
        if not isinstance(data, dict):
            return
        for key, value in data.items():
            if handler := self._handlers.get(key):
                handler(value)
