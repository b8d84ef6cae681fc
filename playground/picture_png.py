"""The page's pictures as PNG files, without an image library: the output plot with its
points, the loss chart, and for a table of images the test images with the class the
network gives each.

Drawn with NumPy into RGB arrays and written by ``playground.png``. Imports no UI
library.
"""

from __future__ import annotations

import numpy as np

from playground import inputs
from playground.colors import HEATMAP_ALPHA, map_palette, rgb
from playground.datasets import DataSplit
from playground.engine import Network, feature_matrix
from playground.engine.grid import GridEvaluator
from playground.png import encode_png
from playground.run_config import RunConfig
from playground.views.output import EXTENT, point_set
from playground.views.pictures import Pictures

CELL = 4  # picture pixels per grid cell: 400 x 400 for the 100 x 100 grid
MARGIN = 12  # white around the plot
RADIUS = 4.5  # a point's disc, pixels
CHART = (600, 300)  # the loss chart, width x height
TRAIN_INK, TEST_INK = (119, 119, 119), (0, 0, 0)  # the page's chart: grey and black
GALLERY = 40  # test images in the gallery picture
IMAGE_CELL = 6  # picture pixels per image pixel
RIGHT, WRONG = (46, 139, 87), (200, 85, 61)  # a frame: the class given is right or wrong


def _over_white(hex_colour: str, alpha: float) -> tuple[int, int, int]:
    return tuple(round(255 + (c - 255) * alpha) for c in rgb(hex_colour))


def _disc(image: np.ndarray, cx: float, cy: float, radius: float, colour) -> None:
    h, w, _ = image.shape
    r = int(np.ceil(radius))
    rows = slice(max(0, int(cy) - r), min(h, int(cy) + r + 2))
    cols = slice(max(0, int(cx) - r), min(w, int(cx) + r + 2))
    yy, xx = np.mgrid[rows, cols]
    image[rows, cols][(xx - cx) ** 2 + (yy - cy) ** 2 <= radius**2] = colour


def plot_image(
    config: RunConfig,
    net: Network,
    data: DataSplit,
    *,
    discretize: bool = False,
    palette: str = "original",
    show_test: bool = False,
) -> np.ndarray:
    """The output plot as the page shows it: the output over [-6, 6]² under the training
    points (white rims) and, with ``show_test``, the test points (black rims)."""
    maps = GridEvaluator(list(config.features), config.sizes).evaluate(net)
    indices = Pictures(net.head, config.sizes[-1]).output(maps, discretize)
    colours = map_palette(config.classes, palette)
    table = np.array([_over_white(c, HEATMAP_ALPHA) for c in colours], np.uint8)
    side = 100 * CELL
    image = np.full((side + 2 * MARGIN, side + 2 * MARGIN, 3), 255, np.uint8)
    image[MARGIN:-MARGIN, MARGIN:-MARGIN] = table[indices].repeat(CELL, 0).repeat(CELL, 1)
    ink = np.array([rgb(c) for c in colours], np.uint8)
    sets = [(data.X_train, data.y_train, (255, 255, 255))]
    if show_test:
        sets.append((data.X_test, data.y_test, (0, 0, 0)))
    for X, y, rim in sets:
        points = point_set("p", X, y, config.classes)
        to_px = lambda v: MARGIN + (v + EXTENT) / (2 * EXTENT) * (side - 1)
        for x, yv, c in zip(points["p_x"], points["p_y"], points["p_c"], strict=True):
            _disc(image, to_px(x), to_px(-yv), RADIUS + 1, rim)
            _disc(image, to_px(x), to_px(-yv), RADIUS, ink[c])
    return image


def _line(image: np.ndarray, xs: np.ndarray, ys: np.ndarray, colour, width: float) -> None:
    """A polyline through (xs, ys) pixels, sampled densely; NaN breaks it."""
    for x0, y0, x1, y1 in zip(xs[:-1], ys[:-1], xs[1:], ys[1:], strict=True):
        if not np.isfinite([x0, y0, x1, y1]).all():
            continue
        steps = int(max(abs(x1 - x0), abs(y1 - y0)) * 2) + 1
        for t in np.linspace(0.0, 1.0, steps + 1):
            _disc(image, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, width / 2, colour)


