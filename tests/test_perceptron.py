"""The perceptron rule (engine/perceptron.py) and its lab's data and command: the
updates against the rule written out here, convergence on a separable set within the
theorem's bound, none on XOR."""

import json

import numpy as np
import pytest

from playground.cli import main
from playground.engine.perceptron import predict, train_perceptron
from playground.labs.perceptron.model import MARGIN, perceptron_data, run


def rule_written_out(X, y, rate, epochs):
    """w ← w + η (y - ŷ) x, one example at a time, ŷ = +1 when w·x + b ≥ 0, else -1."""
    w1 = w2 = b = 0.0
    history, ends = [], []
    for _ in range(epochs):
        wrong = 0
        for (x1, x2), target in zip(X.tolist(), y.tolist(), strict=True):
            output = 1.0 if w1 * x1 + w2 * x2 + b >= 0 else -1.0
            step = rate * (target - output)
            if step:
                w1, w2, b = w1 + step * x1, w2 + step * x2, b + step
                wrong += 1
                history.append((w1, w2, b))
        ends.append((w1, w2, b))
        if not wrong:
            break
    return history, ends


@pytest.mark.parametrize("dataset", ["line", "xor", "circle"])
def test_the_updates_are_the_rule_s(dataset):
    X, y = perceptron_data(dataset, 60, seed=4)
    result = train_perceptron(X, y, 0.25, 30)
    history, ends = rule_written_out(X, y, 0.25, 30)
    # The same operations in the same order: equal to the last bit.
    assert np.array_equal([u.weights for u in result.updates], history)
    assert np.array_equal(result.weights, ends)
    assert len(history) > 3
    for update in result.updates:  # each update's example was wrong before it
        assert 0 <= update.index < len(y)


@pytest.mark.parametrize("seed", range(6))
def test_on_a_separable_set_it_stops_within_the_theorem_s_bound(seed):
    X, y = perceptron_data("line", 100, seed)
    result = train_perceptron(X, y, 0.1, 1000)
    assert result.converged
    assert result.mistakes[-1] == 0
    assert (predict(result.weights[-1], X) == y).all()  # every point right
    # Novikoff: at most (R / γ)² updates, R the largest input (with its 1), γ the
    # margin of a separating line of unit normal in that space (the one that drew them).
    rng = np.random.default_rng(seed)
    angle, offset = rng.uniform(0, np.pi), rng.uniform(-2, 2)
    teacher = np.array([np.cos(angle), np.sin(angle), -offset])
    inputs = np.hstack([X, np.ones((len(X), 1))])
    gamma = (y * (inputs @ teacher)).min() / np.linalg.norm(teacher)
    assert gamma >= MARGIN / np.linalg.norm(teacher) - 1e-12
    radius = np.linalg.norm(inputs, axis=1).max()
    assert len(result.updates) <= (radius / gamma) ** 2


def test_on_xor_it_never_stops():
    X, y = perceptron_data("xor", 100, seed=2)
    result = train_perceptron(X, y, 0.1, 200)
    assert not result.converged
    assert len(result.mistakes) == 200
    assert min(result.mistakes) > 0  # not one epoch without a mistake


def test_the_data_come_from_their_seed():
    first, again = perceptron_data("line", 30, 7), perceptron_data("line", 30, 7)
    assert np.array_equal(first[0], again[0])
    assert not np.array_equal(first[0], perceptron_data("line", 30, 8)[0])
    assert set(np.unique(first[1])) == {-1.0, 1.0}
    assert np.abs(first[0]).max() <= 5


def test_the_command_prints_a_row_per_epoch(capsys):
    assert main(["perceptron", "--dataset", "line", "--seed", "3", "--epochs", "50", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    _, _, result = run("line", 40, 3, 0.1, 50)
    assert printed["weights"] == result.weights.tolist()
    assert printed["mistakes"] == result.mistakes
    assert printed["converged"] is True
    assert printed["mistakes"][-1] == 0
    assert len(printed["weights"]) == len(printed["mistakes"]) < 50
    assert main(["perceptron", "--dataset", "xor", "--epochs", "5", "--json"]) == 0
    xor = json.loads(capsys.readouterr().out)
    assert len(xor["weights"]) == 5
    assert xor["converged"] is False


@pytest.mark.parametrize(
    "args", [["--dataset", "moons"], ["--epochs", "0"], ["--rate", "-1"], ["--points", "x"]]
)
def test_bad_arguments_exit_with_argparse_s_message(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["perceptron", *args])
    assert exit_.value.code == 2
    assert "error:" in capsys.readouterr().err
