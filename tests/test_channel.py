"""The tab's own frame socket: its wire format, the route against a real Tornado server,
and the app sending frames and taking acknowledgements over it."""

import asyncio
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin

import numpy as np
import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application
from tornado.websocket import websocket_connect

from playground import frame_socket
from playground.colors import quantize
from playground.pipe.channel import (
    PLUGIN,
    FrameChannel,
    channels,
    new_token,
    socket_served,
    token_worker,
)
from playground.pipe.route import NO_SUCH_TAB, ROUTES, WRONG_WORKER
from playground.pipe.schema import MAX_TEXT_BYTES
from playground.pipe.wire import ALIGN, decode, encode, pack
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from tests.test_live_view import unpack

WAIT_S = 5


def test_a_message_is_its_json_then_the_arrays_from_an_aligned_start():
    arrays = {"heatmap": np.arange(5, dtype=np.uint8), "w": np.array([0.5, -1], dtype="<f4")}
    binary, parts = pack(arrays)
    for text in ("", "é" * 3, "x" * 11):  # JSON of every length modulo 8
        payload = encode({"frame": 3, "text": text, "parts": parts}, binary)
        message, rest = decode(payload)
        assert message == {"frame": 3, "text": text, "parts": parts}
        assert (len(payload) - len(rest)) % ALIGN == 0  # typed arrays may start there
        for name, values in unpack(rest, message["parts"]).items():
            np.testing.assert_array_equal(values, arrays[name])
    with pytest.raises(ValueError, match="JSON compliant"):
        encode({"loss": float("nan")}, b"")  # JSON.parse would refuse it in the browser


class Recorder:
    def __init__(self) -> None:
        self.messages: list = []
        self.switches = 0

    def channel(self) -> FrameChannel:
        return FrameChannel(on_text=self.messages.append, on_switch=self.switch)

    def switch(self) -> None:
        self.switches += 1


