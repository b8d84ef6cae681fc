"""Hostile input inside a session, without a server: the tab's location and query, a
scene that cannot be opened, the session's end, a tab that plays for hours (bounded
loss history), and weights beyond float32 (pytest turns any warning into an error)."""

import html
import logging

import numpy as np
import panel as pn
import pytest

from playground import session
from playground.history import CAPACITY, RECENT, SERIES, LossHistory
from playground.loop import Fleet, FrameLoop
from playground.session import TabLocation, TabSession, read_scene, session_query
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.views.loss import LossFeed
from playground.views.network import FLOAT32_MAX, NetworkDiagram, drawable

DIGITS = "1" * 4301  # one past Python's int-string limit
CHART_WIDTH, CHART_HEIGHT = 150, 55  # assets/live_view.js's CHART


# -- the tab's location and query ------------------------------------------------------


@pytest.mark.parametrize(
    "search",
    [f"?zzz={DIGITS}", "?a=%C2%B2", "?a=\u00b2", "?a=1?b=2", "?a=[[[[" + "[" * 500, "?a={'x'"],
    ids=["digits", "superscript-encoded", "superscript", "two-?", "brackets", "brace"],
)
def test_the_tab_location_reads_any_query_as_text(search, caplog):
    location = TabLocation(search=search)  # Panel's own parses it here, and raises
    assert all(isinstance(value, str) for value in location.query_params.values())
    location.param.update(search="?learningRate=0.3&a=" + DIGITS)
    assert location.query_params["learningRate"] == "0.3"
    assert caplog.text == ""  # not even a warning with the whole value


def test_the_session_query_is_text_and_the_last_repeat_wins(monkeypatch):
    args = {
        "seed": [b"1", b"2", b"\xff\xfe"],
        "learningRate": [DIGITS.encode()],
        "empty": [],
        "activation": [b"relu"],
    }
    monkeypatch.setattr(type(pn.state), "session_args", property(lambda _: args))
    assert session_query() == {
        "seed": "\ufffd\ufffd",
        "learningRate": DIGITS,
        "activation": "relu",
    }


def test_a_scene_that_cannot_be_opened_gives_the_defaults_and_a_note(monkeypatch, caplog):
    def broken(_query):
        raise RuntimeError("a bug")

    monkeypatch.setattr(session, "scene_from_query", broken)
    scene, state = read_scene({"learningRate": "0.3"})
    assert scene.settings == {}
    assert scene.notes == [
        "The link's settings could not be read; the page opened with the defaults."
    ]
    assert state.learning_rate == PlaygroundState.param.learning_rate.default
    assert "could not be opened" in caplog.text


def test_read_scene_notes_a_bad_value_and_opens_the_rest():
    scene, state = read_scene({"learningRate": "0x" + "f" * 300, "noise": "20"})
    assert state.noise == 20
    assert state.learning_rate == PlaygroundState.param.learning_rate.default
    assert len(scene.notes) == 1
    assert "is too long" in scene.notes[0]


def test_a_session_that_ended_before_its_app_was_built_leaves_the_fleet(caplog):
    fleet, live = Fleet(), set()
    tab = TabSession(fleet, live)
    tab.state = PlaygroundState(seed="1")
    other = FrameLoop(PlaygroundState(seed="2"), lambda: None, fleet)
    FrameLoop(tab.state, lambda: None, fleet)  # joined, then the app failed
    assert len(live) == 1
    assert len(fleet.loops) == 2
    with caplog.at_level(logging.INFO, logger="playground"):
        tab.end(None)
    assert fleet.loops == {other}
    assert live == set()
    assert "0 live sessions, 1 frame loops" in caplog.text


# -- a tab that plays for hours -------------------------------------------------------


class ChartMirror:
    """What ``LossChart.add`` in assets/live_view.js keeps: a reset clears, then append."""

    def __init__(self) -> None:
        self.series = {name: [] for name in SERIES}
        self.most = 0

    def add(self, chunk: dict) -> None:
        if chunk["reset"]:
            self.series = {name: [] for name in SERIES}
        for name in SERIES:
            self.series[name].extend(chunk[name].tolist())
        self.most = max(self.most, len(self.series["epoch"]))


def pixel_rows(epochs, losses, low: float, high: float) -> np.ndarray:
    """The curve's height in pixels at each column of the browser's chart."""
    columns = np.linspace(epochs[0], epochs[-1], CHART_WIDTH)
    return (np.interp(columns, epochs, losses) - low) / (high - low) * (CHART_HEIGHT - 4)


