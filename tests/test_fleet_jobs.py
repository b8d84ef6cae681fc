"""The Fleet trains jobs: a tab's frame loop, or a headless job (a sweep) that draws
nothing. A headless job takes its turns beside the tabs at max speed, never before the
epochs a tab owes its next frame, and does not count among the tabs that draw: the
fairness tests of ``test_loop`` pass as they are with one running beside them."""

import itertools
import logging
import time

import pytest

from playground.loop import (
    CHUNK_S,
    DRAW_SHARE,
    FRAME_S,
    MAX_DRAW_SHARE,
    SLOWEST_FRAME_S,
    Fleet,
    Job,
)
from tests import test_loop
from tests.test_loop import make_loop, train_until_owed


class HeadlessJob:
    """A sweep's stand-in: it takes turns, draws nothing, and works for the time given."""

    draws = False
    owes = False

    def __init__(self) -> None:
        self.running = True
        self.turns = 0
        self.error: Exception | None = None

    @property
    def playing(self) -> bool:
        return self.running

    @property
    def wants_training(self) -> bool:
        return self.running

    def train_chunk(self, seconds: float) -> None:
        self.turns += 1
        if self.error is not None:
            raise self.error
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:  # CPU work, as a sweep's training is
            pass

    def fail(self) -> None:
        self.running = False


def fleet_with_a_job() -> tuple[Fleet, HeadlessJob]:
    fleet, job = Fleet(), HeadlessJob()
    fleet.join(job)
    return fleet, job


def test_tabs_and_headless_jobs_are_jobs():
    assert isinstance(HeadlessJob(), Job)
    loop, _, _ = make_loop()
    assert isinstance(loop, Job)
    assert loop.draws
    assert not HeadlessJob.draws


def test_a_headless_job_does_not_count_among_the_tabs_that_draw():
    fleet = Fleet()
    tabs = [make_loop(fleet, speed=0)[0] for _ in range(8)]
    for loop in tabs:
        loop.state.playing = True
    alone = fleet.frame_s()
    assert alone > FRAME_S  # eight tabs: their frames come further apart
    jobs = [HeadlessJob() for _ in range(5)]
    for job in jobs:
        fleet.join(job)
    assert fleet.frame_s() == alone
    assert fleet.loops == set(tabs)  # the frame loops: what the session log counts
    assert fleet.jobs == {*tabs, *jobs}


def test_a_headless_job_takes_its_turns_with_the_tabs_at_max_speed():
    fleet, job = fleet_with_a_job()
    tabs = [make_loop(fleet, speed=0)[0] for _ in range(2)]
    given: dict[int, list[float]] = {id(loop): [] for loop in tabs}
    for loop in tabs:
        loop.state.playing = True  # no tick: nothing owed, every chunk is turns
        trained = loop.train_chunk

        def counted(seconds, loop=loop, trained=trained):
            given[id(loop)].append(seconds)
            trained(seconds)

        loop.train_chunk = counted
    for _ in range(30):
        fleet.train_chunk()
    counts = [*(len(seconds) for seconds in given.values()), job.turns]
    assert min(counts) >= 9  # 30 chunks, three ways: round robin
    assert max(counts) - min(counts) <= 1
    # No tab's turn is the scraps of another's (the job always uses its whole turn).
    assert min(min(seconds) for seconds in given.values()) >= CHUNK_S / 2
    assert all(loop.state.unannounced_epochs > 0 for loop in tabs)


@pytest.mark.parametrize("speed", [1, 3])
def test_a_drawing_tab_gets_every_frame_beside_a_headless_job(speed):
    fleet, job = fleet_with_a_job()
    loop, drawn, _ = make_loop(fleet, speed=speed)
    hog, _, _ = make_loop(fleet, speed=0)  # a tab at max speed as well
    loop.state.playing = hog.state.playing = True
    for _ in range(30):
        loop.tick()
        train_until_owed(fleet)  # the owed epochs come before any turn
        fleet.train_chunk()  # and then a turn
    assert len(drawn) >= 29  # a frame at (nearly) every tick
    assert [b - a for a, b in itertools.pairwise(drawn)] == [speed] * (len(drawn) - 1)
    assert job.turns >= 5  # and the job was training all along


def test_a_headless_job_wakes_a_sleeping_trainer_and_stops_when_it_is_done():
    fleet, job = fleet_with_a_job()
    assert fleet.train_chunk()  # nothing else plays: the whole chunk is the job's
    job.running = False
    assert not fleet.train_chunk()
    fleet.leave(job)
    assert job not in fleet.jobs


