"""One tab's own websocket for frames and acknowledgements (see ``frame_socket``).

Bokeh's protocol costs a frame about 0.8 ms of server CPU whatever it carries: it
builds a reference for each of the document's ~100 models, serializes the event and
writes five websocket frames; an acknowledgement costs as much again, and a reply. On
the tab's own socket a frame is one binary message and an acknowledgement a few bytes
of JSON, so a server with a hall full of tabs spends its time training and drawing.

Each tab gets a ``FrameChannel`` with a random token; its live view opens
``<prefix>/playground-frames?tab=<token>``. Until that socket is open (or when it
closes, or when the server was started without the plugin) frames travel over Bokeh's
websocket as before: the channel is an optimisation, never a requirement.

A message to the browser: a uint32 (little-endian) length, that many bytes of JSON, then
spaces up to a multiple of 8 bytes, then the arrays packed by ``views.live.pack``.
"""

import json
import logging
import secrets
import struct
import sys
import weakref
from collections.abc import Callable

import panel as pn
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from playground.views.live import ALIGN, pack  # typed arrays may start at ALIGN bytes

PATH = "/playground-frames"
PLUGIN = "playground.frame_socket"
MAX_MESSAGE_BYTES = 4096  # acknowledgements are ~30 bytes; anything bigger is not ours
log = logging.getLogger("playground")


def channels() -> weakref.WeakValueDictionary:
    """This process's channels by token (Panel's process cache holds the registry)."""
    return pn.state.cache.setdefault("playground.frame_channels", weakref.WeakValueDictionary())


def socket_served() -> bool:
    """Whether this server has the frame socket's route: Panel imports the plugin module
    only to install its routes (``--plugins``)."""
    return PLUGIN in sys.modules


def arrays_start(json_bytes: int) -> int:
    """Where the arrays start after the length and ``json_bytes`` of JSON: aligned."""
    return -(-(4 + json_bytes) // ALIGN) * ALIGN


def encode(message: dict, binary: bytes) -> bytes:
    """One binary websocket message; refuses NaN in the JSON (JSON.parse would)."""
    header = json.dumps(message, separators=(",", ":"), allow_nan=False).encode()
    padding = b" " * (arrays_start(len(header)) - 4 - len(header))
    return b"".join((struct.pack("<I", len(header)), header, padding, binary))


def decode(payload: bytes) -> tuple[dict, bytes]:
    """The inverse of ``encode`` (the browser's side, in Python: for tests and clients)."""
    (length,) = struct.unpack_from("<I", payload)
    return json.loads(payload[4 : 4 + length]), payload[arrays_start(length) :]


class FrameChannel:
    """One tab's end of the frame socket: ``open`` once its browser has connected."""

    def __init__(self, on_message: Callable[[dict], None], on_switch: Callable[[], None]) -> None:
        """``on_message(data)``: a message from the browser (a JSON object);
        ``on_switch()``: frames now take the other path (the socket opened or closed);
        what was in flight may be lost, so everything must be sent again."""
        self.token = secrets.token_urlsafe(16)
        self._on_message = on_message
        self._on_switch = on_switch
        self._socket: WebSocketHandler | None = None
        self._write = None  # the future of the write under way
        channels()[self.token] = self

    @property
    def path(self) -> str:
        """Where the browser connects, from the server's root (after any prefix)."""
        return f"{PATH}?tab={self.token}"

    @property
    def open(self) -> bool:
        connection = self._socket and self._socket.ws_connection
        return bool(connection) and not connection.is_closing()

    @property
    def free(self) -> bool:
        """Open, with no write under way (a frame behind another only waits)."""
        return self.open and (self._write is None or self._write.done())

    def send(self, message: dict, arrays: dict) -> None:
        """What ``LiveView.send`` takes: ``message`` (JSON-friendly) and ``arrays``."""
        if self._socket is None:
            return
        binary, parts = pack(arrays)
        payload = encode({**message, "parts": parts}, binary)
        try:
            self._write = self._socket.write_message(payload, binary=True)
        except (WebSocketClosedError, StreamClosedError):
            self.detach(self._socket)
            return
        self._write.add_done_callback(_ignore_closed)

    def attach(self, socket: WebSocketHandler) -> None:
        if self._socket is not None and self._socket is not socket:
            self._socket.close()  # an older view's socket: the newest view is the one shown
        self._socket, self._write = socket, None
        self._on_switch()

    def detach(self, socket: WebSocketHandler | None) -> None:
        if socket is not None and socket is self._socket:
            self._socket, self._write = None, None
            self._on_switch()

    def received(self, text) -> None:
        if not isinstance(text, str) or len(text) > MAX_MESSAGE_BYTES:
            return
        try:
            data = json.loads(text)
        except ValueError:
            return
        if isinstance(data, dict):
            self._on_message(data)

    def close(self) -> None:
        channels().pop(self.token, None)
        if self._socket is not None:
            self._socket.close()
        self._socket = self._write = None


def _ignore_closed(write) -> None:
    """A frame that could not be written because the tab closed had nowhere to go: the
    exception is retrieved here so that asyncio does not log it as an error."""
    if not write.cancelled() and write.exception() is not None:
        log.debug("a frame to a tab that had closed was dropped")
