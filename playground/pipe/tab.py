"""One tab's frame path: which socket a frame takes, whether it may go now, and what
the browser says back.

Frames take the tab's own socket (``channel``) once the browser has opened it, else
Bokeh's (``bokeh_socket``, through the live view); whenever the path changes the
browser's view counts as new (``on_ready``: everything is sent again, since what was in
flight may be lost). The browser paces them with its acknowledgements (``pacing``).
Every message from the browser, on either socket, is checked against ``schema`` before
any handler sees it.
"""

from collections.abc import Callable

import panel as pn
from bokeh.document import Document

from playground.pipe.bokeh_socket import BokehSocket
from playground.pipe.channel import FrameChannel, socket_served
from playground.pipe.pacing import FrameAck
from playground.pipe.schema import DropLog, checked, parsed

SOCKET_RETRY_MS = 2


def drop_log() -> DropLog:
    """The process's one log of dropped messages (so that a thousand hostile tabs still
    make one line a minute), in Panel's process cache."""
    return pn.state.cache.setdefault("playground.dropped_messages", DropLog())


class TabPipe:
    def __init__(
        self,
        view,
        handlers: dict[str, Callable],
        on_ready: Callable[[], None],
        doc: Document | None = None,
    ) -> None:
        """``view``: the live view (``send(message, arrays)`` over Bokeh's socket,
        ``listen(callback)`` for what its browser side sends). ``handlers``: the app's
        handler for each other message key (``hover``, ``tap``, ``layers``,
        ``neurons``). ``on_ready()``: the browser's view is empty, the next frame must
        bring everything. ``doc``: the tab's document, when served."""
        self.pacing = FrameAck()
        self.view = view
        self.bokeh = BokehSocket(doc)
        self.channel = FrameChannel(on_text=self._from_socket, on_switch=self.view_ready)
        self._doc = doc
        self._on_ready = on_ready
        self._handlers = {
            **handlers,
            "ready": lambda _value: self.view_ready(),
            "ack": self.acknowledged,
        }
        self._drops = drop_log()
        view.listen(self.received)

    # -- the interface --------------------------------------------------------------------

    @property
    def open(self) -> bool:
        """The browser's view exists and a socket leads to it: it can take frames."""
        return self.pacing.connected and (self.channel.open or self.bokeh.open)

    @property
    def free(self) -> bool:
        """A frame may go now: the browser has kept up, and its socket is not writing."""
        return self.pacing.can_send and self._socket_free

    def send(self, message: dict, arrays: dict) -> None:
        """``message`` (JSON-friendly) and ``arrays`` (uint8, float32 or float64)."""
        if not self.pacing.connected:  # the view asks for everything once it is ready
            return
        path = self.channel if self.channel.open else self.view
        path.send(message, arrays)

    def acknowledged(self, answer) -> None:
        """The browser's [latest frame painted, paints since its last answer]."""
        self.pacing.acknowledged(answer)

    # -- the rest of a tab's life ---------------------------------------------------------

    @property
    def away(self) -> bool:
        """The tab stopped painting (hidden or closed), or its view never reported ready
        (nothing it trains could be shown): its loop may rest."""
        return self.pacing.away or not self.pacing.connected or not self.bokeh.open

    def next_frame(self) -> int:
        """The number of the frame about to be sent."""
        return self.pacing.next_frame()

    def view_ready(self) -> None:
        """The browser's view exists (again), or frames changed socket: all again."""
        self.pacing.view_ready()
        self._on_ready()

    def retry_soon(self, callback: Callable[[], None]) -> bool:
        """When only the socket stops a frame (a write is under way, often the replies
        to the very control change that asked for it), schedules ``callback`` in
        ``SOCKET_RETRY_MS`` rather than at the next tick; says whether it did."""
        if self._doc is None or not self.pacing.can_send:
            return False
        if not self.bokeh.open or self._socket_free:
            return False
        self._doc.add_timeout_callback(callback, SOCKET_RETRY_MS)
        return True

    def offer_socket(self, rel_path: str | None) -> None:
        """Tells the browser where the tab's own socket is, when this server has it, as
        an address relative to the page: ``rel_path`` leads from the page to the
        server's root (Panel's ``pn.state.rel_path``: ``""`` for a page at
        ``<prefix>/app``, ``".."`` at ``<prefix>/labs/x``), so the browser keeps the
        prefix it opened the page with. Panel's ``base_url`` loses the prefix in a
        session created by Bokeh's websocket (with ``--num-procs 2``)."""
        if socket_served():
            self.view.frame_socket = (rel_path or ".") + self.channel.path

    def start(self) -> None:
        """The browser has connected: its Bokeh socket sends small messages at once."""
        self.bokeh.send_small_messages_at_once()

    def close(self) -> None:
        self.channel.close()

    # -- from the browser -----------------------------------------------------------------

    def received(self, data) -> None:
        """A message over Bokeh's socket (already parsed by Bokeh)."""
        message = checked(data)
        if message is None:
            self._drops.drop("Bokeh's websocket", data)
            return
        for key, value in message.items():
            if handler := self._handlers.get(key):
                handler(value)

    def _from_socket(self, text) -> None:
        """A message on the tab's own socket. Only acknowledgements come this way: the
        other messages change the document, which only Bokeh's callbacks may do."""
        message = parsed(text)
        if message is None:
            self._drops.drop("the frame socket", text)
        elif "ack" in message:
            self.acknowledged(message["ack"])

    @property
    def _socket_free(self) -> bool:
        if self.channel.open:
            return self.channel.free
        return self.bokeh.free
