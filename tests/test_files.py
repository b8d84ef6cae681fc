"""The file tools without a browser: a file from anywhere either opens or gets a note
and changes nothing; what the Save buttons send back opens again."""

import base64
import io
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from playground import reference
from playground.cli import train_curves
from playground.datasets import read_csv
from playground.model import new_trainer
from playground.pipe.schema import MAX_FILE_BYTES, MAX_FILE_CHARS
from playground.scene_file import loads
from playground.state import PlaygroundState
from playground.url import UPLOAD_NOTE, parse_query, scene_from_query
from playground.views import files
from playground.views.files import FileTools
from tests.csv_fuzz import MALFORMED


class Tools:
    """A state, its file tools, their notes and the files they sent back."""

    def __init__(self, **settings) -> None:
        self.state = PlaygroundState(seed="files", **settings)
        self.tools = FileTools(self.state)
        self.notes: list[str] = []
        self.tools.on_note = self.notes.append
        self.sent: list[dict] = []

    def open(self, name: str, data: bytes) -> None:
        encoded = base64.b64encode(data).decode() if len(data) <= MAX_FILE_BYTES else ""
        self.tools.browser_message({"file": [name, len(data), encoded]})

    def save(self, kind: str, monkeypatch) -> tuple[str, bytes]:
        monkeypatch.setattr(files, "send_to_view", lambda _view, message: self.sent.append(message))
        self.tools.browser_message({"export": kind})
        download = self.sent[-1]["download"]
        return download["name"], base64.b64decode(download["data"])


def snapshot(state: PlaygroundState) -> tuple:
    data = state.data
    return (
        state.current_dataset,
        state.data_version,
        state.network_version,
        state.epoch,
        *(array.tobytes() for array in data),
        state.net.params.tobytes(),
    )


@pytest.mark.parametrize("bad", MALFORMED, ids=lambda bad: bad.name)
def test_a_bad_file_gets_a_note_and_changes_nothing(bad, caplog):
    tools = Tools(dataset="xor")
    tools.state.train(3)
    before = snapshot(tools.state)
    tools.open(bad.name, bad.data)
    assert len(tools.notes) == 1
    assert tools.notes[0].startswith(bad.name)
    assert bad.says in tools.notes[0]
    assert tools.tools.status == tools.notes[0]
    assert snapshot(tools.state) == before
    assert "Traceback" not in caplog.text


def test_a_good_csv_becomes_the_data(monkeypatch):
    tools = Tools()
    rows = "".join(f"{k % 9 - 4},{k % 7 - 3},{'ab'[k % 2]}\n" for k in range(60))
    tools.open("mine.csv", ("x,y,kind\n" + rows).encode())
    state = tools.state
    assert tools.notes == []
    assert tools.tools.status == "mine.csv: 60 rows, 2 classes (a, b)."
    assert state.current_dataset == "upload"
    assert len(state.data.y_train) + len(state.data.y_test) == 60
    state.train(5)  # every control works on it: a new ratio splits it again
    state.perc_train_data = 80
    assert len(state.data.y_train) == 48
    name, data = tools.save("csv", monkeypatch)
    assert name == "upload-data.csv"
    again = read_csv(data)
    assert again.class_names == ("a", "b")
    assert len(again.y) == 60
    table = "c1,c2,c3,c4,out\n" + "".join(f"{k},{k % 3},{k % 5},1,{k / 10}\n" for k in range(30))
    tools.open("table.csv", table.encode())
    assert state.problem == "regression"
    assert state.current_dataset == "reg-upload"
    assert state.config.features == ("c1", "c2", "c3", "c4")


def test_messages_outside_the_schema_are_dropped():
    tools = Tools()
    before = snapshot(tools.state)
    for message in (
        {"file": ["a.csv", 3]},
        {"file": ["a.csv", 3, "not base64!"]},
        {"file": ["a.csv", -1, ""]},
        {"file": ["x" * 300, 3, "MSwy"]},
        {"file": ["a.csv", 3, "A" * (MAX_FILE_CHARS + 4)]},
        {"export": "passwords"},
        {"export": "csv", "extra": 1},
        ["file"],
        "file",
    ):
        tools.tools.browser_message(message)
    assert tools.notes == []
    assert snapshot(tools.state) == before


