import numpy as np
import pytest

from playground.engine import (
    ACTIVATIONS,
    FEATURES,
    GridEvaluator,
    Network,
    feature_matrix,
    grid_points,
)


def test_grid_layout_is_the_originals():
    points = grid_points(100)
    assert points.shape == (10_000, 2)
    np.testing.assert_allclose(points[0], [-6, 6])  # row 0 is y = +6, column 0 is x = -6
    np.testing.assert_allclose(points[99], [6, 6])
    np.testing.assert_allclose(points[-1], [6, -6])
    np.testing.assert_allclose(points[1, 0], -6 + 12 / 99)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_every_node_map_matches_a_float64_forward_pass(activation):
    features = ["x", "y", "sinX", "xSquared"]
    rng = np.random.default_rng(0)
    net = Network.create([4, 5, 3, 1], rng.random, activation=activation)
    maps = GridEvaluator(features, net.sizes).evaluate(net)
    assert maps.shape == (5 + 3 + 1, 100, 100)
    assert maps.dtype == np.float32
    a = feature_matrix(features, grid_points(100))
    expected = []
    for layer, act in zip(net.layers, net.activations, strict=True):
        a = act.fn(a @ layer)
        expected.append(a)
        a = np.column_stack([a, np.ones(len(a))])
    expected = np.concatenate(expected, axis=1).T.reshape(-1, 100, 100)
    np.testing.assert_allclose(maps, expected, rtol=1e-4, atol=1e-4)


def test_feature_maps_cover_all_seven_features():
    evaluator = GridEvaluator(["x"], (1, 1))
    assert evaluator.feature_maps.shape == (len(FEATURES), 100, 100)
    xy = grid_points(100)
    np.testing.assert_allclose(evaluator.feature_maps[4].ravel(), xy[:, 0] * xy[:, 1], rtol=1e-6)


def test_a_network_without_hidden_layers_has_one_map():
    net = Network.create([2, 1], np.random.default_rng(1).random)
    assert GridEvaluator(["x", "y"], net.sizes).evaluate(net).shape == (1, 100, 100)
