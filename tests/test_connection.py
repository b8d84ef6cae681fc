"""The tab's websocket as looked up in Bokeh's session, with stand-ins for its objects."""

import asyncio
import logging
from types import SimpleNamespace

from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError

from playground.connection import TabConnection, drop_writes_to_closed_tabs


class Socket:
    def __init__(self, closing: bool | None) -> None:
        # None: no websocket protocol (closed); else whether it is closing.
        self.ws_connection = (
            None if closing is None else SimpleNamespace(is_closing=lambda: closing)
        )
        self.nodelay = None

    def set_nodelay(self, value: bool) -> None:
        self.nodelay = value


def tab(*sockets: Socket) -> TabConnection:
    connections = [SimpleNamespace(_socket=socket) for socket in sockets]
    session = SimpleNamespace(_subscribed_connections=connections)
    return TabConnection(SimpleNamespace(session_context=SimpleNamespace(_session=session)))


def test_open_while_a_websocket_is_open_and_not_after():
    assert tab(Socket(closing=False)).open
    assert tab(Socket(closing=True), Socket(closing=False)).open
    assert not tab(Socket(closing=True)).open
    assert not tab(Socket(closing=None)).open
    assert not tab().open  # every connection gone


def test_unknown_counts_as_open():
    """No session to look in (a Bokeh that keeps it elsewhere, or no server): keep going."""
    assert TabConnection(None).open
    assert TabConnection(SimpleNamespace(session_context=None)).open


def test_small_messages_are_sent_at_once():
    sockets = [Socket(closing=False), Socket(closing=False)]
    tab(*sockets).send_small_messages_at_once()
    assert [s.nodelay for s in sockets] == [True, True]
    TabConnection(None).send_small_messages_at_once()  # nothing to do, no error


def test_a_socket_in_the_middle_of_a_write_is_not_free():
    busy, idle = Socket(closing=False), Socket(closing=False)
    busy.write_lock = SimpleNamespace(_block=SimpleNamespace(_value=0))  # Tornado's locked
    idle.write_lock = SimpleNamespace(_block=SimpleNamespace(_value=1))
    assert not tab(busy).free
    assert tab(idle).free
    assert not tab(Socket(closing=True)).free
    assert TabConnection(None).free


def test_writes_to_closed_tabs_are_noted_and_other_errors_still_reported(caplog):
    loop = asyncio.new_event_loop()
    try:
        reported = []
        loop.set_exception_handler(lambda _loop, context: reported.append(context))
        drop_writes_to_closed_tabs(loop)
        drop_writes_to_closed_tabs(loop)  # twice: still one layer
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


def logged_error(error: Exception) -> logging.LogRecord:
    """The record Bokeh's protocol handler logs for an exception raised while handling."""
    if error.__traceback__ is None:
        try:
            raise error
        except type(error):
            pass
    info = (type(error), error, error.__traceback__)
    return logging.LogRecord(
        "bokeh.server.protocol_handler", logging.ERROR, __file__, 1, "error", None, info
    )


def test_only_bokehs_detached_connection_assertion_is_quietened(caplog):
    from bokeh.server.connection import ServerConnection

    from playground.connection import MessagesFromClosedTabs

    detached = ServerConnection.__new__(ServerConnection)  # what a closed tab leaves
    detached._session = None
    try:
        detached.session  # noqa: B018 (Bokeh's own assertion is the point)
    except AssertionError as error:
        record = logged_error(error)
    quiet = MessagesFromClosedTabs()
    with caplog.at_level(logging.INFO, logger="playground"):
        assert not quiet.filter(record)
    assert "a message from a tab that had closed was dropped" in caplog.text
    assert quiet.filter(logged_error(AssertionError("elsewhere")))
    assert quiet.filter(logged_error(ValueError("a real bug")))
    assert quiet.filter(logging.LogRecord("bokeh", logging.INFO, __file__, 1, "fine", None, None))
