"""A table of images on the page (the 8 by 8 digits): the inputs drawn as one picture,
each first-layer neuron's incoming weights as an image, and test images with the class
the network gives each.

The diagram's thumbnails stay 10 by 10 palette indices: an image of up to 10 by 10
pixels sits inside, on the palette's scale (the input's ink from light grey to blue; a
neuron's weights, scaled to its largest, orange where negative and blue where positive),
framed by the middle shade. The output plot shows ``GALLERY`` test images instead of
the plane: their ink as uint8, sent with the data, and the class given to each, sent
with every frame (``assets/gallery.js`` draws them).
"""

from __future__ import annotations

import numpy as np

from playground import inputs
from playground.colors import quantize
from playground.datasets import Table, class_index
from playground.views.insight import class_names
from playground.views.pictures import THUMB

GALLERY = 36  # test images shown, 6 by 6
# The digits' scene, as its tile opens it (and as the README's link): one hidden layer,
# Adam and a softmax over the 10 classes learn 90 % of the test images in a few seconds.
DIGITS_SCENE = {
    "network_shape": [8],
    "optimizer": "adam",
    "loss": "crossEntropy",
    "learning_rate": 0.01,
    "init": "glorot",
}
OPENING = {"digits": DIGITS_SCENE}  # a tile's set -> the settings it opens with
MIDDLE = int(quantize(np.zeros(1))[0])  # the palette's middle shade: no value
INPUT_HINT = "Every pixel of an image, as one picture: the test image clicked on the right."
GALLERY_HINT = (
    "Test images and the class the network gives each: green where it is right, "
    "red where it is wrong (the true class in brackets). Click one to show it as the input."
)


def _fitted(values: np.ndarray, table: Table) -> np.ndarray:
    """One value per column as the table's picture inside a THUMB x THUMB square of the
    middle shade (nearest pixels where the picture is larger)."""
    image = table.image(values)
    rows, cols = image.shape
    if rows > THUMB or cols > THUMB:
        image = image[np.arange(THUMB) * rows // THUMB][:, np.arange(THUMB) * cols // THUMB]
        rows, cols = image.shape
    square = np.full((THUMB, THUMB), MIDDLE, np.uint8)
    top, left = (THUMB - rows) // 2, (THUMB - cols) // 2
    square[top : top + rows, left : left + cols] = image
    return square


def _scaled(values: np.ndarray) -> np.ndarray:
    """Values on [-1, 1]: divided by their largest size (none: zeros)."""
    top = float(np.max(np.abs(values))) if values.size else 0.0
    return values / top if top > 0 and np.isfinite(top) else np.zeros_like(values)


class ImageInputs:
    """What a table of images adds to one tab's diagram and output plot."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.shown_image = 0  # the test image the input picture shows

    @classmethod
    def of(cls, state) -> ImageInputs | None:
        table = inputs.table_of(state.current_spec)
        return cls(table) if table is not None and table.picture else None

    def show_image(self, index: int) -> None:
        """The gallery's image ``index`` becomes the input picture (a click on it)."""
        self.shown_image = index

    def _columns(self, state) -> np.ndarray:
        """Each input feature's column in the picture."""
        order = list(self.table.columns)
        return np.array([order.index(name) for name in state.config.features], dtype=int)

    def thumbnails(self, state, thumbs: np.ndarray) -> np.ndarray:
        """``thumbs`` (nodes, 10, 10) with the input picture first and each first-layer
        node's incoming weights after it."""
        thumbs = thumbs.reshape(-1, THUMB, THUMB).copy()
        X = state.data.X_test if len(state.data.X_test) else state.data.X_train
        if len(X):
            row = X[min(self.shown_image, len(X) - 1)]
            thumbs[0] = _fitted(quantize(_scaled(row)), self.table)
        weights = state.net.layers[0][:-1]  # (inputs, first-layer nodes)
        columns = self._columns(state)
        for i in range(weights.shape[1]):
            image = np.zeros(len(self.table.columns))
            image[columns] = _scaled(weights[:, i])
            thumbs[1 + i] = _fitted(quantize(image), self.table)
        return thumbs

    def scene(self, state) -> dict:
        rows, cols = self.table.picture
        names = state.current_spec.class_names
        labels = list(names) if names else class_names(max(state.config.classes, 2))
        return {
            "shape": [rows, cols],
            "names": labels,
            "hint": GALLERY_HINT,
            "input_hint": INPUT_HINT,
        }

    def data_arrays(self, state) -> dict[str, np.ndarray]:
        """The first GALLERY test images' ink (0 … 255) and true classes."""
        X, y = state.data.X_test[:GALLERY], state.data.y_test[:GALLERY]
        low, high = (X.min(), X.max()) if X.size else (0.0, 1.0)
        ink = np.round(255 * (X - low) / ((high - low) or 1.0)).astype(np.uint8)
        actual = class_index(y, max(state.config.classes, 2)).astype(np.uint8)
        return {"gallery_ink": ink.reshape(-1), "gallery_true": actual}

    def given(self, state) -> dict[str, np.ndarray]:
        """The class the network gives each gallery image now."""
        _, predicted = state.trainer.class_indices("test")
        return {"gallery_given": predicted[:GALLERY].astype(np.uint8)}