def test_a_failing_job_stops_and_the_tabs_train_on(caplog):
    fleet, job = fleet_with_a_job()
    job.error = RuntimeError("broken sweep")
    loop, _, _ = make_loop(fleet, speed=0)
    loop.state.playing = True
    with caplog.at_level(logging.ERROR, logger="playground"):
        for _ in range(4):
            fleet.train_chunk()
    assert not job.running
    assert loop.state.unannounced_epochs > 0
    assert "training stopped for a job" in caplog.text


# The fairness tests of test_loop, each run as it is, with a headless job in every Fleet
# it makes; True where tabs at max speed take turns, so the job must have had some too
# (owed epochs come first: where a test trains only those, the job may get none).
FAIRNESS = [
    (test_loop.test_frames_come_further_apart_when_many_tabs_play_but_no_fewer_than_ten_a_second, {}, False),
    (test_loop.test_a_frame_waits_for_the_epochs_it_owes, {}, False),
    (test_loop.test_every_frame_of_a_fixed_speed_shows_exactly_its_epochs_though_draws_are_refused, {"speed": 1}, False),
    (test_loop.test_every_frame_of_a_fixed_speed_shows_exactly_its_epochs_though_draws_are_refused, {"speed": 3}, False),
    (test_loop.test_a_draw_that_runs_after_the_trainer_still_shows_exactly_the_speeds_epochs, {"speed": 1}, False),
    (test_loop.test_a_draw_that_runs_after_the_trainer_still_shows_exactly_the_speeds_epochs, {"speed": 3}, False),
    (test_loop.test_max_speed_tabs_share_the_trainer_in_turn_and_a_fixed_speed_trains_its_own, {}, True),
    (test_loop.test_at_max_speed_every_frame_owes_an_epoch_which_comes_before_other_tabs_turns, {}, True),
    (test_loop.test_owing_tabs_are_trained_in_the_order_they_came_to_owe, {}, True),
    (test_loop.test_no_frame_while_the_browser_is_behind_and_invalidate_forces_one, {}, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fairness_test", "kwargs", "trains"),
    FAIRNESS,
    ids=[f"{test.__name__.removeprefix('test_')}{kw or ''}" for test, kw, _ in FAIRNESS],
)
def test_the_fairness_tests_pass_beside_a_headless_job(monkeypatch, fairness_test, kwargs, trains):
    jobs: list[HeadlessJob] = []

    def fleet() -> Fleet:
        made, job = fleet_with_a_job()
        jobs.append(job)
        return made

    monkeypatch.setattr(test_loop, "Fleet", fleet)
    fairness_test(**kwargs)
    assert jobs, "the test made no Fleet"
    if trains:
        assert sum(job.turns for job in jobs) > 0


def test_the_job_works_for_the_time_it_is_given():
    # The stand-in is fair only if it uses its turns as a sweep would: the whole time.
    job = HeadlessJob()
    start = time.perf_counter()
    job.train_chunk(CHUNK_S)
    assert time.perf_counter() - start >= CHUNK_S


class CountedJobs(set):
    """The Fleet's jobs, counting how often they are gone through."""

    passes = 0

    def __iter__(self):
        CountedJobs.passes += 1
        return super().__iter__()


def test_the_frame_time_counts_the_playing_tabs_only_after_a_change():
    """Every tab's every tick asks for the frame time: counting the playing tabs each
    time made a crowded process's frames a tenth dearer."""

    fleet = Fleet()
    made = [make_loop(fleet, speed=0) for _ in range(30)]
    fleet.jobs = CountedJobs(fleet.jobs)
    fleet.draw_s = 0.003
    for loop, _drawn, _flags in made:
        loop.state.playing = True
    before = CountedJobs.passes
    first = fleet.frame_s()
    assert all(fleet.frame_s() == first for _ in range(100))
    assert CountedJobs.passes == before + 1
    made[0][0].state.playing = False  # a pause counts again
    assert fleet.frame_s() < first
    loop, _drawn, flags = made[1]
    flags["away"] = True  # a tab that went away counts again at its next tick
    loop.tick()
    drawing_s = 28 * fleet.draw_s  # 30 tabs, one paused, one away
    expected = max(
        FRAME_S, min(drawing_s / DRAW_SHARE, SLOWEST_FRAME_S), drawing_s / MAX_DRAW_SHARE
    )
    assert fleet.frame_s() == pytest.approx(expected)
    assert CountedJobs.passes == before + 3
