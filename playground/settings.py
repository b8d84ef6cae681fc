"""Every setting of a scene, declared once, as data.

A row says what a setting is called (its Python name, the URL key, the label, a one-line
hint), what values it takes (its kind), its default, what a change does, which part of
a run it feeds, and whether ``<id>_hide=true`` removes its control. Everything else is
derived from the rows: the session state's params (``state.py``), reading and writing
URLs with their notes (``url.py``), the controls and their layout groups
(``views/controls.py``, ``views/page.py``), the embed builder's labels
(``views/embed.py``) and the ``train`` command's flags (``cli.py``).

Kinds hold only data; each consumer maps a kind's class to what it builds (a param, a
URL reader, a widget, an argparse type). Choices backed by a registry read it when they
are needed, so an entry added to a registry is a choice everywhere at once.

Imports no UI library.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from playground.colors import PALETTES
from playground.datasets import DATASETS, MAX_CLASSES, MIN_CLASSES
from playground.datasets.own import MAX_LINK_POINTS
from playground.engine import (
    ACTIVATIONS,
    INITIALIZERS,
    OPTIMIZERS,
    REGULARIZERS,
    hyper_defaults,
)
from playground.kinds import (
    Choice,
    Dataset,
    Features,
    Flag,
    Kind,
    Number,
    Points,
    Rate,
    Shape,
    Slider,
    Steps,
    Text,
)

__all__ = [
    "SETTINGS",
    "Choice",
    "Dataset",
    "Features",
    "Flag",
    "Kind",
    "Number",
    "Points",
    "Rate",
    "Setting",
    "Shape",
    "Slider",
    "Steps",
    "Text",
    "register",
    "unregister",
]  # fmt: skip

# -- rows --------------------------------------------------------------------------

# What a change does to a running scene (the original's rules, tests/reference/INVENTORY.md A1).
LIVE = "live"  # applied to the running trainer, training goes on
RESET = "reset"  # new weights from the seeded stream, epoch 0
REGENERATE = "regenerate"  # new data from a new seed, then new weights
REDRAW = "redraw"  # the data made again from the same seed; training goes on (drawn points)
VIEW = "view"  # only what is drawn changes
SCENE = "scene"  # the state takes care of it (the problem type picks the dataset)

# Which part of a run a setting feeds (None: the app only).
DATA, NETWORK, TRAINER, OPTIMIZER = "data", "network", "trainer", "optimizer"


@dataclass(frozen=True)
class Setting:
    name: str  # the state's param and the run's name: learning_rate
    key: str  # the URL key, the original's where it has one: learningRate
    label: str
    hint: str
    kind: Kind
    default: Any
    change: str
    feeds: str | None = None  # DATA, NETWORK, TRAINER, OPTIMIZER or None
    hide_id: str | None = None  # ``<hide_id>_hide=true`` removes the control
    group: str | None = None  # where the page shows a control: "top", "data", "output"
    cli_aliases: tuple[str, ...] = ()  # older spellings of the train command's flag
    engine_name: str = ""  # the engine's keyword, when it differs from ``name``
    # Whether the setting means anything given the others (the values by name), else its
    # control is hidden: an optimizer's own hyper-parameters show when it is chosen.
    applies: Callable[[Mapping[str, Any]], bool] | None = None

    @property
    def flag(self) -> str:
        """The ``train`` command's option."""
        return "--" + self.name.replace("_", "-")

    @property
    def keyword(self) -> str:
        return self.engine_name or self.name

    def applies_to(self, values: Mapping[str, Any]) -> bool:
        if self.applies is not None:
            return self.applies(values)
        if self.feeds == OPTIMIZER:  # a keyword the chosen optimizer takes
            chosen = OPTIMIZERS.get(values.get("optimizer"))
            return chosen is not None and self.keyword in hyper_defaults(chosen)
        return True


LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MAX_LAYERS, MAX_NEURONS = 6, 8
# Epochs trained per displayed frame; 0 means as many as fit in the frame's time slice.
# The default, 3 per frame at 25+ frames/s, trains at least as fast as the original's
# one epoch per animation frame (about 60 epochs/s).
SPEEDS = {"1": 1, "3": 3, "10": 10, "30": 30, "100": 100, "max": 0}
PROBLEMS = {"classification": "Classification", "regression": "Regression"}
LOSSES = {"mse": "Squared error", "crossEntropy": "Cross-entropy"}
EPSILONS = (1e-10, 1e-8, 1e-7, 1e-6, 1e-4)
CLIP_NORMS = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0)


def _classifying(values: Mapping[str, Any]) -> bool:
    return values.get("problem", "classification") == "classification"


def _many_classes_possible(values: Mapping[str, Any]) -> bool:
    spec = DATASETS.get(values.get("dataset"))
    return (
        _classifying(values)
        and spec is not None
        and spec.max_classes > MIN_CLASSES
        and not spec.fixed_classes
    )


def _noisy(values: Mapping[str, Any]) -> bool:
    """The dataset in use is drawn with noise (not the digits, not one's own points)."""
    spec = DATASETS.get(values.get("dataset"))
    return spec is None or spec.takes_noise


