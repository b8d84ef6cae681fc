"""The network diagram's Bokeh sources and handlers, driven without a browser."""

import itertools

import numpy as np
import pytest

from playground.colors import NAN_INDEX, PALETTE, continuous, link_width, quantize
from playground.engine import FEATURES
from playground.state import PlaygroundState
from playground.views.network import (
    LINK_RAMP,
    NetworkDiagram,
    block_means,
    hidden_lefts,
    pretty_label,
)

N_FEATURES = len(FEATURES)


def make(features=("x", "y"), shape=(4, 2)) -> tuple[PlaygroundState, NetworkDiagram]:
    state = PlaygroundState(seed="0.31415", features=list(features), network_shape=list(shape))
    return state, NetworkDiagram(state)


def n_links(sizes) -> int:
    return sum(a * b for a, b in itertools.pairwise(sizes))


def tap(source, row: int) -> None:
    """What a TapTool click does: the browser sets the selection."""
    source.selected.indices = [row]


@pytest.mark.parametrize(
    ("features", "shape"),
    [(("x", "y"), (4, 2)), (("x",), ()), (tuple(FEATURES), (8,) * 6), ((), (3,))],
)
def test_counts_follow_the_network(features, shape):
    state, diagram = make(features, shape)
    sizes = state.net.sizes
    assert len(diagram.node_source.data["image"]) == N_FEATURES + sum(shape) + 1
    assert len(diagram.link_source.data["xs"]) == n_links(sizes)
    assert len(diagram.bias_source.data["bias"]) == sum(shape) + 1
    assert all(
        img.shape == (10, 10) and img.dtype == np.uint8 for img in diagram.node_source.data["image"]
    )


def test_rebuild_after_add_layer_and_toggle_feature():
    state, diagram = make()
    state.add_layer()  # [4, 2, 2]
    assert len(diagram.node_source.data["image"]) == N_FEATURES + 8 + 1
    assert len(diagram.link_source.data["xs"]) == n_links((2, 4, 2, 2, 1))
    state.toggle_feature("sinX")
    assert len(diagram.link_source.data["xs"]) == n_links((3, 4, 2, 2, 1))
    assert len(diagram.layer_lefts) == 3


def test_inactive_features_are_dimmer():
    _, diagram = make(features=("x", "sinY"))
    data = diagram.node_source.data
    active = [name in ("x", "sinY") for name in FEATURES]
    alpha = np.asarray(data["alpha"][:N_FEATURES])
    label_alpha = np.asarray(data["label_alpha"][:N_FEATURES])
    assert (alpha[active] == 1).all()
    assert (alpha[~np.array(active)] == 0.4).all()
    assert (label_alpha[~np.array(active)] == 0.5).all()
    assert list(data["label"][:N_FEATURES]) == [
        "X₁",
        "X₂",
        "X₁²",
        "X₂²",
        "X₁X₂",
        "sin(X₁)",
        "sin(X₂)",
    ]


def test_widths_and_colour_values_follow_weights_after_update():
    state, diagram = make()
    state.set_weight(0, 1, 0, 2.0)  # X1 -> neuron 2 of layer 1
    state.set_weight(1, 0, 3, -0.25)
    state.net.layers[2][0, 0] = 9.0  # beyond the clamp: width 10
    diagram.update(state.node_maps())
    weights = [state.net.weight(k, i, j) for k, i, j in diagram._link_keys]
    np.testing.assert_allclose(diagram.link_source.data["weight"], weights, rtol=1e-6)
    np.testing.assert_allclose(
        diagram.link_source.data["width"], [link_width(w) for w in weights], rtol=1e-6
    )
    assert max(diagram.link_source.data["width"]) == 10.0


