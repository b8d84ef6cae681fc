"""Every private Panel, Bokeh and Tornado name the app relies on
(``playground.pipe.library``), checked against the installed libraries: a failure names
the library and its version, and what changed."""

import asyncio
import contextlib
import inspect
import logging
import textwrap
import threading
from collections.abc import Callable, Iterator
from typing import Self

import bokeh
import panel as pn
import tornado
from bokeh.application import Application
from bokeh.application.handlers.function import FunctionHandler
from bokeh.client import pull_session
from bokeh.document import Document
from bokeh.protocol.message import Message
from bokeh.server.server import Server
from bokeh.server.views.ws import WSHandler
from panel.custom import JSComponent
from panel.io.resources import LOCAL_DIST
from panel.io.state import state as panel_state
from panel.models.esm import DataEvent
from panel.reactive import Syncable
from tornado.ioloop import IOLoop
from tornado.iostream import StreamClosedError
from tornado.locks import Lock
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from playground.pipe import library, notebook_gate
from playground.views.live import LiveView

BOKEH = f"Bokeh {bokeh.__version__}"
PANEL = f"Panel {pn.__version__}"
TORNADO = f"Tornado {tornado.version}"
WAIT_S = 10


class FrozenClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock moves only when told (``advance``): a timer set for
    later never fires on its own, so tests count turns, never wall-clock time."""

    def __init__(self) -> None:
        self.now = 0.0
        super().__init__()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class ServedApp:
    """A real Bokeh server on 127.0.0.1, in a thread of its own, serving ``make_doc`` at
    /app; ``run(fn)`` runs ``fn()`` (or awaits it) in the server's event loop."""

    def __init__(self, make_doc: Callable[[Document], None]) -> None:
        self.docs: list[Document] = []
        self.loop = FrozenClockLoop()
        self._make_doc = make_doc
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)

        def make_doc(doc: Document) -> None:
            self.docs.append(doc)
            self._make_doc(doc)

        self.server = Server(
            {"/app": Application(FunctionHandler(make_doc))},
            io_loop=IOLoop.current(),
            address="127.0.0.1",
            port=0,
            allow_websocket_origin=["127.0.0.1"],
        )
        self.server.start()
        self._started.set()
        self.loop.run_forever()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/app"

    def run(self, fn):
        async def call():
            result = fn()
            return await result if asyncio.iscoroutine(result) else result

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(WAIT_S)

    def __enter__(self) -> Self:
        self._thread.start()
        assert self._started.wait(WAIT_S)
        return self

    def __exit__(self, *_exc) -> None:
        async def stop():
            self.server.stop()
            await asyncio.sleep(0)

        self.run(stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(WAIT_S)
        self.loop.close()


@contextlib.contextmanager
def served_tab(make_doc: Callable[[Document], None] = lambda doc: None) -> Iterator:
    """A served app with one tab connected through Bokeh's own Python client:
    (server, the tab's server-side document, the client session)."""
    with ServedApp(make_doc) as served:
        client = pull_session(url=served.url)
        try:
            yield served, served.docs[-1], client
        finally:
            client.close()


async def turns_until(condition: Callable[[], bool], turns: int = 20_000) -> bool:
    """Whether ``condition()`` holds within ``turns`` turns of the event loop (its clock
    never moves meanwhile: see ``FrozenClockLoop``)."""
    for _ in range(turns):
        if condition():
            return True
        await asyncio.sleep(0)
    return condition()


# -- Bokeh: a tab's websockets -----------------------------------------------------------


def test_bokeh_keeps_a_tab_s_websockets_where_the_pipe_looks():
    with served_tab() as (served, doc, client):
        sockets = served.run(lambda: library.bokeh_websockets(doc))
        assert sockets is not None, (
            f"{BOKEH}: the session no longer keeps its connections in "
            "session_context.session._subscribed_connections"
        )
        assert len(sockets) == 1
        assert isinstance(sockets[0], WSHandler), (
            f"{BOKEH}: a ServerConnection's _socket is no longer its WSHandler"
        )
        assert served.run(lambda: library.websocket_open(sockets[0]))
        client.close()
        gone = served.run(lambda: turns_until(lambda: library.bokeh_websockets(doc) == []))
        assert gone, f"{BOKEH}: a closed tab's connection stays in _subscribed_connections"


def test_tornado_says_a_websocket_is_closing_at_once():
    with served_tab() as (served, doc, _client):

        def close_and_look() -> bool:
            (socket,) = library.bokeh_websockets(doc)
            socket.close()  # the closing handshake has only begun
            return library.websocket_open(socket)

        assert not served.run(close_and_look), (
            f"{TORNADO}: ws_connection.is_closing() no longer tells a closing websocket"
        )


def test_bokeh_holds_the_socket_s_write_lock_while_writing_a_message():
    assert "write_lock" in Message.send.__code__.co_names, (
        f"{BOKEH}: Message.send no longer writes a message's frames under write_lock"
    )
    with served_tab() as (served, doc, _client):

        async def lock_and_look() -> tuple[bool, bool, bool]:
            (socket,) = library.bokeh_websockets(doc)
            assert isinstance(socket.write_lock, Lock), f"{BOKEH}: write_lock is no Tornado Lock"
            before = library.websocket_writing(socket)
            async with socket.write_lock:
                during = library.websocket_writing(socket)
            return before, during, library.websocket_writing(socket)

        before, during, after = served.run(lock_and_look)
    assert (before, during, after) == (False, True, False), (
        f"{TORNADO}: Lock._block._value no longer says whether the lock is held"
    )


def test_tornado_says_while_a_websocket_still_holds_data_for_its_browser():
    """What Panel writes past Bokeh's lock shows only as data in Tornado's buffer."""
    with served_tab() as (served, doc, _client):

        def write_and_look() -> tuple[bool, bool]:
            (socket,) = library.bokeh_websockets(doc)
            before = library.websocket_buffered(socket)
            # More than the kernel takes at once: the rest waits in the stream's buffer.
            # (Tornado's own write, as Panel writes; Bokeh's takes its lock first.)
            written = WebSocketHandler.write_message(socket, b"\0" * 2**26, binary=True)
            written.add_done_callback(lambda future: future.exception())
            return before, library.websocket_buffered(socket)

        assert served.run(write_and_look) == (False, True), (
            f"{TORNADO}: ws_connection.stream.writing() no longer tells data still to send"
        )
    assert not library.websocket_buffered(object())  # unknown: not buffered


def test_no_session_means_unknown():
    assert library.bokeh_websockets(None) is None
    assert library.bokeh_websockets(Document()) is None  # not served


# -- Panel: the live view and the controls -------------------------------------------------


def test_panel_sends_a_component_s_message_to_its_browser_side():
    view = LiveView()
    doc = Document()
    model = view.get_root(doc)
    events = []
    doc.on_change(events.append)
    library.send_to_view(view, {"frame": 3})
    sent = [event.msg_data for event in events if getattr(event, "msg_type", "") == "bokeh_event"]
    assert len(sent) == 1, f"{PANEL}: JSComponent._send_msg no longer sends a Bokeh event"
    assert sent[0].model is model
    assert sent[0].data == {"frame": 3}, f"{PANEL}: _send_msg no longer sends its data as is"


def test_browser_messages_skip_panel_s_busy_bookkeeping_which_panel_still_does():
    """Through Bokeh's own event dispatch (what a served document does with a browser's
    event): our view gets the data at once and Panel's busy list never changes; Panel's
    own JSComponent still counts the event as busy (else the override could go)."""
    busy_changes = []
    watcher = panel_state.param.watch(busy_changes.append, "_busy_counter")
    try:
        received = []
        view = LiveView()
        view.listen(received.append)
        doc = Document()
        model = view.get_root(doc)
        doc.add_root(model)
        doc.callbacks.trigger_event(DataEvent(model=model, data={"ack": [1, 1]}))
        assert received == [{"ack": [1, 1]}], (
            f"{PANEL}: a DataEvent no longer reaches _process_bokeh_event"
        )
        assert busy_changes == []
        plain = pn.custom.JSComponent()
        plain_doc = Document()
        plain_model = plain.get_root(plain_doc)
        plain_doc.add_root(plain_model)
        plain_doc.callbacks.trigger_event(DataEvent(model=plain_model, data={}))
    finally:
        panel_state.param.unwatch(watcher)
    assert busy_changes, (
        f"{PANEL}: _process_bokeh_event no longer counts events as busy: "
        "library.BrowserMessages may go"
    )
    assert hasattr(Syncable, "_process_bokeh_event")


def test_panel_widgets_still_wait_before_acting_and_ours_do_not():
    assert "_debounce" in Syncable._server_change.__code__.co_names, (
        f"{PANEL}: a browser change is no longer held back by _debounce"
    )
    assert pn.widgets.Select._debounce > 0, f"{PANEL}: widgets no longer wait: drop acting_at_once"
    fast = library.acting_at_once(pn.widgets.Select)
    assert fast._debounce == 0
    assert issubclass(fast, pn.widgets.Select)
    assert fast.__name__ == "Select"


def test_a_component_of_our_own_acts_at_once_without_a_second_model():
    from playground.views.checkbox import LabelledCheckbox

    assert LabelledCheckbox._debounce == 0
    assert LabelledCheckbox.__name__ == "LabelledCheckbox"
    assert JSComponent._debounce > 0, f"{PANEL}: components no longer wait: drop acts_at_once"


def test_panel_s_stylesheets_can_be_pointed_at_our_server():
    widget = pn.widgets.Select(options=["a", "b"])
    doc = Document()
    root = widget.get_root(doc)
    urls = [sheet.url for sheet in root.select({"type": bokeh.models.ImportedStyleSheet})]
    assert urls, f"{PANEL}: widgets no longer name their stylesheets by URL"
    from panel.io.resources import patch_model_css

    patch_model_css(root, dist_url="/prefix/" + LOCAL_DIST)
    patched = [sheet.url for sheet in root.select({"type": bokeh.models.ImportedStyleSheet})]
    assert all(url.startswith("/prefix/" + LOCAL_DIST) for url in patched), (
        f"{PANEL}: patch_model_css no longer points stylesheets at {LOCAL_DIST}: {patched}"
    )
    library.use_local_stylesheets(doc)  # not served: nothing to do, no error


def test_panel_looks_for_a_bundle_where_our_components_say_there_is_none():
    from panel.custom import ReactiveESM

    from playground.views.names import ControlNames

    assert "_bundle_path" in vars(ReactiveESM), f"{PANEL}: no _bundle_path: drop JoinedModule"

    class Plain(JSComponent):
        _esm = "export function render() { return document.createElement('b'); }"

    assert Plain._bundle_path is None  # Panel's search: no bundle either
    for ours in (LiveView, ControlNames):
        assert ours._bundle_path is None
        assert ours._render_esm(True, server=True).startswith(textwrap.dedent(ours._esm)[:200])
    model = ControlNames().get_root(Document())
    assert "export function render" in model.esm, (
        f"{PANEL}: a component's module no longer goes inline"
    )


def test_a_bokeh_server_s_listening_sockets_are_where_the_app_looks():
    server = Server({}, port=0, address="127.0.0.1")
    try:
        sockets = library.listening_sockets(server)
        assert sockets, f"{BOKEH}, {TORNADO}: no listening sockets at Server._http._sockets"
        assert {s.getsockname()[1] for s in sockets} == {server.port}
    finally:
        server.stop()
    assert library.listening_sockets(object()) == []  # not a server: none, no error


# -- Panel in a notebook -------------------------------------------------------------------


def test_a_notebook_view_s_comms_are_where_its_gate_looks():
    """Panel keeps a notebook view's comm last in ``state._views[ref]``, the browser's in
    pyviz_comms' ``JupyterCommManager._comms`` under its comm manager's ``client_comm_id``;
    pyviz_comms sends over ``_comm``; ipykernel asks a comm where its messages go."""
    import ipykernel
    import pyviz_comms
    from ipykernel.kernelbase import Kernel
    from panel.models.comm_manager import CommManager

    doc, comm, client = Document(), pyviz_comms.JupyterComm(), object()
    ref = pn.Row().get_root(doc, comm).ref["id"]
    doc.add_root(CommManager(comm_id=comm.id, plot_id=ref, client_comm_id="browser-side"))
    pyviz_comms.JupyterCommManager._comms["browser-side"] = client
    try:
        assert notebook_gate.notebook_comms(ref) == (comm, client), f"{PANEL}: views or comms moved"
        gate = notebook_gate.CommGate(comm, client)
        comm.send("part")  # pyviz_comms sends over _comm: the gate holds it
        assert gate.held.messages == [("part", None, [])], f"pyviz_comms {pyviz_comms.__version__}"
    finally:
        del pyviz_comms.JupyterCommManager._comms["browser-side"]
        panel_state._views.pop(ref, None)
    router = inspect.getsource(Kernel.shell_channel_thread_main)
    assert "_reply_subshell_for" in router, f"ipykernel {ipykernel.__version__}: no routing"


# -- Process-wide --------------------------------------------------------------------------


def test_writes_to_closed_tabs_are_noted_and_other_errors_still_reported(caplog):
    loop = asyncio.new_event_loop()
    try:
        reported = []
        loop.set_exception_handler(lambda _loop, context: reported.append(context))
        library.drop_writes_to_closed_tabs(loop)
        library.drop_writes_to_closed_tabs(loop)  # twice: still one layer
        handler = loop.get_exception_handler()
        with caplog.at_level(logging.INFO, logger="playground"):
            handler(loop, {"message": "never retrieved", "exception": WebSocketClosedError()})
            handler(loop, {"message": "never retrieved", "exception": StreamClosedError()})
        assert reported == []
        assert caplog.text.count("a write to a tab that had closed was dropped") == 2
        other = {"message": "never retrieved", "exception": ValueError("a real bug")}
        handler(loop, other)
        assert reported == [other]
    finally:
        loop.close()


def test_bokeh_checks_no_callback_signature_once_its_diagnostics_are_off(monkeypatch):
    """With its public ``perform_error_diagnostics`` setting off, Bokeh no longer computes
    a signature for every ``on_change`` (a tenth of opening a tab)."""
    from bokeh.models import Div
    from bokeh.settings import settings as bokeh_settings
    from bokeh.util import callback_manager

    checked = []
    real = callback_manager.signature
    monkeypatch.setattr(callback_manager, "signature", lambda f: checked.append(f) or real(f))

    def on_text(attr, old, new) -> None:
        pass

    Div().on_change("text", on_text)
    assert checked, f"{BOKEH} no longer checks a callback's signature in on_change"
    checked.clear()
    try:
        library.skip_callback_diagnostics()
        assert not bokeh_settings.perform_error_diagnostics()
        Div().on_change("text", on_text)
    finally:
        bokeh_settings.perform_error_diagnostics.unset_value()
    assert checked == [], f"{BOKEH}: perform_error_diagnostics no longer skips the check"
