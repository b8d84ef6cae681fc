"""The 8 by 8 digits: the shipped data, their scene's accuracy, and how the page shows
a table of images (one input picture, weights as images, a gallery of test images)."""

import numpy as np
import pytest

from playground.datasets import DATASETS, SeedRandom, make_data
from playground.datasets.digits import COLUMNS, images
from playground.inputs import picture_of
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.views.data_picker import DatasetPicker, tiled
from playground.views.image_inputs import DIGITS_SCENE, GALLERY, MIDDLE
from playground.views.network import NetworkDiagram
from playground.views.pictures import THUMB


def digits_state(**settings) -> PlaygroundState:
    return PlaygroundState(seed="digits", dataset="digits", **{**DIGITS_SCENE, **settings})


def test_the_shipped_images():
    pixels, labels = images()
    assert pixels.shape == (1797, 64)
    assert labels.shape == (1797,)
    assert pixels.dtype == labels.dtype == np.uint8
    assert pixels.max() == 16
    assert pixels.min() == 0
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert not pixels.flags.writeable
    spec = DATASETS["digits"]
    assert (spec.problem, spec.max_classes, spec.fixed_classes) == ("classification", 10, True)
    assert spec.inputs.columns == COLUMNS
    assert picture_of("digits") == (8, 8)
    data = make_data("digits", 0, 50, SeedRandom("s"), classes=2)  # 10 whatever it is asked
    assert data.X_train.shape == (898, 64)
    assert data.X_test.shape == (899, 64)
    assert set(np.unique(data.y_train)) == set(range(10))
    assert data.X_train.max() == 1.0


def test_the_digits_scene_learns_nine_in_ten_test_images():
    state = digits_state()
    assert state.config.sizes == (64, 8, 10)
    for _ in range(20):
        state.train(1)
        if state.trainer.test_accuracy >= 0.9:
            break
    assert state.trainer.test_accuracy >= 0.9
    assert state.epoch <= 10  # counted in epochs; benchmarks/engine.py times one
    assert state.trainer.confusion_matrix().shape == (10, 10)


def test_the_tile_opens_the_digits_scene():
    state = PlaygroundState(seed="s")
    assert "digits" in tiled("classification")
    DatasetPicker(state).pick("digits")
    assert state.dataset == "digits"
    assert {name: getattr(state, name) for name in DIGITS_SCENE} == DIGITS_SCENE
    assert state.config.sizes == (64, 8, 10)


def test_the_inputs_are_one_picture_and_the_first_layer_shows_its_weights():
    state = digits_state(network_shape=[3, 2])
    diagram = NetworkDiagram(state)
    scene = diagram.scene()
    assert scene["n_inputs"] == 1
    assert scene["nodes"]["label"][0] == "8\u00d78 image"
    assert len(scene["nodes"]["x"]) == 1 + 3 + 2 + 10
    assert len(scene["links"]["x0"]) == 3 * 2 + 2 * 10  # the image's 64 x 3 are its picture
    frame = diagram.frame(state.node_maps())
    assert len(frame["weights"]) == len(scene["links"]["x0"])
    np.testing.assert_array_equal(
        frame["weights"][:6], state.net.layers[1][:-1].ravel().astype(np.float32)
    )
    thumbs = frame["thumbs"].reshape(-1, THUMB, THUMB)
    assert (thumbs[:4, 0] == MIDDLE).all()  # the image and 3 neurons framed in the middle shade
    first = state.net.layers[0][:-1, 0]  # neuron 1's weights from the 64 pixels
    inner = thumbs[1, 1:9, 1:9].ravel()
    assert inner[np.argmax(first)] == 30
    assert inner[np.argmin(first)] == 0
    ink = state.data.X_test[0]
    assert thumbs[0, 1:9, 1:9].ravel()[np.argmax(ink)] == 30
    features = list(state.features)
    diagram.tap(["node", 0])  # the image is no switch
    assert state.features == features
    diagram.hover(0)  # nor has a map: the plot keeps its gallery
    assert diagram.scene()["n_inputs"] == 1


def test_a_frame_carries_the_gallery():
    state = digits_state()
    app = PlaygroundApp(state)
    state.train(3)
    message, arrays = app.composer.message(1)
    assert message["scene"]["gallery"]["shape"] == [8, 8]
    assert message["scene"]["table_hint"] is None  # the gallery says what it shows
    assert message["scene"]["gallery"]["names"] == [str(k) for k in range(10)]
    assert arrays["gallery_ink"].shape == (GALLERY * 64,)
    _, given = state.trainer.class_indices("test")
    np.testing.assert_array_equal(arrays["gallery_given"], given[:GALLERY])
    np.testing.assert_array_equal(arrays["gallery_true"], state.data.y_test[:GALLERY])
    assert message["draw"]["offered"] is False  # nothing to draw on a table
    _again, arrays = app.composer.message(2)
    assert "gallery_ink" not in arrays
    assert "gallery_given" in arrays
    app._show_image(5)
    app.composer.restart()  # whole pictures, not their changes (views/delta.py)
    third = app.composer.message(3)[1]["thumbs"].reshape(-1, THUMB, THUMB)
    ink = state.data.X_test[5]
    assert third[0, 1:9, 1:9].ravel()[np.argmax(ink)] == 30


@pytest.mark.parametrize("index", [0, GALLERY - 1])
def test_clicking_a_gallery_image_needs_a_table_of_images(index):
    app = PlaygroundApp(PlaygroundState(seed="s"))
    app._show_image(index)  # a plane: nothing to show, and no error
    assert app.diagram.images is None
