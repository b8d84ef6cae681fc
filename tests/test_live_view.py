"""The live view's messages: packing, the loss feed, the points, and one whole frame."""

import math

import numpy as np
import pytest

from playground.colors import NAN_INDEX, quantize
from playground.pipe import SOCKET_RETRY_MS
from playground.pipe.pacing import (
    AWAY_AFTER_S,
    MAX_IN_FLIGHT,
    MAX_LAG_S,
    MIN_IN_FLIGHT,
    RESEND_AFTER_S,
    FrameAck,
)
from playground.pipe.wire import ALIGN, pack
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.views.loss import LossFeed
from playground.views.output import EXTENT, points_arrays

TYPES = {"u8": np.uint8, "f32": "<f4", "f64": "<f8"}


def unpack(binary: bytes, parts: dict) -> dict[str, np.ndarray]:
    """What assets/decode.js does: typed views into the one buffer."""
    return {
        name: np.frombuffer(binary, dtype=TYPES[kind], count=n, offset=offset)
        for name, (kind, offset, n) in parts.items()
    }


def test_pack_round_trips_and_aligns_every_part():
    arrays = {
        "a": np.arange(7, dtype=np.uint8),
        "b": np.array([1.5, -2.25, np.nan], dtype=np.float32),
        "c": np.array([math.inf, 3.0]),
        "empty": np.zeros(0, dtype=np.float32),
        "grid": np.arange(12, dtype=np.uint8).reshape(3, 4),
    }
    binary, parts = pack(arrays)
    assert all(offset % ALIGN == 0 for _, offset, _ in parts.values())
    for name, values in unpack(binary, parts).items():
        np.testing.assert_array_equal(values, arrays[name].reshape(-1))
    with pytest.raises(KeyError):
        pack({"ints": np.arange(3)})  # int64 has no typed array here: refused, not garbled


def test_loss_feed_sends_each_point_once_and_starts_afresh_on_reset():
    state = PlaygroundState(seed="1")
    feed = LossFeed(state)
    first = feed.chunk()
    assert first["reset"]
    assert list(first["epoch"]) == [0]
    assert feed.chunk() is None
    state.train(3)
    state.train(2)
    chunk = feed.chunk()
    assert not chunk["reset"]
    assert list(chunk["epoch"]) == [3, 5]
    assert chunk["train"].dtype == np.float64
    assert list(chunk["test"]) == state.loss_history["test"][1:]
    state.reset()
    chunk = feed.chunk()
    assert chunk["reset"]
    assert list(chunk["epoch"]) == [0]
    feed.restart()  # a browser that reconnects gets the whole history again
    assert list(feed.chunk()["epoch"]) == [0]


def test_points_inside_the_plot_with_their_label_shades():
    state = PlaygroundState(seed="1", dataset="gauss", noise=50)
    data = state.data
    arrays = points_arrays(data)
    inside = np.all(np.abs(data.X_train) <= EXTENT, axis=1)
    assert 0 < inside.sum() < len(inside)  # noisy gauss points leave the plot
    np.testing.assert_array_equal(arrays["train_x"], data.X_train[inside, 0].astype(np.float32))
    np.testing.assert_array_equal(arrays["train_c"], quantize(data.y_train[inside]))
    assert arrays["test_y"].dtype == np.float32
    assert set(np.unique(arrays["train_c"])) == {0, 30}


