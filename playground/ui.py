"""The served app: one PlaygroundState, its views and its frame loop per browser tab."""

import asyncio
import html
import logging
import weakref
from importlib import resources

import numpy as np
import panel as pn
import param
from panel.io.resources import LOCAL_DIST, patch_model_css

from playground.channel import FrameChannel, socket_served
from playground.colors import HEATMAP_ALPHA, NAN_COLOR, PALETTE, SCALE, quantize
from playground.connection import (
    TabConnection,
    drop_messages_from_closed_tabs,
    drop_writes_to_closed_tabs,
)
from playground.engine import FEATURES
from playground.loop import Fleet, FrameLoop
from playground.state import SETTINGS, PlaygroundState
from playground.url import UrlScene, query_from_state, scene_from_query
from playground.views.controls import (
    EpochCounter,
    data_sliders,
    format_epoch,
    format_loss,
    output_toggles,
    selects,
)
from playground.views.data_picker import DatasetPicker
from playground.views.embed import EmbedPanel
from playground.views.frames import FrameAck
from playground.views.keyboard import SpaceToPlay
from playground.views.live import LiveView
from playground.views.loss import LossFeed
from playground.views.network import NetworkDiagram
from playground.views.output import points_arrays

ASSETS = resources.files("playground.assets")
TITLE = "A Neural Network Playground"
SOCKET_RETRY_MS = 2
log = logging.getLogger("playground")