def test_a_file_too_big_to_send_is_refused_by_its_size():
    tools = Tools()
    tools.tools.browser_message({"file": ["huge.csv", 5_000_000, ""]})
    assert tools.notes == [f"huge.csv is 5,000,000 bytes; at most {MAX_FILE_BYTES:,} are read."]


def trained(state: PlaygroundState, epochs: int) -> list[float]:
    losses = [state.trainer.train_loss]
    for _ in range(epochs):
        state.train(1)
        losses.append(state.train_loss)
    return losses


@pytest.mark.parametrize(
    "settings",
    [
        {"dataset": "spiral", "network_shape": [6, 3], "features": ["x", "y", "sinX"]},
        {"dataset": "blobs", "num_classes": 4, "loss": "crossEntropy", "optimizer": "adam"},
        {"problem": "regression", "reg_dataset": "reg-gauss", "dropout": 0.1},
    ],
)
def test_a_saved_scene_replays_and_opens_with_the_same_losses(settings, monkeypatch, tmp_path):
    tools = Tools(**settings)
    losses = trained(tools.state, 12)
    name, data = tools.save("scene", monkeypatch)
    assert name.endswith("-scene.json")
    path = tmp_path / name
    path.write_bytes(data)
    scene = loads(data)
    assert scene["replayable"] is True
    config = reference.run_config(scene)
    trainer = reference_trainer(scene, config)
    np.testing.assert_allclose(
        train_curves(trainer, 12)["train_loss"], losses, rtol=1e-9, atol=1e-12
    )
    replayed = subprocess.run(
        [sys.executable, "-m", "playground", "replay", str(path), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    np.testing.assert_allclose(json.loads(replayed.stdout)["train_loss"], losses, rtol=1e-9)
    other = Tools()
    other.open(name, data)
    assert other.notes == []
    state = other.state
    assert state.epoch == 12
    np.testing.assert_array_equal(state.net.params, tools.state.net.params)
    assert state.train_loss == pytest.approx(losses[-1], rel=1e-12)
    assert state.loss_history == tools.state.loss_history
    assert state.trainer.epoch_count == 12  # a learning-rate decay goes on from there


def reference_trainer(scene: dict, config):
    net = reference.initial_network(scene, config)
    return new_trainer(
        config, net, reference.stored_data(scene), masks=reference.dropout_seed(scene)
    )


def test_a_scene_changed_while_training_says_it_does_not_replay(monkeypatch):
    tools = Tools()
    tools.state.train(5)
    tools.state.learning_rate = 0.1
    _, data = tools.save("scene", monkeypatch)
    assert loads(data)["replayable"] is False


def test_the_other_saves_open(monkeypatch, tmp_path):
    tools = Tools(dataset="spirals", num_classes=3, network_shape=[5])
    tools.state.train(20)
    _, model = tools.save("model", monkeypatch)
    assert json.loads(model)["layers"][0]["W"] == tools.state.net.layers[0][:-1].T.tolist()
    _, script = tools.save("script", monkeypatch)
    (tmp_path / "model.py").write_bytes(script)
    outputs = json.loads(
        subprocess.run(
            [sys.executable, str(tmp_path / "model.py")], capture_output=True, check=True
        ).stdout
    )["outputs"]
    assert np.shape(outputs) == (100, 100, 3)
    for kind, size in (("png", (424, 424)), ("loss_png", (600, 300))):
        name, picture = tools.save(kind, monkeypatch)
        assert name.endswith(".png")
        with Image.open(io.BytesIO(picture)) as image:
            assert image.size == size


def test_a_link_that_names_an_uploaded_file_says_it_cannot_carry_it():
    scene = scene_from_query(parse_query("dataset=upload&seed=1"))
    assert scene.notes == [UPLOAD_NOTE]
    state = PlaygroundState(**scene.settings)  # an empty plane until a file comes
    assert state.current_dataset == "upload"
    assert len(state.data.y_train) == 0
    assert not state.trainer.diverged
