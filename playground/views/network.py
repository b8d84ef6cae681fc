"""The network diagram: feature, neuron and output thumbnails, links and bias squares.

One Bokeh figure whose data coordinates are pixels (y negated, so row 0 is on top).
Each kind of mark is ONE glyph fed by one ColumnDataSource, so a frame while training
is three column updates: thumbnail palette indices (uint8), link weights and widths,
bias values. Colours are mapped in the browser from those numbers.

The thumbnails travel as ONE (nodes, 100) uint8 column, ``thumbs``: Bokeh sends every
array of a list column (such as ``image``) as its own websocket buffer, and 56 buffers
a frame cost the server several times more than the whole rest of the frame. A few
lines of JS copy each row into the image glyph's 10 x 10 arrays in place (``UNPACK_JS``).

Interaction follows the original (INVENTORY A1 rows 16-18, 21-22): click an input to
toggle it, hover a node to preview its map (``preview_node``), hover a link or a bias
square to read it and click it to edit it live; +/- buttons change the shape.
"""

import math
import re

import numpy as np
import panel as pn
import param
from bokeh.core.property.validation import validate
from bokeh.models import (
    ColumnDataSource,
    CustomJS,
    CustomJSHover,
    HoverTool,
    LinearColorMapper,
    Range1d,
    TapTool,
)
from bokeh.plotting import figure
from bokeh.transform import transform

from playground.colors import NAN_COLOR, NAN_INDEX, PALETTE, continuous, quantize
from playground.engine import FEATURES
from playground.state import MAX_LAYERS, MAX_NEURONS, PlaygroundState

# Geometry in pixels, as the original (INVENTORY A4 "Layout", "Links", "Bias").
NODE, ROW, BIAS, PAD = 30, 55, 5, 3  # node square, row pitch, bias square, margin
FEATURE_LEFT, HIDDEN_LEFT = 50, 118  # left edge of the inputs; start of the hidden area
FAN = 12  # spread of the link endpoints at a destination node
THUMB = 10  # thumbnail pixels per side
CURVE_POINTS = 16
INACTIVE_THUMB_ALPHA, INACTIVE_LABEL_ALPHA = 0.4, 0.5
BUTTON = 26  # +/- button size
CONTROL_WIDTH = 56  # the +/- pair and its "N neurons" caption above a layer

# 255 steps of the continuous scale: an odd count puts exactly grey at 0.
LINK_RAMP = tuple(continuous(t) for t in np.linspace(-1.0, 1.0, 255))
SUBSCRIPTS = str.maketrans("12", "₁₂")
MINUS = "\u2212"  # a real minus sign on the buttons
# The hovered node's row goes to a one-cell source that syncs to Python; written only
# when it changes, since hover callbacks fire on every mouse move.
HOVER_JS = """
const hit = cb_data.index.indices
const i = hit.length > 0 ? hit[0] : -1
if (target.data.index[0] !== i) target.data = {index: [i]}
"""
LEAVE_JS = "if (target.data.index[0] !== -1) target.data = {index: [-1]}"
# Copies each node's 100 palette indices from the ``thumbs`` column into its image, in
# place: no new arrays, nothing synced back; then redraws. (NDArray.subarray would keep
# the whole length, hence the explicit Uint8Array views.)
UNPACK_JS = """
const flat = nodes.data.thumbs
const images = nodes.data.image
if (flat == null || flat.length !== 100 * images.length) return
images.forEach((img, i) => img.set(new Uint8Array(flat.buffer, flat.byteOffset + 100 * i, 100)))
nodes.change.emit()
"""


def pretty_label(label: str) -> str:
    """'X1^2' -> 'X₁²': the registry's plain label, typeset as the original."""
    label = label.replace("^2", "²")
    return re.sub(r"X(\d)", lambda m: "X" + m[1].translate(SUBSCRIPTS), label)


def hidden_lefts(n_hidden: int, width: int) -> list[float]:
    """Left edges of the hidden columns: d3 rangePoints over [118, width - 30], padding 0.7."""
    if n_hidden == 0:
        return []
    step = (width - NODE - HIDDEN_LEFT) / (n_hidden - 1 + 0.7)
    return [HIDDEN_LEFT + step * (0.35 + k) for k in range(n_hidden)]


