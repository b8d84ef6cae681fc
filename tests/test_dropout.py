"""Dropout: backprop through a fixed mask, inverted scaling, seeding, and rate 0 = classic."""

import numpy as np
import pytest

from playground.engine import TRAIN, Dropout, Network, Trainer, Workspace, feature_matrix
from tests.test_gradients import _away_from_kinks, numerical_grad
from tests.test_trainer import make_trainer

FEATURES = ["x", "y", "xTimesY"]


def dropout_setup(activation: str, rows: int = 8, rate: float = 0.4):
    rng = np.random.default_rng(0)
    net = Network.create([3, 5, 4, 1], rng.random, activation=activation)
    net.params[:] = _away_from_kinks(rng, net.params.size) * 0.7
    X = feature_matrix(FEATURES, rng.normal(size=(rows, 2)))
    t = net.head.encode(rng.choice([-1.0, 1.0], size=rows), 1)
    return net, X, t, Workspace(net, rows, Dropout(np.random.default_rng(5), rate))


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_backprop_through_a_fixed_mask_matches_finite_differences(activation):
    net, X, t, work = dropout_setup(activation)
    work.forward(X, TRAIN)  # draws the mask the whole check then keeps
    masks = [m.copy() for m in work.masks(len(X))]
    assert any((m == 0).any() for m in masks)
    assert any((m > 0).any() for m in masks)
    grads = np.zeros_like(net.params)
    work.backward(t, net.layer_views(grads), fresh=True)

    def loss() -> float:
        out = work.forward(X, TRAIN, fresh_mask=False)
        return float(net.head.loss(work.output.z, out, t).sum())

    np.testing.assert_allclose(grads, numerical_grad(loss, net.params), rtol=1e-5, atol=1e-8)
    for before, after in zip(masks, work.masks(len(X)), strict=True):
        np.testing.assert_array_equal(after, before)


def test_forward_masks_hidden_nodes_only_and_keeps_the_bias_column():
    net, X, _, work = dropout_setup("tanh", rate=0.3)
    out = work.forward(X, TRAIN)
    masks = work.masks(len(X))
    a_aug = X
    for layer, W, mask in zip(work.layers[:-1], net.layers[:-1], masks, strict=True):
        assert set(np.unique(mask)) <= {0.0, 1 / (1 - 0.3)}
        np.testing.assert_allclose(layer.a, np.tanh(a_aug @ W) * mask, rtol=1e-15)
        np.testing.assert_array_equal(layer.a_aug[:, -1], 1.0)  # the next bias's input
        a_aug = layer.a_aug
    np.testing.assert_array_equal(out, np.tanh(a_aug @ net.layers[-1]))  # outputs unmasked
    first = [m.copy() for m in masks]
    work.forward(X, TRAIN)
    assert not all(np.array_equal(a, b) for a, b in zip(first, masks, strict=True))


def test_inverted_scaling_keeps_the_expected_activation():
    # One input point repeated: without dropout every row of the first hidden layer is
    # the same, so the column means under dropout estimate its expectation.
    rows, rate = 20_000, 0.3
    net = Network.create([2, 5, 1], np.random.default_rng(1).random)
    X = np.tile(feature_matrix(["x", "y"], np.array([[1.5, -2.0]])), (rows, 1))
    plain = np.tanh(X[:1] @ net.layers[0])[0]
    work = Workspace(net, rows, Dropout(np.random.default_rng(2), rate))
    work.forward(X, TRAIN)
    kept = work.masks(rows)[0] > 0
    # 100k mask entries: the kept fraction's standard error is 0.0014; 0.01 is 7 of them.
    assert kept.mean() == pytest.approx(1 - rate, abs=0.01)
    # Each column mean's relative standard error is sqrt(0.3 * 0.7) / 0.7 / sqrt(20k)
    # = 0.46 %: 3 % is 6.5 of those, while no scaling (-30 %) or a 1/rate one would be far off.
    np.testing.assert_allclose(work.layers[0].a.mean(axis=0), plain, rtol=0.03)


def test_same_dropout_seed_trains_the_same_weights_another_seed_others():
    runs = {}
    for key, seed in [("a", 4), ("b", 4), ("c", 5)]:
        trainer = make_trainer(3, batch_size=5, dropout=0.3, dropout_seed=seed)
        trainer.run(12)
        runs[key] = trainer.net.params
    np.testing.assert_array_equal(runs["a"], runs["b"])
    assert not np.allclose(runs["a"], runs["c"])
    classic = make_trainer(3, batch_size=5)
    classic.run(12)
    assert not np.allclose(runs["a"], classic.net.params)


def test_rate_zero_is_the_classic_trainer_bit_for_bit():
    zero, classic = make_trainer(6, dropout=0.0, dropout_seed=9), make_trainer(6)
    for _ in range(8):
        zero.epoch()
        classic.epoch()
    np.testing.assert_array_equal(zero.net.params, classic.net.params)
    assert (zero.train_loss, zero.test_loss) == (classic.train_loss, classic.test_loss)


def test_dropout_changes_live_and_off_again_trains_as_classic():
    # 25 training points in batches of 5: nothing carries over between epochs, so a
    # classic trainer given the same weights continues exactly as the switched one does.
    switched = make_trainer(7, batch_size=5, dropout=0.2, dropout_seed=1)
    switched.run(4)
    switched.configure(dropout=0.0)
    classic = make_trainer(7, batch_size=5)
    classic.net.params[:] = switched.net.params
    switched.run(5)
    classic.run(5)
    np.testing.assert_array_equal(switched.net.params, classic.net.params)
    before = switched.net.params.copy()
    switched.configure(dropout=0.5)
    switched.run(1)
    classic.run(1)
    assert not np.allclose(switched.net.params, classic.net.params)
    assert not np.array_equal(switched.net.params, before)


def test_losses_are_evaluated_without_dropout():
    trainer = make_trainer(8, dropout=0.5, dropout_seed=2)
    trainer.run(5)
    classic = make_trainer(8)
    classic.net.params[:] = trainer.net.params
    classic.update_losses()
    assert (trainer.train_loss, trainer.test_loss) == (classic.train_loss, classic.test_loss)
    trainer.update_losses()  # no random mask: evaluating again gives the same
    assert (trainer.train_loss, trainer.test_loss) == (classic.train_loss, classic.test_loss)


def test_a_network_without_hidden_layers_has_nothing_to_drop():
    rng = np.random.default_rng(0)
    points = rng.uniform(-5, 5, (20, 2))
    data = (points, np.sign(points[:, 0]))
    nets = [Network.create([2, 1], np.random.default_rng(1).random) for _ in range(2)]
    dropped = Trainer(nets[0], ["x", "y"], data, data, dropout=0.5)
    plain = Trainer(nets[1], ["x", "y"], data, data)
    dropped.run(5)
    plain.run(5)
    np.testing.assert_array_equal(nets[0].params, nets[1].params)


@pytest.mark.parametrize("rate", [-0.1, 0.6, 1.0])
def test_rates_outside_zero_to_a_half_are_refused(rate):
    with pytest.raises(ValueError, match="dropout"):
        make_trainer(1, dropout=rate)
    trainer = make_trainer(1)
    with pytest.raises(ValueError, match="dropout"):
        trainer.configure(dropout=rate)
