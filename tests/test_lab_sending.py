"""What a lab tab sends its browser, and when: only while the socket is free, the latest
of each kind, and nothing from strokes the picture does not have. No server: the
tab's socket is a stand-in whose ``free`` the test sets (the real one is Bokeh's
websocket, tested in ``tests/e2e/test_lab_memory.py``)."""

import time

import numpy as np
import pytest

from playground.labs.hopfield import view as hopfield_view
from playground.labs.hopfield.state import HopfieldState
from playground.labs.hopfield.view import HopfieldPage
from playground.labs.optimizers.state import OptimizerLabState
from playground.labs.optimizers.view import OptimizerLabView
from playground.labs.when_free import RETRY_MS, WhenFree


class Socket:
    free = True


class Document:
    """Records the timeouts asked for; ``run_timeouts`` runs them as the loop would."""

    def __init__(self) -> None:
        self.timeouts = []

    def add_timeout_callback(self, callback, milliseconds) -> None:
        self.timeouts.append((callback, milliseconds))

    def run_timeouts(self) -> None:
        due, self.timeouts = self.timeouts, []
        for callback, _ in due:
            callback()


def outbox() -> tuple[WhenFree, Socket, Document]:
    doc, socket = Document(), Socket()
    box = WhenFree(None)
    box.doc, box.socket = doc, socket
    return box, socket, doc


def test_updates_wait_for_a_free_socket_and_only_the_latest_goes():
    box, socket, doc = outbox()
    sent = []
    box.send("a", lambda: sent.append("a1"))
    assert sent == ["a1"]
    socket.free = False
    for n in range(100):
        box.send("a", lambda n=n: sent.append(f"a{n}"))
        box.send("b", lambda: sent.append("b"))
    assert sent == ["a1"]
    assert doc.timeouts == [(box._retry, RETRY_MS)]  # one retry at a time
    doc.run_timeouts()  # still busy: asks again
    assert sent == ["a1"]
    assert len(doc.timeouts) == 1
    socket.free = True
    doc.run_timeouts()
    assert sent == ["a1", "a99", "b"]
    assert doc.timeouts == []


def test_an_ended_tab_sends_nothing_more():
    box, socket, doc = outbox()
    socket.free = False
    sent = []
    box.send("a", lambda: sent.append("a"))
    box.end(None)
    socket.free = True
    doc.run_timeouts()
    box.send("a", lambda: sent.append("a"))
    assert sent == []


# -- the Hopfield tab --------------------------------------------------------------------


@pytest.fixture
def hopfield(monkeypatch):
    """A playing Hopfield tab, its socket, its document, and the frames it sent."""
    frames = []
    monkeypatch.setattr(hopfield_view, "send_to_view", lambda _view, data: frames.append(data))
    page = HopfieldPage(HopfieldState(side=16, speed=100, temperature=0.5, flip=0.3))
    page.outbox, socket, doc = outbox()
    page.state.playing = True
    yield page, socket, doc, frames
    page.state.playing = False


def ticks_of_a_second(page: HopfieldPage, count: int = 5) -> None:
    for _ in range(count):
        page.last_tick = time.monotonic() - 1.0  # a second of sweeps owed at each tick
        page.tick()


def test_a_tab_whose_browser_does_not_read_sweeps_and_sends_nothing(hopfield):
    page, socket, _doc, frames = hopfield
    ticks_of_a_second(page, 1)
    assert len(frames) == 1
    first = page.state.sweep
    assert first > 0
    assert frames[0]["sweep"] == first
    socket.free = False
    ticks_of_a_second(page)
    assert page.state.sweep == first  # no sweeps that nobody would see
    assert len(frames) == 1
    socket.free = True
    ticks_of_a_second(page, 1)
    assert len(frames) == 2
    assert frames[1]["sweeps"] == list(range(first + 1, page.state.sweep + 1))


