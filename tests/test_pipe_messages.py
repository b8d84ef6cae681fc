"""Hostile browsers: every message from a browser, on the frame socket and through
Bokeh's events, is checked against a small schema before any handler runs; a bad one
is dropped, and the log says so at most once a minute however many arrive."""

import json
import logging

import panel as pn
import pytest
from bokeh.document import Document
from panel.models.esm import DataEvent

from playground.pipe.schema import (
    MAX_FRAME,
    MAX_TEXT_BYTES,
    DropLog,
    checked,
    parsed,
)
from playground.pipe.tab import TabPipe
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.views.live import LiveView
from playground.views.network import _index
from tests.test_channel import eventually, serve_route
from tests.test_live_view import connected_app

HUGE = 10**400  # float() of it raises OverflowError

GOOD = {
    "ready": [True],
    "ack": [[0, 0], [12, 3], [MAX_FRAME, 1], [4.0, 2]],
    "hover": [-1, 0, 7, 3.0],
    "tap": [["node", 0], ["link", 5], ["bias", 2]],
    "layers": [1, -1],
    "neurons": [[0, 1], [3, -1]],
    "close_editor": [True],
}
BAD = {
    "ready": [False, 1, "yes", None, [True]],
    "ack": [
        [HUGE, 1],
        [1, HUGE],
        [-1, 1],
        [True, 1],
        [1.5, 1],
        [float("inf"), 1],
        [float("nan"), 1],
        [MAX_FRAME + 1, 1],
        ["1", 1],
        [1],
        [1, 2, 3],
        {"frame": 1},
        7,
        [[1], 1],
    ],
    "hover": [HUGE, -HUGE, -2, True, 0.5, float("inf"), "3", [3], None],
    "tap": [
        ["node", HUGE],
        ["nodes", 1],
        ["node", -1],
        ["node"],
        "node",
        [1, "node"],
        ["node", True],
        [["node"], 1],
    ],
    "layers": [HUGE, 2, 0, True, 1.5, "1", [1], None],
    "neurons": [[HUGE, 1], [0, HUGE], [0, 2], [0, True], [-1, 1], [0], [[0], 1], "0,1"],
    "close_editor": [False, 1, "yes", None],
}
NESTED = [[[[[[[[[[[]]]]]]]]]]]


@pytest.fixture
def drops(monkeypatch) -> DropLog:
    """A fresh process-wide drop log (``tab.drop_log``), for counting its lines."""
    log = DropLog()
    monkeypatch.setitem(pn.state.cache, "playground.dropped_messages", log)
    return log


def test_the_schema_takes_each_message_s_shape_and_nothing_else():
    for key, values in GOOD.items():
        for value in values:
            assert checked({key: value}) is not None, (key, value)
    assert checked({"ack": [4.0, 2]}) == {"ack": [4, 2]}  # handlers get ints
    for key, values in BAD.items():
        for value in values:
            assert checked({key: value}) is None, (key, value)
    for data in (None, [], "ack", {}, {"unknown": 1}, {1: 1}, {"hover": 1, "junk": NESTED}):
        assert checked(data) is None, data
    too_many = {key: values[0] for key, values in GOOD.items()} | {"x": 1}
    assert checked(too_many) is None


def test_socket_text_is_bounded_before_it_is_parsed():
    assert parsed('{"ack": [3, 1]}') == {"ack": [3, 1]}
    assert parsed("[" * 2000) is None  # json.loads would recurse until RecursionError
    assert parsed("[" * 2000 + "]" * 2000) is None
    assert parsed('{"ack": [1, 1], "x": "' + "a" * MAX_TEXT_BYTES + '"}') is None
    assert parsed(json.dumps({"ack": [HUGE, 1]})) is None
    for text in ("not json", "", "null", "[1, 2]", b'{"ack": [1, 1]}', '{"ack": [1, 1]'):
        assert parsed(text) is None, text


def test_the_diagram_s_own_checks_take_any_number():
    assert _index(HUGE, 5) is None
    assert _index(-HUGE, 5) is None
    assert _index(float("inf"), 5) is None
    assert _index(3.0, 5) == 3
    assert _index(True, 5) is None
    app, _ = connected_app()
    before = list(app.state.network_shape)
    app.diagram.change_neurons([HUGE, 1])
    app.diagram.change_neurons([0, True])
    app.diagram.change_layers(True)
    app.diagram.tap(["node", HUGE])
    app.diagram.hover(HUGE)
    assert app.state.network_shape == before
    assert app.diagram.preview_node is None


