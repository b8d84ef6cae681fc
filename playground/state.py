"""One session's whole state: every setting, the data, the network and the trainer.

A ``param.Parameterized`` with no Panel import, so it runs without a browser. Its
settings are the rows of ``playground.settings``, each a param of the same name; what
a change does follows the row (the original's rules, ``tests/reference/INVENTORY.md``
A1): some reset the network, some regenerate the data with a new seed, some apply live.
Views watch the ``*_version`` counters to know what to redraw.
"""

import numpy as np
import param

from playground import datasets, inputs
from playground.datasets import DATASETS, DataSplit, SeedRandom, next_seed, random_seed
from playground.datasets.own import DRAWN_SETS
from playground.engine import GridEvaluator, Network, Trainer
from playground.history import LossHistory
from playground.model import batch_for, new_data, new_network, new_trainer, note_for, weight_stream
from playground.network_edits import NetworkEdits
from playground.own_points import OwnPoints
from playground.run_config import RunConfig
from playground.setting_params import param_for
from playground.settings import (
    LIVE,
    MAX_LAYERS,
    MAX_NEURONS,
    REDRAW,
    REGENERATE,
    RESET,
    SETTINGS,
    Choice,
    Dataset,
    Setting,
    on_register,
    run_settings,
)

__all__ = ["MAX_LAYERS", "MAX_NEURONS", "PlaygroundState", "datasets_of", "random_seed"]

BLANK_MAP = (100, 100)  # a table's node or input: nothing over the plane to picture


def datasets_of(problem: str) -> list[str]:
    return [name for name, spec in DATASETS.items() if spec.problem == problem]


# How strongly a change acts, for a batch of changes at once: the strongest wins.
_STRENGTH = {LIVE: 1, RESET: 2, REGENERATE: 3}
_CHOOSE_DATASET = ("problem", "dataset", "reg_dataset")  # settings that pick the dataset


