"""The one layer loop: training, dropout, the losses, ``predict`` and the grid all run
through it, in TRAIN or EVAL mode, and the untrained state it reads (a normalization's)
travels with the network: early stopping's record and a stored run's layers carry it.

The fixture normalization keeps a running mean of each hidden node's pre-activation and
subtracts it: a TRAIN pass updates the mean from its batch first, an EVAL pass only
reads it. Were any pass to run its own loop, that pass would not see it.
"""

import json

import numpy as np
import pytest

from playground import reference
from playground.cli import main
from playground.engine import (
    EVAL,
    NORMALIZATIONS,
    TRAIN,
    Dropout,
    GridEvaluator,
    Network,
    Normalization,
    Trainer,
    Workspace,
    feature_matrix,
    grid_points,
)
from tests.test_gradients import _away_from_kinks, numerical_grad

FEATURES = ["x", "y", "xTimesY"]
MOMENTUM = 0.9


class RunningMean:
    """Subtracts each node's running mean; trains nothing, so backprop passes through."""

    def __init__(self, trained: np.ndarray, state: np.ndarray) -> None:
        self.state = state

    def forward(self, z: np.ndarray, mode: str) -> None:
        if mode == TRAIN:
            np.multiply(self.state, MOMENTUM, out=self.state)
            self.state += (1 - MOMENTUM) * z.mean(axis=0)
        np.subtract(z, self.state.astype(z.dtype), out=z)

    def backward(self, delta: np.ndarray, grad: np.ndarray, fresh: bool) -> None:
        pass


@pytest.fixture
def running_mean(monkeypatch: pytest.MonkeyPatch) -> str:
    entry = Normalization("Running mean", RunningMean, state_start=np.zeros)
    monkeypatch.setitem(NORMALIZATIONS, "runningMean", entry)
    return "runningMean"


