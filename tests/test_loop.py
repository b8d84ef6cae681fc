"""The per-tab loop: fair training slices, drawing only what changed, away tabs idle."""

from playground.loop import FRAME_S, MAX_SLICE_S, MIN_SLICE_S, Fleet, FrameLoop
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


def tick(loop: FrameLoop) -> None:
    """Runs one tick to the end. Its only awaits are ``asyncio.sleep(0)``, a bare yield,
    so no event loop is needed (Playwright's tests leave one running in this thread)."""
    coroutine = loop.tick()
    try:
        while True:
            coroutine.send(None)
    except StopIteration:
        pass


def test_slices_shrink_as_more_tabs_play_and_stay_within_bounds():
    fleet = Fleet()
    assert fleet.slice_s(0.004) == MAX_SLICE_S
    fleet.playing.update(range(5))
    assert fleet.slice_s(0.002) == FRAME_S / 5 - 0.002
    fleet.playing.update(range(100))
    assert fleet.slice_s(0.002) == MIN_SLICE_S


def test_a_playing_tab_trains_its_speed_per_tick_and_draws_each_new_state():
    loop, drawn, _ = make_loop(speed=3)
    tick(loop)  # paused: the first frame, no training
    assert drawn == [0]
    tick(loop)
    assert drawn == [0]  # nothing changed: nothing drawn
    loop.state.playing = True
    tick(loop)
    tick(loop)
    assert drawn == [0, 3, 6]
    assert loop.fleet.playing == {id(loop)}
    loop.state.playing = False
    tick(loop)
    assert loop.fleet.playing == set()


def test_max_speed_trains_for_about_its_slice():
    loop, drawn, _ = make_loop(speed=0)
    loop.state.playing = True
    for _ in range(3):
        tick(loop)
    assert drawn[-1] > 3  # several epochs a tick, however fast this machine is
    assert loop.epoch_s > 0


def test_a_tab_that_went_away_neither_trains_nor_leaves_others_a_smaller_slice():
    fleet = Fleet()
    loop, _, flags = make_loop(fleet, speed=1)
    loop.state.playing = True
    tick(loop)
    flags["away"] = True
    epoch = loop.state.epoch
    tick(loop)
    assert loop.state.epoch == epoch
    assert fleet.playing == set()


def test_no_frame_while_the_browser_is_behind_and_invalidate_forces_one():
    loop, drawn, flags = make_loop(speed=1)
    tick(loop)
    flags["can_draw"] = False
    loop.state.playing = True
    tick(loop)
    assert drawn == [0]  # trained, but the browser has frames in flight
    flags["can_draw"] = True
    loop.state.playing = False
    tick(loop)
    assert drawn == [0, 1]
    loop.invalidate()
    tick(loop)
    assert drawn == [0, 1, 1]


def test_divergence_pauses_at_once_even_while_no_frame_can_go_out():
    loop, drawn, flags = make_loop(speed=0)
    loop.state.load(
        problem="regression", activation="relu", learning_rate=10.0, seed="1", network_shape=[8, 8]
    )
    flags["can_draw"] = False
    loop.state.playing = True
    for _ in range(50):
        tick(loop)
        if not loop.state.playing:
            break
    assert not loop.state.playing
    assert "diverged" in loop.state.message
    assert drawn == []


def test_a_reset_during_a_slice_ends_it_and_the_new_network_stays_at_epoch_zero():
    loop, drawn, _ = make_loop(speed=0)
    state = loop.state
    state.playing = True
    coroutine = loop.tick()
    coroutine.send(None)  # one chunk trained; the tick now waits for its next turn
    state.activation = "relu"  # a control that resets (and pauses)
    try:
        while True:
            coroutine.send(None)
    except StopIteration:
        pass
    assert state.epoch == 0
    assert state.unannounced_epochs == 0
    assert drawn[-1] == 0
