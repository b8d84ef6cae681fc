"""Reading TensorFlow Playground reference runs (format ``tfp-reference/v1``)."""

import json
from pathlib import Path

import numpy as np

from playground.datasets import DataSplit
from playground.engine import Network
from playground.model import PROBLEM_HEADS, RunConfig


def load(path: str | Path) -> dict:
    data = json.loads(Path(path).read_text())
    if data.get("format") != "tfp-reference/v1":
        raise ValueError(f"{path}: not a tfp-reference/v1 file")
    return data


def feature_names(ref: dict) -> tuple[str, ...]:
    """Enabled features in input order; the files list them as names or as records."""
    raw = ref["config"].get("features") or ref.get("features") or []
    return tuple(f["id"] if isinstance(f, dict) else f for f in raw)


def run_config(ref: dict) -> RunConfig:
    c = ref["config"]
    return RunConfig(
        dataset=c["dataset"],
        noise=c.get("noise", 0),
        perc_train_data=c.get("percTrainData", 50),
        batch_size=int(c["batchSize"]),
        learning_rate=float(c["learningRate"]),
        activation=c["activation"],
        regularization=c.get("regularization", "none"),
        regularization_rate=float(c.get("regularizationRate", 0)),
        network_shape=tuple(int(n) for n in c.get("hidden_layers", [])),
        features=feature_names(ref),
        seed=str(c.get("seed", "")),
        init_zero=bool(c.get("initZero", False)),
    )


def stored_data(ref: dict) -> DataSplit:
    train = np.asarray(ref["train_points"], dtype=float).reshape(-1, 3)
    test = np.asarray(ref["test_points"], dtype=float).reshape(-1, 3)
    return DataSplit(train[:, :2], train[:, 2], test[:, :2], test[:, 2])


def network_from_layers(layers: list[dict], config: RunConfig) -> Network:
    """A network holding the stored parameters (and L1-dead marks) of ``layers``."""
    net = Network.from_matrices(
        [layer["W"] for layer in layers],
        [layer["b"] for layer in layers],
        activation=config.activation,
        head=PROBLEM_HEADS[config.problem],
    )
    dead = np.zeros_like(net.dead)
    for view, layer in zip(net.layer_views(dead), layers, strict=True):
        if "dead" in layer:
            view[:-1] = np.asarray(layer["dead"], dtype=bool).T
    net.kill_links(dead)
    return net


def network_after_epoch(ref: dict, epoch: int, config: RunConfig) -> Network:
    """Stored network after ``epoch`` epochs (0 = initial)."""
    snapshot = ref["network_after_epoch"][epoch]
    layers = snapshot["layers"] if isinstance(snapshot, dict) else snapshot
    return network_from_layers(layers, config)
