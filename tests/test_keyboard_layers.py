"""What the keyboard layers are built from: the diagram's node names and which nodes
each link and bias belong to (assets/keys.js labels its buttons with them), and the
dataset tiles' buttons (DatasetTiles)."""

import numpy as np
import pytest

from playground.datasets import DATASETS
from playground.state import PlaygroundState
from playground.views.data_picker import DatasetPicker
from playground.views.network import NODE, NetworkDiagram


def make(**settings) -> NetworkDiagram:
    return NetworkDiagram(PlaygroundState(seed="1", **settings))


def test_nodes_are_named_in_drawing_order():
    diagram = make(network_shape=[3, 2])
    names = diagram.scene()["nodes"]["name"]
    assert len(names) == diagram.n_nodes
    assert names[:2] == ["X₁", "X₂"]
    assert names[7:] == [
        "neuron 1 of layer 1",
        "neuron 2 of layer 1",
        "neuron 3 of layer 1",
        "neuron 1 of layer 2",
        "neuron 2 of layer 2",
        "output",
    ]


def test_many_class_outputs_are_numbered():
    names = make(dataset="spirals", num_classes=3).scene()["nodes"]["name"]
    assert names[-3:] == ["output 1", "output 2", "output 3"]


@pytest.mark.parametrize("shape", [[4, 2], [1], []])
def test_links_and_biases_name_the_nodes_they_join(shape):
    scene = make(network_shape=shape, features=["x", "sinY"]).scene()
    nodes, links, biases = scene["nodes"], scene["links"], scene["biases"]
    x, y = np.array(nodes["x"]), np.array(nodes["y"])
    # A link starts at its source's right edge and ends at its destination's left edge.
    np.testing.assert_allclose(np.array(links["x0"]), x[links["from"]] + NODE + 2)
    np.testing.assert_allclose(np.array(links["x1"]), x[links["to"]])
    # Links leave only switched-on inputs and enter only neurons and the output.
    assert {nodes["name"][i] for i in links["from"] if i < scene["n_inputs"]} == {"X₁", "sin(X₂)"}
    assert min(links["to"]) >= scene["n_inputs"]
    # Every neuron and the output has one bias square, at its bottom-left corner.
    assert sorted(biases["node"]) == list(range(scene["n_inputs"], len(nodes["x"])))
    np.testing.assert_array_less(np.array(biases["x"]), x[biases["node"]])
    np.testing.assert_array_less(y[biases["node"]], np.array(biases["y"]))


def test_each_tile_is_a_named_button_that_picks_its_set():
    state = PlaygroundState(seed="1")
    keys = DatasetPicker(state).tiles
    assert [t["label"] for t in keys.tiles] == [DATASETS[t["name"]].label for t in keys.tiles]
    assert keys.current == "circle"
    keys.browser_message({"pick": "xor"})
    assert state.dataset == "xor"
    assert keys.current == "xor"
    for garbage in ({"pick": "reg-plane"}, {"pick": ["xor"]}, "spiral", None):
        keys.browser_message(garbage)
    assert state.dataset == "xor"
    state.problem = "regression"
    keys.browser_message({"pick": "reg-gauss"})
    assert state.reg_dataset == "reg-gauss"
