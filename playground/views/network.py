"""The network diagram: geometry, per-frame values, and what the user's clicks mean.

The browser draws it (``assets/live_view.js``, through ``LiveView``); this module decides
what to draw. ``scene()`` is the geometry, sent when the network's structure changes:
node squares in canvas pixels, link endpoints in the flat parameter buffer's order, bias
squares, the +/- controls above the layers. ``frame()`` is what changes while training:
thumbnail palette indices (uint8), weights and biases (float32).

Interaction follows the original (``tests/reference/INVENTORY.md`` A1 rows 16-18, 21-22):
click an input to toggle it, hover a node to preview its map (``preview_node``), click a
link or bias to edit it live in a text box (``editor_row``); +/- change the shape."""

import math
import re

import numpy as np
import panel as pn
import param

from playground import inputs
from playground.colors import quantize
from playground.engine import FEATURES
from playground.jsnumber import DECIMAL
from playground.state import MAX_LAYERS, MAX_NEURONS, PlaygroundState
from playground.views.focus import ringed
from playground.views.image_inputs import ImageInputs
from playground.views.pictures import Pictures, block_means

# Geometry in pixels, as the original (tests/reference/INVENTORY.md A4: Layout, Links, Bias).
NODE, ROW, BIAS, PAD = 30, 55, 5, 3  # node square, row pitch, bias square, margin
FEATURE_LEFT, HIDDEN_LEFT = 50, 118  # left edge of the inputs; start of the hidden area
LAYER_ROOM = 84  # per hidden layer: a deep net gets a wider diagram, its +/- never touch
FAN = 12  # spread of the link endpoints at a destination node
BUTTON = 26  # the editor's close button
FLOAT32_MAX = float(np.finfo(np.float32).max)
EDIT_CHARS = 40  # longer editor text is no number anyone typed: not parsed

SUBSCRIPTS = str.maketrans("12", "₁₂")
IMAGE = "image"  # a table of images' inputs, drawn as one picture


def pretty_label(label: str) -> str:
    """'X1^2' -> 'X₁²': the registry's plain label, typeset as the original."""
    label = label.replace("^2", "²")
    return re.sub(r"X(\d)", lambda m: "X" + m[1].translate(SUBSCRIPTS), label)


def input_label(name: str, dataset) -> str:
    """An input's label on the diagram: a plane's feature typeset (X₁²), a table's
    column by its name, a table of images' one picture as its size."""
    if name == IMAGE:
        rows, cols = inputs.picture_of(dataset)
        return f"{rows}\u00d7{cols} image"  # the times sign
    return pretty_label(FEATURES[name].label) if inputs.is_plane(dataset) else name


def hidden_lefts(n_hidden: int, width: int) -> list[float]:
    """Left edges of the hidden columns: d3 rangePoints over [118, width - 30], padding 0.7."""
    if n_hidden == 0:
        return []
    step = (width - NODE - HIDDEN_LEFT) / (n_hidden - 1 + 0.7)
    return [HIDDEN_LEFT + step * (0.35 + k) for k in range(n_hidden)]


def drawable(values: np.ndarray) -> np.ndarray:
    """float64 parameters as float32 for the browser: beyond float32's range a value
    becomes its largest finite number of that sign (a cast would make it infinite and
    warn); NaN stays NaN (drawn in the NaN colour)."""
    return np.clip(values, -FLOAT32_MAX, FLOAT32_MAX).astype(np.float32)


def plural(n: int, word: str, ending: str = "s") -> str:
    return f"{n} {word}{'' if n == 1 else ending}"


