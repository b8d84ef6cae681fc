"""What training has learnt so far, beside the losses: train and test accuracy, the test
points' confusion matrix, and each weight layer's gradient size.

Every text, colour and tick is chosen here, where tests can read it; the browser
(``assets/insight.js``) only lays them out. ``TrainingInsight.fields`` gives a frame's
share: the accuracy every frame (as the losses), the confusion matrix only when it
differs from what the browser has, and the gradient sizes only when training moved on,
since they cost a forward and backward pass over the whole training set (while the tab
plays, at most every ``GRADIENTS_EVERY_S``: a chart that changes four times a second is
as readable, and a lecture hall's frames cost less).
"""

import itertools
import math
import time
from collections.abc import Callable

import numpy as np

from playground.colors import class_colors, tint
from playground.datasets import class_labels
from playground.state import PlaygroundState

MINUS, TIMES, NO_VALUE = "\u2212", "\u00d7", "\u2013"  # minus sign, times sign, en dash
NOTHING = object()  # what the browser has before its first confusion matrix (or None)
CONFUSION_TITLE = f"Test points: actual (rows) {TIMES} predicted (columns)"
GRADIENT_TITLE = "Gradient size per layer (mean |g|)"
RIGHT, WRONG = "#2e8b57", "#c8553d"  # diagonal (right) and off-diagonal (wrong) cells
INK, LIGHT_INK = "#222222", "#ffffff"
STRONGEST = 0.85  # a whole row in one cell: the darkest tint, counts still readable
MAX_TICKS = 5  # decade ticks on the gradient chart's log axis, at most
MAX_LONG_LABELS = 4  # more weight layers than this: each bar is labelled by the layer it feeds
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
GRADIENTS_EVERY_S = 0.25


def format_accuracy(fraction: float) -> str:
    """``0.976`` -> ``"97.6 %"``; no points to count (NaN) -> ``NO_VALUE``, a dash."""
    return f"{100 * fraction:.1f} %" if math.isfinite(fraction) else NO_VALUE


def accuracy_texts(state: PlaygroundState) -> list[str] | None:
    """[test, training] accuracy as the loss readout shows them; None for regression."""
    test, train = state.trainer.test_accuracy, state.trainer.train_accuracy
    if test is None or train is None:
        return None
    return [format_accuracy(test), format_accuracy(train)]


def class_names(classes: int) -> list[str]:
    """Headers of the matrix, the labels themselves: -1, +1 for two classes (with a
    minus sign), else 0 ... K-1."""
    signed = classes == 2
    return [
        (f"{label:+.0f}" if signed else f"{label:.0f}").replace("-", MINUS)
        for label in class_labels(classes)
    ]


def confusion_view(counts: np.ndarray) -> dict:
    """A (K, K) matrix of counts (row: actual class, column: predicted) as the browser
    draws it: each cell tinted by its share of its row (the actual class's points), in
    ``RIGHT`` on the diagonal and ``WRONG`` off it, with an ink that stays readable."""
    counts = np.asarray(counts, dtype=np.int64)
    k = len(counts)
    rows = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, rows, out=np.zeros(counts.shape), where=rows > 0)
    fills, inks = [], []
    for i in range(k):
        strength = [STRONGEST * share[i, j] for j in range(k)]
        fills.append([tint(RIGHT if i == j else WRONG, t) for j, t in enumerate(strength)])
        inks.append([LIGHT_INK if t > 0.5 else INK for t in strength])
    return {
        "title": CONFUSION_TITLE,
        "names": class_names(k),
        "colors": class_colors(k),
        "counts": counts.tolist(),
        "fills": fills,
        "inks": inks,
    }


def _node_layers(sizes: list[int] | tuple[int, ...]) -> list[str]:
    return ["in", *(f"h{k}" for k in range(1, len(sizes) - 1)), "out"]


def layer_names(sizes: list[int] | tuple[int, ...]) -> list[str]:
    """One name per weight layer, input side first: "in→h1", "h1→h2", …, "h2→out"."""
    return [f"{a}→{b}" for a, b in itertools.pairwise(_node_layers(sizes))]


