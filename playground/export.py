"""What leaves the page or the command line besides the scene file: the data as CSV,
the trained model as JSON, and a standalone NumPy script that rebuilds the model.

The script imports only NumPy (and the standard library's ``json`` and ``sys``) and
holds the weights as JSON, whose numbers are exact: run as ``python script.py`` it
prints the model's outputs at every point of the 100 x 100 grid over [-6, 6]² that the
output plot shows (row 0 at y = +6, as the plot has it); a table's model reads the rows
of a CSV file instead (``python script.py rows.csv``, a header optional, the first
columns its inputs, in order). ``{"outputs": …}``: a grid or a list of rows, each cell a
number (one output) or a list (one per class). A batch norm is rebuilt as the pictures
use it: with its running mean and variance.
"""

from __future__ import annotations

import io
import json

import numpy as np

from playground import inputs
from playground.datasets import DataSplit, class_labels
from playground.engine import ACTIVATIONS, FEATURES, Network
from playground.engine.normalization import EPSILON
from playground.run_config import RunConfig
from playground.scene_file import layers_of

MODEL_FORMAT = "playground-model/v1"
# The script's own copy of each activation: the engine's formulas (engine/activations.py,
# engine/heads.py), written out so that the script needs nothing but NumPy.
SCRIPT_ACTIVATIONS = {
    "tanh": "np.tanh(z)",
    "relu": "np.maximum(z, 0.0)",
    "sigmoid": "1.0 / (1.0 + np.exp(-z))",
    "linear": "z",
    "leakyRelu": "np.maximum(0.01 * z, z)",
    "elu": "np.maximum(np.expm1(np.minimum(z, 0.0)), z)",
    "softplus": "np.logaddexp(0.0, z)",
    "swish": "z / (1.0 + np.exp(-z))",
    "softmax": "np.exp(z - np.logaddexp.reduce(z, axis=1, keepdims=True))",
}
SCRIPT_FEATURES = {
    "x": "x",
    "y": "y",
    "xSquared": "x * x",
    "ySquared": "y * y",
    "xTimesY": "x * y",
    "sinX": "np.sin(x)",
    "sinY": "np.sin(y)",
}


def label_texts(config: RunConfig) -> list[str] | None:
    """How each class's label is written in a CSV: its name if the data name them, the
    label itself for two classes (±1), "class k" beyond (so that it reads back as a
    class, not a number); None for regression."""
    if config.problem == "regression":
        return None
    names = config.declared.class_names
    if names and len(names) == config.classes:
        return list(names)
    if config.classes == 2:
        return ["-1", "1"]
    return [f"class {k}" for k in range(config.classes)]


def data_csv(config: RunConfig, data: DataSplit) -> bytes:
    """Every point, training points first, as ``read_csv`` reads them back: a header of
    the inputs' names and ``label``, numbers as Python writes them (exactly)."""
    header = [*inputs.spec(config.declared).inputs.columns, "label"]
    X = np.concatenate([data.X_train, data.X_test])
    y = np.concatenate([data.y_train, data.y_test])
    texts = label_texts(config)
    if texts is not None:
        index = np.searchsorted(class_labels(max(config.classes, 2)), y)
        labels = [texts[k] for k in index]
    else:
        labels = [repr(float(v)) for v in y]
    out = io.StringIO()
    out.write(",".join(header) + "\n")
    for row, label in zip(X.tolist(), labels, strict=True):
        out.write(",".join(repr(v) for v in row) + f",{_cell(label)}\n")
    return out.getvalue().encode()


