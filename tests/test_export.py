"""What leaves the command line: ``train --save`` writes a scene that ``replay``
reproduces to 1e-9, ``export`` writes its data, model, NumPy script and pictures, and the
script's outputs on the grid are the engine's to 1e-12; ``train --json`` prints the
accuracies of classification per epoch."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from playground.cli import main
from playground.datasets import read_csv
from playground.engine import feature_matrix
from playground.engine.grid import grid_points
from playground.export import SCRIPT_ACTIVATIONS, numpy_script
from playground.model import RunConfig, start_run

RUNS = {
    "circle": [],
    "spirals": ["--dataset", "spirals", "--num-classes", "4", "--loss", "crossEntropy",
                "--features", "x,y,sinX,xTimesY", "--activation", "relu"],
    "regression": ["--dataset", "reg-gauss", "--activation", "swish", "--hidden", "5"],
    "digits": ["--dataset", "digits", "--hidden", "6", "--optimizer", "adam",
               "--loss", "crossEntropy", "--learning-rate", "0.01"],
    "drawn": ["--dataset", "drawn", "--points", "AAAAAAAAgAB_AAAA_____AAB"],
    "batchNorm": ["--batch-norm", "--activation", "sigmoid", "--batch-size", "7"],
}  # fmt: skip


def run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "playground", *args], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.parametrize("name", sorted(RUNS))
def test_a_saved_scene_replays_to_the_same_losses(name, tmp_path):
    scene = tmp_path / "scene.json"
    trained = json.loads(run("train", *RUNS[name], "--epochs", "8", "--save", str(scene), "--json"))
    replayed = json.loads(run("replay", str(scene), "--json"))
    for key in ("train_loss", "test_loss"):
        np.testing.assert_allclose(replayed[key], trained[key], rtol=1e-9, atol=1e-12)
    stored = json.loads(scene.read_text())
    assert stored["train_loss"] == trained["train_loss"]
    assert stored["config"]["epochs"] == 8


def test_train_json_prints_accuracies_for_classification_only(capsys):
    assert main(["train", "--epochs", "3", "--json", "--seed", "1"]) == 0
    curves = json.loads(capsys.readouterr().out)
    assert set(curves) == {"train_loss", "test_loss", "train_accuracy", "test_accuracy"}
    assert all(len(values) == 4 for values in curves.values())
    assert all(0 <= a <= 1 for a in curves["test_accuracy"])
    assert main(["train", "--epochs", "3", "--json", "--dataset", "reg-plane"]) == 0
    assert set(json.loads(capsys.readouterr().out)) == {"train_loss", "test_loss"}


@pytest.mark.parametrize("name", ["circle", "spirals", "regression", "batchNorm"])
def test_the_script_prints_the_engines_outputs_on_the_grid(name, tmp_path):
    scene, script = tmp_path / "scene.json", tmp_path / "model.py"
    run("train", *RUNS[name], "--epochs", "20", "--save", str(scene))
    run("export", str(scene), "--script", str(script))
    assert "import numpy as np" in script.read_text()
    imports = {line for line in script.read_text().splitlines() if line.startswith("import")}
    assert imports == {"import json", "import sys", "import numpy as np"}
    outputs = np.array(json.loads(run_script(script))["outputs"])
    stored = json.loads(scene.read_text())
    config, net = rebuilt(stored)
    engine = net.predict(feature_matrix(config.features, grid_points(100)))
    engine = engine.reshape(100, 100, -1).squeeze(axis=2) if net.sizes[-1] == 1 else engine
    np.testing.assert_allclose(outputs, engine.reshape(outputs.shape), rtol=0, atol=1e-12)


def png_size(path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def run_script(script, *args) -> str:
    return subprocess.run(
        [sys.executable, str(script), *map(str, args)], capture_output=True, text=True, check=True
    ).stdout


def rebuilt(stored: dict):
    from playground import reference

    config = reference.run_config(stored)
    norm = reference.normalization(stored)
    net = reference.network_from_layers(stored["final_network"]["layers"], config, norm)
    return config, net


def test_a_tables_script_reads_the_rows_of_a_csv(tmp_path):
    scene, script, rows = tmp_path / "scene.json", tmp_path / "model.py", tmp_path / "d.csv"
    run("train", *RUNS["digits"], "--epochs", "3", "--save", str(scene))
    run("export", str(scene), "--script", str(script), "--csv", str(rows))
    outputs = np.array(json.loads(run_script(script, rows))["outputs"])
    config, net = rebuilt(json.loads(scene.read_text()))
    data = np.loadtxt(rows, delimiter=",", skiprows=1, usecols=range(64))
    engine = net.predict(feature_matrix(config.features, data, columns=config.columns))
    np.testing.assert_allclose(outputs, engine, rtol=0, atol=1e-12)
    done = subprocess.run(
        [sys.executable, str(script)], check=False, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "usage" in done.stderr


@pytest.mark.parametrize("activation", sorted(set(SCRIPT_ACTIVATIONS) - {"softmax"}))
def test_every_activation_is_rebuilt(activation, tmp_path):
    config = RunConfig(activation=activation, seed="a", features=("x", "y", "ySquared"))
    _, _, trainer = start_run(config)
    trainer.run(5)
    (tmp_path / "m.py").write_text(numpy_script(config, trainer.net))
    outputs = np.array(json.loads(run_script(tmp_path / "m.py"))["outputs"])
    engine = trainer.net.predict(feature_matrix(config.features, grid_points(100)))
    np.testing.assert_allclose(outputs.ravel(), engine.ravel(), rtol=0, atol=1e-12)


def test_export_writes_the_data_the_model_and_the_pictures(tmp_path):
    scene = tmp_path / "scene.json"
    run("train", *RUNS["spirals"], "--epochs", "5", "--save", str(scene))
    files = {kind: tmp_path / f"out.{kind}" for kind in ("csv", "json", "png", "loss.png")}
    run("export", str(scene), "--csv", str(files["csv"]), "--model", str(files["json"]),
        "--png", str(files["png"]), "--loss-png", str(files["loss.png"]))  # fmt: skip
    data = read_csv(files["csv"].read_bytes())
    assert data.class_names == ("class 0", "class 1", "class 2", "class 3")
    stored = json.loads(scene.read_text())
    assert len(data.y) == len(stored["train_points"]) + len(stored["test_points"])
    model = json.loads(files["json"].read_text())
    assert model["output_activation"] == "softmax"
    assert model["classes"] == 4
    assert model["layers"] == stored["final_network"]["layers"]
    assert png_size(files["png"]) == (424, 424)
    assert png_size(files["loss.png"]) == (600, 300)
    digits = tmp_path / "digits.json"
    run("train", *RUNS["digits"], "--epochs", "2", "--save", str(digits))
    run("export", str(digits), "--png", str(files["png"]))
    assert png_size(files["png"])[0] > 400  # the gallery of test images
    assert main(["export", str(digits)]) == 2  # nothing to write
