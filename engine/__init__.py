"""The NumPy training engine. Imports NumPy only: no Panel, Bokeh or param."""

from .activations import ACTIVATIONS, Activation
from .batches import batch_segments
from .dropout import Dropout
from .early_stopping import EarlyStopping
from .features import FEATURES, Feature, feature_matrix
from .forward import EVAL, TRAIN, LayerStep, run_layers
from .grid import GridEvaluator, grid_points
from .heads import HEADS, Head
from .initializers import INITIALIZERS, Initializer
from .network import Network
from .normalization import NORMALIZATIONS, Normalization
from .optimizers import (
    OPTIMIZERS,
    SGD,
    Optimizer,
    Range,
    hyper_defaults,
    hyper_range,
    hyper_symbol,
)
from .regularizers import REGULARIZERS, Regularizer
from .trainer import Trainer
from .workspace import LayerViews, Workspace

__all__ = [
    "ACTIVATIONS",
    "EVAL",
    "FEATURES",
    "HEADS",
    "INITIALIZERS",
    "NORMALIZATIONS",
    "OPTIMIZERS",
    "REGULARIZERS",
    "SGD",
    "TRAIN",
    "Activation",
    "Dropout",
    "EarlyStopping",
    "Feature",
    "GridEvaluator",
    "Head",
    "Initializer",
    "LayerStep",
    "LayerViews",
    "Network",
    "Normalization",
    "Optimizer",
    "Range",
    "Regularizer",
    "Trainer",
    "Workspace",
    "batch_segments",
    "feature_matrix",
    "grid_points",
    "hyper_defaults",
    "hyper_range",
    "hyper_symbol",
    "run_layers",
]
