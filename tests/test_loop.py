"""The frame clocks and the one trainer: fair chunks, frames only of what changed, away
tabs idle, and an event loop that gets its turns between two chunks."""

import asyncio
import itertools
import logging
import threading

import pytest

from playground.loop import (
    DRAW_SHARE,
    FRAME_S,
    MAX_BREATH_S,
    MAX_DRAW_SHARE,
    SLOWEST_FRAME_S,
    Fleet,
    FrameLoop,
    breathe,
)
from playground.state import PlaygroundState


def make_loop(fleet=None, **settings) -> tuple[FrameLoop, list, dict]:
    state = PlaygroundState(seed="0.5", **settings)
    drawn, flags = [], {"can_draw": True, "away": False}
    loop = FrameLoop(
        state,
        lambda: drawn.append(state.epoch),
        fleet or Fleet(),
        can_draw=lambda: flags["can_draw"],
        away=lambda: flags["away"],
    )
    return loop, drawn, flags


def train_until_owed(fleet: Fleet, limit: int = 1000) -> None:
    for _ in range(limit):
        if not any(loop.owes for loop in fleet.loops):
            return
        fleet.train_chunk()
    raise AssertionError("the owed epochs were never trained")


def test_frames_come_further_apart_when_many_tabs_play_but_no_fewer_than_ten_a_second():
    fleet = Fleet()
    loops = [make_loop(fleet, speed=0)[0] for _ in range(40)]
    fleet.draw_s = 0.003
    assert fleet.frame_s() == FRAME_S  # nobody plays
    for loop in loops[:2]:
        loop.state.playing = True
    assert fleet.frame_s() == FRAME_S
    for loop in loops[:8]:
        loop.state.playing = True
    assert fleet.frame_s() == pytest.approx(8 * 0.003 / DRAW_SHARE)
    for loop in loops[:20]:
        loop.state.playing = True
    assert fleet.frame_s() == SLOWEST_FRAME_S  # 20 tabs: drawing may take 60 %
    for loop in loops:
        loop.state.playing = True
    assert fleet.frame_s() == pytest.approx(40 * 0.003 / MAX_DRAW_SHARE)  # training keeps 20 %
    loops[0].stop()
    assert fleet.frame_s() == pytest.approx(39 * 0.003 / MAX_DRAW_SHARE)


def test_one_slow_frame_does_not_slow_every_tab_for_long():
    fleet = Fleet()
    fleet.draw_s = 0.003
    fleet.drew(0.5)  # a garbage collection, say
    assert fleet.draw_s <= 0.0033 + 1e-12


def test_a_fixed_speed_trains_its_epochs_for_each_frame_and_draws_each_new_state():
    loop, drawn, _ = make_loop(speed=3)
    loop.tick()  # paused: the first frame, no training
    assert drawn == [0]
    loop.tick()
    assert drawn == [0]  # nothing changed: nothing drawn
    assert not loop.fleet.train_chunk()  # nobody wants training
    loop.state.playing = True
    loop.tick()
    train_until_owed(loop.fleet)
    loop.tick()
    train_until_owed(loop.fleet)
    loop.tick()
    assert drawn == [0, 3, 6]
    loop.state.playing = False
    loop.tick()
    assert loop.owed == 0
    assert not loop.fleet.train_chunk()


def test_a_frame_waits_for_the_epochs_it_owes():
    loop, drawn, _ = make_loop(speed=100)
    loop.state.playing = True
    loop.tick()  # the first frame; 100 epochs owed for the next
    loop.fleet.train_chunk()  # one chunk is far fewer than 100 epochs
    assert 0 < loop.state.unannounced_epochs < 100
    loop.tick()
    assert drawn == [0]  # no frame of a partial step
    train_until_owed(loop.fleet)
    loop.tick()
    assert drawn == [0, 100]


@pytest.mark.parametrize("speed", [1, 3])
def test_every_frame_of_a_fixed_speed_shows_exactly_its_epochs_though_draws_are_refused(speed):
    loop, drawn, flags = make_loop(speed=speed)
    loop.state.playing = True
    refused = [tick % 3 == 1 or tick % 7 == 0 for tick in range(60)]  # the browser behind
    for refuse in refused:
        flags["can_draw"] = not refuse
        loop.tick()
        train_until_owed(loop.fleet)
    assert len(drawn) >= refused.count(False) - 1  # a refused frame goes out at the next tick
    assert [b - a for a, b in itertools.pairwise(drawn)] == [speed] * (len(drawn) - 1)


