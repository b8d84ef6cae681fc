"""A paused tab with nothing new to show does no periodic work: its frame clock rests
until something changes that a frame must show, then shows it and rests again.

The clocks run on an event loop whose time moves only when the test says so
(``FrozenClockLoop``), with ``time.perf_counter`` following it: seconds of frames pass
in a few thousand turns, and the tests count ticks and frames, never wall-clock time."""

import asyncio
import threading

import pytest

from playground.loop import FRAME_S, Fleet, FrameLoop
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.views.controls import format_epoch
from tests.test_pipe_library import FrozenClockLoop

TURNS_PER_STEP = 4  # turns of the event loop after each step of the clock
SIMULATED_S = 5.0  # a period: ~290 ticks of a clock that never rests


class Clocked:
    """A tab's frame clock on a ``FrozenClockLoop`` that runs only while the test calls
    into it (``call``, ``simulate``), each time in a new thread (Playwright's tests leave
    an event loop running in this one)."""

    def __init__(self, loop: FrameLoop, monkeypatch) -> None:
        self.loop = loop
        self.ticks = 0  # every tick so far
        self._counted = 0  # ticks up to the end of the last simulate
        self.events = FrozenClockLoop()
        monkeypatch.setattr("playground.loop.time.perf_counter", lambda: self.events.now)
        tick = loop.tick

        def counted() -> None:
            self.ticks += 1
            tick()

        monkeypatch.setattr(loop, "tick", counted)
        self.task = self.events.create_task(loop.run())

    def _run(self, coroutine):
        done = []
        thread = threading.Thread(
            target=lambda: done.append(self.events.run_until_complete(coroutine))
        )
        thread.start()
        thread.join(30)
        assert done, "the event loop did not finish its work"
        return done[0]

    def call(self, fn):
        """``fn()`` in the clock's event loop, where the browser's messages act."""

        async def call():
            return fn()

        return self._run(call())

    def simulate(self, seconds: float = SIMULATED_S) -> int:
        """Lets ``seconds`` pass in steps of half a frame; returns the ticks since the
        last ``simulate`` ended (a change called meanwhile included)."""

        async def run() -> None:
            for _ in range(round(seconds / (FRAME_S / 2))):
                self.events.advance(FRAME_S / 2)
                for _ in range(TURNS_PER_STEP):
                    await asyncio.sleep(0)

        self._run(run())
        ticks, self._counted = self.ticks - self._counted, self.ticks
        return ticks

    def close(self) -> None:
        self.call(self.loop.stop)
        self.simulate(FRAME_S)
        assert self.task.done()  # a resting clock ends too
        self.events.close()


@pytest.fixture
def clocked(monkeypatch):
    started = []

    def start(loop: FrameLoop) -> Clocked:
        started.append(Clocked(loop, monkeypatch))
        return started[-1]

    yield start
    for clock in started:
        clock.close()


def make_loop(**settings) -> tuple[FrameLoop, list, dict]:
    state = PlaygroundState(seed="0.5", **settings)
    drawn, flags = [], {"can_draw": True, "away": False, "view": True}
    loop = FrameLoop(
        state,
        lambda: drawn.append(state.epoch),
        Fleet(),
        can_draw=lambda: flags["can_draw"],
        away=lambda: flags["away"],
        view_open=lambda: flags["view"],
    )
    return loop, drawn, flags


def test_a_paused_tab_shows_its_first_frame_then_its_clock_rests(clocked):
    loop, drawn, _ = make_loop()
    clock = clocked(loop)
    assert clock.simulate() <= 2  # the first frame's tick, and the one that saw it drawn
    assert drawn == [0]
    assert clock.simulate() == 0
    assert drawn == [0]


CHANGES = {
    "step": lambda loop: loop.state.step(),
    "weight edited": lambda loop: loop.state.set_weight(0, 0, 0, 0.25),
    "bias edited": lambda loop: loop.state.set_bias(0, 0, -0.5),
    "a control that resets": lambda loop: setattr(loop.state, "activation", "relu"),
    "new data": lambda loop: loop.state.regenerate(),
    "discretize": lambda loop: setattr(loop.state, "discretize", True),
    "drawn outside the key": lambda loop: loop.invalidate(),  # hover, palette, points
}


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_wakes_a_resting_clock_for_its_frame_and_it_rests_again(clocked, change):
    loop, drawn, _ = make_loop()
    clock = clocked(loop)
    clock.simulate()
    assert clock.simulate() == 0
    clock.call(lambda: CHANGES[change](loop))
    assert 1 <= clock.simulate() <= 2
    assert len(drawn) == 2
    assert drawn[-1] == loop.state.epoch
    assert clock.simulate() == 0


