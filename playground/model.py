"""A run's settings and how they become data, a network and a trainer.

Shared by the command line and the app; imports no UI library. The seeded stream is
the original's: data are drawn first, then the initial weights continue the SAME
stream, so a TensorFlow Playground seed reproduces both.
"""

import copy
from collections.abc import Callable

import numpy as np

from playground.datasets import DataSplit, SeedRandom, make_data
from playground.datasets.own import OWN_DATASETS
from playground.engine import Network, Trainer, hyper_defaults
from playground.run_config import RunConfig
from playground.settings import OPTIMIZER, TRAINER

__all__ = [
    "RunConfig",
    "batch_for",
    "head_for",
    "new_data",
    "new_network",
    "new_trainer",
    "normalization_for",
    "start_run",
    "weight_stream",
]


def optimizer_default(optimizer: type, keyword: str) -> float | None:
    """An optimizer's own default for a hyper-parameter it takes, or None if it does not."""
    return hyper_defaults(optimizer).get(keyword)


def head_for(config: RunConfig) -> str:
    """The engine's head (output activation and loss, engine/heads.py) of a run."""
    if config.problem == "regression":
        return "linearSquaredError"
    if config.loss == "crossEntropy":
        return "sigmoidCrossEntropy" if config.classes == 2 else "softmaxCrossEntropy"
    return "tanhSquaredError"  # one tanh node for two classes, one per class beyond


def stream_draw(rng: SeedRandom) -> Callable[[int], np.ndarray]:
    """Adapts the one-at-a-time seeded stream to the engine's ``draw(n)``."""
    return lambda n: np.array([rng.random() for _ in range(n)], dtype=float)


def normalization_for(config: RunConfig) -> str:
    """The engine's normalization of the hidden layers (engine/normalization.py)."""
    return "batchNorm" if config.batch_norm else "none"


BATCH_OF_ONE = (
    "Batch normalization with a batch size of 1: a batch of one example is its own mean, "
    "so every hidden neuron's normalized value is 0 whatever the input, and the network "
    "cannot learn. Choose a batch size of 2 or more, or turn batch normalization off."
)


def note_for(config: RunConfig) -> str:
    """What the settings make of a run that its user should know before training it
    (empty: nothing)."""
    return BATCH_OF_ONE if config.batch_norm and config.batch_size == 1 else ""


def new_network(config: RunConfig, rng: SeedRandom) -> Network:
    return Network.create(
        config.sizes,
        stream_draw(rng),
        activation=config.activation,
        head=head_for(config),
        init="zero" if config.init_zero else config.init,
        normalization=normalization_for(config),
    )


def new_data(config: RunConfig, rng: SeedRandom) -> DataSplit:
    classes = max(config.classes, 2)  # a regression set takes no class count
    return make_data(config.spec, config.noise, config.perc_train_data, rng, classes)


def dropout_seed(rng: SeedRandom | None) -> int:
    """The dropout masks' seed, from the run's stream without consuming it: a link
    reproduces the masks, and the weights drawn after a reset stay the original's."""
    return int(copy.deepcopy(rng).random() * 2**32) if rng is not None else 0


def batch_for(config: RunConfig, n_train: int) -> int:
    """The batch size a run trains with: its setting, but a drawn or uploaded set with
    fewer training points than that trains as one batch (the original's rule, an update
    after every ``batch``-th point of an epoch, would never update it)."""
    if config.dataset in OWN_DATASETS and 0 < n_train < config.batch_size:
        return n_train
    return config.batch_size


def new_trainer(
    config: RunConfig,
    net: Network,
    data: DataSplit,
    rng: SeedRandom | None = None,
    masks: int | None = None,
) -> Trainer:
    """``masks``: the dropout masks' seed (a stored run's); else drawn from ``rng``."""
    return Trainer(
        net,
        list(config.features),
        (data.X_train, data.y_train),
        (data.X_test, data.y_test),
        **(config.feeding(TRAINER) | {"batch_size": batch_for(config, len(data.y_train))}),
        optimizer_options=config.feeding(OPTIMIZER),
        dropout_seed=dropout_seed(rng) if masks is None else masks,
        columns=config.columns,
    )


def weight_stream(config: RunConfig) -> SeedRandom:
    """The stream a run with a weight seed draws its network from: that seed's, after
    that seed's data (with the run's data settings) are drawn and set aside. So the
    weights are those a page opened with ``seed`` = the weight seed starts from, and the
    Regenerate button, which keeps the network, names its weights by the old seed."""
    rng = SeedRandom(config.weight_seed)
    new_data(config, rng)
    return rng


def start_run(config: RunConfig) -> tuple[SeedRandom, DataSplit, Trainer]:
    """What the original does on page load: seed, generate data, then draw weights (from
    the same stream, or with a weight seed from ``weight_stream``)."""
    rng = SeedRandom(config.seed)
    data = new_data(config, rng)
    if config.weight_seed:
        rng = weight_stream(config)
    return rng, data, new_trainer(config, new_network(config, rng), data, rng)
