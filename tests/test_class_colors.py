"""Class colours for multi-class data (distinct, colour-blind safe, orange and blue for
2 classes) and the dataset tiles that use them."""

from __future__ import annotations

import base64
import itertools
import re
from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from playground.colors import (
    CLASS_COLORS,
    PALETTE,
    SCALE,
    class_color_index,
    class_colors,
    quantize,
    rgb,
)
from playground.datasets import MIN_CLASSES, MOST_CLASSES, class_labels
from playground.state import PlaygroundState
from playground.views.data_picker import (
    GAP,
    MARGIN,
    OUTLINE,
    PIXELS,
    POINT,
    THUMBNAIL_CLASSES,
    TILE,
    DatasetPicker,
    thumbnail_colors,
    thumbnail_points,
    tile_image,
    tile_picture,
)

# Machado, Oliveira and Fernandes (2009), severity 1: linear-RGB simulations of the three
# kinds of dichromacy.
DICHROMACY = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
    "normal vision": np.eye(3).tolist(),
}


def linear_rgb(hex_color: str) -> np.ndarray:
    srgb = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def cie_lab(rgb: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65 white) of a linear-RGB colour."""
    to_xyz = [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    xyz = np.array(to_xyz) @ np.clip(rgb, 0, 1) / [0.95047, 1.0, 1.08883]
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("classes", range(MIN_CLASSES, MOST_CLASSES + 1))
def test_k_distinct_hex_colours_in_a_fixed_order(classes):
    colors = class_colors(classes)
    assert len(colors) == len(set(colors)) == classes
    assert all(re.fullmatch("#[0-9a-f]{6}", c) for c in colors)
    assert colors == list(CLASS_COLORS[:classes])  # adding a class adds a colour, keeps the rest
    assert len(CLASS_COLORS) == MOST_CLASSES == 10  # the digits' classes


def test_two_classes_keep_the_original_orange_and_blue():
    labels = np.array([-1.0, 1.0, 1.0, -1.0])
    by_class = [CLASS_COLORS[i] for i in class_color_index(labels, 2)]
    by_output_palette = [PALETTE[i] for i in quantize(labels)]
    assert by_class == by_output_palette == [SCALE[0], SCALE[2], SCALE[2], SCALE[0]]


def test_many_classes_index_their_colour_by_label():
    labels = np.array([3.0, 0.0, 2.0, 1.0, 3.0])
    index = class_color_index(labels, 4)
    assert index.dtype == np.uint8
    np.testing.assert_array_equal(index, [3, 0, 2, 1, 3])
    np.testing.assert_array_equal(class_color_index(class_labels(6), 6), np.arange(6))


def test_bad_class_counts_and_labels_are_refused():
    for classes in (1, 11):
        with pytest.raises(ValueError, match="from 2 to 10"):
            class_colors(classes)
        with pytest.raises(ValueError, match="from 2 to 10"):
            class_color_index(np.zeros(3), classes)
    with pytest.raises(ValueError, match="must be among"):
        class_color_index(np.array([0.0, 1.0]), 2)  # 0 is not a 2-class label
    with pytest.raises(ValueError, match="must be among"):
        class_color_index(np.array([0.5]), 3)


@pytest.mark.parametrize("vision", sorted(DICHROMACY))
def test_colours_stay_apart_for_colour_blind_eyes(vision):
    simulate = np.array(DICHROMACY[vision])
    lab = [cie_lab(simulate @ linear_rgb(c)) for c in CLASS_COLORS]
    # A CIE76 difference over 12 is clear at a glance; a plain red (#d62728) against a plain
    # green (#2ca02c) gives about 7 under deuteranopia.
    closest = min(np.linalg.norm(a - b) for a, b in itertools.combinations(lab, 2))
    assert closest > 12


def test_multiclass_tiles_show_their_classes_in_class_colours():
    for name in ("spirals", "blobs"):
        _, y = thumbnail_points(name)
        assert set(thumbnail_colors(name, y)) == set(class_colors(THUMBNAIL_CLASSES))
    _, y = thumbnail_points("circle")
    assert set(thumbnail_colors("circle", y)) == {SCALE[0], SCALE[2]}


def test_picker_lists_the_multiclass_sets_with_the_classification_sets():
    state = PlaygroundState(seed="1")
    tiles = DatasetPicker(state).tiles
    names = [t["name"] for t in tiles.tiles]
    assert names == ["circle", "xor", "gauss", "spiral", "spirals", "blobs", "digits"]
    # Four rows of two, the borders inside the margin.
    assert tiles.width == 2 * TILE + GAP + 2 * MARGIN
    assert tiles.height == 4 * TILE + 3 * GAP + 2 * MARGIN
    assert tiles.current == "circle"
    state.problem = "regression"
    assert [t["name"] for t in tiles.tiles] == ["reg-plane", "reg-gauss"]
    assert tiles.current == state.reg_dataset
    # One row, and no room kept for the classification sets' rows.
    assert tiles.height == TILE + 2 * MARGIN


def colour_pixels(image: np.ndarray, colour: str) -> np.ndarray:
    """(row, column) of every pixel of ``image`` in ``colour``."""
    return np.argwhere(np.all(image == rgb(colour), axis=2))


def test_a_tile_draws_its_points_where_they_are_with_up_at_the_top():
    """Gauss: the positive class around (2, 2), the negative around (-2, -2)."""
    image = tile_image("gauss")
    side = (TILE - 2 * OUTLINE) * PIXELS
    assert image.shape == (side, side, 3)
    positive = colour_pixels(image, PALETTE[-1]).mean(axis=0)
    negative = colour_pixels(image, PALETTE[0]).mean(axis=0)
    # Rows grow downwards: (2, 2) is a third of the way from the top right corner.
    np.testing.assert_allclose(positive, [side / 3, 2 * side / 3], atol=side / 20)
    np.testing.assert_allclose(negative, [2 * side / 3, side / 3], atol=side / 20)
    # Every other pixel is the white behind the points.
    X, _ = thumbnail_points("gauss")
    drawn = np.any(image != 255, axis=2)
    assert 0 < drawn.sum() <= len(X) * POINT**2


def test_a_tile_picture_is_its_image_as_a_png():
    url = tile_picture("spirals")
    assert url.startswith("data:image/png;base64,")
    decoded = Image.open(BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")
    np.testing.assert_array_equal(np.asarray(decoded), tile_image("spirals"))
    for colour in class_colors(THUMBNAIL_CLASSES):
        assert len(colour_pixels(tile_image("spirals"), colour)) > 0
