"""Files in and out: open a CSV or a saved scene (a file picker, or a file dropped on the
page), and save the data, the scene, the model, a NumPy script and pictures.

One component (``assets/files.js``): its messages are checked against the file schema
(``pipe/schema.py``) before anything reads them, a file's bytes are read as every file
from anywhere must be (``datasets/csv_file.py``, ``scene_file.py``), and a file that
cannot be used gets a note that says why, naming the row and column, and changes
nothing. What is saved is made on the server and sent back to be downloaded.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from importlib import resources
from typing import ClassVar

import param
from panel.custom import JSComponent

from playground import inputs
from playground.datasets import CsvError, read_csv
from playground.datasets.own import from_csv
from playground.export import data_csv, model_dict, numpy_script
from playground.picture_png import gallery_image, loss_image, plot_image, png
from playground.pipe.library import BrowserMessages, send_to_view
from playground.pipe.schema import FILE_SCHEMA, MAX_FILE_BYTES, checked
from playground.pipe.tab import drop_log
from playground.scene_file import dumps, loads, read_scene, scene_of_state
from playground.state import PlaygroundState

ASSETS = resources.files("playground.assets")
# What can go wrong with a file that is JSON but no whole scene (a missing key, a value
# of the wrong type or shape): the note says so, and nothing changes.
UNREADABLE = (ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError)
SAVED = {  # what a Save button gives: file name ending, MIME type
    "csv": ("data.csv", "text/csv"),
    "scene": ("scene.json", "application/json"),
    "model": ("model.json", "application/json"),
    "script": ("model.py", "text/x-python"),
    "png": ("plot.png", "image/png"),
    "loss_png": ("loss.png", "image/png"),
}


def described(name: str, spec) -> str:
    """What a file held (a session's own ``Dataset``), for the status line."""
    rows = len(spec.fn.y)
    if spec.problem == "regression":
        return f"{name}: {rows:,} rows, a value each (regression)."
    classes = ", ".join(spec.class_names or ())
    return f"{name}: {rows:,} rows, {spec.max_classes} classes ({classes})."


class FileTools(BrowserMessages, JSComponent):
    status = param.String(default="", doc="what the last file opened held")
    max_bytes = param.Integer(default=MAX_FILE_BYTES, constant=True)

    _esm = (ASSETS / "files.js").read_text()
    _stylesheets: ClassVar[list[str]] = [(ASSETS / "files.css").read_text()]

    def __init__(self, state: PlaygroundState, **params) -> None:
        super().__init__(**params)
        self.state = state
        self.on_note: Callable[[str], None] = lambda _note: None

    def browser_message(self, data) -> None:
        message = checked(data, FILE_SCHEMA)
        if message is None:
            drop_log().drop("the file tools", data)
            return
        if "file" in message:
            self.open_file(*message["file"])
        if "export" in message:
            self.save(message["export"])

    # -- in ------------------------------------------------------------------------

    def _refuse(self, note: str) -> None:
        self.status = note
        self.on_note(note)

    def open_file(self, name: str, size: int, text: str) -> None:
        """A file from the browser: [name, size in bytes, its bytes as base64 (empty when
        it was too big to send)]."""
        name = name.strip() or "The file"
        if size > MAX_FILE_BYTES or (size and not text):
            self._refuse(f"{name} is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read.")
            return
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            self._refuse(f"{name}: the browser sent something that is no file.")
            return
        if name.lower().endswith(".json") or data.lstrip()[:1] == b"{":
            self._open_scene(name, data)
        else:
            self._open_csv(name, data)

    def _open_csv(self, name: str, data: bytes) -> None:
        try:
            own = from_csv(read_csv(data))
        except CsvError as problem:
            self._refuse(f"{name}: {problem}")
            return
        self.state.use_file(own)
        self.status = described(name, own)

    def _open_scene(self, name: str, data: bytes) -> None:
        try:
            scene = read_scene(loads(data))
            self.state.open_stored(scene)
        except UNREADABLE as problem:
            self._refuse(f"{name} could not be opened as a scene: {_short(problem)}")
            return
        self.status = f"{name}: the scene at epoch {scene.epoch:,}."

    # -- out -----------------------------------------------------------------------

    def save(self, kind: str) -> None:
        state = self.state
        try:
            content = self._made(kind)
        except ValueError as problem:
            self._refuse(f"Nothing to save: {_short(problem)}")
            return
        ending, mime = SAVED[kind]
        name = f"{state.current_dataset}-{ending}"
        encoded = base64.b64encode(content).decode("ascii")
        send_to_view(self, {"download": {"name": name, "mime": mime, "data": encoded}})

    def _made(self, kind: str) -> bytes:
        state = self.state
        config = state.config
        if kind == "csv":
            return data_csv(config, state.data)
        if kind == "scene":
            return dumps(scene_of_state(state))
        if kind == "model":
            return json.dumps(model_dict(config, state.net), indent=1).encode()
        if kind == "script":
            return numpy_script(config, state.net).encode()
        if kind == "loss_png":
            history = state.loss_history
            return png(loss_image(history["epoch"], history["train"], history["test"]))
        if state.is_plane:
            return png(
                plot_image(
                    config,
                    state.net,
                    state.data,
                    discretize=state.discretize,
                    palette=state.palette,
                    show_test=state.show_test_data,
                )
            )
        if inputs.picture_of(state.current_spec):
            return png(gallery_image(config, state.net, state.data))
        raise ValueError("a table's rows are no points of the plane, and no images.")


def _short(problem: Exception) -> str:
    if isinstance(problem, KeyError):
        return f"it has no {problem.args[0]!r}."
    text = str(problem) or type(problem).__name__
    return text if len(text) <= 200 else text[:199] + "…"
