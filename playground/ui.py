"""One tab's app: its state's views, the page around them, and the wiring that gets a
frame to the browser (which socket, when it is free, what to send again)."""

from pathlib import Path

import numpy as np
import panel as pn

from playground.channel import FrameChannel
from playground.connection import TabConnection
from playground.engine import FEATURES
from playground.loop import Fleet, FrameLoop
from playground.state import PlaygroundState
from playground.url import UrlScene
from playground.views.compose import FrameComposer
from playground.views.data_picker import DatasetPicker
from playground.views.embed import EmbedPanel
from playground.views.frames import FrameAck
from playground.views.live import LiveView
from playground.views.network import NetworkDiagram
from playground.views.page import Page

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SOCKET_RETRY_MS = 2


class PlaygroundApp(pn.viewable.Viewer):
    def __init__(
        self,
        state: PlaygroundState,
        scene: UrlScene | None = None,
        fleet: Fleet | None = None,
        connection: TabConnection | None = None,
        doc=None,
    ) -> None:
        """``connection`` and ``doc``: the tab's websocket and document, when served."""
        super().__init__()
        self.state = state
        self.hidden = frozenset(scene.hidden) if scene else frozenset()
        self.hide_text = bool(scene and scene.hide_text)
        self.diagram = NetworkDiagram(
            state, hidden_features=[f for f in FEATURES if f in self.hidden]
        )
        self.composer = FrameComposer(state, self.diagram)
        self.frames = FrameAck()
        self.live = LiveView(
            handlers={
                "ready": self._view_ready,
                "ack": self.frames.acknowledged,
                "hover": self.diagram.hover,
                "tap": self.diagram.tap,
                "layers": self.diagram.change_layers,
                "neurons": self.diagram.change_neurons,
            },
            layer_buttons="numHiddenLayers" not in self.hidden,
        )
        self.page = Page(
            state,
            live=self.live,
            diagram=self.diagram,
            picker=DatasetPicker(state),
            embed=EmbedPanel(state, self.hidden, self.hide_text),
            hidden=self.hidden,
            hide_text=self.hide_text,
            notes=scene.notes if scene else [],
        )
        # Frames go over the tab's own socket once the browser has opened it; whenever
        # the path changes, everything is sent again (what was in flight may be lost).
        self.channel = FrameChannel(on_message=self._from_channel, on_switch=self._view_ready)
        self._doc = doc
        self._connection = connection
        self.loop = FrameLoop(
            state,
            self.draw,
            fleet or Fleet(),
            can_draw=lambda: self.frames.can_send and self._socket_free,
            away=lambda: self.frames.away or not self._socket_open,
            request_draw=self._request_draw,
        )
        self._draw_pending = self._force_pending = False
        self.diagram.param.watch(lambda _: self.loop.invalidate(), ["preview_node"])
        state.param.watch(lambda _: self.loop.invalidate(), ["data_version", "show_test_data"])
        # A new network (any control that resets) is drawn as soon as the change has
        # been handled, not at the next tick: up to a tick less between control and picture.
        state.param.watch(lambda _: self._request_draw(), ["network_version", "data_version"])

    # -- frames --------------------------------------------------------------------------

    def _request_draw(self, force: bool = False) -> None:
        """Gets a frame drawn where the document may be changed: in a callback of the
        document on the next turn of the event loop (one at a time), or at once when
        there is no server (tests)."""
        if self._doc is None:
            self.loop.draw_frame(force)
            return
        self._force_pending |= force
        if not self._draw_pending:
            self._draw_pending = True
            self._doc.add_next_tick_callback(self._scheduled_draw)

    def _scheduled_draw(self) -> None:
        force, self._force_pending, self._draw_pending = self._force_pending, False, False
        if self._only_the_socket_is_busy() and (force or self.loop.has_news):
            # A write is under way (often the replies to the very control change that
            # asked for this frame): try again in a moment rather than at the next tick.
            self._force_pending, self._draw_pending = force, True
            self._doc.add_timeout_callback(self._scheduled_draw, SOCKET_RETRY_MS)
            return
        self.loop.draw_frame(force)

    def _only_the_socket_is_busy(self) -> bool:
        return self.frames.can_send and self._socket_open and not self._socket_free

    @property
    def _socket_open(self) -> bool:
        return self._connection is None or self._connection.open

    @property
    def _socket_free(self) -> bool:
        """The socket frames go over can take one now."""
        if self.channel.open:
            return self.channel.free
        return self._connection is None or self._connection.free

    def _from_channel(self, data: dict) -> None:
        # Only acknowledgements come this way: the other messages change the document,
        # which only Bokeh's callbacks may do.
        if "ack" in data:
            self.frames.acknowledged(data["ack"])

    def _view_ready(self, _value=None) -> None:
        """The browser's view exists (again), empty: the next frame brings everything."""
        self.frames.view_ready()
        self.composer.restart()
        self.loop.invalidate()

    def frame_message(self) -> tuple[dict, dict[str, np.ndarray]]:
        """The next frame, as ``LiveView.send`` takes it."""
        return self.composer.message(self.frames.next_frame())

    def draw(self) -> None:
        if not self.frames.connected:  # the view asks for everything once it is ready
            return
        path = self.channel if self.channel.open else self.live
        path.send(*self.frame_message())

    def __panel__(self):
        return self.page
