"""The original's colours: a 31-shade palette for maps and points, a continuous scale
for links and biases. Maps travel to the browser as uint8 palette indices; the browser
interpolates the continuous scale itself (assets/live_view.js) between ``SCALE``'s
three colours. Multi-class data sets colour their points by class (``CLASS_COLORS``).

``PALETTES`` holds the choices of the ``palette`` setting: the original's, and one made
for colour-blind eyes."""

from typing import NamedTuple

import numpy as np

from playground.datasets import check_classes, class_index

# 31 shades from orange (-1) through grey (0) to blue (+1), as d3's quantize spreads them.
_SHADES = (
    "f59322 f4992f f39f3d f2a44a f2aa58 f1b065 f0b672 efbc80 eec18d edc79b eccda8 "
    "ebd3b5 ebd9c3 eaded0 e9e4de e8eaeb d9e2e8 cadbe5 bbd3e2 accbdf 9dc4dc 8ebcd9 "
    "7fb4d6 71add2 62a5cf 539dcc 4496c9 358ec6 2686c3 177fc0 0877bd"
)
PALETTE = ["#" + shade for shade in _SHADES.split()]
NAN_INDEX = len(PALETTE)  # one more colour: grey for NaN/inf, as the original shows them
NAN_COLOR = "#a0a0a0"
HEATMAP_ALPHA = 160 / 255
SCALE = ("#f59322", "#e8eaeb", "#0877bd")  # the continuous scale at -1, 0 and +1


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """'#f59322' -> (245, 147, 34)."""
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _mix(start: str, end: str, t: float) -> str:
    """The colour ``t`` of the way from ``start`` to ``end`` (0 … 1), in sRGB."""
    a, b = rgb(start), rgb(end)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


def diverging(scale: tuple[str, str, str], ramp: float = 1.0) -> list[str]:
    """``len(PALETTE)`` shades from ``scale[0]`` (-1) through ``scale[1]`` (0) to
    ``scale[2]`` (+1). A ``ramp`` below 1 moves small values further from the middle
    colour, so that their sign shows."""
    middle = len(PALETTE) // 2
    return [
        _mix(scale[1], scale[0] if i < middle else scale[2], (abs(i - middle) / middle) ** ramp)
        for i in range(len(PALETTE))
    ]


class Palette(NamedTuple):
    label: str
    shades: tuple[str, ...]  # the 31 shades of the maps and points, from -1 to +1
    scale: tuple[str, str, str]  # the links' and biases' continuous scale at -1, 0, +1


# Okabe and Ito's orange and blue keep the original's meaning (orange negative, blue
# positive) on the one axis, blue-yellow, that protanopes and deuteranopes see as well
# as anyone; a near-white middle and a steeper ramp set weak values of either sign
# apart (tests/test_palettes.py measures both under simulated colour blindness).
COLOUR_BLIND_SCALE = ("#e69f00", "#f7f7f7", "#0072b2")
PALETTES: dict[str, Palette] = {
    "original": Palette("Original", tuple(PALETTE), SCALE),
    "colorblind": Palette(
        "Colour-blind safe", tuple(diverging(COLOUR_BLIND_SCALE, ramp=0.7)), COLOUR_BLIND_SCALE
    ),
}


def quantize(values: np.ndarray, discretize: bool = False) -> np.ndarray:
    """Palette indices of values in [-1, 1]: clamp(floor(15.5 * (v + 1)), 0, 30) as uint8.

    Non-finite values get ``NAN_INDEX``; ``discretize`` maps v >= 0 to +1, else -1.
    """
    v = np.asarray(values, dtype=np.float32)
    finite = np.isfinite(v)
    with np.errstate(invalid="ignore"):
        if discretize:
            v = np.where(v >= 0, np.float32(1), np.float32(-1))
        idx = np.clip(np.floor(15.5 * (v + 1)), 0, len(PALETTE) - 1)
    return np.where(finite, idx, NAN_INDEX).astype(np.uint8)


# One colour per class, colour-blind safe: Okabe and Ito's palette, whose orange and blue
# are here the original's (close to theirs), so a 2-class set looks as it always has:
#   2 classes, labels -1, +1:        -1 -> CLASS_COLORS[0] orange, +1 -> CLASS_COLORS[1] blue
#   K > 2 classes, labels 0 … K-1:   label k -> CLASS_COLORS[k]
CLASS_COLORS = (
    SCALE[0],  # orange (-1, or class 0)
    SCALE[2],  # blue (+1, or class 1)
    "#009e73",  # bluish green
    "#d55e00",  # vermillion
    "#cc79a7",  # reddish purple
    "#56b4e9",  # sky blue
    # Four more for the digits' 10 classes: still apart under every simulated dichromacy
    # (tests/test_class_colors.py), if less far than the first six.
    "#f0e442",  # yellow
    "#332288",  # indigo
    "#8c564b",  # brown
    "#222222",  # near black
)


def class_colors(classes: int) -> list[str]:
    """The first ``classes`` colours: the colour of class k (label ``class_labels(K)[k]``)."""
    check_classes(classes)  # 2 … 10, else ValueError
    return list(CLASS_COLORS[:classes])


def class_color_index(labels: np.ndarray, classes: int) -> np.ndarray:
    """Each point's index into ``CLASS_COLORS`` as uint8: ±1 -> 0, 1 for 2 classes, else k -> k.

    Raises ValueError for a label that is not one of the K classes' labels.
    """
    return class_index(labels, classes).astype(np.uint8)


# Maps of K > 2 classes: each class's colour in LEVELS steps from the background's white
# (no confidence) to the full colour, after the 31 shades and the NaN grey.
LEVELS = 16
CLASS_BASE = NAN_INDEX + 1


def tint(hex_colour: str, t: float) -> str:
    """``hex_colour`` at strength ``t`` over white: 0 is white, 1 the colour itself."""
    return "#" + "".join(f"{round(255 + (c - 255) * t):02x}" for c in rgb(hex_colour))


def map_palette(classes: int, palette: str = "original") -> list[str]:
    """Every colour a map or point may take: the palette's 31 shades, NaN grey, then
    (K > 2) each class's shades, in the order ``class_shade`` counts them."""
    shades = []
    if classes > 2:
        for colour in class_colors(classes):
            shades += [tint(colour, (level + 1) / LEVELS) for level in range(LEVELS)]
    return [*PALETTES[palette].shades, NAN_COLOR, *shades]


def class_shade(winner: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """Palette indices (uint8) of class ``winner`` at ``strength`` in [0, 1]; NaN strength
    gets ``NAN_INDEX``."""
    s = np.asarray(strength, dtype=np.float32)
    finite = np.isfinite(s)
    with np.errstate(invalid="ignore"):
        level = np.clip(np.floor(s * LEVELS), 0, LEVELS - 1)
    index = CLASS_BASE + np.asarray(winner) * LEVELS + np.where(finite, level, 0)
    return np.where(finite, index, NAN_INDEX).astype(np.uint8)


def quantize_classes(scores: np.ndarray, discretize: bool = False) -> np.ndarray:
    """The picture of K class scores in [0, 1] (K, ...): the winning class, as strong as
    its lead over a uniform guess (1/K), or in full with ``discretize``."""
    k = len(scores)
    with np.errstate(invalid="ignore"):
        winner = np.nan_to_num(scores, nan=-np.inf).argmax(axis=0)
        top = scores.max(axis=0)
    strength = np.ones_like(top) if discretize else (top - 1 / k) / (1 - 1 / k)
    return class_shade(winner, np.where(np.isfinite(top), strength, np.nan))