async def eventually(condition, timeout_s: float = WAIT_S) -> None:
    for _ in range(int(timeout_s / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met in time")


class BokehLikeApplication(Application):
    """Bokeh's Tornado application says which origins its websockets accept."""

    websocket_origins = frozenset({"course.example:80"})


def serve_route(test, application: type[Application] = Application):
    """Runs ``test(url_of_route)`` against a Tornado server with the plugin's ROUTES
    (as ``panel serve --plugins playground.frame_socket`` adds them)."""

    async def main():
        sockets = bind_sockets(0, "127.0.0.1")
        server = HTTPServer(application(frame_socket.ROUTES))
        server.add_sockets(sockets)
        port = sockets[0].getsockname()[1]
        try:
            await test(f"ws://127.0.0.1:{port}{ROUTES[0][0]}")
        finally:
            server.stop()
            await server.close_all_connections()

    # In a thread of its own: Playwright's tests leave an event loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, main()).result()


def test_a_tab_s_socket_carries_its_frames_and_acknowledgements_both_ways():
    recorder = Recorder()
    channel = recorder.channel()

    async def test(url):
        assert not channel.open
        assert not channel.free
        client = await websocket_connect(f"{url}?tab={channel.token}")
        await eventually(lambda: channel.open)
        assert recorder.switches == 1  # opened: everything must be sent again
        channel.send({"frame": 1}, {"heatmap": np.arange(4, dtype=np.uint8)})
        message, rest = decode(await client.read_message())
        assert message["frame"] == 1
        np.testing.assert_array_equal(unpack(rest, message["parts"])["heatmap"], range(4))
        await eventually(lambda: channel.free)
        # What the browser says reaches the channel's owner as it was sent (the pipe
        # checks it: test_pipe_messages).
        await client.write_message('{"ack": [1, 1]}')
        await eventually(lambda: recorder.messages)
        assert recorder.messages == ['{"ack": [1, 1]}']
        client.close()
        await eventually(lambda: not channel.open)
        assert recorder.switches == 2  # closed: frames go back to Bokeh's socket
        channel.send({"frame": 2}, {})  # nowhere to go: no error

    serve_route(test)


def test_a_token_names_its_worker():
    token = new_token()
    assert token_worker(token) == os.getpid()
    assert token != new_token()
    for bad in ["", "abc", "12", "12.", ".abc", "x1.abc", "1" * 11 + ".abc", "١٢.abc"]:
        assert token_worker(bad) is None, bad


@pytest.mark.parametrize(
    ("token", "code"),
    [
        (f"{os.getpid()}.no-such-tab", NO_SUCH_TAB),  # this worker, which has no such tab
        (f"{os.getpid() + 1}.{secrets.token_urlsafe(16)}", WRONG_WORKER),  # another worker
        ("not-a-tab", WRONG_WORKER),  # no worker at all: no process would have it
    ],
    ids=["this-worker", "another-worker", "no-worker"],  # the same in every test process
)
def test_a_socket_for_no_tab_here_is_refused_with_a_code_that_says_why(token, code):
    async def test(url):
        client = await websocket_connect(f"{url}?tab={token}")
        assert await client.read_message() is None
        assert client.close_code == code
        client.close()

    serve_route(test)


def test_the_socket_accepts_the_origins_bokeh_s_websocket_accepts():
    channel = Recorder().channel()

    async def test(url):
        target = f"{url}?tab={channel.token}"
        allowed = HTTPRequest(target, headers={"Origin": "http://course.example"})
        client = await websocket_connect(allowed)
        await eventually(lambda: channel.open)
        client.close()
        refused = HTTPRequest(target, headers={"Origin": "http://elsewhere.example"})
        with pytest.raises(HTTPClientError, match="403"):
            await websocket_connect(refused)

    serve_route(test, BokehLikeApplication)


def test_a_newer_view_s_socket_replaces_the_older_one():
    recorder = Recorder()
    channel = recorder.channel()

    async def test(url):
        first = await websocket_connect(f"{url}?tab={channel.token}")
        await eventually(lambda: channel.open)
        second = await websocket_connect(f"{url}?tab={channel.token}")
        assert await first.read_message() is None  # the older one is closed
        channel.send({"frame": 5}, {})
        message, _ = decode(await second.read_message())
        assert message["frame"] == 5
        assert channel.open
        channel.close()  # the session ended
        assert await second.read_message() is None
        assert channel.token not in channels()
        first.close()
        second.close()

    serve_route(test)


class OpenChannel:
    """A channel whose browser has connected; what is sent lands in ``sent``."""

    open = True

    def __init__(self, free: bool = True) -> None:
        self.free = free
        self.sent: list[bytes] = []

    def send(self, message: dict, arrays: dict) -> None:
        binary, parts = pack(arrays)
        self.sent.append(encode({**message, "parts": parts}, binary))


def test_the_app_sends_frames_over_the_tab_s_socket_once_open_and_over_bokeh_s_before():
    app = PlaygroundApp(PlaygroundState(seed="0.5"))
    over_bokeh = []
    app.live.send = lambda message, arrays: over_bokeh.append(message)
    app.pipe.view_ready()
    app.loop.tick()
    assert [m["frame"] for m in over_bokeh] == [1]
    app.pipe.channel = OpenChannel()
    app.pipe.view_ready()  # what the socket's opening does: everything again, over it
    app.loop.tick()
    assert len(over_bokeh) == 1
    ((message, rest),) = [decode(payload) for payload in app.pipe.channel.sent]
    assert message["frame"] == 2
    assert "scene" in message
    assert message["chart_reset"]
    arrays = unpack(rest, message["parts"])
    # A view that starts afresh gets the whole picture (not what changed since frame 1).
    heatmap = quantize(app.state.node_maps()[-1])
    np.testing.assert_array_equal(arrays["heatmap"], heatmap.reshape(-1))
    # Its acknowledgements pace the frames as Bokeh's did.
    app.pipe._from_socket('{"ack": [2, 1]}')
    assert app.pipe.pacing.painted == 2
    app.pipe._from_socket('{"hover": 3}')  # changes the document: only over Bokeh's socket
    assert app.diagram.preview_node is None


def test_a_frame_waits_while_the_tab_s_socket_is_writing():
    app = PlaygroundApp(PlaygroundState(seed="0.5"))
    app.pipe.channel = OpenChannel(free=False)
    app.pipe.view_ready()
    app.loop.tick()
    assert app.pipe.channel.sent == []
    app.pipe.channel.free = True
    app.loop.tick()
    assert len(app.pipe.channel.sent) == 1


def test_the_route_is_advertised_only_when_the_server_has_it(monkeypatch):
    import sys

    app = PlaygroundApp(PlaygroundState(seed="0.5"))
    monkeypatch.delitem(sys.modules, PLUGIN, raising=False)
    assert not socket_served()
    app.pipe.offer_socket("")
    assert app.live.frame_socket == ""
    monkeypatch.setitem(sys.modules, PLUGIN, frame_socket)
    assert socket_served()
    app.pipe.offer_socket("")
    assert app.live.frame_socket == f"./playground-frames?tab={app.pipe.channel.token}"


@pytest.mark.parametrize(
    ("page", "rel_path", "socket_path"),
    [
        ("/app", "", "/playground-frames"),
        ("/lab/app", "", "/lab/playground-frames"),
        ("/labs/x", "..", "/playground-frames"),
        ("/lab/labs/x", "..", "/lab/playground-frames"),
    ],
)
def test_the_socket_s_address_keeps_the_page_s_prefix(monkeypatch, page, rel_path, socket_path):
    """The browser resolves the address against the page (transport.js), so the route
    is found under any --prefix, whichever request created the session. ``rel_path``:
    Panel's, which depends only on the page's path below the prefix."""
    import sys

    monkeypatch.setitem(sys.modules, PLUGIN, frame_socket)
    app = PlaygroundApp(PlaygroundState(seed="0.5"))
    app.pipe.offer_socket(rel_path)
    socket = urljoin(f"http://127.0.0.1:5006{page}?seed=0.5", app.live.frame_socket)
    assert socket == f"http://127.0.0.1:5006{socket_path}?tab={app.pipe.channel.token}"


def test_a_message_bigger_than_a_few_kilobytes_closes_the_socket_unread():
    """Tornado closes the connection as soon as a frame's header announces more than
    the route allows (1009: too big), instead of buffering Bokeh's 20 MiB."""
    recorder = Recorder()
    channel = recorder.channel()

    async def test(url):
        client = await websocket_connect(f"{url}?tab={channel.token}")
        await eventually(lambda: channel.open)
        await client.write_message("x" * (MAX_TEXT_BYTES + 1))
        assert await client.read_message() is None
        assert client.close_code == 1009
        await eventually(lambda: not channel.open)
        assert recorder.messages == []
        client.close()

    serve_route(test)
