"""The sweep (playground/sweep.py, ``playground sweep``): its axes, its cells, each cell
equal to the ``train`` command's run with the same settings, random draws from their
seed, and the sweep as a headless job of the Fleet."""

import json
import math

import numpy as np
import pytest

from playground.cli import main, train_curves
from playground.loop import Fleet, Job
from playground.model import RunConfig, start_run
from playground.sweep import (
    MAX_CELLS,
    Axis,
    SweepJob,
    best_index,
    cell_values,
    configure,
    parse_axis,
    run_cell,
)
from tests.test_fleet_jobs import make_loop, train_until_owed

SCENE = ["--dataset", "xor", "--seed", "0.25", "--hidden", "3"]


def test_a_grid_axis_and_a_range_are_read_with_their_setting_s_limits():
    assert parse_axis("learningRate=0.001, 0.01,0.1") == Axis("learningRate", (0.001, 0.01, 0.1))
    assert parse_axis("batchSize=1,10,30").values == (1, 10, 30)
    assert parse_axis("width=2,4") == Axis("width", (2, 4))
    ranged = parse_axis("learningRate=0.001:0.1")
    assert (ranged.low, ranged.high, ranged.logarithmic) == (0.001, 0.1, True)
    assert not parse_axis("batchSize=1:30").logarithmic


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("activation=relu", "expected KEY=VALUES"),
        ("learningRate", "expected KEY=VALUES"),
        ("learningRate=", "no values"),
        ("learningRate=abc", "'abc' is not a number"),
        ("learningRate=-1", "outside 0 to any"),
        ("learningRate=nan", "outside"),
        ("batchSize=0", "outside 1 to 30"),
        ("batchSize=2.5", "not a whole number"),
        ("width=9", "outside 1 to 8"),
        ("learningRate=0.1:0.01", "low end first"),
    ],
)
def test_a_bad_axis_says_what_is_wrong(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_axis(text)


def test_a_grid_has_every_pair_row_by_row():
    cells = cell_values(Axis("learningRate", (0.01, 0.1)), Axis("batchSize", (1, 10, 30)))
    assert [(c["learningRate"], c["batchSize"]) for c in cells] == [
        (0.01, 1), (0.1, 1), (0.01, 10), (0.1, 10), (0.01, 30), (0.1, 30),
    ]  # fmt: skip
    assert cell_values(Axis("noise", (0, 10))) == [{"noise": 0}, {"noise": 10}]
    with pytest.raises(ValueError, match=f"at most {MAX_CELLS}"):
        cell_values(Axis("noise", tuple(range(21))), Axis("noise", tuple(range(21))))


def test_random_draws_come_from_their_seed_within_their_ranges():
    x, y = parse_axis("learningRate=0.0001:1"), parse_axis("batchSize=1:30")
    cells = cell_values(x, y, count=200, seed=3)
    assert cells == cell_values(x, y, count=200, seed=3)
    assert cells != cell_values(x, y, count=200, seed=4)
    rates = np.array([c["learningRate"] for c in cells])
    batches = [c["batchSize"] for c in cells]
    assert rates.min() >= 0.0001
    assert rates.max() <= 1
    # Log-uniform: about as many draws in each decade.
    per_decade = np.histogram(np.log10(rates), bins=4, range=(-4, 0))[0]
    assert per_decade.min() > 25, per_decade
    assert all(isinstance(b, int) and 1 <= b <= 30 for b in batches)
    assert {1, 30} <= set(batches)  # both ends can be drawn


def test_width_and_depth_reshape_the_hidden_layers():
    base = RunConfig(network_shape=(4, 2))
    assert configure(base, {"width": 6}).network_shape == (6, 6)
    assert configure(base, {"depth": 3}).network_shape == (4, 4, 4)
    assert configure(base, {"width": 2, "depth": 1}).network_shape == (2,)
    changed = configure(base, {"learningRate": 0.1, "regularizationRate": 0.01})
    assert (changed.learning_rate, changed.regularization_rate) == (0.1, 0.01)


def test_each_cell_is_the_train_run_with_the_same_settings(capsys):
    args = ["--x", "learningRate=0.01,0.3", "--y", "batchSize=1,10", "--epochs", "15"]
    assert main(["sweep", *SCENE, *args, "--json"]) == 0
    swept = json.loads(capsys.readouterr().out)
    assert len(swept["cells"]) == 4
    for cell in swept["cells"]:
        flags = [
            "--learning-rate",
            str(cell["learningRate"]),
            "--batch-size",
            str(cell["batchSize"]),
        ]
        assert main(["train", *SCENE, *flags, "--epochs", "15", "--json"]) == 0
        curves = json.loads(capsys.readouterr().out)
        for name, values in curves.items():
            assert cell[name] == values[-1], (cell, name)  # exactly, not nearly
    losses = [cell["test_loss"] for cell in swept["cells"]]
    assert swept["best"] == losses.index(min(losses))
    assert len(set(losses)) == 4  # the settings did change the runs


def test_a_cell_ends_where_the_train_command_s_curves_end():
    config = RunConfig(dataset="circle", seed="x", network_shape=(4,), learning_rate=0.1)
    curves = train_curves(start_run(config)[2], 12)
    assert run_cell(config, 12) == {name: values[-1] for name, values in curves.items()}


def test_the_best_cell_skips_runs_that_diverged():
    results = [{"test_loss": math.nan}, {"test_loss": 0.4}, {"test_loss": 0.2}]
    assert best_index(results) == 2
    assert best_index([{"test_loss": math.nan}]) is None
    assert best_index([{"test_accuracy": 0.5}, {"test_accuracy": 0.9}], "test_accuracy") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--x", "learningRate=0.01:0.1"], "a range needs --random N"),
        (["--x", "learningRate=0.01,0.1", "--random", "3"], "give each axis as low:high"),
        (["--x", "noise=0,1", "--y", "noise=2,3"], "must be different settings"),
        (["--x", "learningRate=0.01", "--epochs", "-1"], "--epochs must be 0 or more"),
    ],
)
def test_bad_sweeps_exit_with_a_message(args, message, capsys):
    assert main(["sweep", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_axis_on_the_command_line_is_argparse_s_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", "--x", "batchSize=0"])
    assert exit_.value.code == 2
    assert "outside 1 to 30" in capsys.readouterr().err


# -- the sweep in the Fleet --------------------------------------------------------------


def small_sweep(epochs: int = 40, on_cell=None) -> SweepJob:
    cells = cell_values(Axis("learningRate", (0.03, 0.3)))
    return SweepJob(RunConfig(dataset="xor", seed="j"), cells, epochs, on_cell)


def test_a_sweep_is_a_headless_job_whose_cells_arrive_in_order():
    seen = []
    job = small_sweep(on_cell=lambda i, values, figures: seen.append((i, values, figures)))
    assert isinstance(job, Job)
    assert not job.draws
    fleet = Fleet()
    fleet.join(job)
    while fleet.train_chunk():
        pass
    assert job.done
    assert not job.playing
    assert [i for i, _, _ in seen] == [0, 1]
    config = RunConfig(dataset="xor", seed="j", learning_rate=0.3)
    assert seen[1][2] == run_cell(config, 40)  # the same run as the command's
    assert job.results[1] == {"learningRate": 0.3, **seen[1][2]}


def test_a_stopped_sweep_stops_training():
    job = small_sweep(epochs=10_000)
    job.train_chunk(0.01)
    job.stop()
    assert not job.wants_training
    assert job.results == []


def test_a_tab_gets_every_frame_beside_a_sweep():
    fleet = Fleet()
    job = small_sweep(epochs=100_000)
    fleet.join(job)
    loop, drawn, _ = make_loop(fleet, speed=1)
    loop.state.playing = True
    for _ in range(20):
        loop.tick()
        train_until_owed(fleet)
        fleet.train_chunk()
    assert len(drawn) >= 19
    assert job._epoch > 0 or job.results  # and the sweep trained meanwhile
