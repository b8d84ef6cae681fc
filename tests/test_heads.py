"""Output heads: the classic two, the cross-entropies, and one registered from a test."""

import tracemalloc

import numpy as np
import pytest

from playground.engine import (
    ACTIVATIONS,
    HEADS,
    GridEvaluator,
    Head,
    Network,
    Trainer,
    feature_matrix,
    grid_points,
)
from playground.model import RunConfig, head_for, start_run
from tests.test_gradients import check_backprop

# A head that is not in the engine, registered from here to show that a head is one
# registry entry: an identity output under log-cosh, a squared error near 0 and an
# absolute error far from it.


def _log_cosh(z, a, t):
    return np.logaddexp(a - t, t - a).sum(axis=1) - np.log(2.0)  # ln cosh(a - t)


def _tanh_of_error(a, t, out):
    out = np.subtract(a, t, out=out)
    return np.tanh(out, out=out)


def _label_column(labels, n_out):
    return np.asarray(labels, dtype=float).reshape(-1, 1)


TOY_HEADS = {
    "toyLinearLogCosh": Head(
        ACTIVATIONS["linear"], _log_cosh, _tanh_of_error, _label_column, "Log-cosh"
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
        assert head.output_nodes(2) == 1
        np.testing.assert_array_equal(
            head.encode(np.array([1.0, -1.0, 0.5]), 1), [[1], [-1], [0.5]]
        )


def test_output_nodes_per_problem():
    assert HEADS["tanhSquaredError"].output_nodes(4) == 4  # one-hot ±1 targets
    assert HEADS["linearSquaredError"].output_nodes(4) == 1
    assert HEADS["sigmoidCrossEntropy"].output_nodes(2) == 1
    assert HEADS["softmaxCrossEntropy"].output_nodes(3) == 3


def test_targets_of_each_head():
    np.testing.assert_array_equal(
        HEADS["tanhSquaredError"].encode(np.array([2.0, 0.0]), 3), [[-1, -1, 1], [1, -1, -1]]
    )
    np.testing.assert_array_equal(
        HEADS["sigmoidCrossEntropy"].encode(np.array([1.0, -1.0]), 1), [[1], [0]]
    )
    np.testing.assert_array_equal(
        HEADS["softmaxCrossEntropy"].encode(np.array([1.0, 0.0]), 3), [[0, 1, 0], [1, 0, 0]]
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


def test_cross_entropy_by_hand():
    head = HEADS["sigmoidCrossEntropy"]
    z = np.array([[0.0], [2.0]])
    t = head.encode(np.array([1.0, -1.0]), 1)
    a = head.activation.fn(z)
    # p = sigmoid(0) = 0.5, t = 1: -ln 0.5 = 0.69314718; p = sigmoid(2) = 0.88079708, t = 0:
    # -ln(1 - 0.88079708) = 2.12692801
    np.testing.assert_allclose(head.loss(z, a, t), [0.69314718, 2.12692801], rtol=1e-8)
    # δ = p - t: -0.5 and 0.88079708
    delta = head.delta(z, a, t, np.empty_like(z), np.empty_like(z))
    np.testing.assert_allclose(delta[:, 0], [-0.5, 0.88079708], rtol=1e-8)
    head = HEADS["softmaxCrossEntropy"]
    z = np.array([[0.0, np.log(3.0)]])  # p = (1/4, 3/4)
    t = head.encode(np.array([0.0]), 2)
    a = head.activation.fn(z)
    np.testing.assert_allclose(a, [[0.25, 0.75]], rtol=1e-15)
    assert head.loss(z, a, t)[0] == pytest.approx(np.log(4.0))  # -ln(1/4)
    np.testing.assert_allclose(head.delta(z, a, t, np.empty_like(z), np.empty_like(z)), a - t)


def test_cross_entropies_stay_finite_far_out():
    z = np.array([[800.0, -800.0, 0.0], [-800.0, 800.0, 799.0]])
    head = HEADS["softmaxCrossEntropy"]
    p = head.activation.fn(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    t = head.encode(np.array([1.0, 2.0]), 3)
    np.testing.assert_allclose(head.loss(z, p, t), [1600.0, 1 + np.log1p(np.exp(-1))])
    head = HEADS["sigmoidCrossEntropy"]
    z1 = np.array([[800.0], [-800.0]])
    loss = head.loss(z1, np.array([[1.0], [0.0]]), head.encode(np.array([-1.0, 1.0]), 1))
    np.testing.assert_allclose(loss, [800.0, 800.0])


def test_softmax_into_a_buffer_allocates_nothing():
    z = np.random.default_rng(0).normal(size=(20_000, 3))
    out = np.empty_like(z, order="F")  # column-major, as the workspace's output layer
    softmax = HEADS["softmaxCrossEntropy"].activation.fn
    softmax(z, out=out)  # first call: any one-off set-up
    tracemalloc.start()
    softmax(z, out=out)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20_000  # a (20_000,)-row temporary would be 160 kB
    np.testing.assert_allclose(out, np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))
    in_place = z.copy()
    assert softmax(in_place, out=in_place) is in_place  # the grid's way
    np.testing.assert_array_equal(in_place, out)


def test_classify_and_signed_in_the_datasets_label_space():
    tanh, sigmoid = HEADS["tanhSquaredError"], HEADS["sigmoidCrossEntropy"]
    np.testing.assert_array_equal(tanh.classify(np.array([[0.3], [-0.2]])), [1, -1])
    np.testing.assert_array_equal(sigmoid.classify(np.array([[0.6], [0.4]])), [1, -1])
    softmax = HEADS["softmaxCrossEntropy"]
    p = np.array([[0.2, 0.5, 0.3], [0.7, 0.1, 0.2]])
    np.testing.assert_array_equal(softmax.classify(p), [1, 0])
    np.testing.assert_array_equal(tanh.classify(np.array([[-0.9, 0.5, 0.1]])), [1])
    np.testing.assert_array_equal(tanh.signed(np.array([0.25, -1.0])), [0.25, -1.0])
    np.testing.assert_array_equal(sigmoid.signed(np.array([0.0, 0.75, 1.0])), [-1.0, 0.5, 1.0])
    np.testing.assert_array_equal(HEADS["linearSquaredError"].signed(np.array([3.0])), [3.0])


RUN_HEADS = [  # a run's settings, its head, the output activation
    ({"dataset": "circle"}, "tanhSquaredError", "tanh"),
    ({"dataset": "reg-plane"}, "linearSquaredError", "linear"),
    ({"dataset": "circle", "loss": "crossEntropy"}, "sigmoidCrossEntropy", "sigmoid"),
    ({"dataset": "blobs", "num_classes": 3}, "tanhSquaredError", "tanh"),
    ({"dataset": "blobs", "num_classes": 4, "loss": "crossEntropy"}, "softmaxCrossEntropy", None),
]


@pytest.mark.parametrize(("settings", "head_name", "activation"), RUN_HEADS)
def test_runs_map_to_registered_heads_that_train_on_their_labels(settings, head_name, activation):
    config = RunConfig(seed="0.5", **settings)
    assert head_for(config) == head_name
    _, data, trainer = start_run(config)
    net, head = trainer.net, HEADS[head_name]
    assert net.head is head
    assert activation is None or net.activations[-1] is ACTIVATIONS[activation]
    assert net.sizes[-1] == head.output_nodes(config.classes)
    before = trainer.train_loss
    trainer.run(5)
    assert np.isfinite(trainer.train_loss)
    assert trainer.train_loss != before
    if config.problem == "classification":
        X = feature_matrix(list(config.features), data.X_train)
        assert set(head.classify(net.predict(X))) <= set(data.y_train)


@pytest.mark.usefixtures("toy_heads")
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_registered_head_backprop_matches_finite_differences(activation):
    check_backprop(activation, "L2", "toyLinearLogCosh")


@pytest.mark.usefixtures("toy_heads")
def test_registered_head_trains_through_the_trainer():
    rng = np.random.default_rng(0)
    points = rng.uniform(-5, 5, (60, 2))
    targets = 0.3 * points[:, 0] - 0.2 * points[:, 1]
    net = Network.create([2, 3, 1], np.random.default_rng(1).random, head="toyLinearLogCosh")
    trainer = Trainer(net, ["x", "y"], (points, targets), (points, targets), batch_size=60)
    # One full batch is one step down the mean gradient of the head's loss.
    X = feature_matrix(["x", "y"], points)
    _, grads = net.loss_and_grads(X, targets)
    expected = net.params - 0.03 * grads
    trainer.epoch()
    np.testing.assert_allclose(net.params, expected, rtol=1e-12, atol=1e-15)
    first_loss = trainer.train_loss
    trainer.run(200)
    error = net.predict(X)[:, 0] - targets
    assert trainer.train_loss == pytest.approx(np.mean(np.log(np.cosh(error))), rel=1e-9)
    assert trainer.train_loss < first_loss / 4


def test_sigmoid_cross_entropy_trains_through_the_trainer():
    points, labels = blobs(2, 60, seed=0)
    net = Network.create([2, 4, 1], np.random.default_rng(1).random, head="sigmoidCrossEntropy")
    trainer = Trainer(
        net, ["x", "y"], (points, labels), (points, labels), batch_size=60, learning_rate=0.3
    )
    first_loss = trainer.train_loss
    trainer.run(200)
    X = feature_matrix(["x", "y"], points)
    p = net.predict(X)[:, 0]
    t = (labels + 1) / 2
    cross_entropy = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert trainer.train_loss == pytest.approx(cross_entropy, rel=1e-9)
    assert trainer.train_loss < first_loss / 4
    assert np.mean(net.head.classify(net.predict(X)) == labels) > 0.95


@pytest.mark.parametrize("head_name", ["softmaxCrossEntropy", "tanhSquaredError"])
def test_a_head_with_a_node_per_class_trains_and_maps_the_grid(head_name):
    head = HEADS[head_name]
    points, labels = blobs(3, 90, seed=2)
    sizes = [2, 5, head.output_nodes(3)]
    net = Network.create(sizes, np.random.default_rng(3).random, head=head_name)
    trainer = Trainer(net, ["x", "y"], (points, labels), (points, labels), learning_rate=0.1)
    first_loss = trainer.train_loss
    trainer.run(100)
    out = net.predict(feature_matrix(["x", "y"], points))
    assert trainer.train_loss < first_loss / 3
    assert np.mean(head.classify(out) == labels) > 0.95
    if head_name == "softmaxCrossEntropy":
        np.testing.assert_allclose(out.sum(axis=1), 1.0)
        nll = -np.mean(np.log(out[np.arange(len(out)), labels.astype(int)]))
        assert trainer.train_loss == pytest.approx(nll, rel=1e-9)
    # The grid applies the output activation across each point's nodes, too.
    maps = GridEvaluator(["x", "y"], net.sizes, size=20).evaluate(net)
    outputs = maps[-3:].reshape(3, -1).T
    expected = net.predict(feature_matrix(["x", "y"], grid_points(20)))
    np.testing.assert_allclose(outputs, expected, rtol=1e-4, atol=1e-5)