class PlaygroundState(NetworkEdits, OwnPoints, param.Parameterized):
    """Every row of ``playground.settings`` is a param of this class (added below)."""

    # Live state, written by the state itself.
    playing = param.Boolean(default=False)
    # Not constant: param's edit_constant walks every parameter, and these change with
    # every frame of every tab.
    epoch = param.Integer(default=0)
    train_loss = param.Number(default=float("nan"))
    test_loss = param.Number(default=float("nan"))
    message = param.String(default="", doc="A notice for the user, e.g. divergence")
    can_restore = param.Boolean(default=False, doc="stopped early: the best weights can return")
    network_version = param.Integer(default=0, doc="bumped when the network is rebuilt")
    data_version = param.Integer(default=0, doc="bumped when the points change")
    params_version = param.Integer(default=0, doc="bumped when any weight changes")

    def __init__(self, own: datasets.Dataset | None = None, **settings) -> None:
        """``own``: the session's own points (an uploaded file's), for the uploaded set."""
        settings.setdefault("seed", random_seed())
        self.own = own
        _refresh_choices()
        super().__init__(**settings)
        self._fit_features()
        self.param.watch(self._settings_changed, list(SETTINGS))
        self.loss_history = LossHistory()  # the chart's points, in bounded memory
        self._rng = SeedRandom(self.seed)
        self.data: DataSplit = new_data(self.config, self._rng)
        self.trainer: Trainer
        self.grid: GridEvaluator | None  # None for a table: no plane to picture
        self._draw_network()

    def load(self, **settings) -> None:
        """Opens a whole scene at once, as the original does on page load.

        Settings are applied together without triggering the per-setting rules (which
        would draw new seeds), then the scene's seed gives the data and the weights.
        """
        settings.setdefault("seed", random_seed())
        with param.discard_events(self):
            self.param.update(**settings)
        self._fit_features()
        self._rng = SeedRandom(self.seed)
        self.data = new_data(self.config, self._rng)
        self.data_version += 1
        self._draw_network()

    @property
    def current_dataset(self) -> str:
        return self.dataset if self.problem == "classification" else self.reg_dataset

    @property
    def config(self) -> RunConfig:
        """The run's settings: ``dataset`` is the one in use, features in its input order."""
        values = {name: getattr(self, name) for name in run_settings()}
        values["dataset"] = self.current_dataset
        values["features"] = inputs.in_input_order(self.features, self.current_spec)
        return RunConfig(own=self.own, **values)

    @property
    def current_spec(self) -> datasets.Dataset:
        """The dataset in use as declared: the registry's, or the session's own file."""
        return inputs.dataset_in_use(self.current_dataset, self.own)

    @property
    def is_plane(self) -> bool:
        """The dataset in use is points (x, y): its nodes are pictured over the plane."""
        return inputs.is_plane(self.current_spec)

    def _fit_features(self) -> None:
        """Features the dataset in use does not offer (another dataset's inputs) give way
        to the dataset's own; quietly, for a change of dataset regenerates anyway."""
        if inputs.unknown_features(self.features, self.current_spec):
            with param.discard_events(self):
                self.features = list(inputs.default_features(self.current_spec))

    @property
    def net(self):
        return self.trainer.net

    # -- what the original calls reset() and generateData() --------------------------

    def reset(self) -> None:
        """New weights; the data stays; epoch 0; paused. The original draws them from the
        continuing stream, a place no link can name; here a new weight seed is drawn from
        it, and the weights from that seed (``model.weight_stream``), so the address
        names the weights on screen."""
        self.weight_seed = next_seed(self._rng)
        self._draw_network()

    def _draw_network(self) -> None:
        """The scene's network: from the stream right after the data (the original's
        page load), or from the weight seed's stream if there is one."""
        if self.weight_seed:
            self._rng = weight_stream(self.config)
        self.start_from(new_network(self.config, self._rng))

    def start_from(self, net: Network) -> None:
        """Training starts afresh from ``net``: epoch 0, paused."""
        config = self.config
        self._quiet_epochs = 0  # the last run's, never to be shown
        self.playing = False
        self.trainer = new_trainer(config, net, self.data, self._rng)
        self.initial_network = net.copy()  # where this run started: a scene keeps it
        self.changed_while_training = False
        self.grid = (
            GridEvaluator(list(config.features), self.trainer.net.sizes) if self.is_plane else None
        )
        self.epoch = 0
        self.train_loss, self.test_loss = self.trainer.train_loss, self.trainer.test_loss
        self.loss_history.clear()
        self.message = note_for(config)
        self.can_restore = False
        self._record_losses()
        self.network_version += 1
        self.params_version += 1

    def regenerate(self, reset: bool = True) -> None:
        """A new seed from the stream, new data; with ``reset`` new weights after them in
        the stream, as on a page opened with the new seed. Without, training goes on, and
        the weights it started from keep their name: the weight seed, or else the old seed
        (the network a page opened with it draws)."""
        old_seed, seed = self.seed, next_seed(self._rng)
        self.param.update(seed=seed, weight_seed="" if reset else self.weight_seed or old_seed)
        self._rng = SeedRandom(self.seed)
        self.data = new_data(self.config, self._rng)
        self.data_version += 1
        if reset:
            self._draw_network()
        else:
            self._give_trainer_the_data()

    def redraw(self) -> None:
        """The data made again from the same seed (drawn points changed); training goes on."""
        self._rng = SeedRandom(self.seed)
        self.data = new_data(self.config, self._rng)
        self.data_version += 1
        self._give_trainer_the_data()

    def _give_trainer_the_data(self) -> None:
        self.changed_while_training = True
        self.trainer.batch_size = batch_for(self.config, len(self.data.y_train))
        self.trainer.set_data(
            (self.data.X_train, self.data.y_train), (self.data.X_test, self.data.y_test)
        )

    def _settings_changed(self, *events) -> None:
        """One batch of setting changes acts once, as its strongest change says."""
        rows = [SETTINGS[event.name] for event in events if event.name in SETTINGS]
        if any(row.name in _CHOOSE_DATASET for row in rows):
            self._fit_features()
        strongest = max((_STRENGTH.get(row.change, 0) for row in rows), default=0)
        if strongest == _STRENGTH[REGENERATE]:
            self.regenerate()
        elif strongest == _STRENGTH[RESET]:
            self.reset()
        else:
            if self.current_dataset in DRAWN_SETS.values() and any(
                row.change == REDRAW for row in rows
            ):
                self.redraw()
            live = {row.keyword: getattr(self, row.name) for row in rows if row.change == LIVE}
            if live:
                self.changed_while_training = True
                self.trainer.configure(**live)

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

    @param.depends("playing", watch=True)
    def _show_all_on_pause(self) -> None:
        # Paused, every epoch trained shows (the chunks since the last frame too): code
        # that pauses, then reads the epoch, reads what the view will show.
        if not self.playing:
            self.announce()

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
        elif self.trainer.stopped_early:
            self._stopped_early()

    def _stopped_early(self) -> None:
        trainer = self.trainer
        best = self._best_epoch_shown
        self.playing = False
        self.can_restore = True
        self.message = (
            f"Early stopping: the test loss has not gone below its lowest, "
            f"{trainer.best_test_loss:.3f} at epoch {best}, for {trainer.patience} epochs. "
            "Restore that epoch's weights, or press play to train on."
        )

    @property
    def _best_epoch_shown(self) -> int:
        """The best epoch on the page's counter (the trainer counts from its own start)."""
        trainer = self.trainer
        return self.epoch - (trainer.epoch_count - trainer.best_epoch)

    def restore_best(self) -> None:
        """Back to the weights of the lowest test loss since early stopping began; nothing
        while there is none (the button is hidden then, but a browser may still send it)."""
        trainer = self.trainer
        if trainer.best_epoch is None:
            return
        best = self._best_epoch_shown
        if not trainer.restore_best():
            return
        self.can_restore = False
        self.changed_while_training = True
        self.train_loss, self.test_loss = trainer.train_loss, trainer.test_loss
        self.message = f"Restored the weights of epoch {best}."
        self.params_version += 1

    def step(self, epochs: int = 1) -> None:
        """The Step button: pause, then exactly ``epochs`` (one); on a diverged network
        nothing (its weights are no longer numbers: an epoch would only count up), and
        says why."""
        self.playing = False
        if self._refuse_if_diverged():
            return
        self._train_on_after_early_stop()
        self.train(epochs)

    def toggle_play(self) -> None:
        """Play or pause; a diverged network does not play, and says why. After an early
        stop, play trains on, with patience counted afresh."""
        if self.playing:
            self.playing = False
        elif not self._refuse_if_diverged():
            self._train_on_after_early_stop()
            self.playing = True

    def _train_on_after_early_stop(self) -> None:
        if self.trainer.stopped_early or self.can_restore:
            self.changed_while_training = True
            self.trainer.keep_going()
            self.can_restore = False
            self.message = ""

    def _refuse_if_diverged(self) -> bool:
        if not self.trainer.diverged:
            return False
        self.message = (
            "The network has diverged: its loss is no longer a finite number, so there "
            "is nothing to train. Press reset for new weights."
        )
        return True

    def _record_losses(self) -> None:
        self.loss_history.append(self.epoch, self.train_loss, self.test_loss)

    # -- what the views draw ---------------------------------------------------------

    def node_maps(self) -> np.ndarray:
        """(hidden nodes + output, 100, 100) float32 maps of the current network over the
        plane; blank (zeros) for a table's, which has no plane to picture them over."""
        if self.grid is None:
            return np.zeros((sum(self.net.sizes[1:]), *BLANK_MAP), np.float32)
        return self.grid.evaluate(self.net)

    def input_maps(self, names: list[str]) -> np.ndarray:
        """(len(names), 100, 100) float32 maps of input features over the plane; blank
        for a table's columns."""
        if self.grid is None:
            return np.zeros((len(names), *BLANK_MAP), np.float32)
        order = list(inputs.input_options(self.current_spec))
        return self.grid.feature_maps[[order.index(name) for name in names]]


def _add_setting(setting: Setting) -> None:
    PlaygroundState.param.add_parameter(setting.name, param_for(setting))


def _refresh_choices() -> None:
    """A registry may have grown since the class was made (a new optimizer, say)."""
    for setting in SETTINGS.values():
        if isinstance(setting.kind, Choice | Dataset):
            names = list(setting.kind.options())
            spec = PlaygroundState.param[setting.name]
            if spec.objects != names:
                spec.objects = names


for _setting in SETTINGS.values():
    _add_setting(_setting)
on_register(_add_setting)