def test_frames_held_back_bring_every_sweep_since_the_last_one_sent(hopfield):
    page, socket, doc, frames = hopfield
    socket.free = False
    page.step(3)
    page.step(2)
    assert frames == []
    socket.free = True
    doc.run_timeouts()
    assert len(frames) == 1
    assert frames[0]["sweeps"] == [1, 2, 3, 4, 5]
    assert len(frames[0]["energy"]) == len(frames[0]["overlaps"]) == 5


def test_a_new_scene_replaces_frames_of_the_old_one(hopfield):
    page, socket, doc, frames = hopfield
    scene_id = page.scene_id
    socket.free = False
    page.step(2)
    page.state.restart(1)  # a frame would carry the new start under the old picture's id
    page.step(1)
    socket.free = True
    doc.run_timeouts()
    assert frames == []
    assert page.scene_id == scene_id + 1
    assert page.canvas.scene["sweep"] == 1
    assert page.canvas.scene["energy"] == page.state.energies


def test_strokes_of_anything_but_cells_of_the_picture_are_ignored(hopfield):
    page, _socket, _doc, frames = hopfield
    page.state.playing = False
    before = page.state.net.S.copy()
    cell = int(np.flatnonzero(before == 1)[0])
    hostile = [10**24, -(10**30), "x", [1, 2], [[3]], float("nan"), True, 2.5, -1, 256, None]
    for value in hostile:
        page.browser_message({"draw": [value], "value": -1, "id": page.scene_id})
    np.testing.assert_array_equal(page.state.net.S, before)
    page.browser_message({"draw": [*hostile, cell], "value": -1, "id": page.scene_id})
    assert page.state.net.S[cell] == -1
    assert np.count_nonzero(page.state.net.S - before) == 1
    for odd in ({"draw": 5, "value": 1}, {"draw": [1], "value": 10**24}, [1], "x", None):
        page.browser_message(odd)
    assert frames[-1]["energy_now"] == page.state.net.energy()


@pytest.mark.parametrize("cells", [[10**24], [-(10**30)], ["x"], [[1]], [float("nan")], [1.5]])
def test_the_state_ignores_cells_that_are_not_whole_numbers_in_the_picture(cells):
    state = HopfieldState(side=8)
    before = state.net.S.copy()
    state.draw(cells, 1)
    state.draw(cells, -1)
    np.testing.assert_array_equal(state.net.S, before)


# -- the optimizer lab -------------------------------------------------------------------


def test_the_race_waits_for_the_socket_and_is_computed_once_for_many_changes(monkeypatch):
    state = OptimizerLabState()
    view = OptimizerLabView(state)
    view.outbox, socket, doc = outbox()
    computed = []
    paths = state.paths
    monkeypatch.setattr(state, "paths", lambda: computed.append(1) or paths())
    socket.free = False
    for steps in range(100, 120):
        state.steps = steps
    state.surface = "bowl"
    state.showMomentum = True
    assert computed == []
    assert not view.race.showMomentum
    socket.free = True
    doc.run_timeouts()
    assert computed == [1]
    assert view.race.surface["name"] == "bowl"
    assert view.race.racers[0]["steps"] == 119
    assert view.race.showMomentum


def test_a_tick_stops_sweeping_when_its_time_is_up(hopfield, monkeypatch):
    """A sweep of the largest, hottest picture takes ~25 ms: one per tick, however many
    the speed asks for, so the event loop is never held for long."""
    page, _socket, _doc, frames = hopfield
    clock = [0.0]
    monkeypatch.setattr(hopfield_view.time, "perf_counter", lambda: clock[0])
    step = page.state.step

    def sweeps_taking(seconds: float):
        def timed_step(sweeps: int = 1) -> None:
            step(sweeps)
            clock[0] += seconds * sweeps

        return timed_step

    monkeypatch.setattr(page.state, "step", sweeps_taking(0.025))
    ticks_of_a_second(page, 3)
    assert page.state.sweep == 3
    assert [frame["sweep"] for frame in frames] == [1, 2, 3]
    monkeypatch.setattr(page.state, "step", sweeps_taking(0.001))
    ticks_of_a_second(page, 1)
    assert page.state.sweep == 3 + 10  # quick sweeps: ten fit in a tick's 10 ms
