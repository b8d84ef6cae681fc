"""The sweep lab (/sweep) without a browser: its state's runs and links, and its view,
which runs the sweep here and now when no server is there (a server's Fleet trains it
in turns: tests/e2e/test_sweep_lab.py)."""

import re

import numpy as np
import pytest

from playground.labs.home.pictures import run_config
from playground.labs.scene import LabScene
from playground.labs.sweep.state import NO_AXIS, SweepState
from playground.labs.sweep.view import SweepView
from playground.sweep import best_index, configure, run_cell

SMALL = {"xValues": "0.03,0.3", "yValues": "10,30", "epochs": 20, "scene": "dataset=xor"}


# The view finds the process's fleet by the current event loop, as in a server.
pytestmark = pytest.mark.usefixtures("current_event_loop")


def view_of(state: SweepState) -> SweepView:
    return SweepView(state, LabScene({}, frozenset(), []), doc=None)


def test_a_cell_s_link_opens_the_same_run_in_the_playground():
    state = SweepState(**{**SMALL, "x": "depth", "xValues": "1,3", "y": "width", "yValues": "2,5"})
    base = state.base()
    for values in state.cells():
        link = state.cell_link(values)
        assert link.startswith("app?")
        opened, _ = run_config(link.removeprefix("app?"))
        assert dict(opened) == dict(configure(base, values))
        assert run_cell(opened, 5) == run_cell(configure(base, values), 5)
    assert "networkShape=5%2C5%2C5" in state.cell_link({"depth": 3, "width": 5})


def test_the_view_fills_the_map_marks_the_best_and_lists_every_run():
    state = SweepState(**SMALL)
    view = view_of(state)
    view.run()
    results = view.job.results
    assert len(results) == 4
    data = view.source.data
    assert sorted(zip(data["x"], data["y"], strict=True)) == sorted(
        [("0.03", "10"), ("0.3", "10"), ("0.03", "30"), ("0.3", "30")]
    )
    losses = [r["test_loss"] for r in results]
    assert np.allclose(data["value"], losses)
    best = best_index(results)
    assert view.best.data == {"x": [data["x"][best]], "y": [data["y"][best]]}
    assert "4 of 4 runs" in view.readout.object
    assert view.table.object.count("Open in the playground") == 4
    assert view.table.object.count("class=best") == 1
    assert not view.run_button.disabled  # done: it may run again


def test_a_sweep_over_one_setting_is_one_row():
    state = SweepState(**{**SMALL, "y": NO_AXIS})
    view = view_of(state)
    view.run()
    assert len(view.job.results) == 2
    assert set(view.source.data["y"]) == {"runs"}


def test_random_draws_are_points_at_their_values():
    state = SweepState(
        **{**SMALL, "xValues": "0.01:1", "yValues": "1:30", "random": 5, "randomSeed": 2}
    )
    view = view_of(state)
    view.run()
    xs = view.source.data["x"]
    assert len(xs) == 5
    assert all(0.01 <= x <= 1 for x in xs)
    assert xs == [c["learningRate"] for c in state.cells()]  # the draws of the seed


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"xValues": "0.1,abc"}, "'abc' is not a number"),
        ({"y": "learningRate"}, "must be different settings"),
        ({"xValues": "0.01:0.1"}, "a range is for random draws"),
        ({"random": 3}, "random draws need each axis as a range"),
        ({"yValues": "0"}, "outside 1 to 30"),
    ],
)
def test_bad_axes_say_why_and_run_nothing(settings, problem):
    view = view_of(SweepState(**{**SMALL, **settings}))
    view.run()
    assert view.job is None
    assert "Cannot run" in view.readout.object
    assert problem in re.sub("&#x27;", "'", view.readout.object)


def test_a_change_stops_a_running_sweep():
    state = SweepState(**SMALL)
    view = view_of(state)
    view.run()
    job = view.job
    job.stopped = False  # as if it were still running
    state.epochs = 30
    assert view.job is None
    assert job.stopped
