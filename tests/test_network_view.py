"""The network diagram's geometry, frames and event handlers, driven without a browser."""

import itertools

import numpy as np
import pytest

from playground.colors import NAN_INDEX, PALETTE, quantize
from playground.engine import FEATURES
from playground.state import PlaygroundState
from playground.views.network import (
    BIAS,
    FAN,
    NODE,
    NetworkDiagram,
    hidden_lefts,
    pretty_label,
)
from playground.views.pictures import block_means

N_FEATURES = len(FEATURES)


def make(features=("x", "y"), shape=(4, 2)) -> tuple[PlaygroundState, NetworkDiagram]:
    state = PlaygroundState(seed="0.31415", features=list(features), network_shape=list(shape))
    return state, NetworkDiagram(state)


def n_links(sizes) -> int:
    return sum(a * b for a, b in itertools.pairwise(sizes))


def thumbs(diagram: NetworkDiagram, discretize: bool = False, maps=None) -> np.ndarray:
    """The frame's thumbnails as (nodes, 10, 10)."""
    maps = diagram.state.node_maps() if maps is None else maps
    return diagram.frame(maps, discretize)["thumbs"].reshape(-1, 10, 10)


@pytest.mark.parametrize(
    ("features", "shape"),
    [(("x", "y"), (4, 2)), (("x",), ()), (tuple(FEATURES), (8,) * 6), ((), (3,))],
)
def test_counts_follow_the_network(features, shape):
    state, diagram = make(features, shape)
    scene = diagram.scene()
    n_nodes = N_FEATURES + sum(shape) + 1
    assert all(len(column) == n_nodes for column in scene["nodes"].values())
    assert all(len(column) == n_links(state.net.sizes) for column in scene["links"].values())
    assert all(len(column) == sum(shape) + 1 for column in scene["biases"].values())
    frame = diagram.frame(state.node_maps())
    assert frame["thumbs"].dtype == np.uint8
    assert frame["thumbs"].shape == (100 * n_nodes,)
    assert frame["weights"].dtype == np.float32
    assert len(frame["weights"]) == n_links(state.net.sizes)
    assert frame["biases"].dtype == np.float32
    assert len(frame["biases"]) == sum(shape) + 1


def test_rebuild_after_add_layer_and_toggle_feature():
    state, diagram = make()
    version = diagram.scene_version
    state.add_layer()  # [4, 2, 2]
    assert diagram.scene_version > version
    assert len(diagram.scene()["nodes"]["x"]) == N_FEATURES + 8 + 1
    assert len(diagram.scene()["links"]["x0"]) == n_links((2, 4, 2, 2, 1))
    state.toggle_feature("sinX")
    assert len(diagram.scene()["links"]["x0"]) == n_links((3, 4, 2, 2, 1))
    assert len(diagram.layer_lefts) == 3


def test_inputs_are_labelled_and_the_inactive_ones_marked():
    _, diagram = make(features=("x", "sinY"))
    nodes = diagram.scene()["nodes"]
    assert nodes["label"][:N_FEATURES] == ["X₁", "X₂", "X₁²", "X₂²", "X₁X₂", "sin(X₁)", "sin(X₂)"]
    assert nodes["active"][:N_FEATURES] == [name in ("x", "sinY") for name in FEATURES]
    assert all(nodes["active"][N_FEATURES:])
    assert set(nodes["label"][N_FEATURES:]) == {""}


def test_links_run_from_source_to_fanned_destination():
    _state, diagram = make()
    scene = diagram.scene()
    nodes, links = scene["nodes"], scene["links"]
    # The first link: X1 -> neuron 1 of layer 1; two inputs fan out by -FAN/4 and +FAN/4.
    k, i, j = diagram._link_keys[0]
    assert (k, i, j) == (0, 0, 0)
    assert links["x0"][0] == nodes["x"][0] + NODE + 2
    assert links["y0"][0] == nodes["y"][0] + NODE / 2
    assert links["x1"][0] == nodes["x"][N_FEATURES]
    assert links["y1"][0] == nodes["y"][N_FEATURES] + NODE / 2 - FAN / 4
    # The last link ends at the output node, in row 0 at the right edge.
    assert links["x1"][-1] == nodes["x"][-1] == diagram.network_width + 3
    biases = scene["biases"]
    assert biases["x"][-1] == nodes["x"][-1] - 2 - BIAS


