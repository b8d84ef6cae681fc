"""Output heads: the classic two, and new ones registered from a test without engine edits."""

import numpy as np
import pytest

from playground.datasets import SeedRandom
from playground.engine import (
    ACTIVATIONS,
    HEADS,
    Activation,
    GridEvaluator,
    Head,
    Network,
    Trainer,
    feature_matrix,
    grid_points,
)
from playground.model import PROBLEM_HEADS, RunConfig, new_network
from tests.test_gradients import check_backprop

# Two heads as a later issue may add them, written here only to show that a head is one
# registry entry: a sigmoid for two classes and a softmax over K, under cross-entropy.


def _binary_cross_entropy(z, a, t):
    return (np.logaddexp(0.0, z) - t * z).sum(axis=1)  # -[t ln p + (1-t) ln(1-p)], p = sigmoid(z)


def _softmax_cross_entropy(z, a, t):
    top = z.max(axis=1, keepdims=True)
    log_sum_exp = top[:, 0] + np.log(np.exp(z - top).sum(axis=1))
    return log_sum_exp - (t * z).sum(axis=1)  # -ln p_label


def _probability_minus_target(a, t, out):
    return np.subtract(a, t, out=out)


def _zero_one_column(labels, n_out):
    return (np.asarray(labels, dtype=float).reshape(-1, 1) + 1.0) / 2.0


def _one_hot(labels, n_out):
    return np.eye(n_out)[np.asarray(labels).astype(int).ravel()]