def test_a_tab_drawing_20000_frames_keeps_a_bounded_history(monkeypatch):
    state = PlaygroundState(seed="0.5")
    frames = 20_000
    # Training and the losses are stand-ins: this counts points, not epochs' worth.
    monkeypatch.setattr(state.trainer, "run", lambda epochs, losses=True: epochs)

    def update_losses() -> None:
        t = state.epoch + state.unannounced_epochs
        state.trainer.train_loss = 0.05 + 0.45 * np.exp(-t / 9000) + 0.01 * np.sin(t / 500)
        state.trainer.test_loss = state.trainer.train_loss + 0.02

    monkeypatch.setattr(state.trainer, "update_losses", update_losses)
    feed, browser, most_kept = LossFeed(state), ChartMirror(), 0
    full = [(state.epoch, state.train_loss)]  # every point, as an unbounded history had
    loop = FrameLoop(state, lambda: browser.add(feed.chunk()), Fleet())
    resets = 0
    for _ in range(frames):
        state.train_quietly(3)
        generation = state.loss_history.generation
        loop.draw_frame()
        resets += state.loss_history.generation != generation
        full.append((state.epoch, state.train_loss))
        most_kept = max(most_kept, len(state.loss_history))
    assert loop.frames_drawn == frames
    assert state.epoch == 3 * frames
    history = state.loss_history
    assert most_kept <= CAPACITY  # flat memory, however long it plays
    assert browser.most <= CAPACITY  # and the browser's chart too
    assert browser.series == {name: history[name] for name in SERIES}
    assert frames / CAPACITY < resets < frames / (CAPACITY // 2 - RECENT) + 1
    # The recent points at full resolution, the older ones evenly spread from the start.
    epochs = np.array(history["epoch"])
    assert epochs[0] == 0
    steps = np.diff(epochs)
    np.testing.assert_array_equal(steps[-RECENT:], 3)
    assert (np.diff(steps) <= 0).all()  # coarse, then fine
    assert len(set(steps.tolist())) <= 3  # the older part's stride, a join, every frame
    assert epochs[-1] / steps[0] > CHART_WIDTH / 2  # a point per two pixels at least
    # Drawn on the chart, the bounded curve is the full one, to a pixel.
    full_epochs, full_losses = np.array(full).T
    low, high = full_losses.min(), full_losses.max()
    kept = pixel_rows(epochs, np.array(history["train"]), low, high)
    np.testing.assert_allclose(kept, pixel_rows(full_epochs, full_losses, low, high), atol=1)
    # A browser that reconnects gets the bounded history in one chunk.
    feed.restart()
    chunk = feed.chunk()
    assert chunk["reset"]
    assert len(chunk["epoch"]) == len(history) <= CAPACITY


def test_history_thinning_resets_the_feed_once_then_appends():
    state = PlaygroundState(seed="1")
    state.loss_history = history = LossHistory(capacity=10, recent=2)
    feed = LossFeed(state)
    assert feed.chunk()["reset"]
    for epoch in range(10):
        history.append(epoch, 1.0, 2.0)
    chunk = feed.chunk()
    assert not chunk["reset"]
    assert chunk["epoch"].tolist() == list(range(10))
    history.append(10, 1.0, 2.0)  # full: thinned first
    chunk = feed.chunk()
    assert chunk["reset"]
    assert chunk["epoch"].tolist() == history["epoch"] == [0, 4, 8, 9, 10]
    history.append(11, 1.0, 2.0)
    assert feed.chunk()["epoch"].tolist() == [11]


def test_history_keeps_every_series_in_step_and_clears():
    history = LossHistory(capacity=8, recent=2)
    for n in range(40):
        history.append(n, n / 10, float("nan") if n % 3 else n)
        assert len(history) <= 8
    epochs = history["epoch"]
    assert epochs[0] == 0
    assert epochs[-2:] == [38, 39]
    assert history["train"] == [n / 10 for n in epochs]
    assert history.since(len(history) - 1)["test"].tolist() == [39.0]
    generation = history.generation
    history.clear()
    assert len(history) == 0
    assert history.generation == generation + 1
    history.append(0, 1.0, 1.0)
    assert history["epoch"] == [0]


def test_history_refuses_a_capacity_without_room_for_the_recent_points():
    with pytest.raises(ValueError, match="half the capacity"):
        LossHistory(capacity=10, recent=5)


# -- weights beyond float32 -----------------------------------------------------------


def test_parameters_are_drawn_within_float32_without_a_warning():
    values = np.array([1e39, -1e300, np.inf, -np.inf, np.nan, 0.5])
    drawn = drawable(values)
    assert drawn.dtype == np.float32
    np.testing.assert_array_equal(
        drawn, np.array([FLOAT32_MAX, -FLOAT32_MAX, FLOAT32_MAX, -FLOAT32_MAX, np.nan, 0.5], "f4")
    )


def test_a_huge_weight_typed_in_the_editor_is_drawn_as_the_largest_float32():
    state = PlaygroundState(seed="0.31415")
    diagram = NetworkDiagram(state)
    link = diagram._link_keys.index((0, 0, 0))
    diagram.tap(["link", link])
    diagram.editor.value_input = "3.5e38"
    assert state.net.weight(0, 0, 0) == 3.5e38
    diagram.tap(["bias", 0])
    diagram.editor.value_input = "-1e300"
    frame = diagram.frame(state.node_maps())
    assert frame["weights"][link] == np.float32(FLOAT32_MAX)
    assert frame["biases"][0] == -np.float32(FLOAT32_MAX)
    assert np.isfinite(frame["weights"]).all()


@pytest.mark.parametrize("text", ["\u0661", "1_0", "\uff11", "1" * 41, "0x10", "Infinity"])
def test_the_editor_takes_only_plain_decimals(text):
    state = PlaygroundState(seed="0.31415")
    diagram = NetworkDiagram(state)
    diagram.tap(["link", 0])
    before = state.net.params.copy()
    diagram.editor.value_input = text
    assert diagram.editor_hint.visible
    np.testing.assert_array_equal(state.net.params, before)


# -- what the page shows ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["[click here](http://evil.example)", "http://evil.example", "<b>x</b>", "*a* `b`"]
)
def test_a_note_shows_a_url_value_as_text_never_as_a_link(value):
    scene, state = read_scene({"activation": value})
    app = PlaygroundApp(state, scene)
    shown = html.unescape(app.page.notes_pane.get_root().text)  # the pane's HTML
    assert "<a " not in shown
    assert "<em>" not in shown
    assert "<code>" not in shown
    assert html.escape(f"activation={value} is not an activation") in shown
