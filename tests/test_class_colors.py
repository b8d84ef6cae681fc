"""Class colours for multi-class data (distinct, colour-blind safe, orange and blue for
2 classes) and the dataset tiles that use them."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from playground.colors import (
    CLASS_COLORS,
    PALETTE,
    SCALE,
    class_color_index,
    class_colors,
    quantize,
)
from playground.datasets import MAX_CLASSES, MIN_CLASSES, class_labels
from playground.state import PlaygroundState
from playground.views.data_picker import (
    MARGIN,
    OUTLINE,
    THUMBNAIL_CLASSES,
    TILE,
    DatasetPicker,
    thumbnail_colors,
    thumbnail_points,
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


@pytest.mark.parametrize("classes", range(MIN_CLASSES, MAX_CLASSES + 1))
def test_k_distinct_hex_colours_in_a_fixed_order(classes):
    colors = class_colors(classes)
    assert len(colors) == len(set(colors)) == classes
    assert all(re.fullmatch("#[0-9a-f]{6}", c) for c in colors)
    assert colors == list(CLASS_COLORS[:classes])  # adding a class adds a colour, keeps the rest
    assert len(CLASS_COLORS) == MAX_CLASSES


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
    for classes in (1, 7):
        with pytest.raises(ValueError, match="from 2 to 6"):
            class_colors(classes)
        with pytest.raises(ValueError, match="from 2 to 6"):
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
    picker = DatasetPicker(state)
    tiles = picker._tiles.data
    assert tiles["name"] == ["circle", "xor", "gauss", "spiral", "spirals", "blobs"]
    # Every tile lies wholly inside the figure, border and all, the first at the top left.
    half = TILE / 2 + OUTLINE / 2
    assert min(tiles["y"]) - half >= 0
    assert max(tiles["y"]) + half <= picker.figure.height
    assert min(tiles["x"]) - half >= 0
    assert max(tiles["x"]) + half <= picker.figure.width
    assert tiles["x"][0] == min(tiles["x"])
    assert tiles["y"][0] == max(tiles["y"])
    assert len(set(tiles["y"])) == 3  # three rows of two
    state.problem = "regression"
    assert picker._tiles.data["name"] == ["reg-plane", "reg-gauss"]
    # One row, and no room kept for the classification sets' rows.
    assert picker.figure.height == TILE + 2 * MARGIN
    assert picker.figure.y_range.end == picker.figure.height
    assert min(picker._tiles.data["y"]) - half >= 0


def test_thumbnail_points_stay_inside_their_tiles():
    picker = DatasetPicker(PlaygroundState(seed="1"))
    points, tiles = picker._points.data, picker._tiles.data
    inner = TILE / 2 - OUTLINE  # inside the border
    for x, y in zip(points["x"], points["y"], strict=True):
        assert any(
            abs(x - cx) <= inner and abs(y - cy) <= inner
            for cx, cy in zip(tiles["x"], tiles["y"], strict=True)
        )
