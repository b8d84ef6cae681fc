"""Long lab work off the event loop: the worker process, and a tab's one job at a time.

Real worker processes (``python -m playground.labs.worker``), driven from an event loop
of the test's own, as the server's loop drives them."""

import asyncio
import subprocess
import sys

import numpy as np
import pytest

from playground.labs import offload, worker
from playground.labs.hopfield.model import capacity_curves
from playground.labs.offload import TabJob
from playground.labs.optimizers.state import OptimizerLabState
from playground.labs.optimizers.view import OptimizerLabView
from playground.labs.overfitting import averages
from playground.labs.overfitting.polyfit import mean_error_curves
from playground.labs.overfitting.state import OverfittingState
from playground.labs.overfitting.view import OverfittingView
from playground.labs.perceptron import model as perceptron_model
from playground.labs.perceptron import state as perceptron_state
from playground.labs.perceptron.state import PerceptronState
from playground.labs.perceptron.view import COMPUTING, PerceptronView
from playground.labs.scene import LabScene
from playground.labs.worker import Worker, WorkerError, Workers

QUICK = {"n": 64, "trials": 1, "sweeps": 4, "seed": 3}
LONG = {"n": 600, "trials": 20, "sweeps": 40, "seed": 3}  # tens of seconds: cancelled first


@pytest.fixture
def started(monkeypatch) -> list[Worker]:
    """Every worker started during the test; each is ended afterwards."""
    workers = []
    original = Worker.start

    async def start():
        workers.append(await original())
        return workers[-1]

    monkeypatch.setattr(Worker, "start", start)
    yield workers
    for each in workers:
        if each.process.returncode is None:
            each.process.kill()


@pytest.fixture
def fresh_lab_workers(monkeypatch) -> Workers:
    """The process's lab workers, fresh for the test (Panel's process cache); the test
    closes them in its event loop."""
    workers = Workers(limit=1)
    monkeypatch.setattr(offload, "lab_workers", lambda: workers)
    return workers


async def exited(process: asyncio.subprocess.Process, timeout_s: float = 10) -> int:
    return await asyncio.wait_for(process.wait(), timeout_s)


def test_a_job_runs_in_a_worker_and_gives_what_it_gives_here(started):
    async def main():
        workers = Workers()
        first = await workers.run("capacity", **QUICK)
        again = await workers.run("capacity", **QUICK)
        await workers.close()
        await exited(started[0].process)
        return first, again

    first, again = asyncio.run(main())
    expected = capacity_curves(**QUICK)
    for got in (first, again):
        np.testing.assert_array_equal(got.overlap_by_alpha, expected.overlap_by_alpha)
        np.testing.assert_array_equal(got.overlap_by_temperature, expected.overlap_by_temperature)
    assert len(started) == 1  # the worker stays for the next job


def test_a_failing_job_says_why_and_the_worker_goes_on(started):
    async def main():
        workers = Workers()
        with pytest.raises(WorkerError, match="ValueError"):
            await workers.run("capacity", n=-1)
        result = await workers.run("capacity", **QUICK)
        await workers.close()
        return result

    assert asyncio.run(main()).n == QUICK["n"]
    assert len(started) == 1
    with pytest.raises(KeyError, match="no job named"):
        asyncio.run(Workers().run("rm -rf"))


def test_a_cancelled_job_ends_its_worker(started):
    async def main():
        workers = Workers()
        task = asyncio.ensure_future(workers.run("capacity", **LONG))
        while not started:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # the job has begun
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        code = await exited(started[0].process)
        assert (workers.started, workers.idle) == (0, [])
        result = await workers.run("capacity", **QUICK)  # a new worker for the next job
        await workers.close()
        return code, result

    code, result = asyncio.run(main())
    assert code != 0  # killed, not finished
    assert result.n == QUICK["n"]
    assert len(started) == 2


def test_jobs_beyond_the_limit_wait_their_turn(started):
    async def main():
        workers = Workers(limit=1)
        results = await asyncio.gather(*(workers.run("capacity", **QUICK) for _ in range(3)))
        await workers.close()
        return results

    assert len(asyncio.run(main())) == 3
    assert len(started) == 1