def _cell(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\n') else text


def model_dict(config: RunConfig, net: Network) -> dict:
    """The trained model: what it reads, how it computes, its weights (W (n_out, n_in) per
    layer, the original's layout) and, for classification, its classes."""
    table = inputs.table_of(config.declared)
    return {
        "format": MODEL_FORMAT,
        "inputs": {
            "kind": "plane" if table is None else "table",
            "features": list(config.features),
            "columns": None if table is None else list(table.columns),
        },
        "activation": net.activation,
        "output_activation": output_activation(net),
        "head": net.head_name,
        "normalization": net.normalization,
        "problem": config.problem,
        "classes": config.classes,
        "class_names": label_texts(config),
        "layers": layers_of(net),
    }


def output_activation(net: Network) -> str:
    """The output layer's activation by name: one of ``ACTIVATIONS``, or softmax."""
    named = (name for name, act in ACTIVATIONS.items() if act is net.head.activation)
    return next(named, "softmax")


def numpy_script(config: RunConfig, net: Network) -> str:
    """A standalone script that rebuilds ``net`` with NumPy alone (module docstring)."""
    if net.normalization not in ("none", "batchNorm"):
        raise ValueError(f"the script knows no normalization {net.normalization!r}")
    model = model_dict(config, net)
    kept = ("W", "b", "norm", "state")  # a batch norm's γ, β and running statistics
    layers = [{key: layer[key] for key in kept if key in layer} for layer in model["layers"]]
    table = model["inputs"]["kind"] == "table"
    lines = [
        f'"""A {config.problem} network trained in the neural-network playground, rebuilt',
        "with NumPy alone. " + (
            "Run as `python this.py rows.csv`: prints its outputs for each row of the CSV"
            if table else
            "Run as `python this.py`: prints its outputs on the 100 x 100 grid"
        ) + '."""',
        "",
        "import json",
        "import sys",
        "",
        "import numpy as np",
        "",
        f"FEATURES = {model['inputs']['features']!r}",
        f"COLUMNS = {model['inputs']['columns']!r}",
        f"LAYERS = json.loads({json.dumps(json.dumps(layers))})",
        "",
        "",
        "def hidden(z):",
        f"    return {SCRIPT_ACTIVATIONS[net.activation]}",
        "",
        "",
        "def output(z):",
        f"    return {SCRIPT_ACTIVATIONS[model['output_activation']]}",
        "",
        "",
        "def predict(a):",
        "    for k, layer in enumerate(LAYERS):",
        "        z = a @ np.array(layer['W']).T + np.array(layer['b'])",
        "        if 'norm' in layer:  # batch norm, with the running mean and variance",
        "            gamma, beta = np.array(layer['norm']).reshape(2, -1)",
        "            mean, var = np.array(layer['state']).reshape(2, -1)",
        f"            scale = gamma * (1.0 / np.sqrt(var + {EPSILON!r}))",
        "            z = z * scale + (beta - mean * scale)",
        "        a = output(z) if k == len(LAYERS) - 1 else hidden(z)",
        "    return a",
        "",
        "",
        *(_table_inputs() if table else _plane_inputs(model["inputs"]["features"])),
        "",
        "",
        'if __name__ == "__main__":',
        "    outputs = predict(inputs())",
        "    if outputs.shape[1] == 1:",
        "        outputs = outputs[:, 0]",
        *([] if table else ["    outputs = outputs.reshape(100, 100, *outputs.shape[1:])"]),
        '    print(json.dumps({"outputs": outputs.tolist()}))',
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def _plane_inputs(features: list[str]) -> list[str]:
    unknown = [name for name in features if name not in SCRIPT_FEATURES]
    if unknown or set(SCRIPT_FEATURES) != set(FEATURES):
        raise ValueError(f"the script knows no feature {unknown}")
    return [
        "def inputs():",
        '    """The grid\'s points, row 0 at y = +6, and the features the network reads."""',
        "    t = np.arange(100) / 99",
        "    axis = -6.0 * (1 - t) + 6.0 * t",
        "    xs, ys = np.meshgrid(axis, axis[::-1])",
        "    x, y = xs.ravel(), ys.ravel()",
        "    return np.column_stack([",
        *[f"        {SCRIPT_FEATURES[name]}," for name in features],
        "    ]) if FEATURES else np.zeros((x.size, 0))",
    ]


def _table_inputs() -> list[str]:
    return [
        "def inputs():",
        '    """The rows of the CSV file named on the command line: its first columns."""',
        "    if len(sys.argv) != 2:",
        '        sys.exit("usage: python this.py rows.csv")',
        "    rows = []",
        "    with open(sys.argv[1], encoding='utf-8-sig') as file:",
        "        for line in file:",
        "            cells = line.strip().split(',')[: len(COLUMNS)]",
        "            try:",
        "                rows.append([float(cell) for cell in cells])",
        "            except ValueError:",
        "                continue  # a header",
        "    data = np.array(rows, dtype=float).reshape(-1, len(COLUMNS))",
        "    return data[:, [COLUMNS.index(name) for name in FEATURES]]",
    ]