def data(seed: int, n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    points = rng.uniform(-5, 5, (n, 2))
    return points, np.sign(points[:, 0] * points[:, 1])


def normalized_trainer(norm: str, seed: int = 1, **settings) -> Trainer:
    net = Network.create([3, 4, 3, 1], np.random.default_rng(seed).random, normalization=norm)
    points, labels = data(seed)
    return Trainer(
        net, FEATURES, (points[:30], labels[:30]), (points[30:], labels[30:]), **settings
    )


def by_hand(net: Network, X_aug: np.ndarray) -> np.ndarray:
    """The EVAL forward pass written out: affine, minus the running mean, activation."""
    a = X_aug
    for k, (layer, act, state) in enumerate(
        zip(net.layers, net.activations, net.state_views(), strict=True)
    ):
        z = a @ layer
        if k < len(net.layers) - 1:
            z = z - state
        a = np.column_stack([act.fn(z), np.ones(len(z))])
    return a[:, :-1]


def test_no_normalization_keeps_no_state():
    net = Network.create([2, 4, 2, 1], np.random.default_rng(0).random)
    assert net.normalization == "none"
    assert net.state.size == 0
    assert [view.size for view in net.state_views()] == [0, 0, 0]


def test_state_is_laid_out_hidden_layer_by_hidden_layer(running_mean):
    net = Network([3, 4, 3, 1], normalization=running_mean)
    assert net.state.size == 4 + 3
    views = net.state_views()
    assert [view.size for view in views] == [4, 3, 0]
    views[1][:] = 7.0
    np.testing.assert_array_equal(net.state, [0, 0, 0, 0, 7, 7, 7])
    with pytest.raises(ValueError, match="keeps 4"):
        net.set_state([[1.0, 2.0], [0.0] * 3, []])


def test_a_training_pass_updates_the_state_and_evaluation_only_reads_it(running_mean):
    trainer = normalized_trainer(running_mean)
    net = trainer.net
    assert not net.state.any()
    trainer.run(3)
    assert net.state.any()  # the training passes updated it, batch after batch
    trained = net.state.copy()
    X = feature_matrix(FEATURES, data(1)[0])
    trainer.update_losses()
    net.predict(X)
    net.loss_and_grads(X, data(1)[1])
    GridEvaluator(FEATURES, net.sizes).evaluate(net)
    np.testing.assert_array_equal(net.state, trained)  # EVAL passes left it alone
    np.testing.assert_allclose(net.predict(X), by_hand(net, X), rtol=1e-12)


def test_every_pass_sees_the_state(running_mean):
    """predict, the losses and the grid all subtract the running means; with the state at
    zero they match a network without normalization."""
    trainer = normalized_trainer(running_mean)
    plain = Network.from_matrices(
        [layer[:-1].T for layer in trainer.net.layers], [layer[-1] for layer in trainer.net.layers]
    )
    X = feature_matrix(FEATURES, grid_points(20))
    np.testing.assert_array_equal(trainer.net.predict(X), plain.predict(X))
    trainer.net.state[:] = np.linspace(-0.5, 0.5, trainer.net.state.size)
    net = trainer.net
    moved = net.predict(X)
    assert not np.allclose(moved, plain.predict(X))
    np.testing.assert_allclose(moved, by_hand(net, X), rtol=1e-12)
    maps = GridEvaluator(FEATURES, net.sizes, size=20).evaluate(net)
    np.testing.assert_allclose(maps[-1].reshape(-1), moved[:, 0], rtol=1e-4, atol=1e-5)
    before = trainer.test_loss
    trainer.update_losses()
    assert trainer.test_loss != before


def test_backprop_with_state_matches_finite_differences(running_mean):
    rng = np.random.default_rng(3)
    net = Network.create([3, 5, 4, 1], rng.random, normalization=running_mean)
    net.params[:] = _away_from_kinks(rng, net.params.size) * 0.7
    net.state[:] = rng.normal(size=net.state.size)
    points, labels = data(3, 8)
    X = feature_matrix(FEATURES, points)
    _, grads = net.loss_and_grads(X, labels)
    numeric = numerical_grad(lambda: net.loss_and_grads(X, labels)[0], net.params)
    np.testing.assert_allclose(grads, numeric, rtol=1e-5, atol=1e-8)


def test_early_stopping_restores_the_state_of_the_best_epoch(running_mean):
    rng = np.random.default_rng(12)
    points = rng.uniform(-5, 5, (40, 2))
    labels = np.sign(points[:, 0])
    noisy = np.where(rng.random(40) < 0.3, -labels, labels)  # the test loss turns up
    net = Network.create([3, 4, 1], np.random.default_rng(13).random, normalization=running_mean)
    trainer = Trainer(
        net, FEATURES, (points, labels), (points, noisy), learning_rate=0.01, patience=3
    )
    states = {0: net.state.copy()}
    while not trainer.stopped_early:
        trainer.epoch()
        states[trainer.epoch_count] = net.state.copy()
    best = trainer.best_epoch
    assert best is not None
    assert 0 < best < trainer.epoch_count
    assert not np.array_equal(states[best], net.state)
    assert trainer.restore_best()
    np.testing.assert_array_equal(net.state, states[best])


def test_a_dropout_workspace_drops_nothing_in_eval_mode():
    net = Network.create([3, 5, 4, 1], np.random.default_rng(4).random)
    X = feature_matrix(FEATURES, data(4, 12)[0])
    rng = np.random.default_rng(5)
    work = Workspace(net, 12, Dropout(rng, 0.4))
    draws = rng.bit_generator.state
    np.testing.assert_array_equal(work.forward(X, EVAL), net.predict(X))
    assert rng.bit_generator.state == draws  # no mask was drawn
    assert not np.array_equal(work.forward(X, TRAIN), net.predict(X))
    assert rng.bit_generator.state != draws


def stored_run(trainer: Trainer, norm: str, epochs: int) -> dict:
    """A run in the reference format whose layers carry the network's state."""
    net, (points, labels) = trainer.net, data(1)
    layers = [
        {"W": layer[:-1].T.tolist(), "b": layer[-1].tolist(), "state": state.tolist()}
        for layer, state in zip(net.layers, net.state_views(), strict=True)
    ]
    rows = np.column_stack([points, labels]).tolist()
    config = {
        "problem": "classification",
        "activation": "tanh",
        "batchSize": 10,
        "learningRate": 0.03,
        "hidden_layers": list(net.sizes[1:-1]),
        "features": FEATURES,
        "epochs": epochs,
        "normalization": norm,
    }
    return {
        "format": "tfp-reference/v1",
        "config": config,
        "train_points": rows[:30],
        "test_points": rows[30:],
        "initial_network": {"layers": layers},
    }


def test_replay_starts_from_the_stored_state(running_mean, tmp_path, capsys):
    trainer = normalized_trainer(running_mean)
    trainer.run(4)  # a state that is not zero, as a stored run's may be
    ref = stored_run(trainer, running_mean, epochs=6)
    path = tmp_path / "run.json"
    path.write_text(json.dumps(ref))
    loaded = reference.initial_network(reference.load(path), reference.run_config(ref))
    np.testing.assert_array_equal(loaded.state, trainer.net.state)
    np.testing.assert_array_equal(loaded.params, trainer.net.params)
    expected = [trainer.test_loss]
    for _ in range(6):
        trainer.epoch()
        expected.append(trainer.test_loss)
    assert main(["replay", str(path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    np.testing.assert_allclose(printed["test_loss"], expected, rtol=1e-12)


def test_replay_refuses_a_state_the_network_has_no_room_for(running_mean, tmp_path, capsys):
    ref = stored_run(normalized_trainer(running_mean), running_mean, epochs=1)
    ref["config"]["normalization"] = "none"
    path = tmp_path / "run.json"
    path.write_text(json.dumps(ref))
    assert main(["replay", str(path)]) == 2
    assert "keeps 0" in capsys.readouterr().err
    ref["config"]["normalization"] = "layerNorm"
    path.write_text(json.dumps(ref))
    assert main(["replay", str(path)]) == 2
    assert "unknown normalization 'layerNorm'" in capsys.readouterr().err
