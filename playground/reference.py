"""Reading TensorFlow Playground reference runs (format ``tfp-reference/v1``).

Beyond the original's keys a run may name the hidden layers' ``normalization`` in its
``config`` (default: ``batchNorm`` if the setting ``batchNorm`` is on, else ``none``),
and a stored layer may hold its untrained ``state`` (a list, as ``Network.state_views``
lays it out) and, a hidden layer, its normalization's trained values under ``norm`` (a
batch norm's γ, then β): a network is its parameters, dead links and state, and a
replay starts from all three.

A scene the playground saved (``scene_file.py``) is such a run too. Its ``config`` may
name a session's own set: the drawn points (``points``, as a link writes them) or a
file's, whose points are the stored ones, with ``columns`` (a table's; none for points
of the plane) and ``class_names`` (classification).
"""

import json
from pathlib import Path

import numpy as np

from playground import inputs
from playground.datasets import DATASETS, PLANE, DataSplit, Table
from playground.datasets.own import UPLOADED_SETS, decode_points, own_dataset
from playground.engine import NORMALIZATIONS, OPTIMIZERS, Network
from playground.model import head_for, optimizer_default
from playground.run_config import RunConfig
from playground.settings import OPTIMIZER, Choice, Points, run_settings


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
    """The run's settings: a config key that is a setting's URL key sets it (the extended
    keys too: optimizer, momentum, loss, clipNorm, numClasses…); absent ones keep their
    defaults, but for an optimizer's own hyper-parameters, which keep the optimizer's."""
    c = ref["config"]
    values = {
        row.name: _from_file(row, c[row.key])
        for row in run_settings().values()
        if row.key in c and row.key != "features" and _may_be(row, c[row.key])
    }
    values.setdefault("dataset", _stand_in_dataset(c))
    values["network_shape"] = tuple(int(n) for n in c.get("hidden_layers", []))
    values["features"] = feature_names(ref)
    values["seed"] = str(c.get("seed", ""))
    optimizer = OPTIMIZERS[values.get("optimizer", "sgd")]
    for row in run_settings().values():
        if row.feeds == OPTIMIZER and row.key not in c:
            default = optimizer_default(optimizer, row.keyword)
            if default is not None:
                values[row.name] = default
    return RunConfig(own=own_data(ref, values["dataset"]), **values)


def own_data(ref: dict, dataset: str):
    """A file's points as the session's own dataset, when the run names the uploaded set
    of its problem type (else None)."""
    problem = DATASETS[dataset].problem
    if UPLOADED_SETS[problem] != dataset:
        return None
    c = ref["config"]
    columns = c.get("columns")
    inputs = PLANE if not columns else Table(tuple(str(name) for name in columns))
    width = len(inputs.columns) + 1
    points = np.concatenate(
        [np.asarray(ref[key], dtype=float).reshape(-1, width) for key in POINT_KEYS]
    )
    names = c.get("class_names")
    names = tuple(str(name) for name in names) if names else None
    classes = 1
    if problem == "classification":
        classes = max(2, len(names) if names else len(np.unique(points[:, -1])))
    return own_dataset(points[:, :-1], points[:, -1], problem, classes, inputs, names)


POINT_KEYS = ("train_points", "test_points")


def _from_file(row, value: object) -> object:
    """A stored setting's value as the setting takes it: drawn points from their text."""
    if isinstance(row.kind, Points):
        return decode_points(str(value))
    return _typed(row.default, value)


def _may_be(row, value: object) -> bool:
    """Classic files describe their loss in words under ``loss``: only a value the setting
    can take is one."""
    return not isinstance(row.kind, Choice) or value in row.kind.options()


def _typed(default: object, value: object) -> object:
    """A file's value as the setting's type (a batch size of 10.0 is 10)."""
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def _stand_in_dataset(c: dict) -> str:
    """Runs that store their points name no dataset; a plane of the same problem and
    class count stands in, for what the run's type follows from (the output layer, the
    head)."""
    problem = c.get("problem", "classification")
    classes = int(c.get("numClasses", 2))
    return next(
        name
        for name, spec in DATASETS.items()
        if spec.problem == problem
        and inputs.is_plane(name)
        and (problem == "regression" or spec.max_classes >= classes)
    )


def stored_data(ref: dict) -> DataSplit:
    """The stored points, each its dataset's numbers (x, y of a plane, or a table's
    columns) followed by its label."""
    width = inputs.point_width(run_config(ref).declared) + 1
    train = np.asarray(ref["train_points"], dtype=float).reshape(-1, width)
    test = np.asarray(ref["test_points"], dtype=float).reshape(-1, width)
    return DataSplit(train[:, :-1], train[:, -1], test[:, :-1], test[:, -1])


def dropout_seed(ref: dict) -> int:
    """The dropout masks' seed a stored run names (``dropoutSeed``; 0 if none)."""
    return int(ref["config"].get("dropoutSeed", 0))


def normalization(ref: dict) -> str:
    """The hidden layers' normalization (``engine.NORMALIZATIONS``) the run names."""
    c = ref["config"]
    name = c.get("normalization", "batchNorm" if c.get("batchNorm") else "none")
    if name not in NORMALIZATIONS:
        raise ValueError(f"unknown normalization {name!r}; known: {', '.join(NORMALIZATIONS)}")
    return name


def network_from_layers(layers: list[dict], config: RunConfig, norm: str = "none") -> Network:
    """A network holding the stored parameters (and L1-dead marks) of ``layers``, with
    hidden layers normalized by ``norm`` and its state from the layers (zero if none)."""
    states = [layer.get("state", []) for layer in layers]
    trained = [layer["norm"] for layer in layers[:-1] if "norm" in layer]
    net = Network.from_matrices(
        [layer["W"] for layer in layers],
        [layer["b"] for layer in layers],
        activation=config.activation,
        head=head_for(config),
        normalization=norm,
        states=states if any(len(s) for s in states) else None,
        norm_params=trained or None,
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
    return network_from_layers(layers, config, normalization(ref))


def initial_network(ref: dict, config: RunConfig) -> Network:
    return network_from_layers(ref["initial_network"]["layers"], config, normalization(ref))
