"""One session's whole state: every setting, the data, the network and the trainer.

A ``param.Parameterized`` with no Panel import, so it runs without a browser. Settings
changes follow the original's rules (INVENTORY A1): some reset the network, some
regenerate the data with a new seed, the learning rate applies live. Views watch the
``*_version`` counters to know what to redraw.
"""

import random

import numpy as np
import param

from playground.datasets import DATASETS, DataSplit, SeedRandom, next_seed
from playground.engine import ACTIVATIONS, FEATURES, REGULARIZERS, GridEvaluator, Trainer
from playground.model import RunConfig, new_data, new_network, new_trainer

LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
REGULARIZATION_RATES = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
PROBLEMS = ["classification", "regression"]
MAX_LAYERS, MAX_NEURONS, NEW_LAYER_NEURONS = 6, 8, 2
# Epochs trained per displayed frame; 0 means as many as fit in the frame's time slice.
# The default, 3 per frame at 25+ frames/s, trains at least as fast as the original's
# one epoch per animation frame (about 60 epochs/s).
SPEEDS = {"1": 1, "3": 3, "10": 10, "30": 30, "100": 100, "max": 0}


# The parameters that make a scene: all of them are written to the URL.
SETTINGS = (
    "learning_rate",
    "activation",
    "regularization",
    "regularization_rate",
    "problem",
    "dataset",
    "reg_dataset",
    "perc_train_data",
    "noise",
    "batch_size",
    "features",
    "network_shape",
    "show_test_data",
    "discretize",
    "seed",
    "init_zero",
    "speed",
)


def datasets_of(problem: str) -> list[str]:
    return [name for name, spec in DATASETS.items() if spec.problem == problem]


def random_seed() -> str:
    """A fresh seed string like the original's Math.random().toFixed(5)."""
    return f"{random.SystemRandom().random():.5f}"