def block_means(maps: np.ndarray) -> np.ndarray:
    """(n, 100, 100) -> (n, 10, 10) float32: the mean of each 10 x 10 block (reduceMatrix).

    Adding slices is ~6x faster than ``reshape(...).mean(axis=(2, 4))`` (NumPy reduces
    length-10 axes slowly) and, unlike a matmul, keeps a NaN inside its own block. Rows
    first: those slices are contiguous runs of 100 values over the whole input.
    """
    n, size, _ = maps.shape
    step = size // THUMB
    with np.errstate(invalid="ignore", over="ignore"):
        rows = maps.reshape(n, THUMB, step, size)
        bands = rows[:, :, 0].astype(np.float32)
        for r in range(1, step):
            bands += rows[:, :, r]
        blocks = bands.reshape(n, THUMB, THUMB, step)
        out = blocks[..., 0].copy()
        for c in range(1, step):
            out += blocks[..., c]
        out *= np.float32(1 / step**2)
    return out


def link_widths(weights: np.ndarray) -> np.ndarray:
    """``colors.link_width`` over an array: clamp(1 + 1.8 |w|, 1, 10); 1 where not finite."""
    with np.errstate(invalid="ignore"):
        widths = np.clip(1.0 + 1.8 * np.abs(weights), 1.0, 10.0)
    return np.where(np.isfinite(weights), widths, 1.0)


