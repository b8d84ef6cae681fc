"""The loss chart's bounded history: what a tab that plays for hours keeps, what the
browser's chart gets (its chunks and resets), and that the chart looks the same."""

import numpy as np
import pytest

from playground.history import CAPACITY, RECENT, SERIES, LossHistory
from playground.loop import Fleet, FrameLoop
from playground.state import PlaygroundState
from playground.views.loss import LossFeed

CHART_WIDTH, CHART_HEIGHT = 150, 55  # assets/live_view.js's CHART


class ChartMirror:
    """What ``LossChart.add`` in assets/chart.js keeps: a reset clears, then append."""

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