class PlaygroundState(param.Parameterized):
    # Settings: every one is in the URL (playground/url.py maps the names).
    learning_rate = param.Selector(default=0.03, objects=LEARNING_RATES)
    activation = param.Selector(default="tanh", objects=list(ACTIVATIONS))
    regularization = param.Selector(default="none", objects=list(REGULARIZERS))
    regularization_rate = param.Selector(default=0.0, objects=REGULARIZATION_RATES)
    problem = param.Selector(default="classification", objects=PROBLEMS)
    dataset = param.Selector(default="circle", objects=datasets_of("classification"))
    reg_dataset = param.Selector(default="reg-plane", objects=datasets_of("regression"))
    perc_train_data = param.Integer(default=50, bounds=(10, 90), step=10)
    noise = param.Integer(default=0, bounds=(0, 50), step=5)
    batch_size = param.Integer(default=10, bounds=(1, 30))
    features = param.ListSelector(default=["x", "y"], objects=list(FEATURES))
    network_shape = param.List(default=[4, 2], item_type=int)
    show_test_data = param.Boolean(default=False)
    discretize = param.Boolean(default=False)
    seed = param.String(default="0.31415")
    init_zero = param.Boolean(default=False)
    speed = param.Selector(default=3, objects=list(SPEEDS.values()))

    # Live state, written by the state itself.
    playing = param.Boolean(default=False)
    # Not constant: param's edit_constant walks every parameter, and these change with
    # every frame of every tab.
    epoch = param.Integer(default=0)
    train_loss = param.Number(default=float("nan"))
    test_loss = param.Number(default=float("nan"))
    message = param.String(default="", doc="A notice for the user, e.g. divergence")
    network_version = param.Integer(default=0, doc="bumped when the network is rebuilt")
    data_version = param.Integer(default=0, doc="bumped when the points change")
    params_version = param.Integer(default=0, doc="bumped when any weight changes")

    def __init__(self, **settings) -> None:
        settings.setdefault("seed", random_seed())
        super().__init__(**settings)
        self.loss_history: dict[str, list[float]] = {}
        self._rng = SeedRandom(self.seed)
        self.data: DataSplit = new_data(self.config, self._rng)
        self.trainer: Trainer
        self.grid: GridEvaluator
        self.reset()

    def load(self, **settings) -> None:
        """Opens a whole scene at once, as the original does on page load.

        Settings are applied together without triggering the per-setting rules (which
        would draw new seeds), then the scene's seed gives the data and the weights.
        """
        settings.setdefault("seed", random_seed())
        with param.discard_events(self):
            self.param.update(**settings)
        self._rng = SeedRandom(self.seed)
        self.data = new_data(self.config, self._rng)
        self.data_version += 1
        self.reset()

    @property
    def current_dataset(self) -> str:
        return self.dataset if self.problem == "classification" else self.reg_dataset

    @property
    def config(self) -> RunConfig:
        ordered = [name for name in FEATURES if name in self.features]
        return RunConfig(
            dataset=self.current_dataset,
            noise=self.noise,
            perc_train=self.perc_train_data,
            batch_size=self.batch_size,
            learning_rate=self.learning_rate,
            activation=self.activation,
            regularization=self.regularization,
            regularization_rate=self.regularization_rate,
            hidden=tuple(self.network_shape),
            features=tuple(ordered),
            seed=self.seed,
            init_zero=self.init_zero,
        )

    @property
    def net(self):
        return self.trainer.net

    # -- what the original calls reset() and generateData() --------------------------

    def reset(self) -> None:
        """New weights from the continuing stream; the data stays; epoch 0; paused."""
        config = self.config
        self.playing = False
        self.trainer = new_trainer(config, new_network(config, self._rng), self.data)
        self.grid = GridEvaluator(list(config.features), self.trainer.net.sizes)
        self._quiet_epochs = 0
        self.epoch = 0
        self.train_loss, self.test_loss = self.trainer.train_loss, self.trainer.test_loss
        self.loss_history = {"epoch": [], "train": [], "test": []}
        self.message = ""
        self._record_losses()
        self.network_version += 1
        self.params_version += 1

    def regenerate(self, reset: bool = True) -> None:
        """A new seed from the stream, new data; without ``reset`` training goes on."""
        self.seed = next_seed(self._rng)
        self._rng = SeedRandom(self.seed)
        self.data = new_data(self.config, self._rng)
        self.data_version += 1
        if reset:
            self.reset()
        else:
            self.trainer.set_data(
                (self.data.X_train, self.data.y_train), (self.data.X_test, self.data.y_test)
            )

    @param.depends("problem", watch=True)
    def _problem_changed(self) -> None:
        self.regenerate()

    @param.depends("dataset", "reg_dataset", "perc_train_data", "noise", watch=True)
    def _data_settings_changed(self) -> None:
        self.regenerate()

    @param.depends(
        "activation",
        "regularization",
        "regularization_rate",
        "batch_size",
        "features",
        "network_shape",
        "init_zero",
        watch=True,
    )
    def _network_settings_changed(self) -> None:
        self.reset()

    @param.depends("learning_rate", watch=True)
    def _learning_rate_changed(self) -> None:
        self.trainer.learning_rate = self.learning_rate

    # -- training --------------------------------------------------------------------

    def train(self, epochs: int) -> int:
        """Trains up to ``epochs`` epochs and shows the result; stops early and pauses
        on divergence."""
        done = self.train_quietly(epochs)
        self.announce()
        return done

    def train_quietly(self, epochs: int) -> int:
        """Trains up to ``epochs`` epochs and tells no one: no losses, no parameter
        events, so a loop can train in many short runs cheaply; ``announce`` then shows
        them all at once. Returns the epochs done: fewer once a weight stops being a
        finite number."""
        done = self.trainer.run(epochs, losses=False)
        self._quiet_epochs += done
        return done

    @property
    def unannounced_epochs(self) -> int:
        return self._quiet_epochs

    def announce(self) -> None:
        """The epochs trained since the last call become visible: counter, losses and a
        chart point; divergence pauses with a message. Nothing new: nothing happens."""
        if not self._quiet_epochs:
            return
        self.trainer.update_losses()
        self.epoch += self._quiet_epochs
        self.train_loss, self.test_loss = self.trainer.train_loss, self.trainer.test_loss
        self.params_version += 1
        self._quiet_epochs = 0
        self._record_losses()
        if self.trainer.diverged:
            self.playing = False
            self.message = (
                "Training diverged: the loss is no longer a finite number. Lower the "
                "learning rate or press reset."
            )

    def step(self) -> None:
        """The Step button: pause, then exactly one epoch."""
        self.playing = False
        self.train(1)

    def toggle_play(self) -> None:
        self.playing = not self.playing and not self.trainer.diverged

    def _record_losses(self) -> None:
        self.loss_history["epoch"].append(self.epoch)
        self.loss_history["train"].append(self.train_loss)
        self.loss_history["test"].append(self.test_loss)

    # -- network edits ---------------------------------------------------------------

    def toggle_feature(self, name: str) -> None:
        enabled = set(self.features) ^ {name}
        self.features = [f for f in FEATURES if f in enabled]

    def add_layer(self) -> None:
        if len(self.network_shape) < MAX_LAYERS:
            self.network_shape = [*self.network_shape, NEW_LAYER_NEURONS]

    def remove_layer(self) -> None:
        if self.network_shape:
            self.network_shape = self.network_shape[:-1]

    def change_neurons(self, layer: int, delta: int) -> None:
        shape = list(self.network_shape)
        shape[layer] = int(np.clip(shape[layer] + delta, 1, MAX_NEURONS))
        if shape != self.network_shape:
            self.network_shape = shape

    def set_weight(self, k: int, i: int, j: int, value: float) -> None:
        """Edits a link live (no reset); losses update at the next epoch, as the original."""
        self.net.set_weight(k, i, j, value)
        self.params_version += 1

    def set_bias(self, k: int, i: int, value: float) -> None:
        self.net.set_bias(k, i, value)
        self.params_version += 1

    # -- what the views draw ---------------------------------------------------------

    def node_maps(self) -> np.ndarray:
        """(hidden nodes + output, 100, 100) float32 maps of the current network."""
        return self.grid.evaluate(self.net)