class Spies:
    """A pipe whose app-side handlers record what reaches them."""

    def __init__(self) -> None:
        self.calls: list = []
        self.view = LiveView()
        self.pipe = TabPipe(
            self.view,
            handlers={
                key: (lambda value, key=key: self.calls.append((key, value)))
                for key in ("hover", "tap", "layers", "neurons", "close_editor")
            },
            on_ready=lambda: self.calls.append(("ready", True)),
        )
        self.pipe.view_ready()
        self.calls.clear()
        for _ in range(3):
            self.pipe.next_frame()


def test_a_bad_message_through_bokeh_s_events_reaches_no_handler(drops, caplog):
    spies = Spies()
    doc = Document()
    model = spies.view.get_root(doc)
    doc.add_root(model)

    def browser_says(data) -> None:  # what Bokeh does with a browser's message
        doc.callbacks.trigger_event(DataEvent(model=model, data=data))

    with caplog.at_level(logging.WARNING, logger="playground"):
        for key, values in BAD.items():
            for value in values:
                browser_says({key: value})
        for data in ({"hover": 1, "extra": NESTED}, NESTED, "x" * 100_000, {"ack": [1, 1], 3: 1}):
            browser_says(data)
    assert spies.calls == []
    assert spies.pipe.pacing.painted == 0
    assert drops.dropped == sum(map(len, BAD.values())) + 4
    assert len(caplog.records) == 1  # one line for them all
    for key, values in GOOD.items():
        for value in values:
            browser_says({key: value})
    handled = [key for key, _ in spies.calls]
    assert handled == [k for k in GOOD if k != "ack" for _ in GOOD[k]]
    assert drops.dropped == sum(map(len, BAD.values())) + 4


def test_a_bad_message_on_the_frame_socket_reaches_no_handler(drops, caplog):
    """Against a real Tornado server with the frame socket's route."""
    app = PlaygroundApp(PlaygroundState(seed="0.5"))
    app.pipe.view_ready()
    pacing, channel = app.pipe.pacing, app.pipe.channel
    texts = [json.dumps({key: value}) for key, values in BAD.items() for value in values]
    texts += ["[" * 2000, "[" * 1000 + "]" * 1000, "not json", '{"ack": [1, 1]', "null"]
    texts += ['{"hover": 1}', '{"neurons": [0, 1]}']  # valid, but not on this socket

    async def test(url):
        from tornado.websocket import websocket_connect

        client = await websocket_connect(f"{url}?tab={channel.token}")
        await eventually(lambda: channel.open)
        for _ in range(3):
            app.pipe.send(*app.frame_message())
        painted = pacing.painted
        with caplog.at_level(logging.WARNING, logger="playground"):
            for text in texts:
                await client.write_message(text)
            await client.write_message(json.dumps({"ack": [painted + 2, 1]}))
            await eventually(lambda: pacing.painted > painted)  # in order: after the rest
        assert pacing.painted == painted + 2
        assert channel.open  # a bad message drops the message, not the socket
        client.close()
        # The frames it was sent, then the end of the closing handshake: a client socket
        # left half-closed when the event loop ends warns later, in some other test.
        while await client.read_message() is not None:
            pass

    before = list(app.state.network_shape)
    serve_route(test)
    assert app.diagram.preview_node is None
    assert app.state.network_shape == before
    assert drops.dropped == len(texts) - 2
    assert len([r for r in caplog.records if "dropped" in r.getMessage()]) == 1


def test_the_drop_log_writes_a_line_a_minute_with_the_count(caplog):
    now = [0.0]
    drops = DropLog(interval_s=60.0, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="playground"):
        for _ in range(5000):
            drops.drop("the frame socket", "x")
        now[0] += 30
        drops.drop("the frame socket", "x")
        assert len(caplog.records) == 1
        now[0] += 30
        drops.drop("Bokeh's websocket", {"hover": HUGE})
    first, second = (record.getMessage() for record in caplog.records)
    assert first.endswith(
        "malformed message from a browser (dropped): on the frame socket: str of 1"
    )
    assert "(and 5000 more in the last 60 s)" in second
    assert "keys hover" in second  # what it was, never its contents
    assert drops.dropped == 5002
