"""The colour setting (``?palette=``): a colour-blind safe palette that stays readable
under simulated dichromacy, read from and written to the URL, and a change that only
recolours (the scene is sent again with its colours, nothing is retrained)."""

import itertools
import re

import numpy as np
import pytest

from playground.colors import (
    HEATMAP_ALPHA,
    NAN_COLOR,
    PALETTE,
    PALETTES,
    SCALE,
    diverging,
    map_palette,
    rgb,
    tint,
)
from playground.state import PlaygroundState
from playground.url import parse_query, query_from_state, scene_from_query
from playground.views.compose import FrameComposer
from playground.views.data_picker import DatasetPicker, tile_image, tile_picture
from playground.views.explain import legend
from playground.views.network import NetworkDiagram
from tests.test_class_colors import DICHROMACY, cie_lab, linear_rgb

DICHROMATS = [vision for vision in DICHROMACY if vision != "normal vision"]
MIDDLE = len(PALETTE) // 2


def seen(colour: str, vision: str) -> np.ndarray:
    """CIE L*a*b* of ``colour`` as ``vision`` sees it."""
    return cie_lab(np.array(DICHROMACY[vision]) @ linear_rgb(colour))


def apart(a: str, b: str, vision: str) -> float:
    """CIE76 difference; over 12 is clear at a glance (see test_class_colors.py)."""
    return float(np.linalg.norm(seen(a, vision) - seen(b, vision)))


def on_heatmap(colour: str) -> str:
    """A colour as the output plot shows it: at HEATMAP_ALPHA over the white page."""
    return tint(colour, HEATMAP_ALPHA)


def weakest_sign_gap(shades, steps: int) -> float:
    """Under the worst dichromacy, how far apart the shades ``steps`` either side of the
    middle look on the heatmap: can a weak positive be told from a weak negative?"""
    low, high = on_heatmap(shades[MIDDLE - steps]), on_heatmap(shades[MIDDLE + steps])
    return min(apart(low, high, vision) for vision in DICHROMATS)


def test_diverging_rebuilds_the_original_shades_from_its_three_colours():
    assert diverging(SCALE) == PALETTE


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_every_palette_runs_from_its_low_through_its_middle_to_its_high(name):
    palette = PALETTES[name]
    assert len(palette.shades) == len(PALETTE)
    assert all(re.fullmatch("#[0-9a-f]{6}", c) for c in (*palette.shades, *palette.scale))
    low, middle, high = palette.scale
    assert (palette.shades[0], palette.shades[MIDDLE], palette.shades[-1]) == (low, middle, high)
    # Maps and points index the same table whatever the palette: NaN grey after the shades.
    table = map_palette(2, name)
    assert table[: len(PALETTE)] == list(palette.shades)
    assert table[len(PALETTE)] == NAN_COLOR


@pytest.mark.parametrize("vision", DICHROMATS)
def test_colour_blind_palette_keeps_the_signs_and_the_middle_apart(vision):
    palette = PALETTES["colorblind"]
    low, middle, high = palette.scale
    assert apart(low, high, vision) > 60
    for end in (low, high):
        assert apart(end, middle, vision) > 50
        assert apart(on_heatmap(end), on_heatmap(middle), vision) > 35
    # Each side reads as a scale, hue or no hue: every step from the middle is darker.
    for side in (palette.shades[MIDDLE::-1], palette.shades[MIDDLE:]):
        lightness = [seen(shade, vision)[0] for shade in side]
        assert all(b < a - 0.5 for a, b in itertools.pairwise(lightness))


def test_colour_blind_palette_tells_weak_signs_apart_better_than_the_original():
    # Values of about ±0.13 and ±0.27, as the output plot shows them near the boundary.
    for steps, clear in ((2, 15), (4, 25)):
        safe = weakest_sign_gap(PALETTES["colorblind"].shades, steps)
        original = weakest_sign_gap(PALETTE, steps)
        assert safe > clear
        assert safe > 1.4 * original


def scene_of(text: str):
    return scene_from_query(parse_query(text))


def test_palette_round_trips_through_the_url_and_the_default_is_not_written():
    assert "palette=" not in query_from_state(PlaygroundState(seed="1"))
    state = PlaygroundState(seed="1", palette="colorblind")
    query = query_from_state(state)
    assert "&palette=colorblind" in query
    scene = scene_of(query)
    assert scene.notes == []
    assert scene.settings["palette"] == "colorblind"
    assert scene_of("palette=ColorBlind").settings["palette"] == "colorblind"


def test_a_bad_palette_gives_a_note_and_the_original_colours():
    scene = scene_of("palette=neon")
    assert "palette" not in scene.settings
    assert scene.notes == ["palette=neon is not a palette (original, colorblind); using original."]
    assert scene.note_settings == ("palette",)


def test_a_new_palette_resends_the_scene_and_retrains_nothing():
    state = PlaygroundState(seed="1")
    composer = FrameComposer(state, NetworkDiagram(state))
    first, _ = composer.message(1)
    assert first["scene"]["palette"][: len(PALETTE)] == PALETTE
    assert first["scene"]["scale"] == list(SCALE)
    assert "scene" not in composer.message(2)[0]  # sent once, until something changes
    state.step()
    weights, epoch = state.net.params.copy(), state.epoch
    state.palette = "colorblind"
    again, _ = composer.message(3)
    safe = PALETTES["colorblind"]
    assert again["scene"]["palette"][: len(PALETTE)] == list(safe.shades)
    assert again["scene"]["scale"] == list(safe.scale)
    assert state.epoch == epoch
    np.testing.assert_array_equal(state.net.params, weights)


def test_dataset_tiles_follow_the_palette():
    state = PlaygroundState(seed="1")
    tiles = DatasetPicker(state).tiles
    pictures = {t["name"]: t["picture"] for t in tiles.tiles}
    assert pictures["circle"] == tile_picture("circle", "original")
    state.palette = "colorblind"
    again = {t["name"]: t["picture"] for t in tiles.tiles}
    assert again["circle"] == tile_picture("circle", "colorblind") != pictures["circle"]
    # The many-class sets keep their class colours; the others take the new shades.
    assert again["blobs"] == pictures["blobs"]
    shades = PALETTES["colorblind"].shades
    image = tile_image("circle", "colorblind")
    for shade in (shades[0], shades[-1]):
        assert np.all(image == rgb(shade), axis=2).any()
    assert not np.all(image == rgb(PALETTE[0]), axis=2).any()


def test_the_legend_follows_the_palette():
    state = PlaygroundState(seed="1")
    pane = legend(state)
    assert PALETTE[0] in pane.object
    assert PALETTES["colorblind"].shades[0] not in pane.object
    state.palette = "colorblind"
    assert PALETTES["colorblind"].shades[0] in pane.object
    assert PALETTE[0] not in pane.object