def test_link_colour_scale_is_the_continuous_scale():
    """The browser maps the weight through this ramp: orange -1, grey 0, blue +1."""
    assert LINK_RAMP[0] == continuous(-1)
    assert LINK_RAMP[-1] == continuous(1)
    assert LINK_RAMP[len(LINK_RAMP) // 2] == continuous(0)
    _, diagram = make()
    mapper = diagram._link_renderer.glyph.line_color.transform
    assert (mapper.low, mapper.high) == (-1, 1)
    assert mapper.low_color == continuous(-1)
    assert mapper.high_color == continuous(1)


def test_biases_follow_the_network():
    state, diagram = make()
    state.set_bias(0, 2, -0.75)
    diagram.update(state.node_maps())
    biases = [state.net.bias(k, i) for k, i in diagram._bias_keys]
    np.testing.assert_allclose(diagram.bias_source.data["bias"], biases, rtol=1e-6)
    assert -0.75 in diagram.bias_source.data["bias"]


def test_nan_maps_give_nan_thumbnails_for_non_input_nodes():
    state, diagram = make()
    maps = np.full_like(state.node_maps(), np.nan)
    diagram.update(maps)
    images = diagram.node_source.data["image"]
    assert all((img == NAN_INDEX).all() for img in images[N_FEATURES:])
    assert not any((img == NAN_INDEX).any() for img in images[:N_FEATURES])
    assert (diagram.node_source.data["thumbs"][N_FEATURES:] == NAN_INDEX).all()


def test_a_frame_sends_thumbnails_as_one_uint8_column():
    """update() replaces only ``thumbs`` (one buffer); the image arrays change in place."""
    state, diagram = make()
    data = diagram.node_source.data
    image_column = data["image"]
    state.set_weight(0, 0, 0, 3.0)
    diagram.update(state.node_maps())
    assert data["image"] is image_column
    thumbs = data["thumbs"]
    assert thumbs.dtype == np.uint8
    assert thumbs.shape == (len(image_column), 100)
    np.testing.assert_array_equal(thumbs, np.stack(image_column).reshape(len(thumbs), 100))
    expected = quantize(block_means(state.node_maps()))
    np.testing.assert_array_equal(thumbs[N_FEATURES:], expected.reshape(-1, 100))
    (unpack,) = diagram.node_source.js_property_callbacks["change:data"]
    assert "nodes.change.emit()" in unpack.code


def test_discretize_uses_only_the_two_end_shades():
    state, diagram = make()
    diagram.update(state.node_maps(), discretize=True)
    used = np.unique(np.concatenate([img.ravel() for img in diagram.node_source.data["image"]]))
    assert set(used) <= {0, len(PALETTE) - 1}


def test_thumbnails_have_the_heatmaps_orientation():
    """Row 0 is y = +6 (drawn on top, origin="top_left"): X2's top row is blue."""
    _, diagram = make()
    x1, x2 = diagram.node_source.data["image"][:2]
    assert x2[0].min() == len(PALETTE) - 1
    assert x2[-1].max() == 0
    assert x1[:, 0].max() == 0
    assert x1[:, -1].min() == len(PALETTE) - 1


def test_tap_on_input_node_toggles_the_feature():
    state, diagram = make()
    tap(diagram.node_source, list(FEATURES).index("xSquared"))
    assert state.features == ["x", "y", "xSquared"]
    assert diagram.node_source.selected.indices == []
    tap(diagram.node_source, 0)
    assert state.features == ["y", "xSquared"]


def test_tap_on_hidden_node_changes_nothing():
    state, diagram = make()
    tap(diagram.node_source, N_FEATURES)
    assert state.features == ["x", "y"]
    assert state.network_version == 1


def test_tap_on_link_opens_editor_and_typing_sets_the_weight():
    state, diagram = make()
    row = diagram._link_keys.index((0, 0, 0))
    tap(diagram.link_source, row)
    assert diagram.editing == ("weight", 0, 0, 0)
    assert diagram._editor_row.visible
    assert diagram.editor.label == "Weight X₁ → neuron 1 of layer 1"
    assert diagram.link_source.selected.indices == []
    diagram.editor.value_input = "0.5"
    assert state.net.weight(0, 0, 0) == 0.5
    assert not diagram.editor_hint.visible


def test_garbage_keystrokes_change_nothing_and_show_the_hint():
    state, diagram = make()
    tap(diagram.link_source, 0)
    before = state.net.params.copy()
    for text in ("abc", "-", "nan", "1e999"):
        diagram.editor.value_input = text
        assert diagram.editor_hint.visible
    np.testing.assert_array_equal(state.net.params, before)
    diagram.editor.value_input = ""
    assert not diagram.editor_hint.visible


def test_tap_on_bias_edits_the_bias_and_enter_closes():
    state, diagram = make()
    row = diagram._bias_keys.index((2, 0))
    tap(diagram.bias_source, row)
    assert diagram.editor.label == "Bias of output"
    diagram.editor.value_input = "-1.5"
    assert state.net.bias(2, 0) == -1.5
    diagram.editor.param.trigger("enter_pressed")
    assert diagram.editing == ()
    assert not diagram._editor_row.visible
    diagram.editor.value_input = "3"  # closed: typing goes nowhere
    assert state.net.bias(2, 0) == -1.5


def test_opening_the_editor_does_not_write_the_rounded_value():
    state, diagram = make()
    state.set_weight(0, 0, 0, 0.123456789)
    tap(diagram.link_source, diagram._link_keys.index((0, 0, 0)))
    assert state.net.weight(0, 0, 0) == 0.123456789


def test_layer_and_neuron_buttons_change_the_shape():
    state, diagram = make()
    assert diagram.add_layer_button.label == "+"
    assert "ui-numHiddenLayers" in diagram.remove_layer_button.css_classes
    diagram.add_layer_button.clicks += 1
    assert state.network_shape == [4, 2, 2]
    assert diagram._layers_label.object == "3 HIDDEN LAYERS"
    plus, minus = diagram.neuron_buttons[1]
    plus.clicks += 1
    assert state.network_shape == [4, 3, 2]
    minus = diagram.neuron_buttons[0][1]  # rebuilt: fresh buttons
    minus.clicks += 1
    assert state.network_shape == [3, 3, 2]
    diagram.remove_layer_button.clicks += 1
    assert state.network_shape == [3, 3]


def test_buttons_are_disabled_at_the_limits():
    _, diagram = make(shape=(1, 8))
    assert diagram.neuron_buttons[0][1].disabled
    assert diagram.neuron_buttons[1][0].disabled
    _, empty = make(shape=())
    assert empty.remove_layer_button.disabled
    assert empty.neuron_buttons == []


def test_hover_sets_preview_node():
    _, diagram = make()
    diagram._hovered.data = {"index": [1]}
    assert diagram.preview_node == ("feature", "y")
    diagram._hovered.data = {"index": [N_FEATURES + 5]}  # layer 2's second neuron
    assert diagram.preview_node == ("node", 5)
    diagram._hovered.data = {"index": [-1]}
    assert diagram.preview_node is None


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