def loss_image(epochs, train, test) -> np.ndarray:
    """The loss chart as the page draws it: training (grey) and test (black) loss against
    the epoch, over the range of every finite loss, with a frame."""
    width, height = CHART
    image = np.full((height, width, 3), 255, np.uint8)
    image[[0, -1], :] = image[:, [0, -1]] = 200
    epochs = np.asarray(epochs, float)
    series = [np.asarray(train, float), np.asarray(test, float)]
    finite = np.concatenate([s[np.isfinite(s)] for s in series])
    if len(epochs) == 0 or finite.size == 0:
        return image
    low, high = finite.min(), finite.max()
    pad = 0.05 * (high - low) or 0.01
    low, high = low - pad, high + pad
    span = max(epochs[-1], epochs[0] + 1) - epochs[0]
    xs = 8 + (epochs - epochs[0]) / span * (width - 16)
    for values, colour in zip(series, (TRAIN_INK, TEST_INK), strict=True):
        ys = height - 8 - (values - low) / (high - low) * (height - 16)
        _line(image, xs, ys, colour, 2.5)
    return image


# Digits 3 pixels wide and 5 high, row by row: the class a gallery image was given.
GLYPHS = [
    "111101101101111",
    "010110010010111",
    "111001111100111",
    "111001111001111",
    "101101111001001",
    "111100111001111",
    "111100111101111",
    "111001001001001",
    "111101111101111",
    "111101111001111",
]
GLYPH_CELL = 2  # picture pixels per glyph pixel


def _digit(image: np.ndarray, top: int, left: int, digit: int, colour) -> None:
    bits = np.array([int(b) for b in GLYPHS[digit]], bool).reshape(5, 3)
    mask = bits.repeat(GLYPH_CELL, 0).repeat(GLYPH_CELL, 1)
    h, w = mask.shape
    image[top : top + h, left : left + w][mask] = colour


def gallery_image(config: RunConfig, net: Network, data: DataSplit) -> np.ndarray:
    """The first test images, each in a frame green where the network's class is right,
    red where it is wrong, with that class's number under it (a table of images:
    ``Table.picture``)."""
    table = inputs.table_of(config.declared)
    rows, cols = table.picture
    X, y = data.X_test[:GALLERY], data.y_test[:GALLERY]
    matrix = feature_matrix(config.features, X, columns=table.columns)
    given = net.head.classify(net.predict(matrix))
    caption = 5 * GLYPH_CELL + 4
    tile_h, tile_w = rows * IMAGE_CELL + 8 + caption, cols * IMAGE_CELL + 8
    per_row = 10
    lines = max(1, -(-len(X) // per_row))
    image = np.full((lines * tile_h, per_row * tile_w, 3), 255, np.uint8)
    span = np.ptp(X) or 1.0
    for k, (row, label, guess) in enumerate(zip(X, y, given, strict=True)):
        top, left = (k // per_row) * tile_h, (k % per_row) * tile_w
        frame = RIGHT if guess == label else WRONG
        image[top + 1 : top + tile_h - caption - 1, left + 1 : left + tile_w - 1] = frame
        grey = 255 - np.round(255 * (row - X.min()) / span).astype(np.uint8)
        pixels = table.image(grey).repeat(IMAGE_CELL, 0).repeat(IMAGE_CELL, 1)
        inner = slice(top + 4, top + tile_h - caption - 4), slice(left + 4, left + tile_w - 4)
        image[inner] = pixels[..., None]
        number = max(int(guess), 0)  # ±1 for two classes: 0 and 1
        if number < len(GLYPHS):
            _digit(image, top + tile_h - caption + 1, left + tile_w // 2 - 3, number, frame)
    return image


def png(image: np.ndarray) -> bytes:
    return encode_png(image)
