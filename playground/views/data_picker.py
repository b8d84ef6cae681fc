"""Clickable dataset thumbnails: the current problem type's datasets, as the original.

The multi-class sets' tiles show ``THUMBNAIL_CLASSES`` classes in the class colours.
The tiles are a Bokeh figure, which a keyboard cannot reach: ``TileKeys`` lays a
focusable button over each tile (invisible but for its focus ring), and pointer events
pass through them to the figure."""

import math
from typing import ClassVar

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool, TapTool
from bokeh.plotting import figure
from panel.custom import Child, JSComponent

from playground.colors import CLASS_COLORS, PALETTES, class_color_index, quantize
from playground.datasets import DATASETS, SeedRandom
from playground.pipe.library import BrowserMessages
from playground.state import PlaygroundState, datasets_of

TILE, GAP, POINTS, COLUMNS = 60, 10, 200, 2
OUTLINE = 2  # px, the tiles' border
# Room around the tiles for the outer half of their border, which the figure's edge cut.
MARGIN = OUTLINE
THUMBNAIL_CLASSES = 3  # enough to show a set has more than two classes


def thumbnail_classes(name: str) -> int:
    """How many classes a tile draws (the original's sets ignore it)."""
    return THUMBNAIL_CLASSES if DATASETS[name].max_classes > 2 else 2


def thumbnail_points(name: str) -> tuple[np.ndarray, np.ndarray]:
    """200 noise-free points of a dataset, from a fixed seed so thumbnails never change."""
    rand = SeedRandom("thumbnail").random
    return DATASETS[name].fn(POINTS, 0.0, rand, thumbnail_classes(name))


def thumbnail_colors(name: str, y: np.ndarray, palette: str = "original") -> list[str]:
    """Multi-class sets by class colour; the others by the output's palette."""
    if DATASETS[name].max_classes > 2:
        return [CLASS_COLORS[i] for i in class_color_index(y, thumbnail_classes(name))]
    shades = PALETTES[palette].shades
    return [shades[i] for i in quantize(y)]


def picker_size(problem: str) -> tuple[int, int]:
    """The figure's (width, height) in px: the problem's tiles in rows of COLUMNS, and a
    margin for their borders. Each problem gets its own height: room kept for the other
    problem's rows showed as an empty block."""
    rows = math.ceil(len(datasets_of(problem)) / COLUMNS)
    width = COLUMNS * TILE + (COLUMNS - 1) * GAP + 2 * MARGIN
    return width, rows * TILE + (rows - 1) * GAP + 2 * MARGIN


