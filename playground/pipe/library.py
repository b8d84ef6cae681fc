"""Every private name of Panel, Bokeh and Tornado that the app relies on, and every
process-wide change it makes to them, in one place.

A notebook view's comms have a module of their own (``notebook_gate.py``), checked the
same way. Each is checked against the installed libraries by ``tests/test_pipe_library.py``,
whose failures name the library and its version: after an upgrade, that file says
what to look at. Lookups into other libraries' objects fall back to "don't know"
(never an exception), so a changed library costs speed, not a crashed tab.
"""

import asyncio
import logging
import os
import socket
import weakref
from collections.abc import Callable

from bokeh.document import Document
from bokeh.settings import settings as bokeh_settings
from panel.io.resources import LOCAL_DIST, patch_model_css
from panel.io.state import set_curdoc
from panel.io.state import state as panel_state
from panel.models.esm import DataEvent
from panel.reactive import Reactive
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from playground.pipe import modules
from playground.pipe.trouble import quiet_browser_trouble

log = logging.getLogger("playground")

# -- Bokeh: a tab's own websocket ------------------------------------------------------


def bokeh_websockets(doc: Document | None) -> list[WebSocketHandler] | None:
    """The websockets of the tab's Bokeh session (empty once the tab closed), or None
    when there is no session to look in. Bokeh keeps them to itself: the session's
    ``_subscribed_connections``, each connection's ``_socket`` (a Tornado handler)."""
    session = getattr(getattr(doc, "session_context", None), "session", None)
    connections = getattr(session, "_subscribed_connections", None)
    if connections is None:
        return None
    return [getattr(connection, "_socket", None) for connection in list(connections)]


def websocket_open(socket) -> bool:
    """Tornado's handler: ``ws_connection`` is None once closed, and ``is_closing()``
    while its closing handshake runs (no write is accepted then)."""
    protocol = getattr(socket, "ws_connection", None)
    return protocol is not None and not protocol.is_closing()


def websocket_writing(socket) -> bool:
    """Bokeh holds the handler's ``write_lock`` (a ``tornado.locks.Lock``) while it
    writes one message's frames; Tornado's lock does not say whether it is held, its
    semaphore's counter (``_block._value``) does."""
    block = getattr(getattr(socket, "write_lock", None), "_block", None)
    return getattr(block, "_value", 1) == 0


def websocket_buffered(socket) -> bool:
    """Whether Tornado still holds data of earlier messages for this websocket, not yet
    taken by the kernel: its stream's ``writing()`` (Tornado's public ``IOStream``
    method), reached through the handler's ``ws_connection.stream``. Panel writes most
    messages with ``write_message`` directly, outside Bokeh's write lock: a browser that
    stops reading shows only here, as a buffer that grows."""
    stream = getattr(getattr(socket, "ws_connection", None), "stream", None)
    writing = getattr(stream, "writing", None)
    return bool(writing()) if callable(writing) else False


# -- Panel: the live view and the controls ---------------------------------------------


def send_to_view(view, data: dict) -> None:
    """A message to a ``JSComponent``'s browser side (``model.on("msg:custom")``), over
    Bokeh's websocket: Panel's ``_send_msg``."""
    view._send_msg(data)


class JoinedModule:
    """For a ``JSComponent`` whose module ``views/esm.py`` joins (every one of ours): it
    has no compiled bundle. Panel looks for one (``_bundle_path``, a class property that
    searches the files of the component's module tree) twice for every model it makes,
    about a hundredth of what opening a tab costs. This answers at once.

    On a served page the module goes by address (``modules.py``): the model's ``esm``
    is the address and its ``bundle`` is ``"url"``, Panel's own form for a bundled
    component served as a file. ``_render_esm`` (Panel dedents the text on every model
    it makes) answers once per text."""

    _bundle_path = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if isinstance(getattr(cls, "_esm", None), str):
            modules.register(cls)

    @classmethod
    def _render_esm(cls, compiled=True, server=False) -> str:
        return modules.module_text(cls._esm)

    def _get_properties(self, doc: Document | None) -> dict:
        properties = super()._get_properties(doc)
        if modules.served() and getattr(doc, "session_context", None) is not None:
            with set_curdoc(doc):
                address = modules.module_address(type(self), panel_state.rel_path)
            properties.update(esm=address, bundle="url")
        return properties


class BrowserMessages(JoinedModule):
    """For a ``JSComponent``: each message from its browser side (``model.send_msg``)
    goes to ``browser_message(data)`` at once.

    Panel's own ``_process_bokeh_event`` also counts every such event in a process-wide
    "busy" list whose watchers grow with the number of open tabs: with acknowledgements
    arriving ~10 times a second per tab, that bookkeeping outweighed drawing the
    frames. These events are handled at once and show no busy indicator anyway."""

    def browser_message(self, data) -> None:
        raise NotImplementedError

    def _process_bokeh_event(self, doc, event) -> None:
        if not isinstance(event, DataEvent):
            super()._process_bokeh_event(doc, event)
            return
        with set_curdoc(doc):
            self.browser_message(event.data)


def acting_at_once(widget: type) -> type:
    """``widget`` acting on a change from the browser at once. Panel holds each change
    back for ``_debounce`` ms (50), to merge a burst into one; a click on a dropdown or
    checkbox is no burst, and those 50 ms were a third of the time from a control to the
    new picture. Bokeh sends a slider's drag as one change per step, and the original
    redraws on every step too."""
    return type(widget.__name__, (widget,), {"_debounce": 0, "__module__": __name__})


def acts_at_once(cls: type) -> type:
    """``acting_at_once`` for a component class of our own, in place: a subclass of a
    custom component would be a second model that the page never registered."""
    cls._debounce = 0
    return cls