class NetworkDiagram(param.Parameterized):
    """The diagram of ``state.net``; rebuilt by itself when the structure changes."""

    state = param.ClassSelector(class_=PlaygroundState, constant=True)
    # The original's width: pixels from the canvas' left edge to the output node.
    network_width = param.Integer(default=500, bounds=(300, None), constant=True)
    # The node under the mouse: None, ("feature", name) or ("node", index into
    # state.node_maps()). The app shows that map in the big plot while it is set.
    preview_node = param.Parameter(default=None)
    # Features removed from the UI entirely (the URL's <feature>_hide=true).
    hidden_features = param.List(default=[], constant=True)
    scene_version = param.Integer(default=0, doc="bumped whenever scene() changes")

    def __init__(self, state: PlaygroundState, **params) -> None:
        super().__init__(state=state, **params)
        self._edit_target: tuple = ()
        self._make_editor()
        self.rebuild()
        state.param.watch(lambda _event: self.rebuild(), "network_version")

    @property
    def shown(self) -> list[str]:
        """The input features drawn: the dataset's inputs in order, less those hidden; a
        table of images' one picture (``IMAGE``)."""
        if inputs.picture_of(self.state.current_spec):
            return [IMAGE]
        offered = inputs.input_options(self.state.current_spec)
        return [name for name in offered if name not in self.hidden_features]

    @property
    def drawn_width(self) -> int:
        """From the canvas' left edge to the output node: ``network_width``, or more
        where the hidden layers need it (LAYER_ROOM each)."""
        n_hidden = len(self.state.net.sizes) - 2
        needed = HIDDEN_LEFT + NODE + (n_hidden - 1 + 0.7) * LAYER_ROOM
        return max(self.network_width, math.ceil(needed))

    @property
    def canvas_size(self) -> tuple[int, int]:
        width = self.drawn_width + NODE + 2 * PAD
        rows = max(MAX_NEURONS, len(self.shown))
        height = 2 * PAD + (rows - 1) * ROW + NODE + BIAS
        return width, height

    # -- structure -------------------------------------------------------------------

    def rebuild(self) -> None:
        """Recomputes the geometry: on features, shape or reset changes."""
        net = self.state.net
        self._sizes = net.sizes
        self._built_for = self.state.network_version
        self.images = ImageInputs.of(self.state)  # None unless a table of images
        self._active = [n for n in self.shown if n in self.state.features or self.images]
        self._place_nodes()
        index = net.layer_views(np.arange(net.params.size))
        drawn = index[1:] if self.images else index  # an image's links are its picture
        self._weight_index = np.concatenate([v[:-1].ravel() for v in drawn] or [[]]).astype(int)
        self._bias_index = np.concatenate([v[-1] for v in index])
        self._link_keys = self._links()
        self._bias_keys = [(k, i) for k, n in enumerate(self._sizes[1:]) for i in range(n)]
        thumbs = block_means(self.state.input_maps(self.shown))
        self._input_thumbs = {flag: quantize(thumbs, flag) for flag in (False, True)}
        self.close_editor()
        self.preview_node = None
        self.scene_version += 1

    def _place_nodes(self) -> None:
        """(left, top) in canvas pixels of every node: inputs shown, hidden nodes, output."""
        hidden = self._sizes[1:-1]
        lefts = hidden_lefts(len(hidden), self.drawn_width)
        spots = [(FEATURE_LEFT, r) for r in range(len(self.shown))]
        spots += [(left, i) for left, n in zip(lefts, hidden, strict=True) for i in range(n)]
        spots += [(self.drawn_width, r) for r in range(self._sizes[-1])]
        self._xy = np.array([(x + PAD, PAD + r * ROW) for x, r in spots], dtype=float)
        self.layer_lefts = [left + PAD for left in lefts]
        # Node (layer k, i) of the network -> index among the drawn nodes.
        feature_rows = [self.shown.index(name) for name in self._active]
        feature_rows = [0] * self._sizes[0] if self.images else feature_rows  # one picture
        starts = np.cumsum([len(self.shown), *hidden])
        self._row_of = [feature_rows] + [
            list(range(s, s + n)) for s, n in zip(starts, self._sizes[1:], strict=True)
        ]

    def _links(self) -> list[tuple[int, int, int]]:
        """(k, i, j) of every link, in the order of the flat parameter buffer."""
        return [
            (k, i, j)
            for k, (n_in, n_out) in enumerate(zip(self._sizes[:-1], self._sizes[1:], strict=True))
            if not (k == 0 and self.images)
            for j in range(n_in)
            for i in range(n_out)
        ]

    def link_ends(self) -> np.ndarray:
        """(links, 4): x0, y0, x1, y1 of each link, fanned out at its destination."""
        ends = []
        for k, i, j in self._link_keys:
            src, dst = self._xy[self._row_of[k][j]], self._xy[self._row_of[k + 1][i]]
            n_in = self._sizes[k]
            fan = (j - (n_in - 1) / 2) / n_in * FAN
            ends.append((src[0] + NODE + 2, src[1] + NODE / 2, dst[0], dst[1] + NODE / 2 + fan))
        return np.array(ends, dtype=float).reshape(-1, 4)

    def scene(self) -> dict:
        """The geometry the browser draws with, as JSON-friendly lists."""
        n_inputs = len(self.shown)
        labels = [self._input_label(name) for name in self.shown]
        active = [name in self._active for name in self.shown] + [True] * (len(self._xy) - n_inputs)
        ends = self.link_ends()
        bias_rows = [self._row_of[k + 1][i] for k, i in self._bias_keys]
        bias_xy = self._xy[bias_rows]
        n_layers = len(self._sizes) - 2
        link_nodes = [(self._row_of[k][j], self._row_of[k + 1][i]) for k, i, j in self._link_keys]
        return {
            "version": self.scene_version,
            "size": list(self.canvas_size),
            "row": ROW,  # a phone spreads the rows a finger apart (assets/touch.js)
            "n_inputs": n_inputs,
            "nodes": {
                "x": self._xy[:, 0].tolist(),
                "y": self._xy[:, 1].tolist(),
                "label": labels + [""] * (len(self._xy) - n_inputs),
                "active": active,
                "name": self.node_names(),  # what a screen reader calls each node
            },
            "links": {
                **{key: ends[:, c].tolist() for c, key in enumerate(("x0", "y0", "x1", "y1"))},
                # Each link's source and destination, as indices of the drawn nodes.
                "from": [src for src, _ in link_nodes],
                "to": [dst for _, dst in link_nodes],
            },
            # The original's 5 px square at the node's bottom-left corner.
            "biases": {
                "x": (bias_xy[:, 0] - 2 - BIAS).tolist(),
                "y": (bias_xy[:, 1] + NODE - BIAS + 3).tolist(),
                "node": bias_rows,
            },
            "header": {
                "centre": (HIDDEN_LEFT + self.drawn_width) / 2 + PAD,
                "text": plural(n_layers, "HIDDEN LAYER", "S"),
                "add": n_layers < MAX_LAYERS,
                "remove": n_layers > 0,
            },
            "layers": [
                {
                    "centre": left + NODE / 2,
                    "caption": plural(n, "neuron"),
                    "add": n < MAX_NEURONS,
                    "remove": n > 1,
                }
                for left, n in zip(self.layer_lefts, self._sizes[1:-1], strict=True)
            ],
        }

    # -- every frame -----------------------------------------------------------------

    def frame(self, node_maps: np.ndarray, discretize: bool = False) -> dict:
        """Thumbnails of every drawn node (uint8, nodes x 100), weights and biases (float32).

        ``node_maps`` is ``state.node_maps()``: (hidden nodes + output, 100, 100).
        """
        if self.state.network_version != self._built_for:
            self.rebuild()  # the app saw a new network before we did
        params = self.state.net.params
        pictures = Pictures(self.state.trainer.head, self._sizes[-1])
        thumbs = np.concatenate(
            [self._input_thumbs[discretize], pictures.thumbnails(node_maps, discretize)]
        )
        if self.images:
            thumbs = self.images.thumbnails(self.state, thumbs)
        return {
            "thumbs": thumbs.reshape(-1),
            "weights": drawable(params[self._weight_index]),
            "biases": drawable(params[self._bias_index]),
        }

    @property
    def n_nodes(self) -> int:
        return len(self._xy)

    # -- the browser's events --------------------------------------------------------

    def hover(self, index) -> None:
        """The drawn node under the mouse (-1: none) becomes the previewed map."""
        index = _index(index, self.n_nodes)
        n_inputs = len(self.shown)
        if index is None:
            self.preview_node = None
        elif index < n_inputs:
            self.preview_node = ("feature", self.shown[index])
        else:
            self.preview_node = ("node", index - n_inputs)

    def tap(self, target) -> None:
        """A click on ["node" | "link" | "bias", index]: toggle an input or open the editor."""
        if not (isinstance(target, list | tuple) and len(target) == 2):
            return
        kind, index = target
        if kind == "node" and not self.images:  # an image's pixels are no switches
            row = _index(index, len(self.shown))
            if row is not None:
                self.state.toggle_feature(self.shown[row])
        elif kind == "link" and (row := _index(index, len(self._link_keys))) is not None:
            k, i, j = self._link_keys[row]
            label = f"Weight {self._node_name(k, j)} → {self._node_name(k + 1, i)}"
            self._open_editor(("weight", k, i, j), label, self.state.net.weight(k, i, j))
        elif kind == "bias" and (row := _index(index, len(self._bias_keys))) is not None:
            k, i = self._bias_keys[row]
            label = f"Bias of {self._node_name(k + 1, i)}"
            self._open_editor(("bias", k, i), label, self.state.net.bias(k, i))

    def change_layers(self, delta) -> None:
        if _step(delta) == 1:
            self.state.add_layer()
        elif _step(delta) == -1:
            self.state.remove_layer()

    def change_neurons(self, target) -> None:
        if not (isinstance(target, list | tuple) and len(target) == 2):
            return
        layer, delta = target
        if (row := _index(layer, len(self._sizes) - 2)) is not None and _step(delta):
            self.state.change_neurons(row, _step(delta))

    def node_names(self) -> list[str]:
        """Every drawn node's name, in drawing order: inputs, hidden neurons, outputs."""
        names = [self._input_label(name) for name in self.shown]
        for layer, n in enumerate(self._sizes[1:], start=1):
            names += [self._node_name(layer, i) for i in range(n)]
        return names

    def _input_label(self, name: str) -> str:
        return input_label(name, self.state.current_spec)

    def _node_name(self, layer: int, i: int) -> str:
        if layer == 0:
            return self._input_label(IMAGE if self.images else self._active[i])
        if layer == len(self._sizes) - 1:
            return "output" if self._sizes[-1] == 1 else f"output {i + 1}"
        return f"neuron {i + 1} of layer {layer}"

    # -- the weight / bias editor ----------------------------------------------------

    def _make_editor(self) -> None:
        self.editor = pn.widgets.TextInput(
            label="", width=160, **ringed(css_classes=["link-editor"])
        )
        self.editor_hint = pn.pane.HTML(
            "Not a number: nothing changed.",
            visible=False,
            margin=(30, 5, 0, 5),
            styles={"color": "#c23b22", "font-size": "12px"},
        )
        close = pn.widgets.Button(
            label="\u00d7",
            width=BUTTON,
            height=BUTTON,
            margin=(27, 5, 0, 5),
            color="light",
            **ringed(css_classes=["close-editor"]),  # its hint: the page's BUTTON_HINTS
        )
        close.on_click(lambda _event: self.close_editor())
        self.editor.param.watch(self._on_edit, "value_input")
        self.editor.param.watch(lambda _event: self.close_editor(), "enter_pressed")
        # Filled when first opened: most tabs never edit a weight (each part is a model).
        self._editor_parts = [self.editor, close, self.editor_hint]
        self.editor_row = pn.Row(visible=False, margin=0)

    def _open_editor(self, target: tuple, label: str, value: float) -> None:
        self._edit_target = ()  # prefilling the box must not write the value back
        self.editor.label = label
        self.editor.value = self.editor.value_input = f"{value:.3g}"
        self.editor_hint.visible = False
        if not self.editor_row.objects:
            self.editor_row.objects = self._editor_parts
        self.editor_row.visible = True
        self._edit_target = target

    def close_editor(self) -> None:
        self._edit_target = ()
        self.editor_row.visible = False
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


def _index(value, size: int) -> int | None:
    """``value`` as an index into ``size`` items, or None: browsers send what they like."""
    if isinstance(value, float) and value.is_integer():  # False for inf and NaN
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None  # a 400-digit int is fine here: it is never made a float
    return value if 0 <= value < size else None


def _step(value) -> int:
    """+1 or -1 from the browser, else 0 (True == 1 in Python, but is no step)."""
    return value if type(value) is int and value in (1, -1) else 0


def _parse(text: str) -> float | None:
    """A finite float, or None: keystrokes like '-' or 'abc' must not raise or write.
    Only plain ASCII decimals: Python's float() would also take '1_0' and Arabic digits."""
    if len(text) > EDIT_CHARS or not DECIMAL.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None