def test_frames_carry_weights_and_biases_in_scene_order():
    state, diagram = make()
    state.set_weight(0, 1, 0, 2.0)  # X1 -> neuron 2 of layer 1
    state.set_weight(1, 0, 3, -0.25)
    state.set_bias(0, 2, -0.75)
    frame = diagram.frame(state.node_maps())
    weights = [state.net.weight(k, i, j) for k, i, j in diagram._link_keys]
    biases = [state.net.bias(k, i) for k, i in diagram._bias_keys]
    np.testing.assert_allclose(frame["weights"], weights, rtol=1e-6)
    np.testing.assert_allclose(frame["biases"], biases, rtol=1e-6)
    assert 2.0 in frame["weights"]
    assert -0.25 in frame["weights"]
    assert -0.75 in frame["biases"]


def test_thumbnails_are_the_block_means_of_every_node():
    state, diagram = make()
    state.train(5)
    got = thumbs(diagram)
    np.testing.assert_array_equal(got[N_FEATURES:], quantize(block_means(state.node_maps())))
    inputs = block_means(state.grid.feature_maps)
    np.testing.assert_array_equal(got[:N_FEATURES], quantize(inputs))


def test_nan_maps_give_nan_thumbnails_for_non_input_nodes():
    state, diagram = make()
    got = thumbs(diagram, maps=np.full_like(state.node_maps(), np.nan))
    assert (got[N_FEATURES:] == NAN_INDEX).all()
    assert not (got[:N_FEATURES] == NAN_INDEX).any()


def test_discretize_uses_only_the_two_end_shades():
    _, diagram = make()
    assert set(np.unique(thumbs(diagram, discretize=True))) <= {0, len(PALETTE) - 1}


def test_thumbnails_have_the_heatmaps_orientation():
    """Row 0 is y = +6, drawn on top: X2's top row is blue, X1's left column orange."""
    _, diagram = make()
    x1, x2 = thumbs(diagram)[:2]
    assert x2[0].min() == len(PALETTE) - 1
    assert x2[-1].max() == 0
    assert x1[:, 0].max() == 0
    assert x1[:, -1].min() == len(PALETTE) - 1


def test_a_stale_diagram_rebuilds_before_its_frame():
    """A frame drawn before the diagram heard of a new network still matches it."""
    state, diagram = make()
    diagram._built_for = -1
    frame = diagram.frame(state.node_maps())
    assert diagram._built_for == state.network_version
    assert len(frame["weights"]) == n_links(state.net.sizes)


def test_tap_on_input_node_toggles_the_feature():
    state, diagram = make()
    diagram.tap(["node", list(FEATURES).index("xSquared")])
    assert state.features == ["x", "y", "xSquared"]
    diagram.tap(["node", 0])
    assert state.features == ["y", "xSquared"]


@pytest.mark.parametrize(
    "target",
    [["node", N_FEATURES], ["node", -1], ["node", 1.5], ["link", 10**6], ["bias", "0"],
     ["bias", True], ["nothing", 0], "node", None, ["node"], ["link", float("inf")]],
)  # fmt: skip
def test_taps_on_hidden_nodes_and_garbage_change_nothing(target):
    state, diagram = make()
    diagram.tap(target)
    assert state.features == ["x", "y"]
    assert state.network_version == 1
    assert diagram.editing == ()


def test_tap_on_link_opens_editor_and_typing_sets_the_weight():
    state, diagram = make()
    diagram.tap(["link", diagram._link_keys.index((0, 0, 0))])
    assert diagram.editing == ("weight", 0, 0, 0)
    assert diagram.editor_row.visible
    assert diagram.editor.label == "Weight X₁ → neuron 1 of layer 1"
    diagram.editor.value_input = "0.5"
    assert state.net.weight(0, 0, 0) == 0.5
    assert not diagram.editor_hint.visible


def test_garbage_keystrokes_change_nothing_and_show_the_hint():
    state, diagram = make()
    diagram.tap(["link", 0])
    before = state.net.params.copy()
    for text in ("abc", "-", "nan", "1e999"):
        diagram.editor.value_input = text
        assert diagram.editor_hint.visible
    np.testing.assert_array_equal(state.net.params, before)
    diagram.editor.value_input = ""
    assert not diagram.editor_hint.visible


def test_tap_on_bias_edits_the_bias_and_enter_closes():
    state, diagram = make()
    diagram.tap(["bias", diagram._bias_keys.index((2, 0))])
    assert diagram.editor.label == "Bias of output"
    diagram.editor.value_input = "-1.5"
    assert state.net.bias(2, 0) == -1.5
    diagram.editor.param.trigger("enter_pressed")
    assert diagram.editing == ()
    assert not diagram.editor_row.visible
    diagram.editor.value_input = "3"  # closed: typing goes nowhere
    assert state.net.bias(2, 0) == -1.5


