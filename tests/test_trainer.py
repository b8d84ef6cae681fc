"""The classic trainer's semantics, against a literal per-example transcription."""

import math

import numpy as np
import pytest

from playground.engine import (
    FEATURES,
    REGULARIZERS,
    Network,
    Trainer,
    Workspace,
    batch_segments,
)

NAIVE_ACTIVATIONS = {
    "tanh": (math.tanh, lambda z: 1 - math.tanh(z) ** 2),
    "sigmoid": (
        lambda z: 1 / (1 + math.exp(-z)),
        lambda z: (1 / (1 + math.exp(-z))) * (1 - 1 / (1 + math.exp(-z))),
    ),
    "relu": (lambda z: max(0.0, z), lambda z: 0.0 if z <= 0 else 1.0),
    "linear": (lambda z: z, lambda z: 1.0),
}
NAIVE_REG_DER = {
    "none": lambda w: 0.0,
    "L1": lambda w: float(w > 0) - float(w < 0),
    "L2": lambda w: w,
}


def naive_train(W, b, dead, rows, labels, acts, epochs, batch, lr, reg, rate):
    """TensorFlow Playground's loop, one example and one link at a time (README steps 1-5)."""
    accW = [[[0.0] * len(row) for row in layer] for layer in W]
    accB = [[0.0] * len(layer) for layer in b]
    count = 0
    for _ in range(epochs):
        for i, (x, label) in enumerate(zip(rows, labels, strict=True)):
            outs, zs = [list(x)], []
            for k, layer in enumerate(W):
                z = [
                    b[k][n] + sum(w * a for w, a in zip(row, outs[-1], strict=True))
                    for n, row in enumerate(layer)
                ]
                zs.append(z)
                outs.append([acts[k][0](v) for v in z])
            out_der = [outs[-1][0] - label]
            for k in range(len(W) - 1, -1, -1):
                delta = [d * acts[k][1](z) for d, z in zip(out_der, zs[k], strict=True)]
                for n, row in enumerate(W[k]):
                    accB[k][n] += delta[n]
                    for j in range(len(row)):
                        if not dead[k][n][j]:
                            accW[k][n][j] += delta[n] * outs[k][j]
                out_der = [
                    sum(W[k][n][j] * delta[n] for n in range(len(W[k])))
                    for j in range(len(outs[k]))
                ]
            count += 1
            if (i + 1) % batch == 0:
                for k, layer in enumerate(W):
                    for n, row in enumerate(layer):
                        b[k][n] -= lr * accB[k][n] / count
                        accB[k][n] = 0.0
                        for j, w in enumerate(row):
                            if dead[k][n][j]:
                                continue
                            w1 = w - (lr / count) * accW[k][n][j]
                            w2 = w1 - (lr * rate) * NAIVE_REG_DER[reg](w)
                            if reg == "L1" and w1 * w2 < 0:
                                row[j], dead[k][n][j] = 0.0, True
                            else:
                                row[j] = w2
                            accW[k][n][j] = 0.0
                count = 0
    return W, b, dead


CASES = [
    # features, hidden, activation, reg, rate, batch, n_train
    (["x", "y"], [4, 2], "tanh", "none", 0.0, 10, 30),
    (["x", "y", "xTimesY"], [3], "relu", "L1", 0.03, 1, 20),
    (["x", "xSquared", "sinY"], [3, 3], "sigmoid", "L2", 0.1, 7, 23),  # leftovers carry over
    (["x", "y"], [2], "linear", "L1", 0.3, 4, 18),
    (["ySquared", "sinX"], [], "tanh", "L2", 0.01, 30, 25),  # batch > N: never updates
    (["x", "y"], [5], "tanh", "L1", 1.0, 3, 10),  # strong L1 kills links
]


