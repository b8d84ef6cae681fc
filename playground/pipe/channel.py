"""One tab's own websocket for frames and acknowledgements (its route: ``route``).

Bokeh's protocol costs a frame about 0.8 ms of server CPU whatever it carries: it
builds a reference for each of the document's ~100 models, serializes the event and
writes five websocket frames; an acknowledgement costs as much again, and a reply. On
the tab's own socket a frame is one binary message (``wire.encode``) and an
acknowledgement a few bytes of JSON, so a server with a hall full of tabs spends its
time training and drawing.

Each tab gets a ``FrameChannel`` with a token that names its worker (the server
process, by its id) and a random part; its live view opens
``<prefix>/playground-frames?tab=<token>``. A socket that reaches another worker is
refused at once (``route``). Until that socket is open (or when it closes, or when the
server was started without the plugin) frames travel over Bokeh's websocket: the channel
is an optimisation, never a requirement.
"""

import logging
import os
import secrets
import sys
import weakref
from collections.abc import Callable

import panel as pn
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from playground.pipe.wire import encode, pack

PATH = "/playground-frames"
PLUGIN = "playground.frame_socket"  # panel serve ... --plugins PLUGIN adds the route
log = logging.getLogger("playground")


def channels() -> weakref.WeakValueDictionary:
    """This process's channels by token (Panel's process cache holds the registry)."""
    return pn.state.cache.setdefault("playground.frame_channels", weakref.WeakValueDictionary())


def new_token() -> str:
    """``<worker>.<secret>``: this process's id, then 128 random bits."""
    return f"{os.getpid()}.{secrets.token_urlsafe(16)}"


def token_worker(token: str) -> int | None:
    """The worker a token names (a process id), or None if it names none."""
    worker, dot, secret = token.partition(".")
    if not (dot and secret and worker.isascii() and worker.isdigit() and len(worker) <= 10):
        return None
    return int(worker)


def socket_served() -> bool:
    """Whether this server has the frame socket's route: Panel imports the plugin module
    only to install its routes (``--plugins``)."""
    return PLUGIN in sys.modules


class FrameChannel:
    """One tab's end of the frame socket: ``open`` once its browser has connected."""

    def __init__(self, on_text: Callable[[object], None], on_switch: Callable[[], None]) -> None:
        """``on_text(message)``: what the browser sent, unchecked; ``on_switch()``: frames
        now take the other path (the socket opened or closed); what was in flight may be
        lost, so everything must be sent again."""
        self.token = new_token()
        self._on_text = on_text
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
        """Attached: between the socket's ``open`` and its ``on_close`` (or our close)."""
        return self._socket is not None

    @property
    def free(self) -> bool:
        """Open, with no write under way (a frame behind another only waits)."""
        return self.open and (self._write is None or self._write.done())

    def send(self, message: dict, arrays: dict) -> None:
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
        self._on_text(text)

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