def test_play_keeps_the_clock_going_and_pause_lets_it_rest(clocked):
    loop, drawn, _ = make_loop(speed=1)
    clock = clocked(loop)
    clock.simulate()
    clock.call(loop.state.toggle_play)
    ticks = clock.simulate()
    assert ticks >= 0.9 * SIMULATED_S / FRAME_S  # playing: a tick every frame
    clock.call(loop.state.toggle_play)
    assert clock.simulate() <= 2  # the last epochs trained are shown, then it rests
    assert drawn[-1] == loop.state.epoch
    assert clock.simulate() == 0


def test_a_tab_whose_view_never_reported_ready_rests_until_it_does(clocked):
    loop, drawn, flags = make_loop()
    flags["view"] = False
    clock = clocked(loop)
    assert clock.simulate() == 0
    assert drawn == []
    flags["view"] = True
    clock.call(loop.invalidate)  # what the view's "ready" does (PlaygroundApp._view_ready)
    assert clock.simulate() <= 2
    assert drawn == [0]
    assert clock.simulate() == 0


def test_a_paused_tab_keeps_asking_while_the_browser_is_behind_then_rests(clocked):
    loop, drawn, flags = make_loop()
    clock = clocked(loop)
    clock.simulate()
    flags["can_draw"] = False
    clock.call(loop.state.step)
    assert clock.simulate() >= 0.9 * SIMULATED_S / FRAME_S  # no event says it caught up
    assert drawn == [0]
    flags["can_draw"] = True
    clock.simulate()
    assert drawn == [0, 1]
    assert clock.simulate() == 0


def test_a_paused_tab_that_went_away_gets_no_occasional_frames(clocked):
    loop, drawn, flags = make_loop()
    clock = clocked(loop)
    clock.simulate()
    flags["away"] = True  # hidden with a frame unpainted: a playing tab would be asked
    clock.call(loop.invalidate)
    clock.simulate()
    assert drawn == [0, 0]  # what was new still goes out
    assert clock.simulate() == 0
    assert drawn == [0, 0]


def served_app(clocked) -> tuple[PlaygroundApp, Clocked, list]:
    """An app whose browser view is ready and paints every frame at once."""
    app = PlaygroundApp(PlaygroundState(seed="0.31415"))
    sent = []

    def send(message: dict, _arrays: dict) -> None:
        sent.append(message)
        app.pipe.acknowledged([message["frame"], 1])

    app.live.send = send
    clock = clocked(app.loop)
    clock.call(lambda: app.pipe.received({"ready": True}))
    clock.simulate()
    assert len(sent) == 1
    assert clock.simulate() == 0
    return app, clock, sent


def edit_first_link(app: PlaygroundApp) -> None:
    app.pipe.received({"tap": ["link", 0]})
    app.diagram.editor.value_input = "0.7"


APP_CHANGES = {
    "hover": lambda app: app.pipe.received({"hover": 2}),
    "tap an input": lambda app: app.pipe.received({"tap": ["node", 2]}),
    "edit a weight": edit_first_link,
    "add a layer": lambda app: app.pipe.received({"layers": 1}),
    "add a neuron": lambda app: app.pipe.received({"neurons": [0, 1]}),
    "view ready again": lambda app: app.pipe.received({"ready": True}),
    "palette": lambda app: setattr(app.state, "palette", "colorblind"),
    "show test data": lambda app: setattr(app.state, "show_test_data", True),
    "discretize": lambda app: setattr(app.state, "discretize", True),
    "regenerate": lambda app: app.state.regenerate(reset=False),
    "step": lambda app: app.state.step(),
    "reset": lambda app: app.state.reset(),
}


@pytest.mark.parametrize("change", APP_CHANGES)
def test_every_way_a_paused_tab_s_picture_changes_reaches_the_browser(clocked, change):
    app, clock, sent = served_app(clocked)
    clock.call(lambda: APP_CHANGES[change](app))
    clock.simulate()
    assert len(sent) >= 2  # served, a reset's two counters make one frame; here two
    assert sent[-1]["epoch"] == format_epoch(app.state.epoch)
    assert clock.simulate() == 0  # and rests again


def test_a_playing_tab_whose_view_never_reported_ready_trains_nothing():
    """A client that presses play but never runs the live view: nothing it trains could
    be shown, so its tab counts as away (trains nothing) until its view is ready."""
    app = PlaygroundApp(PlaygroundState(seed="0.5"))
    app.state.playing = True
    assert app.pipe.away
    app.loop.tick()
    assert not app.loop.playing
    assert not app.loop.owes
    app.pipe.view_ready()
    app.loop.tick()
    assert app.loop.playing
    assert app.loop.owes
