"""A scene as a file: its settings, its data, its initial and current weights.

The file is a ``tfp-reference/v1`` run (``reference.py``), the format ``playground replay``
reads: ``config`` holds every setting under its URL key, with ``hidden_layers``,
``features``, ``seed`` and ``epochs`` as replay wants them, and for a file's own points
their ``columns`` and ``class_names``; ``train_points`` and ``test_points`` are the data
as the run split them, in training order; ``initial_network`` is where the run started,
``final_network`` where it is now, ``epochs`` epochs later. Replayed from its initial
network it gives the same losses, to the last bit, when nothing was changed while it
trained (``replayable``); opened again on the page, it goes on from where it was (its
weights, epoch and loss chart; an optimizer's running averages and the dropout masks'
stream start afresh).

``train_loss`` and ``test_loss`` (and for classification the accuracies) per epoch are
in it when the run that saved it recorded them (``playground train --save``);
``loss_history`` holds the page's loss chart.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import numpy as np

from playground import inputs, reference
from playground.datasets import DataSplit
from playground.datasets.own import UPLOADED_SETS, encode_points
from playground.engine import Network
from playground.history import SERIES, LossHistory
from playground.run_config import RunConfig
from playground.settings import SETTINGS, Choice, Flag, Points, Steps, run_settings

FORMAT = "tfp-reference/v1"
MAX_SCENE_BYTES = 8_000_000  # the digits' scene, weights and all, is about 2 MB


class StoredScene(NamedTuple):
    """A scene file as the page opens it."""

    settings: dict  # the state's settings by name
    own: object  # a file's points (a Dataset), or None
    data: DataSplit
    network: Network  # as it is now
    initial: Network  # where its run started
    epoch: int
    history: LossHistory | None
    replayable: bool


def layers_of(net: Network) -> list[dict]:
    """Each weight layer as the original stores it: W (n_out, n_in), b, dead links, and
    a normalization's trained values (``norm``) and state."""
    layers = []
    dead = net.layer_views(net.dead)
    trained = [*net.norm_views(net.params), None]  # the output layer has none
    for view, gone, norm, state in zip(net.layers, dead, trained, net.state_views(), strict=True):
        layer = {"W": view[:-1].T.tolist(), "b": view[-1].tolist()}
        if gone.any():
            layer["dead"] = gone[:-1].T.tolist()
        if norm is not None and norm.size:
            layer["norm"] = norm.tolist()
        if state.size:
            layer["state"] = state.tolist()
        layers.append(layer)
    return layers


def _json_value(setting, value):
    if isinstance(setting.kind, Points):
        return encode_points(value)
    return list(value) if isinstance(value, tuple) else value


def scene_dict(
    config: RunConfig,
    data: DataSplit,
    initial: Network,
    current: Network,
    epochs: int,
    *,
    view: dict | None = None,
    replayable: bool = True,
    curves: dict | None = None,
    history: LossHistory | None = None,
    masks: int = 0,
) -> dict:
    """The scene file's content. ``view``: the settings that feed no run (speed, palette…)
    by name; ``curves``: losses (and accuracies) per epoch, from epoch 0; ``masks``: the
    dropout masks' seed."""
    c = {row.key: _json_value(row, config[name]) for name, row in run_settings().items()}
    c |= {SETTINGS[name].key: value for name, value in (view or {}).items()}
    c |= {
        "problem": config.problem,
        "hidden_layers": list(config.network_shape),
        "features": list(config.features),
        "seed": config.seed,
        "epochs": int(epochs),
        "dropoutSeed": int(masks),
    }
    spec = config.declared
    if config.dataset in UPLOADED_SETS.values():
        c["columns"] = list(inputs.columns(spec) or [])
        c["class_names"] = list(spec.class_names or [])
    scene = {
        "format": FORMAT,
        "produced_by": "playground",
        "config": c,
        "train_points": np.column_stack([data.X_train, data.y_train]).tolist(),
        "test_points": np.column_stack([data.X_test, data.y_test]).tolist(),
        "initial_network": {"layers": layers_of(initial)},
        "final_network": {"layers": layers_of(current)},
        "replayable": bool(replayable),
    }
    scene |= curves or {}
    if history is not None:
        scene["loss_history"] = {name: history[name] for name in SERIES}
    return scene


def scene_of_state(state) -> dict:
    """The scene a tab's state shows now."""
    view = {name: getattr(state, name) for name, row in SETTINGS.items() if not row.feeds}
    return scene_dict(
        state.config,
        state.data,
        state.initial_network,
        state.net,
        state.trainer.epoch_count,
        view={name: list(v) if isinstance(v, tuple) else v for name, v in view.items()},
        replayable=not state.changed_while_training,
        history=state.loss_history,
        masks=state.trainer.dropout_seed,
    )


def dumps(scene: dict) -> bytes:
    return json.dumps(scene, separators=(",", ":"), allow_nan=True).encode()


def loads(data: bytes) -> dict:
    """A scene file's JSON; ValueError (in words) when it is none."""
    if len(data) > MAX_SCENE_BYTES:
        raise ValueError(f"The scene file is {len(data):,} bytes; at most {MAX_SCENE_BYTES:,}.")
    try:
        scene = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, RecursionError, ValueError):
        raise ValueError("This is no scene file: it is not JSON text.") from None
    if not isinstance(scene, dict) or scene.get("format") != FORMAT:
        raise ValueError(f"This is no scene file: it does not say it is {FORMAT}.")
    return scene


def stored_history(scene: dict) -> LossHistory | None:
    """The page's loss chart, as the file keeps it (None if it keeps none)."""
    kept = scene.get("loss_history")
    if not isinstance(kept, dict):
        return None
    history = LossHistory()
    series = [np.asarray(kept[name], dtype=float).ravel() for name in SERIES]
    for epoch, train, test in zip(*series, strict=True):
        history.append(int(epoch), float(train), float(test))
    return history


def read_scene(scene: dict) -> StoredScene:
    """The scene as the page opens it; ValueError, KeyError, TypeError or IndexError when
    the file is not a whole scene."""
    config = reference.run_config(scene)
    data = reference.stored_data(scene)
    initial = reference.initial_network(scene, config)
    current = reference.network_from_layers(
        scene["final_network"]["layers"], config, reference.normalization(scene)
    )
    if current.sizes != config.sizes or initial.sizes != config.sizes:
        raise ValueError("the scene's network does not fit its settings")
    settings = dict(config)
    name = "dataset" if config.problem == "classification" else "reg_dataset"
    settings[name] = settings.pop("dataset")
    settings["problem"] = config.problem
    settings |= view_settings(scene["config"])
    return StoredScene(
        {key: list(v) if isinstance(v, tuple) and key != "points" else v
         for key, v in settings.items()},
        config.own,
        data,
        current,
        initial,
        int(scene["config"].get("epochs", 0)),
        stored_history(scene),
        bool(scene.get("replayable", True)),
    )  # fmt: skip


def view_settings(c: dict) -> dict:
    """The settings that feed no run (speed, palette, show test data…) that the file
    names with a value the setting takes."""
    return {
        name: c[row.key]
        for name, row in SETTINGS.items()
        if not row.feeds
        and name not in ("problem", "reg_dataset")  # the run's dataset says
        and row.key in c
        and _takes(row.kind, c[row.key])
    }


def _takes(kind, value) -> bool:
    if isinstance(kind, Choice):
        return isinstance(value, str) and value in kind.options()
    if isinstance(kind, Steps):
        return type(value) is int and value in kind.values.values()
    return isinstance(kind, Flag) and isinstance(value, bool)