def test_opening_the_editor_does_not_write_the_rounded_value():
    state, diagram = make()
    state.set_weight(0, 0, 0, 0.123456789)
    diagram.tap(["link", diagram._link_keys.index((0, 0, 0))])
    assert state.net.weight(0, 0, 0) == 0.123456789


def test_a_rebuild_closes_the_editor():
    state, diagram = make()
    diagram.tap(["link", 0])
    state.add_layer()
    assert diagram.editing == ()
    assert not diagram.editor_row.visible


def test_layer_and_neuron_buttons_change_the_shape():
    state, diagram = make()
    diagram.change_layers(1)
    assert state.network_shape == [4, 2, 2]
    assert diagram.scene()["header"]["text"] == "3 HIDDEN LAYERS"
    diagram.change_neurons([1, 1])
    assert state.network_shape == [4, 3, 2]
    assert [layer["caption"] for layer in diagram.scene()["layers"]] == [
        "4 neurons",
        "3 neurons",
        "2 neurons",
    ]
    diagram.change_neurons([0, -1])
    assert state.network_shape == [3, 3, 2]
    diagram.change_layers(-1)
    assert state.network_shape == [3, 3]
    for garbage in (2, "1", None, [0, 2], [5, 1], [0], "x"):
        diagram.change_layers(garbage)
        diagram.change_neurons(garbage)
    assert state.network_shape == [3, 3]


def test_buttons_are_disabled_at_the_limits():
    _, diagram = make(shape=(1, 8))
    first, second = diagram.scene()["layers"]
    assert (first["add"], first["remove"]) == (True, False)
    assert (second["add"], second["remove"]) == (False, True)
    assert first["caption"] == "1 neuron"
    _, empty = make(shape=())
    header = empty.scene()["header"]
    assert (header["add"], header["remove"], header["text"]) == (True, False, "0 HIDDEN LAYERS")
    assert empty.scene()["layers"] == []
    _, full = make(shape=(1,) * 6)
    assert full.scene()["header"]["add"] is False


def test_neuron_controls_sit_above_their_layers():
    _, diagram = make(shape=(4, 2, 3))
    centres = [layer["centre"] for layer in diagram.scene()["layers"]]
    assert centres == [left + NODE / 2 for left in diagram.layer_lefts]


def test_hover_sets_preview_node():
    _, diagram = make()
    diagram.hover(1)
    assert diagram.preview_node == ("feature", "y")
    diagram.hover(N_FEATURES + 5)  # layer 2's second neuron
    assert diagram.preview_node == ("node", 5)
    for nothing in (-1, 10**6, None, "3", 2.5):
        diagram.hover(nothing)
        assert diagram.preview_node is None


def test_hidden_features_are_not_drawn():
    state = PlaygroundState(seed="0.31415", features=["x", "y"])
    diagram = NetworkDiagram(state, hidden_features=["sinX", "sinY"])
    nodes = diagram.scene()["nodes"]
    assert nodes["label"][: N_FEATURES - 2] == ["X₁", "X₂", "X₁²", "X₂²", "X₁X₂"]
    assert len(nodes["x"]) == N_FEATURES - 2 + 4 + 2 + 1
    assert diagram.frame(state.node_maps())["thumbs"].size == 100 * len(nodes["x"])
    diagram.tap(["node", 4])
    assert state.features == ["x", "y", "xTimesY"]


def test_block_means_match_reduce_matrix_and_keep_nan_local():
    rng = np.random.default_rng(0)
    maps = rng.uniform(-3, 3, (5, 100, 100)).astype(np.float32)
    maps[2, 57, 13] = np.nan
    expected = maps.reshape(5, 10, 10, 10, 10).mean(axis=(2, 4))
    got = block_means(maps)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert np.isnan(got).sum() == 1
    assert np.isnan(got[2, 5, 1])


def test_layout_helpers():
    assert pretty_label("X1^2") == "X₁²"
    assert pretty_label("sin(X2)") == "sin(X₂)"
    (only,) = hidden_lefts(1, 500)
    assert only == pytest.approx((118 + 470) / 2)  # one layer sits in the middle
    lefts = hidden_lefts(6, 500)
    assert 118 < lefts[0] < lefts[-1] < 470
