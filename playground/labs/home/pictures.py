"""The home page's thumbnails: a playground scene trained headless and drawn as a PNG,
or a small SVG sketch of a lab.

A playground thumbnail is what the scene's link shows after training: the same run
settings (read from the link by ``playground.url``), the same seeded data and weights,
trained for a few hundred epochs, its output painted with the playground's palette over
a small grid, and the training points on top, as a PNG (``playground.png``).

Imports NumPy, the standard library and the playground's UI-free modules only.
"""

import hashlib
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from playground.colors import (
    CLASS_COLORS,
    HEATMAP_ALPHA,
    PALETTE,
    class_color_index,
    map_palette,
    quantize,
    rgb,
)
from playground.engine.grid import GridEvaluator
from playground.model import start_run
from playground.png import encode_png
from playground.run_config import RunConfig
from playground.settings import SETTINGS, run_settings
from playground.url import parse_query, scene_from_query
from playground.views.pictures import Pictures


class Trained(NamedTuple):
    """A playground scene's output after this many epochs, with its training points."""

    epochs: int = 300


class Sketch(NamedTuple):
    """A lab's picture: ``draw()`` returns SVG text."""

    draw: Callable[[], str]


GRID = 50  # output cells per side; each is SCALE x SCALE pixels
SCALE = 2
EXTENT = 6.0  # the playground's plane is [-6, 6]^2
POINT = 3  # a data point's square, pixels per side


# -- playground scenes ----------------------------------------------------------------


def _over_white(hex_colour: str, alpha: float) -> tuple[int, int, int]:
    return tuple(round(255 + (c - 255) * alpha) for c in rgb(hex_colour))


def run_config(query: str) -> tuple[RunConfig, bool]:
    """A playground link's query as a headless run's settings, and its ``discretize``."""
    settings = scene_from_query(parse_query(query)).settings
    if settings.get("problem") == "regression":
        settings["dataset"] = settings.get("reg_dataset", SETTINGS["reg_dataset"].default)
    runnable = {k: v for k, v in settings.items() if k in run_settings()}
    return RunConfig(**runnable), bool(settings.get("discretize", False))


def _to_pixel(values: np.ndarray, size: int) -> np.ndarray:
    """Plane coordinates in [-6, 6] to pixel indices in [0, size)."""
    t = (values + EXTENT) / (2 * EXTENT)
    return np.clip(np.round(t * (size - 1)).astype(int), 0, size - 1)


def scene_image(query: str, epochs: int) -> np.ndarray:
    """The output picture of the playground scene ``query`` after ``epochs`` epochs,
    with its training points: (GRID * SCALE, GRID * SCALE, 3) uint8."""
    config, discretize = run_config(query)
    _, data, trainer = start_run(config)
    trainer.run(epochs, losses=False)
    maps = GridEvaluator(list(config.features), config.sizes, GRID).evaluate(trainer.net)
    indices = Pictures(trainer.head, config.sizes[-1]).output(maps, discretize)
    # The plot draws the map at HEATMAP_ALPHA over its white background.
    table = np.array(
        [_over_white(c, HEATMAP_ALPHA) for c in map_palette(config.classes)], dtype=np.uint8
    )
    image = table[indices].repeat(SCALE, axis=0).repeat(SCALE, axis=1)
    _draw_points(image, data.X_train, data.y_train, config)
    return image


def _draw_points(image: np.ndarray, X: np.ndarray, y: np.ndarray, config: RunConfig) -> None:
    size = image.shape[0]
    if config.problem == "regression":
        colours = np.array([rgb(c) for c in PALETTE], np.uint8)[quantize(y)]
    else:
        table = np.array([rgb(c) for c in CLASS_COLORS], np.uint8)
        colours = table[class_color_index(y, config.classes)]
    cols = _to_pixel(X[:, 0], size)
    rows = _to_pixel(-X[:, 1], size)  # row 0 is the top, y = +6
    half = POINT // 2
    for dr in range(-half, half + 1):
        for dc in range(-half, half + 1):
            image[np.clip(rows + dr, 0, size - 1), np.clip(cols + dc, 0, size - 1)] = colours


def scene_png(query: str, epochs: int) -> bytes:
    return encode_png(scene_image(query, epochs))


# -- thumbnails, shipped or computed ----------------------------------------------------

# Training every scene takes seconds (benchmarks/home.py measures it), too long for the
# first visit of a page, so the trained thumbnails ship as PNG files made by
# ``python benchmarks/home.py --write``. A file is named after what it shows (the query
# and the epochs); one that is missing (a card just added) is computed, once a process.
SHIPPED = "home"  # a folder of playground.assets


def shipped_name(query: str, epochs: int) -> str:
    digest = hashlib.sha256(f"{query}|{epochs}".encode()).hexdigest()[:16]
    return f"{digest}.png"


def shipped_png(query: str, epochs: int) -> bytes | None:
    path = resources.files("playground.assets") / SHIPPED / shipped_name(query, epochs)
    return path.read_bytes() if path.is_file() else None


@cache
def thumbnail(query: str, picture: Trained | Sketch) -> tuple[str, bytes]:
    """(MIME type, bytes) of a link's thumbnail; ``query`` is the link's."""
    if isinstance(picture, Sketch):
        return "image/svg+xml", picture.draw().encode()
    png = shipped_png(query, picture.epochs) or scene_png(query, picture.epochs)
    return "image/png", png
