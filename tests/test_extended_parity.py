"""The engine alone against the extended reference runs (tests/reference/extended).

Those runs add optimizers, clipping, cross-entropy heads, more activations and more
classes to the classic semantics; their README gives the formulas and the defaults of
absent config keys. Nothing of the app is used here: only the engine's public API.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from playground.engine import Network, Trainer

RTOL, ATOL = 1e-9, 1e-12
EXTENDED = Path(__file__).parent / "reference/extended"
FILES = sorted(EXTENDED.glob("*.json"))
OPTIMIZER_KEYS = ("momentum", "beta1", "beta2", "rho", "epsilon")  # absent: the optimizer's


def head_name(config: dict) -> str:
    """The README's loss / problem / class count, as an engine head."""
    if config.get("loss", "mse") == "mse":
        return "tanhSquaredError" if config["problem"] == "classification" else "linearSquaredError"
    return "sigmoidCrossEntropy" if config.get("numClasses", 2) == 2 else "softmaxCrossEntropy"


def network(layers: list[dict], config: dict) -> Network:
    return Network.from_matrices(
        [layer["W"] for layer in layers],
        [layer["b"] for layer in layers],
        activation=config["activation"],
        head=head_name(config),
    )


def points(ref: dict, key: str) -> tuple[np.ndarray, np.ndarray]:
    rows = np.asarray(ref[key], dtype=float).reshape(-1, 3)  # x, y, label
    return rows[:, :2], rows[:, 2]


def replay(ref: dict) -> tuple[Trainer, list[float], list[float]]:
    """The stored run's trainer after every epoch, with the losses along the way."""
    config = ref["config"]
    net = network(ref["initial_network"]["layers"], config)
    assert list(net.sizes) == config["network_shape"]
    trainer = Trainer(
        net,
        config["features"],
        points(ref, "train_points"),
        points(ref, "test_points"),
        batch_size=config["batchSize"],
        learning_rate=config["learningRate"],
        regularization=config.get("regularization", "none"),
        regularization_rate=config.get("regularizationRate", 0.0),
        optimizer=config.get("optimizer", "sgd"),
        optimizer_options={key: config[key] for key in OPTIMIZER_KEYS if key in config},
        clip_norm=config.get("clipNorm", 0.0),
    )
    train_losses, test_losses = [trainer.train_loss], [trainer.test_loss]
    for _ in range(config["epochs"]):
        trainer.epoch()
        train_losses.append(trainer.train_loss)
        test_losses.append(trainer.test_loss)
    return trainer, train_losses, test_losses


def test_the_reference_runs_are_there():
    assert len(FILES) >= 3, f"no extended reference runs in {EXTENDED}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_extended_run_matches_every_epoch(path):
    ref = json.loads(path.read_text())
    assert ref["format"] == "tfp-reference/v1"
    assert ref["train_visit_order"] == list(range(len(ref["train_points"])))
    trainer, train_losses, test_losses = replay(ref)
    np.testing.assert_allclose(train_losses, ref["train_loss"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(test_losses, ref["test_loss"], rtol=RTOL, atol=ATOL)
    final = network(ref["final_network"]["layers"], ref["config"])
    np.testing.assert_allclose(trainer.net.params, final.params, rtol=RTOL, atol=ATOL)