@pytest.mark.parametrize("speed", [1, 3])
def test_a_draw_that_runs_after_the_trainer_still_shows_exactly_the_speeds_epochs(speed):
    # Served, a tick only asks for its draw, which runs on a later turn of the event loop:
    # the trainer may well go first. The next epochs must wait for that draw.
    requested = []
    loop, drawn, _ = make_loop(speed=speed)
    loop.request_draw = requested.append
    loop.state.playing = True
    for _ in range(30):
        loop.tick()
        train_until_owed(loop.fleet)  # the trainer's turn comes first
        while requested:
            loop.draw_frame(requested.pop())
        train_until_owed(loop.fleet)  # and it trains whatever the draw made owed
    assert len(drawn) >= 29  # a frame at (nearly) every tick
    assert [b - a for a, b in itertools.pairwise(drawn)] == [speed] * (len(drawn) - 1)


def test_max_speed_tabs_share_the_trainer_in_turn_and_a_fixed_speed_trains_its_own():
    fleet = Fleet()
    fast = [make_loop(fleet, speed=0)[0] for _ in range(2)]
    fixed, _, _ = make_loop(fleet, speed=1)
    for loop in [*fast, fixed]:
        loop.state.playing = True
        loop.tick()
    train_until_owed(fleet)
    assert fixed.state.unannounced_epochs == 1  # it owed one epoch for its frame
    for _ in range(10):
        fleet.train_chunk()
    epochs = [loop.state.unannounced_epochs for loop in fast]
    assert min(epochs) >= 5  # turn by turn, several epochs a chunk
    assert fixed.state.unannounced_epochs == 1  # nothing more until its next frame
    times = [loop.trained_s for loop in fast]
    assert max(times) < 3 * min(times)


def test_at_max_speed_every_frame_owes_an_epoch_which_comes_before_other_tabs_turns():
    fleet = Fleet()
    tabs = [make_loop(fleet, speed=0)[0] for _ in range(3)]
    for loop in tabs:
        loop.state.playing = True
    tabs[0].tick()
    for _ in range(5):
        fleet.train_chunk()  # only tab 0 has had a tick: its owed epoch, then turns
    assert not tabs[0].owes
    tabs[1].tick()
    tabs[2].tick()
    assert tabs[1].owes
    assert tabs[2].owes
    before = tabs[0].state.unannounced_epochs
    fleet.train_chunk()  # the owed epochs first (both fit a chunk on most machines)
    assert not tabs[1].owes
    if tabs[2].owes:
        assert tabs[0].state.unannounced_epochs == before
        fleet.train_chunk()
    assert not tabs[2].owes
    assert tabs[1].state.unannounced_epochs >= 1
    assert tabs[2].state.unannounced_epochs >= 1


def test_owing_tabs_are_trained_in_the_order_they_came_to_owe():
    # Served in a fixed order, the same tabs would always come last and miss frames.
    fleet = Fleet()
    tabs = [make_loop(fleet, speed=0)[0] for _ in range(4)]
    order = []
    for i, loop in enumerate(tabs):
        loop.state.playing = True

        def train(seconds, loop=loop, i=i):
            order.append(i)
            loop.owed = 0

        loop.train_chunk = train
    for ticks in ([2, 0, 3, 1], [1, 3, 0, 2]):
        for i in ticks:
            tabs[i].tick()
        order.clear()
        fleet.train_chunk()
        assert order[:4] == ticks  # then max-speed turns fill the chunk


def test_a_tab_that_went_away_neither_trains_nor_counts_as_playing():
    fleet = Fleet()
    loop, _, flags = make_loop(fleet, speed=0)
    loop.state.playing = True
    loop.tick()
    assert fleet.train_chunk()
    flags["away"] = True
    loop.tick()
    epoch = loop.state.unannounced_epochs
    assert not fleet.train_chunk()
    assert loop.state.unannounced_epochs == epoch
    assert not loop.playing
    flags["away"] = False
    loop.tick()
    assert fleet.train_chunk()


def test_no_frame_while_the_browser_is_behind_and_invalidate_forces_one():
    loop, drawn, flags = make_loop(speed=1)
    loop.tick()
    flags["can_draw"] = False
    loop.state.playing = True
    loop.tick()
    train_until_owed(loop.fleet)
    loop.tick()
    assert drawn == [0]  # trained, but the browser has frames in flight
    flags["can_draw"] = True
    loop.state.playing = False
    loop.tick()
    assert drawn == [0, 1]
    loop.invalidate()
    loop.tick()
    assert drawn == [0, 1, 1]