class PlaygroundApp(pn.viewable.Viewer):
    notes = param.List(default=[], doc="what was wrong with the URL, shown to the user")

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
        self.notes = list(scene.notes) if scene else []
        self.diagram = NetworkDiagram(
            state, hidden_features=[f for f in FEATURES if f in self.hidden]
        )
        self.loss_feed = LossFeed(state)
        self.picker = DatasetPicker(state)
        self.embed = EmbedPanel(state, self.hidden, self.hide_text)
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
        self._browser_has: dict[str, int] = {}  # scene and data versions sent since ready
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
        self._build_widgets()
        self._layout = self._build_layout()
        self.diagram.param.watch(lambda _: self.loop.invalidate(), ["preview_node"])
        state.param.watch(lambda _: self.loop.invalidate(), ["data_version", "show_test_data"])
        # A new network (any control that resets) is drawn as soon as the change has
        # been handled, not at the next tick: up to a tick less between control and picture.
        state.param.watch(lambda _: self._request_draw(), ["network_version", "data_version"])
        state.param.watch(self._on_playing, ["playing"])

    # -- widgets ---------------------------------------------------------------------

    def _build_widgets(self) -> None:
        state = self.state
        self.play_button = pn.widgets.Button(
            label="▶",
            description="Run/Pause",
            color="primary",
            width=56,
            height=56,
            css_classes=["ui-playButton", "play-button"],
        )
        self.play_button.on_click(lambda _: state.toggle_play())
        self.step_button = pn.widgets.Button(
            label="Step", description="Step", width=60, css_classes=["ui-stepButton"]
        )
        self.step_button.on_click(lambda _: state.step())
        self.reset_button = pn.widgets.Button(
            label="Reset", description="Reset the network", width=60, css_classes=["ui-resetButton"]
        )
        self.reset_button.on_click(lambda _: state.reset())
        self.regenerate_button = pn.widgets.Button(
            label="Regenerate", description="Regenerate data", width=110, css_classes=["regenerate"]
        )
        self.regenerate_button.on_click(lambda _: state.regenerate(reset=False))
        self.epoch_counter = EpochCounter(width=110, css_classes=["epoch"])
        self.message = pn.pane.Alert(
            "", alert_type="danger", visible=False, css_classes=["message"]
        )
        self.notes_pane = pn.pane.Alert(
            "", alert_type="warning", visible=False, css_classes=["url-notes"]
        )
        self.keyboard = SpaceToPlay()
        self.keyboard.param.watch(lambda _: state.toggle_play(), ["presses"])
        self.selects = selects(state)
        self.sliders = data_sliders(state)
        self.toggles = output_toggles(state)
        state.param.watch(self._show_message, ["message"])
        self.param.watch(self._show_notes, ["notes"])
        self._show_notes()

    def _controls_by_hide_id(self) -> dict[str, list]:
        return {
            "playButton": [self.play_button],
            "stepButton": [self.step_button],
            "resetButton": [self.reset_button],
            "dataset": [self.picker],
            **{key: [w] for key, w in {**self.selects, **self.sliders, **self.toggles}.items()},
        }

    def _build_layout(self):
        hidden = self.hidden
        visible = {
            key: [c for c in comps if key not in hidden]
            for key, comps in self._controls_by_hide_id().items()
        }
        top = pn.Row(
            *visible["resetButton"],
            *visible["playButton"],
            *visible["stepButton"],
            self.epoch_counter,
            *visible["learningRate"],
            *visible["activation"],
            *visible["regularization"],
            *visible["regularizationRate"],
            *visible["problem"],
            *visible["speed"],
            self.keyboard,
            css_classes=["top-bar"],
            align="center",
        )
        data_column = pn.Column(
            pn.pane.HTML("<h4>Data</h4><p class='hint'>Which dataset do you want to use?</p>"),
            *visible["dataset"],
            *visible["percTrainData"],
            *visible["noise"],
            *visible["batchSize"],
            self.regenerate_button,
            width=200,
            css_classes=["data-column"],
        )
        # Under the live view: the link editor below the diagram, the output's
        # checkboxes below the heatmap.
        editor_width = self.diagram.canvas_size[0] + 24
        below = pn.Row(
            pn.Column(self.diagram.editor_row, width=editor_width, margin=0),
            pn.Column(*visible["showTestData"], *visible["discretize"], margin=0),
            margin=0,
        )
        header = pn.pane.HTML(
            "<h1>Tinker With a <b>Neural Network</b> Right Here in Your Browser.</h1>"
            "<p>Don't Worry, You Can't Break It. We Promise.</p>",
            css_classes=["header"],
            visible=not self.hide_text,
            sizing_mode="stretch_width",
        )
        return pn.Column(
            header,
            top,
            self.notes_pane,
            self.message,
            pn.Row(data_column, pn.Column(self.live, below, margin=(0, 10))),
            pn.Row(self.embed, visible=not self.hide_text, sizing_mode="stretch_width"),
            css_classes=["playground"],
            sizing_mode="stretch_width",
        )

    # -- reacting to the state ---------------------------------------------------------

    def _on_playing(self, event) -> None:
        self.play_button.label = "❚❚" if event.new else "▶"

    def _show_message(self, event=None) -> None:
        self.message.object = self.state.message
        self.message.visible = bool(self.state.message)

    def _show_notes(self, event=None) -> None:
        self.notes_pane.object = "<br>".join(html.escape(note) for note in self.notes)
        self.notes_pane.visible = bool(self.notes)

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
        self.loss_feed.restart()
        self._browser_has = {}
        self.loop.invalidate()

    def _picture(self, maps: np.ndarray) -> np.ndarray:
        """The big plot's map: the output, or the node under the mouse."""
        preview = self.diagram.preview_node
        if preview is None:
            return maps[-1]
        if preview[0] == "feature":
            return self.state.grid.feature_maps[list(FEATURES).index(preview[1])]
        return maps[preview[1]]

    def frame_message(self) -> tuple[dict, dict[str, np.ndarray]]:
        """One frame: every node's map in one grid pass, quantized, plus what else changed.

        Returns the JSON part and the arrays, as ``LiveView.send`` takes them.
        """
        state = self.state
        maps = state.node_maps()
        message = {
            "frame": self.frames.next_frame(),
            "epoch": format_epoch(state.epoch),
            "dash": -state.epoch / 3,  # the dashes flow as training runs
            "losses": [format_loss(state.test_loss), format_loss(state.train_loss)],
            "show_test": state.show_test_data,
        }
        arrays = {
            "heatmap": quantize(self._picture(maps), state.discretize),
            **self.diagram.frame(maps, state.discretize),
        }
        if self._browser_has.get("scene") != self.diagram.scene_version:
            self._browser_has["scene"] = self.diagram.scene_version
            message["scene"] = {
                **self.diagram.scene(),
                "palette": [*PALETTE, NAN_COLOR],  # the last one for NaN
                "scale": list(SCALE),
                "heat_alpha": round(255 * HEATMAP_ALPHA),
            }
        if self._browser_has.get("data") != state.data_version:
            self._browser_has["data"] = state.data_version
            arrays.update(points_arrays(state.data))
        if chunk := self.loss_feed.chunk():
            message["chart_reset"] = chunk.pop("reset")
            arrays.update({f"chart_{key}": values for key, values in chunk.items()})
        return message, arrays

    def draw(self) -> None:
        if not self.frames.connected:  # the view asks for everything once it is ready
            return
        path = self.channel if self.channel.open else self.live
        path.send(*self.frame_message())

    def __panel__(self):
        return self._layout