@pytest.mark.parametrize(("features", "hidden", "activation", "reg", "rate", "batch", "n"), CASES)
def test_trainer_matches_literal_transcription(features, hidden, activation, reg, rate, batch, n):
    rng = np.random.default_rng(len(features) * 10 + batch)
    points = rng.uniform(-5, 5, (n + 5, 2))
    labels = np.where(points[:, 0] * points[:, 1] > 0, 1.0, -1.0)
    net = Network.create([len(features), *hidden, 1], rng.random, activation=activation)
    trainer = Trainer(
        net,
        features,
        (points[:n], labels[:n]),
        (points[n:], labels[n:]),
        batch_size=batch,
        learning_rate=0.1,
        regularization=reg,
        regularization_rate=rate,
    )
    W = [layer[:-1].T.tolist() for layer in net.layers]
    b = [layer[-1].tolist() for layer in net.layers]
    dead = [[[False] * len(row) for row in layer] for layer in W]
    rows = [[FEATURES[f].fn(x, y) for f in features] for x, y in points[:n]]
    acts = [NAIVE_ACTIVATIONS[activation]] * len(hidden) + [NAIVE_ACTIVATIONS["tanh"]]
    for _ in range(3):
        trainer.epoch()
    W, b, dead = naive_train(W, b, dead, rows, labels[:n], acts, 3, batch, 0.1, reg, rate)
    for layer, W_k, b_k in zip(net.layers, W, b, strict=True):
        np.testing.assert_allclose(layer[:-1].T, W_k, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(layer[-1], b_k, rtol=1e-9, atol=1e-12)
    expected_dead = np.concatenate(
        [np.vstack([np.array(d, dtype=bool).T, np.zeros((1, len(d)), bool)]).ravel() for d in dead]
    )
    np.testing.assert_array_equal(net.dead, expected_dead)
    if reg == "L1" and rate >= 1.0:
        assert net.dead.any()  # the case exists to exercise the rule


def test_batch_segments_carry_leftovers():
    assert batch_segments(5, 2) == [(0, 2, True), (2, 4, True), (4, 5, False)]
    assert batch_segments(4, 2) == [(0, 2, True), (2, 4, True)]
    assert batch_segments(3, 10) == [(0, 3, False)]


def _one_weight_net(w: float, b: float) -> Network:
    return Network.from_matrices([[[w]]], [[b]], head="linearSquaredError")


def test_one_hand_worked_step():
    net = _one_weight_net(0.5, 0.1)
    point, label = np.array([[2.0, 0.0]]), np.array([1.0])
    trainer = Trainer(net, ["x"], (point, label), (point, label), batch_size=1, learning_rate=0.1)
    # out = 0.1 + 0.5 * 2 = 1.1; loss = 0.5 * (1.1 - 1)^2 = 0.005
    assert trainer.train_loss == pytest.approx(0.005)
    trainer.epoch()
    # delta = out - label = 0.1; dW = delta * x = 0.2; db = delta = 0.1
    # w = 0.5 - 0.1 * 0.2 = 0.48; b = 0.1 - 0.1 * 0.1 = 0.09
    assert net.weight(0, 0, 0) == pytest.approx(0.48)
    assert net.bias(0, 0) == pytest.approx(0.09)
    # out = 0.09 + 0.48 * 2 = 1.05; loss = 0.5 * 0.05^2 = 0.00125
    assert trainer.train_loss == pytest.approx(0.00125)
    assert trainer.epoch_count == 1


def test_l2_step_uses_the_weight_before_the_data_step():
    net = _one_weight_net(0.5, 0.1)
    point, label = np.array([[2.0, 0.0]]), np.array([1.0])
    trainer = Trainer(
        net,
        ["x"],
        (point, label),
        (point, label),
        batch_size=1,
        learning_rate=0.1,
        regularization="L2",
        regularization_rate=0.5,
    )
    trainer.epoch()
    # w1 = 0.48 as above; w2 = w1 - (0.1 * 0.5) * 0.5 = 0.455; the bias is not regularized
    assert net.weight(0, 0, 0) == pytest.approx(0.455)
    assert net.bias(0, 0) == pytest.approx(0.09)


def test_l1_zero_crossing_kills_the_link_for_good():
    net = _one_weight_net(0.01, 0.0)
    point, label = np.array([[1.0, 0.0]]), np.array([0.01])
    trainer = Trainer(
        net,
        ["x"],
        (point, label),
        (point, label),
        batch_size=1,
        learning_rate=0.1,
        regularization="L1",
        regularization_rate=1.0,
    )
    trainer.epoch()
    # out = 0.01 = label, so w1 = 0.01; w2 = 0.01 - 0.1 * 1 * sign(0.01) = -0.09: crossed
    assert net.weight(0, 0, 0) == 0.0
    assert net.is_dead(0, 0, 0)
    net.set_weight(0, 0, 0, 0.7)  # a user edit on a dead link stays frozen in training
    trainer.epoch()
    assert net.weight(0, 0, 0) == 0.7


def test_divergence_is_reported_not_raised():
    rng = np.random.default_rng(0)
    points = rng.uniform(-5, 5, (40, 2))
    labels = points[:, 0] / 5
    net = Network.create([2, 8, 8, 1], rng.random, activation="relu", head="linearSquaredError")
    trainer = Trainer(net, ["x", "y"], (points, labels), (points, labels), learning_rate=10.0)
    with np.errstate(all="raise"):  # the trainer itself must keep NumPy quiet
        for _ in range(30):
            trainer.epoch()
    assert trainer.diverged
    assert not np.isfinite(trainer.train_loss)


def test_learning_rate_changes_take_effect_live():
    rng = np.random.default_rng(1)
    points = rng.uniform(-5, 5, (20, 2))
    labels = np.sign(points[:, 0])
    nets = [Network.create([2, 3, 1], np.random.default_rng(2).random) for _ in range(2)]
    trainers = [Trainer(n, ["x", "y"], (points, labels), (points, labels)) for n in nets]
    trainers[1].learning_rate = 0.3
    for t in trainers:
        t.epoch()
    assert not np.allclose(nets[0].params, nets[1].params)


def make_trainer(seed: int, **settings) -> Trainer:
    rng = np.random.default_rng(seed)
    points = rng.uniform(-5, 5, (37, 2))
    labels = np.sign(points[:, 0] * points[:, 1])
    net = Network.create([2, 4, 2, 1], np.random.default_rng(seed + 1).random)
    return Trainer(
        net, ["x", "y"], (points[:25], labels[:25]), (points[25:], labels[25:]), **settings
    )


def test_run_gives_the_weights_and_losses_of_as_many_epochs():
    stepped, ran = make_trainer(3, batch_size=7), make_trainer(3, batch_size=7)
    for _ in range(11):
        stepped.epoch()
    assert ran.run(11) == 11
    np.testing.assert_array_equal(ran.net.params, stepped.net.params)
    assert (ran.train_loss, ran.test_loss) == (stepped.train_loss, stepped.test_loss)
    assert ran.epoch_count == stepped.epoch_count == 11


def test_run_stops_at_the_first_epoch_that_leaves_the_finite_numbers():
    rng = np.random.default_rng(0)
    points = rng.uniform(-5, 5, (40, 2))
    net = Network.create([2, 8, 8, 1], rng.random, activation="relu", head="linearSquaredError")
    trainer = Trainer(net, ["x", "y"], (points, points[:, 0]), (points, points[:, 0]))
    trainer.learning_rate = 10.0
    done = trainer.run(1000)
    assert done < 1000
    assert not np.isfinite(net.params).all()
    assert trainer.diverged


def test_dead_links_are_skipped_for_any_regularizer_that_kills_links(monkeypatch):
    # The trainer asks the regularizer record, not its name: an L1 under another name
    # freezes links just the same.
    monkeypatch.setitem(REGULARIZERS, "lasso", REGULARIZERS["L1"]._replace(label="Lasso"))
    net = _one_weight_net(0.01, 0.0)
    point, label = np.array([[1.0, 0.0]]), np.array([0.01])
    trainer = Trainer(
        net,
        ["x"],
        (point, label),
        (point, label),
        batch_size=1,
        learning_rate=0.1,
        regularization="lasso",
        regularization_rate=1.0,
    )
    trainer.epoch()
    assert net.is_dead(0, 0, 0)  # w1 = 0.01, w2 = -0.09: crossed zero, as with L1
    net.set_weight(0, 0, 0, 0.7)
    net.set_bias(0, 0, 5.0)  # a large error, so a live link would move
    trainer.epoch()
    assert net.weight(0, 0, 0) == 0.7
    assert net.bias(0, 0) != 5.0


def test_workspace_views_name_the_buffers_they_hold():
    rng = np.random.default_rng(4)
    net = Network.create([2, 3, 2, 1], rng.random, activation="tanh")
    work = Workspace(net, 5)
    X = np.hstack([rng.normal(size=(4, 2)), np.ones((4, 1))])
    out = work.forward(X)
    layers = work.layers
    assert work.output is layers[-1]
    np.testing.assert_array_equal(out, layers[-1].a)
    a_aug = X
    for layer, W in zip(layers, net.layers, strict=True):
        np.testing.assert_array_equal(layer.z, a_aug @ W)
        np.testing.assert_array_equal(layer.a, np.tanh(layer.z))
        np.testing.assert_array_equal(layer.a_aug[:, :-1], layer.a)
        np.testing.assert_array_equal(layer.a_aug[:, -1], 1.0)
        assert np.shares_memory(layer.a, layer.a_aug)
        assert np.shares_memory(layer.a_aug_t, layer.a_aug)
        np.testing.assert_array_equal(layer.a_aug_t, layer.a_aug.T)
        a_aug = layer.a_aug
    t = np.ones((4, 1))
    work.backward(t, net.layer_views(np.zeros_like(net.params)), fresh=True)
    for layer in layers:
        np.testing.assert_array_equal(layer.deriv, 1 - layer.a * layer.a)
    # The output delta is the loss's; each one below is the one above sent back.
    np.testing.assert_array_equal(layers[-1].delta, (out - t) * (1 - out * out))
    for below, above, W in zip(layers, layers[1:], net.layers[1:], strict=False):
        np.testing.assert_allclose(below.delta, (above.delta @ W[:-1].T) * below.deriv)