def link_curves(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal cubic curves (d3's diagonal) sampled at CURVE_POINTS: (n, k) x and y.

    ``start`` and ``end`` are (n, 2); control points sit at the middle x of each link.
    """
    t = np.linspace(0.0, 1.0, CURVE_POINTS)
    b0, b1, b2, b3 = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
    (x0, y0), (x1, y1) = (start[:, :1], start[:, 1:]), (end[:, :1], end[:, 1:])
    xm = (x0 + x1) / 2
    return x0 * b0 + xm * (b1 + b2) + x1 * b3, y0 * (b0 + b1) + y1 * (b2 + b3)


class NetworkDiagram(pn.viewable.Viewer):
    """The network picture with its +/- controls and a weight/bias editor under it.

    The app calls ``update(node_maps)`` each displayed frame; structural changes
    (``state.network_version``) rebuild it by themselves.
    """

    state = param.ClassSelector(class_=PlaygroundState, constant=True)
    # The original's width: pixels from the figure's left edge to the output node.
    network_width = param.Integer(default=500, bounds=(300, None), constant=True)
    # The node under the mouse: None, ("feature", name) or ("node", index into
    # state.node_maps()). The app shows that map in the big plot while it is set.
    preview_node = param.Parameter(default=None)
    # Features removed from the UI entirely (the URL's <feature>_hide=true).
    hidden_features = param.List(default=[], constant=True)

    def __init__(self, state: PlaygroundState, **params) -> None:
        super().__init__(state=state, **params)
        self._discretize = False
        self._edit_target: tuple = ()
        self._make_sources()
        self._figure = self._make_figure()
        self._make_controls()
        self._make_editor()
        self._layout = pn.Column(
            self._header,
            self._neuron_row,
            pn.pane.Bokeh(self._figure, margin=0),
            self._editor_row,
            margin=0,
            css_classes=["network-diagram"],
        )
        self.rebuild()
        state.param.watch(lambda _event: self.rebuild(), "network_version")

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout

    @property
    def shown(self) -> list[str]:
        """The input features drawn, in catalogue order."""
        return [name for name in FEATURES if name not in self.hidden_features]

    # -- construction (once) ---------------------------------------------------------

    @property
    def figure_size(self) -> tuple[int, int]:
        width = self.network_width + NODE + 2 * PAD
        height = 2 * PAD + (max(MAX_NEURONS, len(FEATURES)) - 1) * ROW + NODE + BIAS
        return width, height

    def _make_sources(self) -> None:
        self.node_source = ColumnDataSource(
            self._empty(
                "x", "y", "cx", "cy", "image", "thumbs", "alpha", "border", "label", "label_alpha"
            )
        )
        self.link_source = ColumnDataSource(self._empty("xs", "ys", "weight", "width"))
        self.bias_source = ColumnDataSource(self._empty("x", "y", "bias"))
        # The hovered node's index, written by the browser (-1: none).
        self._hovered = ColumnDataSource({"index": [-1]})
        self.node_source.selected.on_change("indices", self._on_node_tap)
        self.link_source.selected.on_change("indices", self._on_link_tap)
        self.bias_source.selected.on_change("indices", self._on_bias_tap)
        self._hovered.on_change("data", self._on_hover)
        self.node_source.js_on_change(
            "data", CustomJS(args={"nodes": self.node_source}, code=UNPACK_JS)
        )

    @staticmethod
    def _empty(*columns: str) -> dict[str, list]:
        return {name: [] for name in columns}

    def _make_figure(self):
        width, height = self.figure_size
        fig = figure(
            frame_width=width,
            frame_height=height,
            min_border=0,
            x_range=Range1d(0, width),
            y_range=Range1d(-height, 0),
            x_axis_type=None,
            y_axis_type=None,
            tools=[],
            toolbar_location=None,
            outline_line_color=None,
            background_fill_color=None,
            border_fill_color=None,
        )
        weight_colors = LinearColorMapper(
            palette=LINK_RAMP,
            low=-1,
            high=1,
            low_color=LINK_RAMP[0],
            high_color=LINK_RAMP[-1],
            nan_color=NAN_COLOR,
        )
        links_hit = self._add_links(fig, weight_colors)
        nodes_hit = self._add_nodes(fig)
        bias_hit = fig.rect(
            "x",
            "y",
            width=BIAS,
            height=BIAS,
            source=self.bias_source,
            line_color=None,
            fill_color=transform("bias", weight_colors),
        )
        self._add_tools(fig, nodes_hit, links_hit, bias_hit)
        for renderer in fig.renderers:
            # Taps select; the selection is cleared at once, so don't dim the rest.
            renderer.selection_glyph = renderer.nonselection_glyph = renderer.glyph
        return fig

    def _add_links(self, fig, weight_colors):
        """Visible links, and wider invisible copies that take hovers and clicks."""
        self._link_renderer = fig.multi_line(
            "xs",
            "ys",
            source=self.link_source,
            line_width="width",
            line_color=transform("weight", weight_colors),
            line_dash=[9, 1],
        )
        return fig.multi_line("xs", "ys", source=self.link_source, line_width=8, line_alpha=0)

    def _add_nodes(self, fig):
        # Palette indices 0..30 and NAN_INDEX, each in the middle of its own bin.
        thumb_colors = LinearColorMapper(
            palette=[*PALETTE, NAN_COLOR], low=-0.5, high=NAN_INDEX + 0.5
        )
        fig.image(
            "image",
            x="x",
            y="y",
            dw=NODE,
            dh=NODE,
            source=self.node_source,
            color_mapper=thumb_colors,
            global_alpha="alpha",
            anchor="top_left",
            origin="top_left",  # row 0 (y = +6) on top, as the heatmap
        )
        fig.text(
            "x",
            "cy",
            text="label",
            source=self.node_source,
            x_offset=-10,
            text_align="right",
            text_baseline="middle",
            text_font_size="13px",
            text_color="#333",
            text_alpha="label_alpha",
        )
        hit = fig.rect(
            "cx",
            "cy",
            width=NODE,
            height=NODE,
            source=self.node_source,
            fill_alpha=0,
            line_color="#222",
            line_alpha="border",
        )
        hit.hover_glyph = hit.glyph.clone(line_color="black", line_alpha=1, line_width=2)
        return hit

    def _add_tools(self, fig, nodes_hit, links_hit, bias_hit) -> None:
        two_digits = CustomJSHover(code="return String(Number(value.toPrecision(2)))")
        node_hover = HoverTool(
            renderers=[nodes_hit],
            tooltips=None,
            callback=CustomJS(
                args={"target": self._hovered},
                code=HOVER_JS,
            ),
        )
        fig.js_on_event(
            "mouseleave",
            CustomJS(
                args={"target": self._hovered},
                code=LEAVE_JS,
            ),
        )
        fig.add_tools(
            node_hover,
            HoverTool(
                renderers=[links_hit],
                formatters={"@weight": two_digits},
                tooltips="Weight is @weight{custom}. Click to edit.",
            ),
            HoverTool(
                renderers=[bias_hit],
                formatters={"@bias": two_digits},
                tooltips="Bias is @bias{custom}. Click to edit.",
            ),
            TapTool(renderers=[nodes_hit, links_hit, bias_hit]),
        )

    def _make_controls(self) -> None:
        self.add_layer_button = self._button("+", "Add a hidden layer", "ui-numHiddenLayers")
        self.remove_layer_button = self._button(
            MINUS, "Remove a hidden layer", "ui-numHiddenLayers"
        )
        self.add_layer_button.on_click(lambda _event: self.state.add_layer())
        self.remove_layer_button.on_click(lambda _event: self.state.remove_layer())
        self._layers_label = pn.pane.HTML(
            "",
            margin=(0, 0, 0, 8),
            css_classes=["num-layers"],
            styles={"font-size": "14px", "font-weight": "500", "line-height": f"{BUTTON}px"},
        )
        group = 2 * BUTTON + 150  # buttons plus the header text, roughly
        centre = (HIDDEN_LEFT + self.network_width) / 2 + PAD
        self._header = pn.Row(
            pn.Spacer(width=max(0, round(centre - group / 2)), margin=0),
            self.add_layer_button,
            self.remove_layer_button,
            self._layers_label,
            margin=(0, 0, 6, 0),
        )
        self._neuron_row = pn.Row(margin=0)
        self.neuron_buttons: list[tuple[pn.widgets.Button, pn.widgets.Button]] = []

    @staticmethod
    def _button(sign: str, tooltip: str, css_class: str) -> pn.widgets.Button:
        return pn.widgets.Button(
            label=sign,
            description=tooltip,
            css_classes=[css_class],
            width=BUTTON,
            height=BUTTON,
            margin=(0, 1),
            color="light",
            stylesheets=[":host .bk-btn {padding: 0; font-size: 16px; font-weight: bold;}"],
        )

    def _make_editor(self) -> None:
        self.editor = pn.widgets.TextInput(label="", width=160, css_classes=["link-editor"])
        self.editor_hint = pn.pane.HTML(
            "Not a number: nothing changed.",
            visible=False,
            margin=(30, 5, 0, 5),
            styles={"color": "#c23b22", "font-size": "12px"},
        )
        close = pn.widgets.Button(
            label="\u00d7",
            description="Close the editor",
            width=BUTTON,
            height=BUTTON,
            margin=(27, 5, 0, 5),
            color="light",
        )
        close.on_click(lambda _event: self.close_editor())
        self.editor.param.watch(self._on_edit, "value_input")
        self.editor.param.watch(lambda _event: self.close_editor(), "enter_pressed")
        self._editor_row = pn.Row(self.editor, close, self.editor_hint, visible=False, margin=0)

    # -- rebuild (structure changed) -------------------------------------------------

    def rebuild(self) -> None:
        """Recomputes layout and every source: on features, shape or reset changes."""
        net = self.state.net
        self._sizes = net.sizes
        self._active = [name for name in self.shown if name in self.state.features]
        self._place_nodes()
        index = net.layer_views(np.arange(net.params.size))
        self._weight_index = np.concatenate([v[:-1].ravel() for v in index])
        self._bias_index = np.concatenate([v[-1] for v in index])
        order = list(FEATURES)
        inputs = block_means(self.state.grid.feature_maps[[order.index(f) for f in self.shown]])
        self._input_thumbs = {flag: quantize(inputs, flag) for flag in (False, True)}
        self.close_editor()
        # Forget the hovered node, so the browser reports it afresh on the next move.
        self._hovered.data = {"index": [-1]}
        self.preview_node = None
        with pn.io.hold():
            self._fill_nodes()
            self._fill_links()
            self._fill_biases()
            self._fill_controls()
        self.update(self.state.node_maps(), self._discretize)

    def _place_nodes(self) -> None:
        """(left, top) in screen pixels of every node: 7 inputs, hidden nodes, output."""
        hidden = self._sizes[1:-1]
        lefts = hidden_lefts(len(hidden), self.network_width)
        spots = [(FEATURE_LEFT, r) for r in range(len(self.shown))]
        spots += [(left, i) for left, n in zip(lefts, hidden, strict=True) for i in range(n)]
        spots += [(self.network_width, 0)]
        self._xy = np.array([(x + PAD, PAD + r * ROW) for x, r in spots], dtype=float)
        self.layer_lefts = [left + PAD for left in lefts]
        # Node (layer k, i) of the network -> row of node_source.
        feature_rows = [self.shown.index(name) for name in self._active]
        starts = np.cumsum([len(self.shown), *hidden])
        self._row_of = [feature_rows] + [
            list(range(s, s + n)) for s, n in zip(starts, [*hidden, 1], strict=True)
        ]

    def _fill_nodes(self) -> None:
        left, top = self._xy[:, 0], self._xy[:, 1]
        n_inputs = len(self.shown)
        active = np.ones(len(left), dtype=bool)
        active[:n_inputs] = [name in self._active for name in self.shown]
        labels = [pretty_label(FEATURES[name].label) for name in self.shown]
        # The image column's arrays are views of one block that update() refreshes in
        # place, so Python's copy stays current while only ``thumbs`` is sent.
        self._images = np.full((len(left), THUMB, THUMB), NAN_INDEX, np.uint8)
        self._images[:n_inputs] = self._input_thumbs[self._discretize]
        self.node_source.data = {
            "x": left,
            "y": -top,
            "cx": left + NODE / 2,
            "cy": -(top + NODE / 2),
            "image": list(self._images),
            "thumbs": self._images.reshape(len(left), -1).copy(),
            "alpha": np.where(active, 1.0, INACTIVE_THUMB_ALPHA),
            "border": active.astype(float),
            "label": labels + [""] * (len(left) - n_inputs),
            "label_alpha": np.where(active, 1.0, INACTIVE_LABEL_ALPHA),
        }

    def _links(self) -> list[tuple[int, int, int]]:
        """(k, i, j) of every link, in the order of the flat parameter buffer."""
        return [
            (k, i, j)
            for k, (n_in, n_out) in enumerate(zip(self._sizes[:-1], self._sizes[1:], strict=True))
            for j in range(n_in)
            for i in range(n_out)
        ]

    def _fill_links(self) -> None:
        self._link_keys = self._links()
        start, end = [], []
        for k, i, j in self._link_keys:
            src, dst = self._xy[self._row_of[k][j]], self._xy[self._row_of[k + 1][i]]
            n_in = self._sizes[k]
            fan = (j - (n_in - 1) / 2) / n_in * FAN
            start.append((src[0] + NODE + 2, src[1] + NODE / 2))
            end.append((dst[0], dst[1] + NODE / 2 + fan))
        xs, ys = link_curves(np.array(start).reshape(-1, 2), np.array(end).reshape(-1, 2))
        weights = np.zeros(len(xs))
        self.link_source.data = {
            "xs": list(xs),
            "ys": list(-ys),
            "weight": weights,
            "width": link_widths(weights),
        }

    def _fill_biases(self) -> None:
        self._bias_keys = [(k, i) for k, n in enumerate(self._sizes[1:]) for i in range(n)]
        rows = [self._row_of[k + 1][i] for k, i in self._bias_keys]
        left, top = self._xy[rows, 0], self._xy[rows, 1]
        self.bias_source.data = {
            "x": left - 2 - BIAS / 2,
            "y": -(top + NODE - BIAS + 3 + BIAS / 2),
            "bias": np.zeros(len(rows)),
        }

    def _fill_controls(self) -> None:
        n = len(self._sizes) - 2
        self._layers_label.object = f"{n} HIDDEN LAYER{'' if n == 1 else 'S'}"
        self.add_layer_button.disabled = n >= MAX_LAYERS
        self.remove_layer_button.disabled = n == 0
        self.neuron_buttons = [self._neuron_buttons(k) for k in range(n)]
        items, cursor = [], 0.0
        for k, left in enumerate(self.layer_lefts):
            gap = round(left + NODE / 2 - CONTROL_WIDTH / 2 - cursor)
            items += [pn.Spacer(width=max(gap, 0), margin=0), self._neuron_column(k)]
            cursor += max(gap, 0) + CONTROL_WIDTH
        self._neuron_row.objects = items

    def _neuron_buttons(self, k: int) -> tuple[pn.widgets.Button, pn.widgets.Button]:
        plus = self._button("+", "Add a neuron", f"ui-numNodes{k}")
        minus = self._button(MINUS, "Remove a neuron", f"ui-numNodes{k}")
        plus.on_click(lambda _event: self.state.change_neurons(k, +1))
        minus.on_click(lambda _event: self.state.change_neurons(k, -1))
        n = self._sizes[k + 1]
        plus.disabled, minus.disabled = n >= MAX_NEURONS, n <= 1
        return plus, minus

    def _neuron_column(self, k: int) -> pn.Column:
        n = self._sizes[k + 1]
        caption = pn.pane.HTML(
            f"{n} neuron{'' if n == 1 else 's'}",
            margin=(2, 0, 0, 0),
            styles={
                "font-size": "11px",
                "color": "#555",
                "text-align": "center",
                "width": f"{CONTROL_WIDTH}px",
            },
        )
        buttons = pn.Row(*self.neuron_buttons[k], margin=0, align="center")
        return pn.Column(buttons, caption, width=CONTROL_WIDTH, margin=0)

    # -- every frame -----------------------------------------------------------------

    def update(self, node_maps: np.ndarray, discretize: bool = False) -> None:
        """Restyles thumbnails of non-input nodes, links and biases from the live network.

        ``node_maps`` is ``state.node_maps()``: (hidden nodes + output, 100, 100).
        """
        if self.state.net.sizes != self._sizes:
            self.rebuild()  # the app saw a new network before we did
            return
        self._discretize = discretize
        params = self.state.net.params
        weights = params[self._weight_index].astype(np.float32)
        thumbs = np.concatenate(
            [self._input_thumbs[discretize], quantize(block_means(node_maps), discretize)]
        )
        self._images[:] = thumbs
        # Our own arrays: skip Bokeh's per-assignment property validation.
        with pn.io.hold(), validate(False):
            self.node_source.data.update(thumbs=thumbs.reshape(len(thumbs), -1))
            self.link_source.data.update(weight=weights, width=link_widths(weights))
            self.bias_source.data.update(bias=params[self._bias_index].astype(np.float32))
            # The dashes flow as training runs, like the original's dash offset.
            self._link_renderer.glyph.line_dash_offset = -(self.state.epoch // 3)

    # -- browser events --------------------------------------------------------------

    def _on_hover(self, _attr, _old, new) -> None:
        index = new["index"][0] if new.get("index") else -1
        n_inputs = len(self.shown)
        if 0 <= index < n_inputs:
            self.preview_node = ("feature", self.shown[index])
        elif n_inputs <= index < len(self._xy):
            self.preview_node = ("node", index - n_inputs)
        else:
            self.preview_node = None

    @staticmethod
    def _taken(source: ColumnDataSource, indices: list[int]) -> int | None:
        """The tapped row, clearing the selection so the same item can be tapped again."""
        if not indices:
            return None
        source.selected.indices = []
        return indices[0]

    def _on_node_tap(self, _attr, _old, new) -> None:
        row = self._taken(self.node_source, new)
        if row is not None and row < len(self.shown):
            self.state.toggle_feature(self.shown[row])

    def _on_link_tap(self, _attr, _old, new) -> None:
        row = self._taken(self.link_source, new)
        if row is not None:
            k, i, j = self._link_keys[row]
            label = f"Weight {self._node_name(k, j)} → {self._node_name(k + 1, i)}"
            self._open_editor(("weight", k, i, j), label, self.state.net.weight(k, i, j))

    def _on_bias_tap(self, _attr, _old, new) -> None:
        row = self._taken(self.bias_source, new)
        if row is not None:
            k, i = self._bias_keys[row]
            label = f"Bias of {self._node_name(k + 1, i)}"
            self._open_editor(("bias", k, i), label, self.state.net.bias(k, i))

    def _node_name(self, layer: int, i: int) -> str:
        if layer == 0:
            return pretty_label(FEATURES[self._active[i]].label)
        if layer == len(self._sizes) - 1:
            return "output"
        return f"neuron {i + 1} of layer {layer}"

    # -- the weight / bias editor ----------------------------------------------------

    def _open_editor(self, target: tuple, label: str, value: float) -> None:
        self._edit_target = ()  # prefilling the box must not write the value back
        self.editor.label = label
        self.editor.value = self.editor.value_input = f"{value:.3g}"
        self.editor_hint.visible = False
        self._editor_row.visible = True
        self._edit_target = target

    def close_editor(self) -> None:
        self._edit_target = ()
        self._editor_row.visible = False
        self.editor_hint.visible = False

    @property
    def editing(self) -> tuple:
        """("weight", k, i, j), ("bias", k, i), or () when the editor is closed."""
        return self._edit_target

    def _on_edit(self, event: param.parameterized.Event) -> None:
        if not self._edit_target:
            return
        text = (event.new or "").strip()
        value = _parse(text)
        self.editor_hint.visible = bool(text) and value is None
        if value is None:
            return
        kind, *where = self._edit_target
        if kind == "weight":
            self.state.set_weight(*where, value)
        else:
            self.state.set_bias(*where, value)


def _parse(text: str) -> float | None:
    """A finite float, or None: keystrokes like '-' or 'abc' must not raise or write."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