def scene_settings(scene: UrlScene) -> dict:
    """The scene's settings, with the features it hides from the UI switched off."""
    settings = dict(scene.settings)
    if hidden := set(scene.hidden) & set(FEATURES):
        features = settings.get("features", PlaygroundState.param.features.default)
        settings["features"] = [name for name in features if name not in hidden]
    return settings


def session_query() -> dict[str, str]:
    """The query string this tab was opened with."""
    args = pn.state.session_args or {}
    return {key: values[-1].decode("utf-8", "replace") for key, values in args.items() if values}


def serve_session() -> PlaygroundApp:
    """Builds one tab's app from its URL and wires its loop, URL sync and cleanup."""
    scene = scene_from_query(session_query())
    state = PlaygroundState(**scene_settings(scene))
    # One fleet per server, that is per event loop (tests run several in one process).
    event_loop = asyncio.get_event_loop()
    fleets = pn.state.cache.setdefault("playground.fleets", weakref.WeakKeyDictionary())
    fleet = fleets.setdefault(event_loop, Fleet())
    drop_writes_to_closed_tabs(event_loop)
    drop_messages_from_closed_tabs()
    doc = pn.state.curdoc
    connection = TabConnection(doc)
    app = PlaygroundApp(state, scene, fleet, connection, doc)
    if socket_served():
        app.live.frame_socket = pn.state.base_url.rstrip("/") + app.channel.path
    tasks = []  # the loop's task, held here so it lives as long as the session

    def start() -> None:
        connection.send_small_messages_at_once()
        tasks.append(asyncio.ensure_future(app.loop.run()))
        fleet.start()

    pn.state.onload(start)  # once the browser is connected: nothing to run for before
    _sync_url(app)

    def end_session(_) -> None:
        app.loop.stop()
        app.channel.close()
        for task in tasks:
            task.cancel()
        loop = app.loop
        mean_ms = 1e3 * loop.draw_total_s / max(1, loop.frames_drawn)
        log.info(
            "session ended: training loop stopped (%d epochs, %d frames, %.1f ms per frame)",
            app.state.epoch,
            loop.frames_drawn,
            mean_ms,
        )

    pn.state.on_session_destroyed(end_session)
    return app


def _sync_url(app: PlaygroundApp) -> None:
    location = pn.state.location
    if location is None:
        return

    def write_url(*_):
        if location.reload:  # the page is reopening with a scene from its hash
            return
        query = query_from_state(app.state, app.hidden, app.hide_text)
        location.search = "?" + query

    def open_hash(event):
        # A TensorFlow Playground link carries its scene in the hash, which only the
        # browser knows: it arrives after the page has connected. The same keys work as
        # a query, so reopen the page with them there: one code path for every link.
        text = (event.new or "").lstrip("#")
        if "=" not in text:
            return
        location.param.update(search="?" + text, hash="")
        location.reload = True

    app.state.param.watch(write_url, list(SETTINGS))
    location.param.watch(open_hash, ["hash"])
    # The browser reports its own location once connected; write ours after that.
    pn.state.onload(write_url)


def use_local_stylesheets(doc) -> None:
    """Points every Panel stylesheet of the tab's document at our server, not the CDN.

    Panel's widgets name their stylesheets by CDN URL and rewrite them to the server's
    static files when it renders the tab's HTML page. A session created by the websocket
    instead (with ``--num-procs 2`` the page and the websocket often reach different
    processes) never gets that page rendered, and offline its widgets lost their styles
    (28 outside requests in 6 tabs). So the rewrite is done for every session here."""
    if doc is None or getattr(doc, "session_context", None) is None:
        return
    dist_url = f"{pn.state.rel_path}/{LOCAL_DIST}" if pn.state.rel_path else LOCAL_DIST
    for root in doc.roots:
        patch_model_css(root, dist_url=dist_url)


def configure_logging() -> None:
    """Session events in the server's log, formatted like Bokeh's own lines."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False  # the root logger may print it too


def app_css() -> str:
    return (ASSETS / "playground.css").read_text()
