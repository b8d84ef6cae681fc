"""The NumPy training engine. Imports NumPy only: no Panel, Bokeh or param."""

from .activations import ACTIVATIONS, Activation
from .dropout import DropoutWorkspace
from .early_stopping import EarlyStopping
from .features import FEATURES, Feature, feature_matrix
from .grid import GridEvaluator, grid_points
from .heads import HEADS, Head
from .initializers import INITIALIZERS, Initializer
from .network import LayerViews, Network, Workspace
from .optimizers import OPTIMIZERS, SGD, Optimizer, hyper_defaults
from .regularizers import REGULARIZERS, Regularizer
from .trainer import Trainer, batch_segments

__all__ = [
    "ACTIVATIONS",
    "FEATURES",
    "HEADS",
    "INITIALIZERS",
    "OPTIMIZERS",
    "REGULARIZERS",
    "SGD",
    "Activation",
    "DropoutWorkspace",
    "EarlyStopping",
    "Feature",
    "GridEvaluator",
    "Head",
    "Initializer",
    "LayerViews",
    "Network",
    "Optimizer",
    "Regularizer",
    "Trainer",
    "Workspace",
    "batch_segments",
    "feature_matrix",
    "grid_points",
    "hyper_defaults",
]
