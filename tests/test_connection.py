"""The tab's Bokeh websocket as the pipe sees it, against a real Bokeh server and Bokeh's
own client: open, free (no write under way), small messages at once."""

import socket as sockets

from bokeh.document import Document

from playground.pipe.bokeh_socket import BokehSocket
from playground.pipe.library import bokeh_websockets
from tests.test_pipe_library import served_tab, turns_until


def test_open_and_free_while_the_tab_s_websocket_is_open_and_not_writing():
    with served_tab() as (served, doc, client):
        tab = BokehSocket(doc)
        assert served.run(lambda: (tab.open, tab.free)) == (True, True)

        async def while_writing() -> tuple[bool, bool]:
            (socket,) = bokeh_websockets(doc)
            async with socket.write_lock:  # as Bokeh holds it while writing a message
                return tab.open, tab.free

        assert served.run(while_writing) == (True, False)
        client.close()
        assert served.run(lambda: turns_until(lambda: not tab.open))
        assert not served.run(lambda: tab.free)


def test_small_messages_are_sent_at_once():
    with served_tab() as (served, doc, _client):

        def nodelay() -> int:
            (socket,) = bokeh_websockets(doc)
            tcp = socket.ws_connection.stream.socket
            return tcp.getsockopt(sockets.IPPROTO_TCP, sockets.TCP_NODELAY)

        assert served.run(nodelay) == 0  # Tornado's default: Nagle's algorithm
        served.run(BokehSocket(doc).send_small_messages_at_once)
        assert served.run(nodelay) != 0


def test_unknown_counts_as_open_and_free():
    """No session to look in (no server, or a Bokeh that keeps it elsewhere): keep going."""
    for tab in (BokehSocket(None), BokehSocket(Document())):
        assert tab.open
        assert tab.free
        tab.send_small_messages_at_once()  # nothing to do, no error
