"""Accuracy, confusion matrices and gradient norms: the pure functions and the trainer's."""

import numpy as np
import pytest

from playground.engine import Network, Trainer, feature_matrix
from playground.engine.metrics import (
    accuracy,
    class_indices,
    confusion_matrix,
    mean_abs_weights,
)
from tests.test_trainer import make_trainer


def test_one_output_splits_at_the_midpoint_and_several_take_the_largest():
    one = np.array([[0.3], [-0.2], [0.0], [0.7]])
    np.testing.assert_array_equal(class_indices(one), [1, 0, 0, 1])  # tanh: > 0 is +1
    np.testing.assert_array_equal(class_indices(one, midpoint=0.5), [0, 0, 0, 1])  # sigmoid
    several = np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3], [0.0, 0.1, 0.9]])
    np.testing.assert_array_equal(class_indices(several), [1, 0, 2])


def test_accuracy_and_confusion_matrix_by_hand():
    actual, predicted = np.array([0, 0, 1, 1, 2]), np.array([0, 1, 1, 1, 0])
    assert accuracy(actual, predicted) == 3 / 5
    # rows = actual, columns = predicted: actual 0 -> {0, 1}, 1 -> {1, 1}, 2 -> {0}
    expected = [[1, 1, 0], [0, 2, 0], [1, 0, 0]]
    np.testing.assert_array_equal(confusion_matrix(actual, predicted, 3), expected)
    assert np.isnan(accuracy(np.array([], int), np.array([], int)))


def test_mean_abs_weights_leaves_the_bias_row_out():
    layers = [np.array([[1.0, -3.0], [2.0, 0.0], [100.0, 100.0]]), np.array([[-4.0], [9.0]])]
    assert mean_abs_weights(layers) == [1.5, 4.0]


def labelled_trainer(seed: int = 0) -> tuple[Trainer, tuple, tuple]:
    rng = np.random.default_rng(seed)
    points = rng.uniform(-5, 5, (60, 2))
    labels = np.where(points[:, 0] * points[:, 1] > 0, 1.0, -1.0)
    train, test = (points[:40], labels[:40]), (points[40:], labels[40:])
    net = Network.create([2, 4, 1], np.random.default_rng(seed + 1).random)
    return Trainer(net, ["x", "y"], train, test, learning_rate=0.1), train, test


def predicted_labels(net: Network, points: np.ndarray) -> np.ndarray:
    """Each point's class the slow way: one prediction at a time."""
    X = feature_matrix(["x", "y"], points)
    return np.array([1.0 if net.predict(row[None])[0, 0] > 0 else -1.0 for row in X])


def test_trainer_accuracy_and_confusion_count_the_points_it_classifies():
    trainer, train, test = labelled_trainer()
    trainer.run(30)
    for split, (points, labels) in [("train", train), ("test", test)]:
        predicted = predicted_labels(trainer.net, points)
        assert trainer.accuracy(split) == np.mean(predicted == labels)
        matrix = trainer.confusion_matrix(split)
        for row, actual in enumerate([-1.0, 1.0]):  # index 0 is label -1, index 1 is +1
            for col, guess in enumerate([-1.0, 1.0]):
                assert matrix[row, col] == np.sum((labels == actual) & (predicted == guess))
    assert trainer.train_accuracy == trainer.accuracy("train")
    assert trainer.test_accuracy == trainer.accuracy("test")


def test_accuracy_is_that_of_the_last_loss_update():
    # Like the losses it comes from the last evaluation pass, not a pass of its own.
    trainer, _, test = labelled_trainer(3)
    at_start = np.mean(predicted_labels(trainer.net, test[0]) == test[1])
    trainer.run(40, losses=False)
    assert trainer.test_accuracy == at_start
    trainer.update_losses()
    assert trainer.test_accuracy == np.mean(predicted_labels(trainer.net, test[0]) == test[1])
    assert trainer.test_accuracy != at_start


def test_regression_has_no_accuracy_or_confusion_matrix():
    rng = np.random.default_rng(2)
    points = rng.uniform(-5, 5, (20, 2))
    net = Network.create([2, 3, 1], rng.random, head="linearSquaredError")
    trainer = Trainer(net, ["x", "y"], (points, points[:, 0]), (points, points[:, 0]))
    assert trainer.is_regression
    assert trainer.accuracy("train") is None
    assert trainer.confusion_matrix("test") is None
    with pytest.raises(ValueError, match="split"):
        labelled_trainer()[0].accuracy("validation")


def test_gradient_norms_are_the_mean_gradient_of_the_training_set():
    trainer = make_trainer(4, dropout=0.5, regularization="L2", regularization_rate=0.1)
    trainer.run(3)
    points = np.random.default_rng(4).uniform(-5, 5, (37, 2))[:25]  # make_trainer's
    labels = np.sign(points[:, 0] * points[:, 1])
    _, grads = trainer.net.loss_and_grads(feature_matrix(["x", "y"], points), labels)
    expected = [np.abs(g[:-1]).mean() for g in trainer.net.layer_views(grads)]
    before = trainer.net.params.copy()
    norms = trainer.gradient_norms()
    # The data loss's gradient without dropout's randomness or the L2 term.
    np.testing.assert_allclose(norms, expected, rtol=1e-12)
    assert len(norms) == 3
    assert trainer.gradient_norms() == norms
    np.testing.assert_array_equal(trainer.net.params, before)


def test_dead_links_have_no_gradient():
    trainer = make_trainer(5)
    norms = trainer.gradient_norms()
    first = trainer.net.layers[0][:-1]
    trainer.net.kill_links(np.isin(np.arange(trainer.net.params.size), np.arange(first.size)))
    killed = trainer.gradient_norms()
    assert killed[0] == 0.0
    assert killed[1:] == norms[1:]
