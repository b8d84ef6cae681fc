import json
import subprocess
import sys

import numpy as np
import pytest

from playground.cli import main


def test_engine_and_datasets_import_no_ui_library():
    code = (
        "import sys, playground.engine, playground.datasets, playground.model, playground.cli\n"
        "print(sorted({'panel', 'bokeh', 'param'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_train_prints_a_row_per_epoch(capsys):
    args = ["train", "--dataset", "spiral", "--features", "x,y,sinX,sinY", "--hidden", "8,8"]
    assert main([*args, "--epochs", "5", "--seed", "0.5"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    heads = ["train", "loss", "test", "loss", "train", "accuracy", "test", "accuracy"]
    assert lines[0].split() == ["epoch", *heads]
    assert [line.split()[0] for line in lines[1:]] == ["0", "1", "2", "3", "4", "5"]


def test_train_json_is_reproducible_and_learns(capsys):
    args = ["train", "--dataset", "xor", "--features", "x,y,xTimesY", "--hidden", "", "--json"]
    for _ in range(2):
        assert main([*args, "--epochs", "40", "--lr", "0.1"]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first == second
    assert first["train_loss"][-1] < 0.5 * first["train_loss"][0]


def test_every_classic_setting_is_accepted(capsys):
    args = [
        "train",
        "--dataset",
        "reg-gauss",
        "--noise",
        "25",
        "--perc-train",
        "70",
        "--batch",
        "3",
        "--lr",
        "0.01",
        "--activation",
        "sigmoid",
        "--regularization",
        "L1",
        "--reg-rate",
        "0.003",
        "--features",
        "x,y",
        "--hidden",
        "3",
        "--seed",
        "any string",
        "--epochs",
        "2",
        "--json",
    ]
    assert main(args) == 0
    assert len(json.loads(capsys.readouterr().out)["test_loss"]) == 3


def test_init_zero_starts_from_zero(capsys):
    assert main(["train", "--init-zero", "--epochs", "0", "--json"]) == 0
    # all-zero weights and biases: every output is tanh(0) = 0, so the loss is 0.5 * 1
    assert json.loads(capsys.readouterr().out)["train_loss"] == [0.5]


def test_bad_arguments_get_a_clear_message():
    result = subprocess.run(
        [sys.executable, "-m", "playground", "train", "--features", "x,banana"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "unknown feature" in result.stderr
    assert "banana" in result.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "playground", "replay", "/nonexistent.json"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert "error:" in missing.stderr


def test_train_takes_every_training_science_setting(capsys):
    args = [
        "train", "--dataset", "blobs", "--num-classes", "4", "--loss", "crossEntropy",
        "--optimizer", "adam", "--beta1", "0.8", "--beta2", "0.99", "--epsilon", "1e-7",
        "--init", "glorot", "--dropout", "0.1", "--clip-norm", "1", "--lr-decay", "0.99",
        "--patience", "0", "--learning-rate", "0.03", "--epochs", "20", "--json", "--seed", "4",
    ]  # fmt: skip
    assert main(args) == 0
    losses = json.loads(capsys.readouterr().out)["train_loss"]
    assert len(losses) == 21
    assert losses[-1] < 0.5 * losses[0]  # four blobs, learned
    assert losses[0] == pytest.approx(np.log(4), rel=0.3)  # cross-entropy of a near guess


@pytest.mark.parametrize(
    ("flag", "value"), [("--dropout", "0.9"), ("--momentum", "1.5"), ("--num-classes", "9")]
)
def test_training_science_flags_out_of_range_are_refused(flag, value, capsys):
    with pytest.raises(SystemExit):
        main(["train", flag, value])
    assert "must be from" in capsys.readouterr().err
