"""Clickable dataset thumbnails: the current problem type's datasets, as the original.

Each tile is a button holding a picture of its set, 200 noise-free points from a fixed
seed. The sets never change, so each picture is drawn once per process for each palette
(a small PNG): a tab's picker is one component, with no figure behind it, and a mouse,
a finger and the keyboard (Tab, then Enter or Space) pick a set the same way. A tile's
name shows over the tile itself while it is hovered or focused; beside the pointer it
covered the next tile. The multi-class sets' tiles show ``THUMBNAIL_CLASSES`` classes in
the class colours."""

import math
from functools import cache
from typing import ClassVar

import numpy as np
import panel as pn
import param
from panel.custom import JSComponent

from playground.colors import CLASS_COLORS, PALETTES, class_color_index, quantize, rgb
from playground.datasets import DATASETS, SeedRandom
from playground.datasets.own import OWN_DATASETS
from playground.inputs import is_plane, picture_of
from playground.pipe.library import BrowserMessages
from playground.png import data_url, encode_png
from playground.state import PlaygroundState, datasets_of
from playground.views.focus import FOCUS_RING
from playground.views.image_inputs import OPENING

TILE, GAP, POINTS, COLUMNS = 60, 10, 200, 2  # px: a tile, the room between two
OUTLINE = 2  # px, the tiles' border
MARGIN = OUTLINE  # px around the tiles
THUMBNAIL_CLASSES = 3  # enough to show a set has more than two classes
PIXELS = 2  # picture pixels per CSS pixel: sharp on high-density screens
POINT = 5  # picture pixels, a point's square side (2.5 px, as the original's)


def tiled(problem: str) -> list[str]:
    """The problem's datasets that get a tile: generated planes and tables of images (a
    session's own points are drawn or uploaded, not picked; other tables have no
    picture)."""
    return [
        name
        for name in datasets_of(problem)
        if (is_plane(name) or picture_of(name)) and name not in OWN_DATASETS
    ]


def thumbnail_classes(name: str) -> int:
    """How many classes a tile draws (the original's sets ignore it)."""
    return THUMBNAIL_CLASSES if DATASETS[name].max_classes > 2 else 2


def tile_classes(name: str) -> dict[str, int]:
    """The class count a tile shows, as settings: what a click on it chooses (none for
    regression or a set whose classes are its own, such as the digits)."""
    spec = DATASETS[name]
    if spec.problem != "classification" or spec.fixed_classes:
        return {}
    return {"num_classes": thumbnail_classes(name)}


@cache
def thumbnail_points(name: str) -> tuple[np.ndarray, np.ndarray]:
    """200 noise-free points of a dataset, from a fixed seed so thumbnails never change
    (made once per process; read-only)."""
    rand = SeedRandom("thumbnail").random
    X, y = DATASETS[name].fn(POINTS, 0.0, rand, thumbnail_classes(name))
    X.flags.writeable = y.flags.writeable = False
    return X, y


def thumbnail_colors(name: str, y: np.ndarray, palette: str = "original") -> list[str]:
    """Multi-class sets by class colour; the others by the output's palette."""
    if DATASETS[name].max_classes > 2:
        return [CLASS_COLORS[i] for i in class_color_index(y, thumbnail_classes(name))]
    shades = PALETTES[palette].shades
    return [shades[i] for i in quantize(y)]


