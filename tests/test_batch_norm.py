"""Batch normalization: its formulas against a transcription, its gradients against finite
differences, its running statistics against a hand-written reference over a trainer's
batches, and the same network in evaluation mode from ``predict``, the losses and the grid.
"""

import numpy as np
import pytest

from playground.engine import (
    ACTIVATIONS,
    EVAL,
    OPTIMIZERS,
    TRAIN,
    GridEvaluator,
    Network,
    Trainer,
    Workspace,
    feature_matrix,
    grid_points,
)
from tests.test_gradients import HEAD_CASES, HEAD_IDS, numerical_grad, sample_labels

FEATURES = ["x", "y", "xTimesY"]
EPS = 1e-5


def bn_net(seed: int, sizes=(3, 4, 3, 1), activation: str = "tanh", head: str = "tanhSquaredError"):
    rng = np.random.default_rng(seed)
    net = Network.create(sizes, rng.random, activation, head, normalization="batchNorm")
    net.params[:] = rng.normal(size=net.params.size)  # γ and β away from 1 and 0 too
    return net


def by_hand(net: Network, X_aug: np.ndarray, mode: str) -> tuple[np.ndarray, list[np.ndarray]]:
    """The forward pass written out, and every hidden layer's pre-activation before its
    normalization: batch statistics (biased variance) in TRAIN, running ones in EVAL."""
    a, before = X_aug, []
    hidden = len(net.layers) - 1
    gamma_beta = net.norm_views(net.params)
    for k, (layer, act) in enumerate(zip(net.layers, net.activations, strict=True)):
        z = a @ layer
        if k < hidden:
            before.append(z)
            n = z.shape[1]
            gamma, beta = gamma_beta[k][:n], gamma_beta[k][n:]
            if mode == TRAIN:
                mean, var = z.mean(axis=0), z.var(axis=0)
            else:
                state = net.state_views()[k]
                mean, var = state[:n], state[n:]
            z = gamma * (z - mean) / np.sqrt(var + EPS) + beta
        a = np.column_stack([act.fn(z), np.ones(len(z))])
    return a[:, :-1], before


def points(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rng.uniform(-5, 5, (n, 2))
    return p, np.sign(p[:, 0] * p[:, 1] + 0.1)


def test_a_new_network_starts_with_gamma_one_beta_zero_and_unit_running_variance():
    net = Network.create([2, 3, 2, 1], np.random.default_rng(0).random, normalization="batchNorm")
    assert [v.tolist() for v in net.norm_views(net.params)] == [[1, 1, 1, 0, 0, 0], [1, 1, 0, 0]]
    assert [v.tolist() for v in net.state_views()] == [[0, 0, 0, 1, 1, 1], [0, 0, 1, 1], []]
    # The weight penalty reaches weights only; nothing of a batch norm can die.
    assert not net.weight_mask[-10:].any()
    assert net.weight_mask[: net.params.size - 10].any()


@pytest.mark.parametrize("mode", [TRAIN, EVAL])
def test_forward_matches_the_formulas(mode):
    net = bn_net(1)
    net.state[:] = np.abs(np.random.default_rng(2).normal(size=net.state.size)) + 0.1
    X = feature_matrix(FEATURES, points(3, 12)[0])
    expected, _ = by_hand(net, X, mode)
    out = Workspace(net, 12).forward(X, mode)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-14)


def test_running_statistics_follow_pytorchs_rule():
    net = bn_net(4)
    X = feature_matrix(FEATURES, points(5, 9)[0])
    work = Workspace(net, 9)
    mean, var = [np.zeros(4), np.zeros(3)], [np.ones(4), np.ones(3)]
    for _ in range(3):
        _, before = by_hand(net, X, TRAIN)
        work.forward(X, TRAIN)
        for k, z in enumerate(before):
            mean[k] = 0.9 * mean[k] + 0.1 * z.mean(axis=0)
            var[k] = 0.9 * var[k] + 0.1 * z.var(axis=0, ddof=1)  # unbiased
        for k, state in enumerate(net.state_views()[:-1]):
            np.testing.assert_allclose(state, np.concatenate([mean[k], var[k]]), rtol=1e-12)
    kept = net.state.copy()
    work.forward(X, EVAL)
    np.testing.assert_array_equal(net.state, kept)  # evaluation reads them only