def tile_centres(count: int, height: int) -> list[tuple[float, float]]:
    """Row by row from the top left, in the figure's px (y upwards)."""
    return [
        (
            MARGIN + TILE / 2 + (TILE + GAP) * (k % COLUMNS),
            height - MARGIN - TILE / 2 - (TILE + GAP) * (k // COLUMNS),
        )
        for k in range(count)
    ]


class TileKeys(BrowserMessages, JSComponent):
    """The picker's figure with a button over each tile, for the keyboard: Tab reaches
    them, Enter or Space picks the set (``on_pick(name)``)."""

    figure = Child()
    tiles = param.List(default=[], doc="{name, label, left, top, current} per tile, in px")

    _esm = """
    export function render({ model }) {
      const root = document.createElement("div");
      root.className = "tile-keys";
      const keys = document.createElement("div");
      keys.className = "keys";
      keys.setAttribute("role", "group");
      keys.setAttribute("aria-label", "Datasets");
      const draw = () => {
        const focused = root.getRootNode().activeElement?.dataset?.name;
        keys.replaceChildren(...model.tiles.map((tile) => {
          const button = document.createElement("button");
          button.dataset.name = tile.name;
          button.setAttribute("aria-label", `Dataset ${tile.label}`);
          button.setAttribute("aria-pressed", String(tile.current));
          button.style.left = `${tile.left}px`;
          button.style.top = `${tile.top}px`;
          button.addEventListener("click", () => model.send_msg({ pick: tile.name }));
          return button;
        }));
        keys.querySelector(`[data-name="${focused}"]`)?.focus();
      };
      model.on("tiles", draw);
      draw();
      root.append(model.get_child("figure"), keys);
      return root;
    }
    """
    _stylesheets: ClassVar[list[str]] = [
        f"""
        .tile-keys {{ position: relative; }}
        .keys {{ position: absolute; inset: 0; pointer-events: none; }}
        .keys button {{ position: absolute; width: {TILE}px; height: {TILE}px; padding: 0;
          margin: 0; border: none; background: transparent; cursor: pointer; }}
        .keys button:focus-visible {{ outline: 3px solid #1a73e8; outline-offset: 2px; }}
        """
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
        self._tiles = ColumnDataSource({"x": [], "y": [], "name": [], "label": [], "line": []})
        self._points = ColumnDataSource({"x": [], "y": [], "color": []})
        width, height = picker_size(state.problem)
        self.figure = figure(
            width=width,
            height=height,
            x_range=(0, width),
            y_range=(0, height),
            toolbar_location=None,
            tools="",
            min_border=0,
            name="dataset-picker",
            css_classes=["ui-dataset"],
            background_fill_color=None,  # the page shows between the tiles
            border_fill_color=None,
        )
        self.figure.axis.visible = False
        self.figure.grid.visible = False
        self.figure.outline_line_color = None
        tiles = self.figure.rect(
            "x",
            "y",
            width=TILE,
            height=TILE,
            source=self._tiles,
            fill_color="white",
            line_color="line",
            line_width=OUTLINE,
        )
        self.figure.scatter("x", "y", source=self._points, marker="square", size=2.5, color="color")
        # A tile's name shows over the tile itself, above its centre: beside the pointer,
        # it covered the next tile.
        hover = HoverTool(
            renderers=[tiles], tooltips="@label", point_policy="snap_to_data", attachment="above"
        )
        self.figure.add_tools(TapTool(renderers=[tiles]), hover)
        self._tiles.selected.on_change("indices", self._tapped)
        self._pane = TileKeys(
            self.pick, figure=pn.pane.Bokeh(self.figure, margin=0), css_classes=["ui-dataset"]
        )
        self.redraw()
        state.param.watch(lambda _: self.redraw(), ["problem", "dataset", "reg_dataset", "palette"])

    def redraw(self) -> None:
        names = datasets_of(self.state.problem)
        height = picker_size(self.state.problem)[1]
        self.figure.height = height
        self.figure.y_range.end = height
        centres = tile_centres(len(names), height)
        current = self.state.current_dataset
        self._tiles.data = {
            "x": [c[0] for c in centres],
            "y": [c[1] for c in centres],
            "name": names,
            "label": [DATASETS[n].label for n in names],
            "line": ["#333" if n == current else "#ddd" for n in names],
        }
        self._pane.param.update(width=picker_size(self.state.problem)[0], height=height)
        self._pane.tiles = [
            {
                "name": name,
                "label": DATASETS[name].label,
                "left": cx - TILE / 2,
                "top": height - cy - TILE / 2,
                "current": name == current,
            }
            for name, (cx, cy) in zip(names, centres, strict=True)
        ]
        xs, ys, colors = [], [], []
        for name, (cx, cy) in zip(names, centres, strict=True):
            X, y = thumbnail_points(name)
            # The original's thumbnails map [-6, 6] onto the tile; a point beyond it
            # would sit on the border or the next tile.
            inside = np.all(np.abs(X) <= 6 * (1 - 2 * OUTLINE / TILE), axis=1)
            xs.append(cx + X[inside, 0] / 12 * TILE)
            ys.append(cy + X[inside, 1] / 12 * TILE)
            shown = thumbnail_colors(name, y, self.state.palette)
            colors += [c for c, keep in zip(shown, inside, strict=True) if keep]
        self._points.data = {"x": np.concatenate(xs), "y": np.concatenate(ys), "color": colors}

    def _tapped(self, attr, old, new) -> None:
        if not new:
            return
        self._tiles.selected.indices = []
        self.pick(self._tiles.data["name"][new[0]])

    def pick(self, name: str) -> None:
        if self.state.problem == "classification":
            self.state.dataset = name
        else:
            self.state.reg_dataset = name

    def __panel__(self):
        return self._pane