def _softmax(z, out=None):
    out = np.subtract(z, z.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


def _no_elementwise_derivative(z, a, out=None):
    raise AssertionError("a fused head never asks for its activation's derivative")


TOY_HEADS = {
    "toySigmoidCrossEntropy": Head(
        ACTIVATIONS["sigmoid"],
        _binary_cross_entropy,
        _probability_minus_target,
        _zero_one_column,
        "Cross-entropy",
        fused_delta=True,
    ),
    "toySoftmaxCrossEntropy": Head(
        Activation(_softmax, _no_elementwise_derivative, "Softmax"),
        _softmax_cross_entropy,
        _probability_minus_target,
        _one_hot,
        "Cross-entropy",
        fused_delta=True,
        one_node_per_class=True,
    ),
}


@pytest.fixture
def toy_heads(monkeypatch):
    for name, head in TOY_HEADS.items():
        monkeypatch.setitem(HEADS, name, head)


def blobs(n_classes: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Points around n_classes centres on a circle of radius 3; labels 0..K-1 (K > 2) or ±1."""
    rng = np.random.default_rng(seed)
    classes = rng.integers(0, n_classes, size=n)
    angles = 2 * np.pi * classes / n_classes
    points = 3 * np.column_stack([np.cos(angles), np.sin(angles)]) + rng.normal(size=(n, 2))
    labels = classes if n_classes > 2 else 2 * classes - 1
    return points, labels.astype(float)


def test_classic_heads_are_the_originals_output_layers():
    for name, activation in (("tanhSquaredError", "tanh"), ("linearSquaredError", "linear")):
        head = HEADS[name]
        assert head.activation is ACTIVATIONS[activation]
        assert not head.fused_delta
        assert head.output_nodes(2) == head.output_nodes(5) == 1
        np.testing.assert_array_equal(
            head.encode(np.array([1.0, -1.0, 0.5]), 1), [[1], [-1], [0.5]]
        )


def test_classic_deltas_by_hand():
    z, t = np.array([[0.5], [2.0]]), np.array([[1.0], [-1.0]])
    tanh = HEADS["tanhSquaredError"]
    a = np.tanh(z)
    # δ = (a - t)(1 - a²): tanh(0.5) = 0.46211716, (0.46211716 - 1)(1 - 0.21355227) = -0.42301674
    delta = tanh.delta(z, a, t, np.empty_like(z), np.empty_like(z))
    assert delta[0, 0] == pytest.approx(-0.42301674)
    assert delta[1, 0] == pytest.approx((np.tanh(2.0) + 1) * (1 - np.tanh(2.0) ** 2))
    # loss = ½(a - t)²: ½(0.46211716 - 1)² = 0.14465898
    assert tanh.loss(z, a, t)[0] == pytest.approx(0.14465898)
    linear = HEADS["linearSquaredError"]
    # identity output: δ = a - t = z - t
    np.testing.assert_array_equal(linear.delta(z, z, t, np.empty_like(z), np.empty_like(z)), z - t)


def test_problems_map_to_registered_heads():
    assert set(PROBLEM_HEADS.values()) <= set(HEADS)
    for dataset, activation in (("circle", "tanh"), ("reg-plane", "linear")):
        net = new_network(RunConfig(dataset=dataset), SeedRandom("0.5"))
        assert net.head is HEADS[PROBLEM_HEADS[RunConfig(dataset=dataset).problem]]
        assert net.activations[-1] is ACTIVATIONS[activation]


@pytest.mark.usefixtures("toy_heads")
@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize(
    ("head", "n_out"), [("toySigmoidCrossEntropy", 1), ("toySoftmaxCrossEntropy", 3)]
)
def test_registered_head_backprop_matches_finite_differences(head, n_out, activation):
    check_backprop(activation, "L2", head, n_out)


@pytest.mark.usefixtures("toy_heads")
def test_registered_head_trains_through_the_trainer():
    points, labels = blobs(2, 60, seed=0)
    net = Network.create([2, 4, 1], np.random.default_rng(1).random, head="toySigmoidCrossEntropy")
    trainer = Trainer(net, ["x", "y"], (points, labels), (points, labels), batch_size=60)
    # One full batch is one step down the mean gradient of the head's loss.
    X = feature_matrix(["x", "y"], points)
    _, grads = net.loss_and_grads(X, labels)
    expected = net.params - 0.03 * grads
    trainer.epoch()
    np.testing.assert_allclose(net.params, expected, rtol=1e-12, atol=1e-15)
    first_loss = trainer.train_loss
    trainer.learning_rate = 0.3
    trainer.run(200)
    p = net.predict(X)[:, 0]
    t = (labels + 1) / 2
    cross_entropy = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert trainer.train_loss == pytest.approx(cross_entropy, rel=1e-9)
    assert trainer.train_loss < first_loss / 4
    assert np.mean((p > 0.5) == (t == 1)) > 0.95


@pytest.mark.usefixtures("toy_heads")
def test_a_head_with_a_node_per_class_trains_and_maps_the_grid():
    head = HEADS["toySoftmaxCrossEntropy"]
    points, labels = blobs(3, 90, seed=2)
    sizes = [2, 5, head.output_nodes(3)]
    net = Network.create(sizes, np.random.default_rng(3).random, head="toySoftmaxCrossEntropy")
    trainer = Trainer(net, ["x", "y"], (points, labels), (points, labels), learning_rate=0.1)
    first_loss = trainer.train_loss
    trainer.run(100)
    p = net.predict(feature_matrix(["x", "y"], points))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    nll = -np.mean(np.log(p[np.arange(len(p)), labels.astype(int)]))
    assert trainer.train_loss == pytest.approx(nll, rel=1e-9)
    assert trainer.train_loss < first_loss / 4
    assert np.mean(p.argmax(axis=1) == labels) > 0.95
    # The grid applies the output activation across each point's nodes, too.
    maps = GridEvaluator(["x", "y"], net.sizes, size=20).evaluate(net)
    outputs = maps[-3:].reshape(3, -1).T
    np.testing.assert_allclose(outputs.sum(axis=1), 1.0, rtol=1e-5)
    expected = net.predict(feature_matrix(["x", "y"], grid_points(20)))
    np.testing.assert_allclose(outputs, expected, rtol=1e-4, atol=1e-5)