def bar_labels(sizes: list[int] | tuple[int, ...]) -> list[str]:
    """What fits under each bar: the names, or for many layers (bars ~20 px wide) the
    layer each one feeds: "h1", …, "out"."""
    if len(sizes) - 1 <= MAX_LONG_LABELS:
        return layer_names(sizes)
    return _node_layers(sizes)[1:]


def power_of_ten(exponent: int) -> str:
    """``-3`` -> ``"10⁻³"``."""
    return "10" + str(exponent).translate(SUPERSCRIPTS)


def gradient_view(norms: list[float], sizes: list[int] | tuple[int, ...]) -> dict:
    """Bars on a log scale: ``heights`` in [0, 1] of the chart (None: no bar, and
    ``notes`` says why: "0", "NaN" or "∞"), ``ticks`` as [height, "10ⁿ"] at whole
    decades, ``labels`` under the bars and ``tooltips``."""
    drawable = [v for v in norms if math.isfinite(v) and v > 0]
    if drawable:
        low = math.floor(math.log10(min(drawable)))
        high = max(math.ceil(math.log10(max(drawable))), low + 1)
    else:
        low, high = -1, 0  # nothing to draw: an empty axis of one decade
    step = math.ceil((high - low) / (MAX_TICKS - 1))
    high = low + step * math.ceil((high - low) / step)  # the top is a tick too
    span = high - low
    heights, notes = [], []
    for v in norms:
        drawn = math.isfinite(v) and v > 0
        # The smallest bar keeps a sliver of height: it sits at its decade's floor.
        heights.append(round(max((math.log10(v) - low) / span, 0.02), 4) if drawn else None)
        notes.append("" if drawn else _missing_note(v))
    return {
        "title": GRADIENT_TITLE,
        "labels": bar_labels(sizes),
        "heights": heights,
        "notes": notes,
        "tooltips": [
            f"{name}: {v:.2e}" if math.isfinite(v) else f"{name}: {_missing_note(v)}"
            for name, v in zip(layer_names(sizes), norms, strict=True)
        ],
        "ticks": [[(e - low) / span, power_of_ten(e)] for e in range(low, high + 1, step)],
    }


def _missing_note(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞"
    return "0"


class TrainingInsight:
    """A frame's accuracy, confusion matrix and gradient sizes, for one browser view."""

    def __init__(self, state: PlaygroundState, clock: Callable[[], float] = time.monotonic) -> None:
        self.state = state
        self.clock = clock
        self._gradients: dict | None = None
        self._gradients_of: tuple | None = None  # the training moment they were taken at
        self._gradients_at = -math.inf  # when (clock)
        self.restart()

    def restart(self) -> None:
        """The browser's view is new and empty: the next frame sends both views."""
        self._sent_confusion: object = NOTHING
        self._gradients_sent = False

    def _moment(self) -> tuple:
        """What the gradients depend on: the network, its data and its weights."""
        state = self.state
        return state.network_version, state.data_version, state.params_version, state.epoch

    def gradients(self) -> dict:
        """The gradient sizes, recomputed only once training has moved on (while the tab
        plays, at most every GRADIENTS_EVERY_S; a pause shows the latest)."""
        moment, now = self._moment(), self.clock()
        recent = self.state.playing and now - self._gradients_at < GRADIENTS_EVERY_S
        if self._gradients is None or (moment != self._gradients_of and not recent):
            norms = self.state.trainer.gradient_norms()
            self._gradients = gradient_view(norms, self.state.net.sizes)
            self._gradients_of, self._gradients_at = moment, now
            self._gradients_sent = False
        return self._gradients

    def fields(self) -> dict:
        """This frame's keys: "accuracy" (classification only), and "confusion" (a
        view, or None: hide it) and "gradients" when the browser lacks them."""
        fields = {}
        accuracy = accuracy_texts(self.state)
        if accuracy is not None:
            fields["accuracy"] = accuracy
        counts = self.state.trainer.confusion_matrix("test")
        confusion = None if counts is None else confusion_view(counts)
        if confusion != self._sent_confusion:
            fields["confusion"] = self._sent_confusion = confusion
        gradients = self.gradients()
        if not self._gradients_sent:
            fields["gradients"] = gradients
            self._gradients_sent = True
        return fields