def test_divergence_pauses_at_once_even_while_no_frame_can_go_out():
    loop, drawn, flags = make_loop(speed=0)
    loop.state.load(
        problem="regression", activation="relu", learning_rate=10.0, seed="1", network_shape=[8, 8]
    )
    flags["can_draw"] = False
    loop.state.playing = True
    loop.tick()
    for _ in range(200):
        if not loop.fleet.train_chunk():
            break
    assert not loop.state.playing
    assert "diverged" in loop.state.message
    assert drawn == []


def test_a_reset_stops_the_training_and_the_new_network_stays_at_epoch_zero():
    loop, drawn, _ = make_loop(speed=0)
    state = loop.state
    state.playing = True
    loop.tick()
    loop.fleet.train_chunk()
    state.activation = "relu"  # a control that resets (and pauses)
    assert not loop.fleet.train_chunk()
    loop.tick()
    assert state.epoch == 0
    assert state.unannounced_epochs == 0
    assert drawn[-1] == 0


def test_a_failing_tab_is_paused_and_logged_and_the_others_train_on(caplog):
    fleet = Fleet()
    broken, _, _ = make_loop(fleet, speed=0)
    healthy, _, _ = make_loop(fleet, speed=0)

    def fail(epochs):
        raise RuntimeError("broken trainer")

    broken.state.train_quietly = fail
    for loop in (broken, healthy):
        loop.state.playing = True
        loop.tick()
    with caplog.at_level(logging.ERROR, logger="playground"):
        for _ in range(4):
            fleet.train_chunk()
    assert not broken.state.playing
    assert healthy.state.unannounced_epochs > 0
    assert "training stopped for a tab" in caplog.text


def run_in_own_event_loop(main) -> None:
    """Playwright's tests leave an event loop running in this thread: use another."""
    errors = []
    thread = threading.Thread(target=lambda: errors.append(asyncio.run(main())))
    thread.start()
    thread.join(timeout=30)
    assert errors == [None]


class TurnClock:
    """``time.perf_counter`` for ``breathe``: it moves only when a task says it worked, so
    the tests count turns of the event loop, never wall-clock time."""

    def __init__(self, monkeypatch) -> None:
        self.now = 1000.0
        monkeypatch.setattr("playground.loop.time.perf_counter", lambda: self.now)

    def work(self, seconds: float) -> None:
        self.now += seconds


def test_breathing_lets_a_chain_of_event_loop_turns_finish_before_the_next_chunk(monkeypatch):
    clock = TurnClock(monkeypatch)

    async def main():
        steps = []

        async def chain():  # like Tornado reading one message: a turn per frame part
            for step in range(12):
                clock.work(100e-6)
                steps.append(step)
                await asyncio.sleep(0)

        task = asyncio.ensure_future(chain())
        await asyncio.sleep(0)
        await breathe()
        assert len(steps) == 12
        await task

    run_in_own_event_loop(main)


def test_breathing_ends_even_when_the_event_loop_is_never_quiet(monkeypatch):
    clock = TurnClock(monkeypatch)
    turn_s = 1e-3

    async def main():
        turns = 0
        running = True

        async def spinner():  # every turn of it works for turn_s
            nonlocal turns
            while running:
                clock.work(turn_s)
                turns += 1
                await asyncio.sleep(0)

        task = asyncio.ensure_future(spinner())
        await asyncio.sleep(0)
        before = turns
        await breathe()
        spun = turns - before
        running = False
        await task
        # Training waited MAX_BREATH_S of other work, then went on: one turn past it.
        wanted = round(MAX_BREATH_S / turn_s)
        assert wanted <= spun <= wanted + 1

    run_in_own_event_loop(main)


def test_the_trainer_trains_playing_tabs_and_sleeps_when_none_plays():
    async def main():
        fleet = Fleet()
        loop, _, _ = make_loop(fleet, speed=0)
        fleet.start()
        await asyncio.sleep(0.05)
        assert loop.state.unannounced_epochs == 0  # nobody plays: the trainer sleeps
        loop.state.playing = True
        loop.tick()  # wakes it
        for _ in range(200):
            await asyncio.sleep(0.005)
            if loop.state.unannounced_epochs:
                break
        assert loop.state.unannounced_epochs > 0
        fleet._task.cancel()

    run_in_own_event_loop(main)