def test_a_warmed_worker_takes_the_first_job(started):
    async def main():
        workers = Workers()
        workers.warm()
        workers.warm()  # one is enough
        result = await workers.run("capacity", **QUICK)  # before or after it is ready
        await workers.close()
        return result

    assert asyncio.run(main()).n == QUICK["n"]
    assert len(started) == 1


def test_where_no_process_can_start_jobs_run_in_a_thread(monkeypatch, caplog):
    async def cannot_start():
        raise NotImplementedError  # as asyncio's selector loop on Windows

    monkeypatch.setattr(Worker, "start", cannot_start)

    async def main():
        workers = Workers()
        workers.warm()
        return [await workers.run("capacity", **QUICK) for _ in range(2)]

    results = asyncio.run(main())
    expected = capacity_curves(**QUICK)
    for got in results:
        np.testing.assert_array_equal(got.overlap_by_alpha, expected.overlap_by_alpha)
    assert [r.message for r in caplog.records].count(
        "no worker process could be started (NotImplementedError()); lab jobs run in a "
        "thread instead"
    ) == 1


def test_a_worker_exits_when_its_server_is_gone():
    """The server's end of the pipe closes when it exits, however it died."""
    process = subprocess.Popen(
        [sys.executable, "-m", "playground.labs.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    process.stdin.close()
    assert process.wait(timeout=30) == 0
    process.stdout.close()


def test_the_worker_imports_no_ui_library():
    code = (
        "import sys, playground.labs.worker as w\n"
        "w.call_job('capacity', {'n': 16, 'trials': 1, 'sweeps': 2, 'seed': 0})\n"
        f"w.call_job('race', {OptimizerLabState().race_arguments()!r})\n"
        f"w.call_job('overfitting_mean', {OverfittingState(draws=3).mean_arguments()!r})\n"
        f"w.call_job('perceptron', {PerceptronState().run_arguments()!r})\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'panel', 'bokeh', 'param'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert set(worker.JOBS) == {"capacity", "race", "overfitting_mean", "perceptron"}


# -- a tab's job -------------------------------------------------------------------------


def test_a_tab_runs_one_job_at_a_time(fresh_lab_workers, started):
    results, failures = [], []

    async def main():
        job = TabJob()
        assert job.start("capacity", QUICK, results.append, lambda: failures.append(1))
        for _ in range(19):  # the other clicks of a burst: nothing more
            assert not job.start("capacity", QUICK, results.append, lambda: failures.append(1))
        assert job.running
        while job.running:
            await asyncio.sleep(0.02)
        assert job.start("capacity", {**QUICK, "n": -1}, results.append, lambda: failures.append(1))
        while job.running:
            await asyncio.sleep(0.02)
        await fresh_lab_workers.close()

    asyncio.run(main())
    assert [r.n for r in results] == [QUICK["n"]]
    assert failures == [1]
    assert len(started) == 1


def test_a_closed_tab_s_job_is_cancelled_and_nothing_is_applied(fresh_lab_workers, started):
    results = []

    async def main():
        job = TabJob()
        job.start("capacity", LONG, results.append, lambda: results.append("failed"))
        while not started:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        job.end(None)  # the session was destroyed
        code = await exited(started[0].process)
        assert not job.start("capacity", QUICK, results.append, lambda: None)  # ended for good
        return code

    assert asyncio.run(main()) != 0
    assert results == []


# -- the optimizer race, computed in the worker ------------------------------------------


class ServedDocument:
    """What a served tab's document does for the view: callbacks on the next turn of
    the loop (and no Bokeh session to look into: its socket counts as free)."""

    def add_next_tick_callback(self, callback) -> None:
        asyncio.get_running_loop().call_soon(callback)

    def add_timeout_callback(self, callback, milliseconds) -> None:
        asyncio.get_running_loop().call_later(milliseconds / 1000, callback)


def test_a_served_race_is_computed_in_the_worker_once_per_burst_of_changes(
    fresh_lab_workers, started, monkeypatch
):
    jobs = []
    run = fresh_lab_workers.run

    async def counted(job, **kwargs):
        jobs.append((job, kwargs["steps"]))
        return await run(job, **kwargs)

    monkeypatch.setattr(fresh_lab_workers, "run", counted)

    async def main():
        state = OptimizerLabState(steps=100)
        view = OptimizerLabView(state, ServedDocument())
        assert view.race.racers[0]["steps"] == 100  # the page's first race: with it
        for steps in range(101, 121):  # a burst: one race now, one for the latest after
            state.steps = steps
        while view.job.running or view.race.racers[0]["steps"] != 120:
            await asyncio.sleep(0.02)
        await fresh_lab_workers.close()
        return view

    view = asyncio.run(main())
    assert jobs == [("race", 101), ("race", 120)]
    assert view.race.racers[0]["count"] == 121
    assert len(started) == 1


# -- the overfitting lab's mean and the perceptron's run, computed in the worker -------


def counted_calls(monkeypatch, module, name: str) -> list:
    """Every call of ``module.name`` in this (the server's) process."""
    calls, original = [], getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


async def ticks_until(done, period_s: float = 0.005) -> int:
    """Turns of a periodic tick on the loop until ``done()``: a loop held by a long
    computation counts one turn for all of it."""
    ticks = 0
    while not done():
        await asyncio.sleep(period_s)
        ticks += 1
    return ticks


def test_a_served_overfitting_page_averages_in_the_worker(fresh_lab_workers, started, monkeypatch):
    computed_here = counted_calls(monkeypatch, averages, "mean_error_curves")
    settings = {"draws": 200, "points": 100, "testPoints": 1000}  # ~0.13 s of a core

    async def main():
        state = OverfittingState(**settings)
        view = OverfittingView(state, LabScene({}, frozenset(), []), ServedDocument())
        assert view.error_figure.title.text.endswith("(mean of 200 draws)")  # the first: here
        state.seed = 21  # returns at once: the chart shows this draw's errors, and says so
        assert "being computed" in view.error_figure.title.text
        assert "being computed" in view.readout.object
        ticks = await ticks_until(lambda: "being computed" not in view.error_figure.title.text)
        await fresh_lab_workers.close()
        return state, view, ticks

    state, view, ticks = asyncio.run(main())
    assert view.error_figure.title.text.endswith("(mean of 200 draws)")
    assert computed_here == [1]  # the page's first picture only
    assert ticks >= 5, ticks  # the loop went on turning while the worker computed
    expected = mean_error_curves(**state.mean_arguments())
    np.testing.assert_array_equal(view.error_sources["test"].data["mse"], expected.test_mse)
    np.testing.assert_array_equal(view.error_sources["train"].data["mse"], expected.train_mse)


def test_a_served_perceptron_page_runs_the_rule_in_the_worker(
    fresh_lab_workers, started, monkeypatch
):
    computed_here = counted_calls(monkeypatch, perceptron_state, "train_perceptron")

    async def main():
        state = PerceptronState()
        view = PerceptronView(state, ServedDocument())
        await ticks_until(lambda: state.ready)  # the page's first run, from the worker
        state.param.update(dataset="xor", points=500)  # ~0.2 s of a core
        assert view.readout.object == COMPUTING
        view.step()  # waits for the run
        assert state.shown == 0
        ticks = await ticks_until(lambda: state.ready)
        view.step()
        await fresh_lab_workers.close()
        return state, view, ticks

    state, view, ticks = asyncio.run(main())
    assert computed_here == []
    assert ticks >= 5, ticks
    assert state.shown == 1
    assert "Update 1 of" in view.readout.object
    X, y, result = state.run()  # the worker's, kept
    X0, y0, direct = perceptron_model.run(**state.run_arguments())
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(result.weights, direct.weights)
    assert len(result.updates) == len(direct.updates) > 0
    for got, want in zip(result.updates, direct.updates, strict=True):
        assert (got.epoch, got.index) == (want.epoch, want.index)
        np.testing.assert_array_equal(got.weights, want.weights)
    assert (result.mistakes, result.converged) == (direct.mistakes, direct.converged)
