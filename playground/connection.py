"""This tab's websocket, which Bokeh keeps to itself (the session's subscribed
connections); every lookup here falls back to "don't know" rather than failing.

Frames must leave at once: Bokeh writes a message as several websocket frames and,
with Nagle's algorithm (Tornado's default), every frame after the first waits for the
browser's delayed ACK, up to 40 ms, which halved the frame rate.

And a frame is only sent while the socket is ``free``: open, and not in the middle of
another write. Panel writes a message at once, but one that finds the socket busy is
queued and retried every 10 ms, and if the tab closes meanwhile Panel leaves
"Task exception was never retrieved" tracebacks in the log. A frame that cannot go
now is tried again a moment later (``PlaygroundApp._scheduled_draw``).
"""

import asyncio
import logging
import traceback

from bokeh.document import Document
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError

log = logging.getLogger("playground")


class TabConnection:
    def __init__(self, doc: Document | None) -> None:
        self.doc = doc

    def _sockets(self) -> list | None:
        context = getattr(self.doc, "session_context", None)
        session = getattr(context, "_session", None)
        connections = getattr(session, "_subscribed_connections", None)
        if connections is None:
            return None
        return [getattr(connection, "_socket", None) for connection in connections]

    def send_small_messages_at_once(self) -> None:
        """TCP_NODELAY on the tab's websocket."""
        for socket in self._sockets() or ():
            if hasattr(socket, "set_nodelay"):
                socket.set_nodelay(True)

    @property
    def open(self) -> bool:
        """False once the tab's websocket is closed or closing; True when unknown."""
        sockets = self._sockets()
        return sockets is None or any(map(_is_open, sockets))

    @property
    def free(self) -> bool:
        """Open, and no write under way on its socket (Bokeh's per-socket write lock)."""
        sockets = self._sockets()
        if sockets is None:
            return True
        return any(map(_is_open, sockets)) and not any(map(_is_writing, sockets))


def _is_open(socket) -> bool:
    protocol = getattr(socket, "ws_connection", None)
    return protocol is not None and not protocol.is_closing()


def _is_writing(socket) -> bool:
    lock = getattr(getattr(socket, "write_lock", None), "_block", None)
    return getattr(lock, "_value", 1) == 0


def drop_writes_to_closed_tabs(loop: asyncio.AbstractEventLoop) -> None:
    """Makes a write that failed because its tab had closed a one-line note, not a
    traceback. Panel and Tornado start a task per websocket write; when the tab closes
    with writes under way, some of those tasks end with WebSocketClosedError and nobody
    awaits them, and asyncio logs each as "Task exception was never retrieved" with a
    traceback. The data had nowhere to go, which is no error. Every other exception goes
    to the handler there was before. Installing twice changes nothing."""
    previous = loop.get_exception_handler()
    if getattr(previous, "drops_closed_tab_writes", False):
        return

    def handler(loop: asyncio.AbstractEventLoop, context: dict) -> None:
        if isinstance(context.get("exception"), WebSocketClosedError | StreamClosedError):
            log.info("a write to a tab that had closed was dropped")
        elif previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    handler.drops_closed_tab_writes = True
    loop.set_exception_handler(handler)


class MessagesFromClosedTabs(logging.Filter):
    """Turns Bokeh's traceback for a message that arrives from a tab whose connection
    has already been let go (``assert self._session is not None`` in
    bokeh/server/connection.py, a race between a tab's last acknowledgement and its
    closing) into a one-line note. Any other record passes unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not (record.exc_info and isinstance(record.exc_info[1], AssertionError)):
            return True
        frames = traceback.extract_tb(record.exc_info[2])
        last = frames[-1] if frames else None
        if last and last.name == "session" and last.filename.endswith("connection.py"):
            log.info("a message from a tab that had closed was dropped")
            return False
        return True


def drop_messages_from_closed_tabs() -> None:
    """Installs ``MessagesFromClosedTabs`` on Bokeh's protocol handler log, once."""
    logger = logging.getLogger("bokeh.server.protocol_handler")
    if not any(isinstance(f, MessagesFromClosedTabs) for f in logger.filters):
        logger.addFilter(MessagesFromClosedTabs())