def test_frame_acknowledgement_paces_frames_and_spots_a_tab_that_went_away(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("playground.pipe.pacing.time.perf_counter", lambda: now[0])
    frames = FrameAck()
    assert not frames.can_send  # no view in the browser yet
    frames.view_ready()
    for _ in range(frames.in_flight_limit):  # a browser that keeps up is not held back...
        assert frames.can_send
        frames.next_frame()
        now[0] += 0.01
    assert not frames.can_send  # ...but the unpainted frames are bounded
    frames.acknowledged([1, 1])
    assert frames.can_send
    answers = (None, "9", True, 2.0, [2], ["2", 1], [True, 1], [-1, 1], {"ack": 2}, [10**400, 1])
    for garbage in answers:
        frames.acknowledged(garbage)
    assert frames.painted == 1
    frames.acknowledged([frames.sent - 1, 3])
    assert frames.can_send
    now[0] += MAX_LAG_S  # the one frame left unpainted is now too old
    assert not frames.can_send
    now[0] += RESEND_AFTER_S  # a lost acknowledgement: one frame to ask again
    assert frames.can_send
    frames.acknowledged([10**9, 1])
    assert frames.painted == frames.sent  # never beyond what was sent
    frames.next_frame()
    now[0] += AWAY_AFTER_S / 2
    assert not frames.away
    now[0] += AWAY_AFTER_S
    assert frames.away
    frames.acknowledged([frames.sent, 1])
    assert not frames.away


def test_a_browser_that_paints_slowly_gets_few_frames_ahead_and_more_once_it_speeds_up(
    monkeypatch,
):
    now = [1000.0]
    monkeypatch.setattr("playground.pipe.pacing.time.perf_counter", lambda: now[0])
    frames = FrameAck()
    frames.view_ready()

    def play(paints_per_second: float, seconds: float) -> list[int]:
        """In 10 ms steps: the server offers a frame every 30 ms; the browser paints the
        latest one it has (skipping the others) so often, and answers at most every
        200 ms. Returns how many frames each paint skipped."""
        skipped, seen, painted, paints = [], frames.sent, frames.painted, 0
        next_paint = next_answer = now[0]
        for step in range(round(seconds / 0.01)):
            if step % 3 == 0 and frames.can_send:
                frames.next_frame()
            if now[0] >= next_paint - 1e-9 and frames.sent > painted:
                skipped.append(frames.sent - painted - 1)
                painted, paints = frames.sent, paints + 1
                next_paint = now[0] + 1 / paints_per_second
            if now[0] >= next_answer - 1e-9 and painted > frames.painted:
                frames.acknowledged([painted, paints])
                paints, next_answer = 0, now[0] + 0.2
            now[0] += 0.01
        assert frames.sent > seen
        return skipped

    slow = play(2, 6)
    assert frames.in_flight_limit == MIN_IN_FLIGHT
    assert max(slow[-4:]) <= MIN_IN_FLIGHT  # it no longer receives frames only to skip them
    fast = play(60, 3)  # as fast as the server offers them
    assert frames.in_flight_limit >= 25 * MAX_LAG_S
    assert frames.in_flight_limit <= MAX_IN_FLIGHT
    assert max(fast[-10:]) == 0  # every frame painted


def connected_app(**settings) -> tuple[PlaygroundApp, list]:
    """An app whose browser view said it is ready; what it sends lands in the list."""
    app = PlaygroundApp(PlaygroundState(seed="0.31415", **settings))
    sent = []
    app.live.send = lambda message, arrays: sent.append((message, arrays))
    app.pipe.view_ready()
    app.loop.tick()
    return app, sent


def test_a_ready_view_gets_everything_at_once_and_then_only_what_changed():
    app, sent = connected_app()
    state = app.state
    ((message, arrays),) = sent  # the view's "ready" makes the next tick draw
    assert message["epoch"] == "000,000"
    assert message["losses"] == [f"{state.test_loss:.3f}", f"{state.train_loss:.3f}"]
    assert message["scene"]["palette"][NAN_INDEX] == "#a0a0a0"
    assert {"heatmap", "thumbs", "weights", "biases", "train_x", "chart_epoch"} <= set(arrays)
    np.testing.assert_array_equal(arrays["heatmap"], quantize(state.node_maps()[-1]))
    state.train(3)
    message, arrays = app.frame_message()
    assert "scene" not in message
    assert "train_x" not in arrays
    assert message["epoch"] == "000,003"
    assert list(arrays["chart_epoch"]) == [3]
    state.regenerate(reset=False)  # new points are drawn at once
    assert "train_x" in sent[-1][1]
    app.pipe.received({"ready": True})  # a reloaded view has nothing: everything again
    app.loop.tick()
    message, arrays = sent[-1]
    assert "scene" in message
    assert "train_x" in arrays
    assert message["chart_reset"]


def test_the_heatmap_follows_the_hovered_node_and_discretize():
    app, _ = connected_app()
    state = app.state
    app.diagram.hover(1)  # X2's feature map
    _, arrays = app.frame_message()
    np.testing.assert_array_equal(arrays["heatmap"], quantize(state.grid.feature_maps[1]))
    app.diagram.hover(-1)
    state.discretize = True
    _, arrays = app.frame_message()
    assert set(np.unique(arrays["heatmap"])) <= {0, 30}


def test_browser_messages_reach_their_handlers_through_bokeh_s_events():
    """What a served document does with a browser's message: Bokeh's event dispatch."""
    from bokeh.document import Document
    from panel.models.esm import DataEvent

    app, sent = connected_app()
    doc = Document()
    model = app.live.get_root(doc)
    doc.add_root(model)
    frame = sent[-1][0]["frame"]
    for data in ({"ack": [frame, 1]}, {"hover": 1}, {"unknown": 1}, "not a dict"):
        doc.callbacks.trigger_event(DataEvent(model=model, data=data))
    assert app.pipe.pacing.painted == frame
    assert app.diagram.preview_node == ("feature", app.diagram.shown[1])
    doc.callbacks.trigger_event(DataEvent(model=model, data={"ready": True}))
    assert app.pipe.pacing.painted == app.pipe.pacing.sent  # a new view: nothing owed


def test_hiding_the_layer_control_hides_the_layer_buttons_only():
    from playground.url import scene_from_query

    hidden = PlaygroundApp(
        PlaygroundState(seed="1"), scene_from_query({"numHiddenLayers_hide": "true"})
    )
    shown = PlaygroundApp(PlaygroundState(seed="1"), scene_from_query({}))
    assert hidden.live.layer_buttons is False
    assert shown.live.layer_buttons is True


class BusyBokehSocket:
    """The tab's Bokeh socket in the middle of a write (a real one: test_connection)."""

    open = True
    free = False


def test_a_frame_that_finds_the_socket_busy_goes_out_a_moment_later_not_a_tick_later():
    from bokeh.document import Document

    doc = Document()  # not served: its callbacks wait in doc.session_callbacks
    app = PlaygroundApp(PlaygroundState(seed="0.5"), doc=doc)
    app.pipe.bokeh = BusyBokehSocket()
    sent = []
    app.live.send = lambda message, arrays: sent.append(message)
    app.pipe.view_ready()
    app.state.activation = "relu"  # a reset asks for a frame at once
    (scheduled,) = doc.session_callbacks
    scheduled.callback()
    assert sent == []  # a write is under way: nothing goes out meanwhile
    (retry,) = doc.session_callbacks
    assert retry.timeout == SOCKET_RETRY_MS
    app.pipe.bokeh.free = True
    retry.callback()
    assert [message["epoch"] for message in sent] == ["000,000"]
    assert doc.session_callbacks == []  # drawn: no more retries