def images_tile(name: str) -> np.ndarray:
    """A table of images' tile: its first four images, two by two, dark on white."""
    X, _ = thumbnail_points(name)
    side = (TILE - 2 * OUTLINE) * PIXELS
    rows, cols = picture_of(name)
    cell = (side // 2 - 8) // max(rows, cols)  # and a margin between the images
    image = np.full((side, side, 3), 255, np.uint8)
    ink = np.round(255 * (1 - (X[:4] - X.min()) / (np.ptp(X) or 1.0))).astype(np.uint8)
    for k, row in enumerate(ink):
        block = row.reshape(rows, cols).repeat(cell, 0).repeat(cell, 1)
        top, left = (k // 2) * (side // 2), (k % 2) * (side // 2)
        pad = (side // 2 - block.shape[0]) // 2
        image[top + pad : top + pad + block.shape[0], left + pad : left + pad + block.shape[1]] = (
            block[..., None]
        )
    return image


def tile_image(name: str, palette: str = "original") -> np.ndarray:
    """A tile's picture inside its border: (side, side, 3) uint8, white with the set's
    points, [-6, 6] across (a point beyond it is left out: it would sit on the border)."""
    if picture_of(name):
        return images_tile(name)
    X, y = thumbnail_points(name)
    side = (TILE - 2 * OUTLINE) * PIXELS
    image = np.full((side, side, 3), 255, np.uint8)
    inside = np.all(np.abs(X) <= 6, axis=1)
    colours = np.array([rgb(c) for c in thumbnail_colors(name, y, palette)], np.uint8)[inside]
    # Square corners, row 0 at the top (y = +6).
    last = side - POINT
    cols = np.round((X[inside, 0] + 6) / 12 * last).astype(int)
    rows = np.round((6 - X[inside, 1]) / 12 * last).astype(int)
    for dr in range(POINT):
        for dc in range(POINT):
            image[rows + dr, cols + dc] = colours
    return image


@cache
def tile_picture(name: str, palette: str = "original") -> str:
    """``tile_image`` as a PNG data URL, made once per process."""
    return data_url("image/png", encode_png(tile_image(name, palette)))


def picker_size(problem: str) -> tuple[int, int]:
    """The picker's (width, height) in px: the problem's tiles in rows of COLUMNS, and a
    margin for their borders. Each problem gets its own height: room kept for the other
    problem's rows showed as an empty block."""
    rows = math.ceil(len(tiled(problem)) / COLUMNS)
    width = COLUMNS * TILE + (COLUMNS - 1) * GAP + 2 * MARGIN
    return width, rows * TILE + (rows - 1) * GAP + 2 * MARGIN


class DatasetTiles(BrowserMessages, JSComponent):
    """The tiles, row by row from the top left; a click (or Enter, Space) on one sends
    its name to ``on_pick(name)``."""

    tiles = param.List(default=[], doc="{name, label, picture} per tile, in order")
    current = param.String(default="", doc="the chosen set's name")

    _esm = """
    export function render({ model }) {
      const root = document.createElement("div");
      root.className = "dataset-tiles";
      root.setAttribute("role", "group");
      root.setAttribute("aria-label", "Datasets");
      const mark = () => {
        for (const button of root.children) {
          const chosen = button.dataset.name === model.current;
          button.classList.toggle("current", chosen);
          button.setAttribute("aria-pressed", String(chosen));
        }
      };
      const draw = () => {
        const focused = root.getRootNode().activeElement?.dataset?.name;
        root.replaceChildren(...model.tiles.map((tile) => {
          const button = document.createElement("button");
          button.dataset.name = tile.name;
          button.setAttribute("aria-label", `Dataset ${tile.label}`);
          const picture = document.createElement("img");
          picture.src = tile.picture;
          picture.alt = "";
          const name = document.createElement("span");
          name.className = "tile-name";
          name.textContent = tile.label;
          button.append(picture, name);
          button.addEventListener("click", () => model.send_msg({ pick: tile.name }));
          return button;
        }));
        mark();
        root.querySelector(`[data-name="${focused}"]`)?.focus();
      };
      model.on("tiles", draw);
      model.on("current", mark);
      draw();
      return root;
    }
    """
    _stylesheets: ClassVar[list[str]] = [
        f"""
        .dataset-tiles {{ display: grid; grid-template-columns: repeat({COLUMNS}, {TILE}px);
          gap: {GAP}px; padding: {MARGIN}px; }}
        button {{ position: relative; width: {TILE}px; height: {TILE}px; padding: 0;
          margin: 0; box-sizing: border-box; border: {OUTLINE}px solid #ddd;
          background: white; cursor: pointer; }}
        button.current {{ border-color: #333; }}
        img {{ display: block; width: 100%; height: 100%; }}
        .tile-name {{ display: none; position: absolute; left: 50%; top: 50%;
          transform: translate(-50%, -50%); width: max-content;
          max-width: {TILE + GAP - 4}px; padding: 2px 4px; box-sizing: border-box;
          background: rgba(255, 255, 255, 0.95); border: 1px solid #aaa; border-radius: 3px;
          font: inherit; font-size: var(--text, 14px); line-height: 1.2; color: #222;
          text-align: center; pointer-events: none; z-index: 1; }}
        button:hover .tile-name, button:focus-visible .tile-name {{ display: block; }}
        """,
        FOCUS_RING,
    ]

    def __init__(self, on_pick, **params) -> None:
        super().__init__(**params)
        self._on_pick = on_pick

    def browser_message(self, data) -> None:
        name = data.get("pick") if isinstance(data, dict) else None
        if any(tile["name"] == name for tile in self.tiles):
            self._on_pick(name)


class DatasetPicker(pn.viewable.Viewer):
    def __init__(self, state: PlaygroundState) -> None:
        super().__init__()
        self.state = state
        self._tiles = DatasetTiles(self.pick, margin=0, css_classes=["ui-dataset"])
        self.redraw()
        state.param.watch(lambda *_: self.redraw(), ["problem", "palette"])
        state.param.watch(lambda *_: self.mark(), ["problem", "dataset", "reg_dataset"])
        self.mark()

    @property
    def tiles(self) -> DatasetTiles:
        return self._tiles

    def redraw(self) -> None:
        names = tiled(self.state.problem)
        width, height = picker_size(self.state.problem)
        self._tiles.param.update(
            width=width,
            height=height,
            tiles=[
                {
                    "name": name,
                    "label": DATASETS[name].label,
                    "picture": tile_picture(name, self.state.palette),
                }
                for name in names
            ],
        )

    def mark(self) -> None:
        self._tiles.current = self.state.current_dataset

    def pick(self, name: str) -> None:
        """A tile clicked: its set, with the settings it opens with (the digits' scene),
        and as many classes as the tile shows (the chosen tile again keeps the count)."""
        key = "dataset" if self.state.problem == "classification" else "reg_dataset"
        classes = tile_classes(name) if name != self.state.current_dataset else {}
        self.state.param.update({key: name, **classes, **OPENING.get(name, {})})

    def __panel__(self):
        return self._tiles