def use_local_stylesheets(doc: Document | None) -> None:
    """Points every Panel stylesheet of the tab's document at our server, not the CDN.

    Panel's widgets name their stylesheets by CDN URL and rewrite them to the server's
    static files (``LOCAL_DIST``, ``patch_model_css``) when it renders the tab's HTML
    page. A session created by the websocket instead (with ``--num-procs 2`` the page
    and the websocket often reach different processes) never gets that page rendered,
    and offline its widgets lost their styles. So the rewrite is done for every session,
    and the document keeps the address (its ``dist_url`` template variable, which the
    page's rendering sets): Panel rewrites each stylesheet again when a model changes
    or joins, to the CDN when the variable is missing."""
    if doc is None or getattr(doc, "session_context", None) is None:
        return
    rel_path = panel_state.rel_path
    dist_url = f"{rel_path}/{LOCAL_DIST}" if rel_path else LOCAL_DIST
    doc.template_variables["dist_url"] = dist_url
    for root in doc.roots:
        patch_model_css(root, dist_url=dist_url)


# -- Process-wide: tabs that close while data is on its way ----------------------------


def drop_writes_to_closed_tabs(loop: asyncio.AbstractEventLoop) -> None:
    """Makes a write that failed because its tab had closed a one-line note, not a
    traceback. Panel and Tornado start a task per websocket write; when the tab closes
    with writes under way, some of those tasks end with WebSocketClosedError and nobody
    awaits them, and asyncio logs each as "Task exception was never retrieved". The data
    had nowhere to go, which is no error. This replaces the event loop's exception
    handler (for the whole process: the loop is the server's); every other exception
    goes to the handler there was before. Installing twice changes nothing."""
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


# -- Panel: a change from a browser that a control refuses -----------------------------


def refusal_handlers() -> "weakref.WeakKeyDictionary":
    """Each tab's document -> what it does with a refused change (Panel's process cache
    holds the registry)."""
    return panel_state.cache.setdefault("playground.refusal_handlers", weakref.WeakKeyDictionary())


def on_refused_change(doc: Document, handler: Callable[[object, str, object], None]) -> None:
    """``handler(widget, name, value)`` is called, in ``doc``'s tab, for each change from
    its browser that a widget refused (``refuse_bad_changes``)."""
    refusal_handlers()[doc] = handler


def _changed_params(widget, events: dict) -> list[str]:
    """The widget's parameters that a browser's ``events`` (Bokeh property -> value)
    change, by Panel's map between the two (``_property_mapping``)."""
    by_property = {prop: name for name, prop in widget._property_mapping.items() if prop}
    names = (by_property.get(prop, prop) for prop in events)
    return [name for name in names if name in widget.param]


def refuse_bad_changes() -> None:
    """Process-wide, once: a change from a browser that a Panel object cannot take (a
    value out of its parameter's range, of the wrong type, not among a dropdown's
    choices) is refused: the object keeps its value and its browser shows it again, and
    the tab's handler (``on_refused_change``) may note it or take a clamped value.
    Panel's ``Reactive._process_events`` applies every browser change; it logs the
    failure (``playground.pipe.trouble`` cuts that to a line a minute) and raises it
    into Bokeh, which logged it again with the whole message."""
    original = Reactive._process_events
    if getattr(original, "refuses_bad_changes", False):
        return

    def _process_events(self, events: dict) -> None:
        names = _changed_params(self, events)
        before = {name: getattr(self, name) for name in names}
        try:
            original(self, events)
        except Exception:  # noqa: BLE001 (Panel has logged it; the tab is told)
            _refused(self, events, names, before)

    _process_events.refuses_bad_changes = True
    Reactive._process_events = _process_events


def _refused(widget, events: dict, names: list[str], before: dict) -> None:
    try:
        widget.param.update(**before)
        widget.param.trigger(*names)  # the browser still shows what it sent
    except Exception:  # a widget that cannot even go back: nothing more to do here
        log.info("a refused change could not be undone in its browser", exc_info=True)
    doc = panel_state.curdoc
    handler = refusal_handlers().get(doc) if doc is not None else None
    if handler is None or not names:
        return
    name = names[0]
    prop = next(iter(events))
    handler(widget, name, events.get(prop))


def skip_callback_diagnostics() -> None:
    """Bokeh's public setting ``perform_error_diagnostics`` off: with it on, every
    ``on_change`` Panel registers (one per model of a tab) has its callback's signature
    checked with ``inspect.signature``, a tenth of the server's time to open a tab; our
    callbacks are Panel's, and always the same."""
    bokeh_settings.perform_error_diagnostics.set_value(False)


def skip_document_checks() -> None:
    """Bokeh's public setting ``perform_document_validation`` off, unless the
    environment's BOKEH_VALIDATE_DOC says otherwise: Bokeh checks every tab's document
    twice as it opens (about a twentieth of an open's cost); the browser tests' servers
    check every page's, with BOKEH_VALIDATE_DOC=true."""
    if "BOKEH_VALIDATE_DOC" not in os.environ:
        bokeh_settings.perform_document_validation.set_value(False)


# -- Tornado: the sockets a server listens on ------------------------------------------


def listening_sockets(server) -> list[socket.socket]:
    """The sockets a Bokeh server listens on. Bokeh binds them itself and keeps them in
    its Tornado HTTP server only (``_http._sockets``, where Bokeh's own ``port`` reads)."""
    sockets = getattr(getattr(server, "_http", None), "_sockets", None)
    return list(sockets.values()) if isinstance(sockets, dict) else []


def prepare_process(loop: asyncio.AbstractEventLoop) -> None:
    """Every process-wide change, for the server's event loop (idempotent)."""
    drop_writes_to_closed_tabs(loop)
    quiet_browser_trouble()
    refuse_bad_changes()
    skip_callback_diagnostics()
