"""One tab's app: its state's views, the page around them, its frame loop; its frames
reach the browser through the tab's pipe (``playground.pipe``)."""

import secrets
from importlib import resources

import numpy as np
import panel as pn

from playground.engine import FEATURES
from playground.loop import Fleet, FrameLoop
from playground.pipe import TabPipe
from playground.state import PlaygroundState
from playground.url import UrlScene
from playground.views.compose import FrameComposer
from playground.views.data_picker import DatasetPicker
from playground.views.draw import DrawHandlers
from playground.views.embed import EmbedPanel
from playground.views.files import FileTools
from playground.views.live import LiveView
from playground.views.network import NetworkDiagram
from playground.views.page import Page

ASSETS = resources.files("playground.assets")


class PlaygroundApp(pn.viewable.Viewer):
    def __init__(
        self,
        state: PlaygroundState,
        scene: UrlScene | None = None,
        fleet: Fleet | None = None,
        doc=None,
        prefix: str = "",
    ) -> None:
        """``doc``: the tab's document, when served. ``prefix``: the scene's URL keys'
        (``playground.url_scope``), when the page holds several scenes."""
        super().__init__()
        self.state = state
        self.prefix = prefix
        # The live view's name on its page: its events and its editor carry it, so that
        # two scenes on one page never hear each other (assets/view_events.js).
        self.view_id = secrets.token_hex(4)
        self.hidden = frozenset(scene.hidden) if scene else frozenset()
        self.hide_text = bool(scene and scene.hide_text)
        self.diagram = NetworkDiagram(
            state, hidden_features=[f for f in FEATURES if f in self.hidden]
        )
        self.composer = FrameComposer(state, self.diagram)
        self.draw_mode = DrawHandlers(state)
        self.diagram.editor.css_classes = [*self.diagram.editor.css_classes, self.view_class]
        self.live = LiveView(
            view_id=self.view_id,
            layer_buttons="numHiddenLayers" not in self.hidden,
            test_loss="percTrainData" not in self.hidden,  # the original hides both
        )
        self.pipe = TabPipe(
            self.live,
            handlers={
                "hover": self.diagram.hover,
                "tap": self.diagram.tap,
                "layers": self.diagram.change_layers,
                "neurons": self.diagram.change_neurons,
                "close_editor": lambda _true: self.diagram.close_editor(),
                "drawing": self.draw_mode.drawing,
                "draw": self.draw_mode.draw,
                "clear_points": self.draw_mode.clear,
                "gallery": self._show_image,
            },
            on_ready=self._view_ready,
            doc=doc,
        )
        self.page = Page(
            state,
            live=self.live,
            diagram=self.diagram,
            picker=DatasetPicker(state),
            embed=EmbedPanel(state, self.hidden, self.hide_text, page="app" if prefix else ""),
            files=FileTools(state, sizing_mode="stretch_width", css_classes=["file-tools"]),
            hidden=self.hidden,
            hide_text=self.hide_text,
            notes=scene.notes if scene else [],
            note_settings=scene.note_settings if scene else (),
            presenter=bool(scene and scene.presenter),
            view_class=self.view_class,
            one_of_several=bool(prefix),
        )
        self._doc = doc
        self.loop = FrameLoop(
            state,
            self.draw,
            fleet or Fleet(),
            can_draw=lambda: self.pipe.free,
            away=lambda: self.pipe.away,
            request_draw=self._request_draw,
            view_open=lambda: self.pipe.open,
        )
        self._draw_pending = self._force_pending = False
        self.diagram.param.watch(lambda _: self.loop.invalidate(), ["preview_node"])
        state.param.watch(
            lambda _: self.loop.invalidate(), ["data_version", "show_test_data", "palette"]
        )
        # A new network (any control that resets) is drawn as soon as the change has
        # been handled, not at the next tick: up to a tick less between control and picture.
        state.param.watch(lambda _: self._request_draw(), ["network_version", "data_version"])

    @property
    def view_class(self) -> str:
        """The css class of this scene's page and editor."""
        return f"view-{self.view_id}"

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
        if (force or self.loop.has_news) and self.pipe.retry_soon(self._scheduled_draw):
            self._force_pending, self._draw_pending = force, True
            return
        self.loop.draw_frame(force)

    def _view_ready(self) -> None:
        """The browser's view is new and empty: the next frame brings everything."""
        self.composer.restart()
        self.loop.invalidate()

    def _show_image(self, index: int) -> None:
        """A test image clicked in the gallery becomes the input picture."""
        if self.diagram.images is not None:
            self.diagram.images.show_image(index)
            self.loop.invalidate()

    def frame_message(self) -> tuple[dict, dict[str, np.ndarray]]:
        """The next frame, as ``LiveView.send`` takes it."""
        return self.composer.message(self.pipe.next_frame())

    def draw(self) -> None:
        if self.pipe.open:  # else the view asks for everything once it is ready
            self.pipe.send(*self.frame_message())

    def __panel__(self):
        return self.page
