"""A lab tab's updates reach its browser only while its Bokeh websocket is free.

Panel writes a change or a message at once, straight into Tornado's buffer for the
tab's websocket; when the browser reads slowly, or never, that buffer only grows: a
Hopfield tab whose browser never read grew the server by ~10 MB a minute, never freed,
once the kernel's own buffers were full. Here an update waits instead, as a function
that builds its message when it goes: the latest of each kind replaces an earlier one
(``send(key, update)``), nothing piles up, and a tab whose browser stops reading costs
neither memory nor the work of updates nobody takes. The playground's frames do the
same (``playground/pipe/tab.py``: ``free``).
"""

from collections.abc import Callable

from bokeh.document import Document

from playground.pipe.bokeh_socket import BokehSocket

RETRY_MS = 20  # while an update waits: how often to look at the socket again


class WhenFree:
    def __init__(self, doc: Document | None) -> None:
        """``doc``: the tab's document; without one (tests), updates go at once."""
        self.doc = doc
        self.socket = BokehSocket(doc)
        self.pending: dict[str, Callable[[], None]] = {}
        self.retrying = False
        self.ended = False

    @property
    def free(self) -> bool:
        """The browser has taken everything sent so far."""
        return self.socket.free

    def send(self, key: str, update: Callable[[], None]) -> None:
        """Runs ``update()`` now if the socket is free, else when it is (the latest
        ``update`` under ``key`` only)."""
        if self.ended:
            return
        self.pending.pop(key, None)  # re-added last: updates go in the order last asked
        self.pending[key] = update
        self.flush()

    def flush(self) -> None:
        if self.ended or not self.pending:
            return
        if not self.free:
            self._retry_later()
            return
        updates, self.pending = list(self.pending.values()), {}
        for update in updates:
            update()

    def _retry_later(self) -> None:
        if self.retrying or self.doc is None:
            return
        self.retrying = True
        self.doc.add_timeout_callback(self._retry, RETRY_MS)

    def _retry(self) -> None:
        self.retrying = False
        self.flush()

    def end(self, _session_context) -> None:
        """The tab closed: nothing more is sent."""
        self.ended = True
        self.pending.clear()