def test_a_batch_of_one_leaves_the_running_variance():
    net = bn_net(6)
    X = feature_matrix(FEATURES, points(7, 1)[0])
    variances = [v[v.size // 2 :].copy() for v in net.state_views()[:-1]]
    Workspace(net, 1).forward(X, TRAIN)
    for state, before in zip(net.state_views()[:-1], variances, strict=False):
        np.testing.assert_array_equal(state[state.size // 2 :], before)
        assert state[: state.size // 2].any()


def train_mode_check(net: Network, X: np.ndarray, labels: np.ndarray) -> None:
    """The gradient of a training pass (batch statistics) against central differences of
    the batch's summed loss, for every weight, bias, γ and β."""
    t = net.head.encode(labels, net.sizes[-1])
    work = Workspace(net, len(X))

    def loss() -> float:
        out = work.forward(X, TRAIN)
        return float(net.head.loss(work.output.z, out, t).sum())

    work.forward(X, TRAIN)
    grads = np.zeros_like(net.params)
    work.backward(t, net.layer_views(grads), True, net.norm_views(grads))
    numeric = numerical_grad(loss, net.params)
    np.testing.assert_allclose(grads, numeric, rtol=1e-5, atol=1e-7)
    # Added to what is there when not fresh, as the classic accumulators are.
    work.forward(X, TRAIN)
    twice = grads.copy()
    work.backward(t, net.layer_views(twice), False, net.norm_views(twice))
    np.testing.assert_allclose(twice, 2 * grads, rtol=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "linear", "elu"])
def test_training_pass_gradient_matches_finite_differences(activation):
    assert activation in ACTIVATIONS
    net = bn_net(8, (3, 5, 4, 1), activation)
    p, labels = points(9, 10)
    train_mode_check(net, feature_matrix(FEATURES, p), labels)


@pytest.mark.parametrize(("head", "n_out"), HEAD_CASES, ids=HEAD_IDS)
def test_training_pass_gradient_under_every_head(head, n_out):
    net = bn_net(10, (3, 4, 3, n_out), "tanh", head)
    rng = np.random.default_rng(11)
    X = feature_matrix(FEATURES, rng.uniform(-3, 3, (7, 2)))
    train_mode_check(net, X, sample_labels(net.head, rng, 7, n_out))


@pytest.mark.parametrize("reg", ["none", "L2"])
def test_evaluation_gradient_matches_finite_differences(reg):
    """``loss_and_grads`` normalizes with the running statistics; γ and β get no penalty."""
    net = bn_net(12, (3, 5, 4, 1))
    net.state[:] = np.abs(np.random.default_rng(13).normal(size=net.state.size)) + 0.2
    p, labels = points(14, 8)
    X = feature_matrix(FEATURES, p)

    def loss() -> float:
        return net.loss_and_grads(X, labels, reg=reg, reg_rate=0.1)[0]

    state = net.state.copy()
    _, grads = net.loss_and_grads(X, labels, reg=reg, reg_rate=0.1)
    np.testing.assert_array_equal(net.state, state)
    np.testing.assert_allclose(grads, numerical_grad(loss, net.params), rtol=1e-5, atol=1e-8)


def trainer(n_train: int, batch: int, **settings) -> Trainer:
    net = Network.create([3, 4, 3, 1], np.random.default_rng(20).random, normalization="batchNorm")
    p, labels = points(21, n_train + 10)
    train, test = (p[:n_train], labels[:n_train]), (p[n_train:], labels[n_train:])
    return Trainer(net, FEATURES, train, test, batch_size=batch, **settings)


def test_the_batches_are_the_examples_between_two_updates():
    """With the weights held (learning rate 0), the running statistics after two epochs
    of 13 examples in batches of 5 are those of the batches [0:5], [5:10], then the
    leftover [10:13] joined with the next epoch's [0:5], then [5:10]."""
    t = trainer(13, 5, learning_rate=0.0)
    net = t.net
    X = feature_matrix(FEATURES, points(21, 23)[0][:13])
    mean, var = [np.zeros(4), np.zeros(3)], [np.ones(4), np.ones(3)]
    batches = [X[0:5], X[5:10], np.concatenate([X[10:13], X[0:5]]), X[5:10]]
    for batch in batches:
        for k, z in enumerate(by_hand(net, batch, TRAIN)[1]):
            mean[k] = 0.9 * mean[k] + 0.1 * z.mean(axis=0)
            var[k] = 0.9 * var[k] + 0.1 * z.var(axis=0, ddof=1)
    t.run(2)
    for k, state in enumerate(net.state_views()[:-1]):
        np.testing.assert_allclose(state, np.concatenate([mean[k], var[k]]), rtol=1e-12)


def test_each_update_is_one_optimizer_step_on_the_whole_batch():
    """An epoch's SGD steps equal steps on each batch's mean gradient, computed here from
    a training pass over exactly that batch."""
    t = trainer(13, 5, learning_rate=0.1)
    twin = t.net.copy()
    X = feature_matrix(FEATURES, points(21, 23)[0][:13])
    y = t.head.encode(points(21, 23)[1][:13], 1)
    for rows in [slice(0, 5), slice(5, 10)]:
        work = Workspace(twin, 5)
        work.forward(X[rows], TRAIN)
        g = np.zeros_like(twin.params)
        work.backward(y[rows], twin.layer_views(g), True, twin.norm_views(g))
        twin.params -= 0.1 * g / 5
    t.epoch()
    np.testing.assert_allclose(t.net.params, twin.params, rtol=1e-12)
    np.testing.assert_allclose(t.net.state, twin.state, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_trains_gamma_and_beta(name):
    t = trainer(30, 10, optimizer=name, learning_rate=0.01, clip_norm=1.0)
    start = np.concatenate(t.net.norm_views(t.net.params)).copy()
    t.run(3)
    moved = np.concatenate(t.net.norm_views(t.net.params))
    assert np.isfinite(moved).all()
    assert not np.array_equal(moved, start)


def test_the_losses_the_grid_and_predict_are_the_same_evaluation():
    t = trainer(40, 10, learning_rate=0.1)
    t.run(20)
    net = t.net
    assert not np.array_equal(net.state_views()[0][4:], np.ones(4))  # statistics moved
    X_grid = feature_matrix(FEATURES, grid_points(30))
    predicted = net.predict(X_grid)
    expected, _ = by_hand(net, X_grid, EVAL)
    np.testing.assert_allclose(predicted, expected, rtol=1e-12, atol=1e-14)
    maps = GridEvaluator(FEATURES, net.sizes, size=30).evaluate(net)
    np.testing.assert_allclose(maps[-1].reshape(-1), predicted[:, 0], rtol=1e-4, atol=1e-5)
    gamma_beta, (mean, var) = net.norm_views(net.params)[0], net.state_views()[0].reshape(2, 4)
    z = (X_grid @ net.layers[0] - mean) / np.sqrt(var + EPS)
    first = np.tanh(gamma_beta[:4] * z + gamma_beta[4:])  # the first hidden layer's maps
    np.testing.assert_allclose(maps[:4].reshape(4, -1).T, first, rtol=1e-4, atol=1e-5)
    p, labels = points(21, 50)
    X = feature_matrix(FEATURES, p[:40])
    out = net.predict(X)[:, 0]
    assert t.train_loss == pytest.approx(np.mean(0.5 * (out - labels[:40]) ** 2), rel=1e-12)


def test_a_leftover_of_earlier_data_joins_the_first_batch_of_new_data():
    t = trainer(13, 5, learning_rate=0.0)
    net = t.net
    old = feature_matrix(FEATURES, points(21, 23)[0][:13])
    p, labels = points(22, 30)
    new = feature_matrix(FEATURES, p[:17])
    t.epoch()  # [0:5], [5:10]; [10:13] waits
    before = net.state.copy()
    t.set_data((p[:17], labels[:17]), (p[17:], labels[17:]))
    np.testing.assert_array_equal(net.state, before)
    mean = [s[: s.size // 2].copy() for s in net.state_views()[:-1]]
    var = [s[s.size // 2 :].copy() for s in net.state_views()[:-1]]
    for batch in [np.concatenate([old[10:13], new[0:5]]), new[5:10], new[10:15]]:
        for k, z in enumerate(by_hand(net, batch, TRAIN)[1]):
            mean[k] = 0.9 * mean[k] + 0.1 * z.mean(axis=0)
            var[k] = 0.9 * var[k] + 0.1 * z.var(axis=0, ddof=1)
    t.epoch()
    for k, state in enumerate(net.state_views()[:-1]):
        np.testing.assert_allclose(state, np.concatenate([mean[k], var[k]]), rtol=1e-12)


def test_dropout_and_early_stopping_carry_the_batch_norm():
    t = trainer(40, 10, learning_rate=0.1, dropout=0.2, patience=2)
    t.run(30)
    assert t.best_epoch is not None
    assert np.isfinite(t.net.params).all()
    best_params, best_state = t._early._params.copy(), t._early._state.copy()
    assert t.restore_best()  # the record holds γ, β and the running statistics too
    np.testing.assert_array_equal(t.net.params, best_params)
    np.testing.assert_array_equal(t.net.state, best_state)
    assert best_state.size == 2 * (4 + 3)


def test_the_gradient_sizes_per_layer_are_the_evaluation_gradients():
    t = trainer(40, 10, learning_rate=0.1)
    t.run(5)
    X = feature_matrix(FEATURES, points(21, 50)[0][:40])
    _, grads = t.net.loss_and_grads(X, points(21, 50)[1][:40])
    expected = [float(np.abs(view[:-1]).mean()) for view in t.net.layer_views(grads)]
    np.testing.assert_allclose(t.gradient_norms(), expected, rtol=1e-10)
    work = Workspace(t.net, 40)
    work.forward(X, EVAL)
    plain = np.zeros_like(t.net.params)
    work.backward(t.head.encode(points(21, 50)[1][:40], 1), t.net.layer_views(plain), True)
    np.testing.assert_allclose(plain[: grads.size - 14], grads[: grads.size - 14] * 40)
