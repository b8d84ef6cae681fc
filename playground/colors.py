"""The original's colours: a 31-shade palette for maps and points, a continuous scale
for links and biases. Maps travel to the browser as uint8 palette indices; the browser
interpolates the continuous scale itself (assets/live_view.js) between ``SCALE``'s
three colours."""

import numpy as np

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