def _labels(registry: Mapping) -> Callable[[], dict[str, str]]:
    return lambda: {name: getattr(entry, "label", name) for name, entry in registry.items()}


SETTINGS: dict[str, Setting] = {}


def register(setting: Setting) -> Setting:
    """Adds a row; the state, URL, controls, embed builder and CLI pick it up."""
    if setting.name in SETTINGS:
        raise ValueError(f"setting {setting.name!r} is declared twice")
    SETTINGS[setting.name] = setting
    for listener in _listeners:
        listener(setting)
    return setting


def unregister(name: str) -> None:
    """Removes a row (for tests that declare one of their own)."""
    SETTINGS.pop(name)


_listeners: list[Callable[[Setting], None]] = []


def on_register(listener: Callable[[Setting], None]) -> None:
    """``listener(setting)`` for every row registered from now on (the state's params)."""
    _listeners.append(listener)


for _row in (
    Setting(
        "learning_rate", "learningRate", "Learning rate",
        "How far each update moves the weights; applies at once, training goes on.",
        Rate(LEARNING_RATES), 0.03, LIVE, TRAINER, "learningRate", "top", ("--lr",),
    ),
    Setting(
        "activation", "activation", "Activation",
        "The function every hidden neuron applies to its weighted sum.",
        Choice(_labels(ACTIVATIONS), "an activation"), "tanh", RESET, NETWORK,
        "activation", "top",
    ),
    Setting(
        "regularization", "regularization", "Regularization",
        "A penalty on large weights, which keeps the network simpler.",
        Choice(_labels(REGULARIZERS), "a regularization"), "none", RESET, TRAINER,
        "regularization", "top",
    ),
    Setting(
        "regularization_rate", "regularizationRate", "Regularization rate",
        "How strongly the penalty pulls the weights towards zero.",
        Rate(REGULARIZATION_RATES), 0.0, RESET, TRAINER, "regularizationRate", "top",
        ("--reg-rate",),
    ),
    Setting(
        "problem", "problem", "Problem type",
        "Classification sorts points into two colours; regression predicts a number.",
        Choice(lambda: PROBLEMS, "a problem type"), "classification", REGENERATE, None,
        "problem", "top",
    ),
    Setting(
        "optimizer", "optimizer", "Optimizer",
        "How gradients become weight updates; a change keeps the weights and starts the "
        "optimizer afresh.",
        Choice(_labels(OPTIMIZERS), "an optimizer"), "sgd", LIVE, TRAINER, "optimizer", "top",
    ),
    Setting(
        "momentum", "momentum", "Momentum (μ)",
        "How much of the last step the next one keeps rolling with.",
        Number(0.0, 0.999, 0.05), 0.9, LIVE, OPTIMIZER, "momentum", "training",
    ),
    Setting(
        "beta1", "beta1", "β1",
        "Adam's memory of the gradient's direction (its average's decay per update).",
        Number(0.0, 0.999, 0.01), 0.9, LIVE, OPTIMIZER, "beta1", "training",
    ),
    Setting(
        "beta2", "beta2", "β2",
        "Adam's memory of the gradient's size (its squares' average's decay per update).",
        Number(0.0, 0.9999, 0.001), 0.999, LIVE, OPTIMIZER, "beta2", "training",
    ),
    Setting(
        "rho", "rho", "ρ",
        "RMSprop's decay of the running average of squared gradients.",
        Number(0.0, 0.9999, 0.01), 0.99, LIVE, OPTIMIZER, "rho", "training",
    ),
    Setting(
        "epsilon", "epsilon", "ε",
        "Added to the step's denominator so that tiny gradients still give finite steps.",
        Rate(EPSILONS), 1e-8, LIVE, OPTIMIZER, "epsilon", "training",
    ),
    Setting(
        "loss", "loss", "Loss",
        "Squared error on a tanh output, or cross-entropy on a sigmoid (two classes) "
        "or softmax (more) output.",
        Choice(lambda: LOSSES, "a loss"), "mse", RESET, NETWORK, "loss", "training",
        applies=_classifying,
    ),
    Setting(
        "init", "init", "Initialization",
        "How the starting weights are drawn, from the seed so a link reproduces them.",
        Choice(_labels(INITIALIZERS), "an initialization"), "tfp", RESET, NETWORK, "init",
        "training",
    ),
    Setting(
        "batch_norm", "batchNorm", "Batch normalization",
        "Each hidden layer rescales its values over every batch to mean 0 and spread 1, "
        "then applies a learned scale and shift; pictures and losses use running averages.",
        Flag(), False, RESET, NETWORK, "batchNorm", "training",
    ),
    Setting(
        "dropout", "dropout", "Dropout",
        "The share of hidden neurons switched off at random for each training example.",
        Number(0.0, 0.5, 0.05, slider=True), 0.0, LIVE, TRAINER, "dropout", "training",
    ),
    Setting(
        "clip_norm", "clipNorm", "Clip gradient norm",
        "Longer gradients are shortened to this length before each step; 0 is off.",
        Rate(CLIP_NORMS), 0.0, LIVE, TRAINER, "clipNorm", "training",
    ),
    Setting(
        "lr_decay", "lrDecay", "Learning-rate decay (γ)",
        "The learning rate is multiplied by γ after every epoch; 1 keeps it.",
        Number(0.9, 1.0, 0.001, slider=True), 1.0, LIVE, TRAINER, "lrDecay", "training",
    ),
    Setting(
        "patience", "patience", "Early stopping (patience)",
        "Pause after this many epochs without a lower test loss; 0 is off.",
        Slider(0, 1000, 10), 0, LIVE, TRAINER, "patience", "training",
    ),
    Setting(
        "speed", "speed", "Speed (epochs/frame)",
        "Epochs trained for each picture; max trains as many as fit between two pictures.",
        Steps(SPEEDS), 3, VIEW, None, "speed", "top",
    ),
    Setting(
        "dataset", "dataset", "Which dataset",
        "The points to classify.",
        Dataset("classification"), "circle", REGENERATE, DATA, "dataset", "data",
    ),
    Setting(
        "reg_dataset", "regDataset", "Which dataset",
        "The points whose value to predict.",
        Dataset("regression"), "reg-plane", REGENERATE, None,
    ),
    # After the datasets: the data column shows its control under the tiles.
    Setting(
        "num_classes", "numClasses", "Classes",
        "How many classes the spirals and blobs have.",
        Slider(MIN_CLASSES, MAX_CLASSES), 2, REGENERATE, DATA, "numClasses", "data",
        applies=_many_classes_possible,
    ),
    Setting(
        "perc_train_data", "percTrainData", "Ratio of training to test data (%)",
        "The share of points the network learns from; the rest tests it.",
        Slider(10, 90, 10), 50, REGENERATE, DATA, "percTrainData", "data", ("--perc-train",),
    ),
    Setting(
        "noise", "noise", "Noise",
        "How far the points stray from the clean pattern.",
        Slider(0, 50, 5), 0, REGENERATE, DATA, "noise", "data", applies=_noisy,
    ),
    Setting(
        "batch_size", "batchSize", "Batch size",
        "Examples per weight update: 1 is noisy, larger is smoother and slower.",
        Slider(1, 30), 10, RESET, TRAINER, "batchSize", "data", ("--batch",),
    ),
    Setting(
        "features", "features", "Features",
        "The inputs the network sees; click an input on the diagram to switch it.",
        Features(), ["x", "y"], RESET, NETWORK,
    ),
    Setting(
        "network_shape", "networkShape", "# of hidden layers",
        "Neurons per hidden layer, e.g. 4,2.",
        Shape(MAX_LAYERS, MAX_NEURONS), [4, 2], RESET, NETWORK, "numHiddenLayers",
        cli_aliases=("--hidden",),
    ),
    Setting(
        "show_test_data", "showTestData", "Show test data",
        "Draws the points held back for testing, with a dark outline.",
        Flag(), False, VIEW, None, "showTestData", "output",
    ),
    Setting(
        "discretize", "discretize", "Discretize output",
        "Shows only the sign of the output: the decision boundary, sharp.",
        Flag(), False, VIEW, None, "discretize", "output",
    ),
    Setting(
        "palette", "palette", "Colours",
        "The colours of the pictures, links and points; the colour-blind safe ones keep "
        "negative and positive apart for every kind of colour vision.",
        Choice(_labels(PALETTES), "a palette"), "original", VIEW, None, "palette", "training",
    ),
    Setting(
        "seed", "seed", "Seed",
        "Any text; the same seed gives the same data and starting weights.",
        Text(), "0.31415", SCENE, DATA,
    ),
    Setting(
        "weight_seed", "weightSeed", "Seed of the starting weights",
        "Empty: the starting weights follow the data in the seed's stream, as in the "
        "original. A reset draws a new one: the weights are then those a page opened "
        "with this seed starts from, so a link names them.",
        Text(), "", SCENE, NETWORK,
    ),
    Setting(
        "points", "points", "Drawn points",
        "The points drawn on the plot in Draw mode, the data of the drawn set.",
        Points(MAX_LINK_POINTS), (), REDRAW, DATA,
    ),
    Setting(
        "init_zero", "initZero", "Start from zero",
        "Every weight and bias starts at 0 instead of small random values.",
        Flag(), False, RESET, NETWORK,
    ),
):  # fmt: skip
    register(_row)


# Controls that are not settings, hidable as in the original: hide id -> label.
ACTIONS = {"playButton": "Play button", "stepButton": "Step button", "resetButton": "Reset button"}


def hidable() -> dict[str, str]:
    """Every ``<id>_hide`` id with its label: the actions, then the settings' controls."""
    return ACTIONS | {s.hide_id: s.label for s in SETTINGS.values() if s.hide_id}


def in_group(group: str) -> list[Setting]:
    return [s for s in SETTINGS.values() if s.group == group]


def run_settings() -> dict[str, Setting]:
    """The settings a headless run takes (the ``train`` command's flags)."""
    return {name: s for name, s in SETTINGS.items() if s.feeds}
