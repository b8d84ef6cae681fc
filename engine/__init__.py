"""The NumPy training engine. Imports NumPy only: no Panel, Bokeh or param."""

from .activations import ACTIVATIONS, Activation
from .features import FEATURES, Feature, feature_matrix
from .grid import GridEvaluator, grid_points
from .initializers import INITIALIZERS, Initializer
from .losses import LOSSES, Loss
from .network import Network, Workspace
from .optimizers import OPTIMIZERS, SGD
from .regularizers import REGULARIZERS, Regularizer
from .trainer import Trainer, batch_segments

__all__ = [
    "ACTIVATIONS",
    "FEATURES",
    "INITIALIZERS",
    "LOSSES",
    "OPTIMIZERS",
    "REGULARIZERS",
    "SGD",
    "Activation",
    "Feature",
    "GridEvaluator",
    "Initializer",
    "Loss",
    "Network",
    "Regularizer",
    "Trainer",
    "Workspace",
    "batch_segments",
    "feature_matrix",
    "grid_points",
]
