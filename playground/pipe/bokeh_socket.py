"""The tab's Bokeh websocket, which frames take until the tab's own socket is open.

Frames must leave at once: Bokeh writes a message as several websocket frames and,
with Nagle's algorithm (Tornado's default), every frame after the first waits for the
browser's delayed ACK, up to 40 ms, which halved the frame rate.

And a frame is only sent while the socket is ``free``: open, not in the middle of
another write, and with nothing of earlier messages left in Tornado's buffer (Panel
writes most messages past Bokeh's write lock, so a browser that stops reading shows
only there). A frame that cannot go now is tried again a moment later
(``TabPipe.retry_soon``); the labs' updates wait the same way (``labs/when_free.py``).

Bokeh keeps its sockets to itself (``library.bokeh_websockets``); when they cannot be
found, "don't know" counts as open and free.
"""

from bokeh.document import Document

from playground.pipe.library import (
    bokeh_websockets,
    websocket_buffered,
    websocket_open,
    websocket_writing,
)


class BokehSocket:
    def __init__(self, doc: Document | None) -> None:
        self.doc = doc

    def send_small_messages_at_once(self) -> None:
        """TCP_NODELAY on the tab's websocket."""
        for socket in bokeh_websockets(self.doc) or ():
            if hasattr(socket, "set_nodelay"):
                socket.set_nodelay(True)

    @property
    def open(self) -> bool:
        """False once the tab's websocket is closed or closing; True when unknown."""
        sockets = bokeh_websockets(self.doc)
        return sockets is None or any(map(websocket_open, sockets))

    @property
    def free(self) -> bool:
        """Open, no write under way on its socket (Bokeh's per-socket write lock), and
        nothing of earlier messages still waiting in Tornado's buffer (a browser that
        reads slowly, or never, fills it)."""
        sockets = bokeh_websockets(self.doc)
        if sockets is None:
            return True
        busy = (websocket_writing(s) or websocket_buffered(s) for s in sockets)
        return any(map(websocket_open, sockets)) and not any(busy)
