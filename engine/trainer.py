"""The classic mini-batch trainer, step for step the original's semantics.

Examples are visited in stored order. Gradients are summed into accumulators, and an
update happens after example i (0-based, within the epoch) iff (i + 1) % batch == 0.
Accumulators are not flushed at the end of an epoch: leftover examples carry into the
next epoch's first update. No update happens between the leftover examples and the
next epoch's first ones, so the weights are the same for both and each run of
examples between two updates is one vectorised segment (``batches.py``); under batch
norm, one batch whose statistics the normalization takes (``batches.WholeBatches``).

The extensions act at an update, in this order (``tests/reference/extended``):
dead links' gradients zeroed, the mean gradient clipped to ``clip_norm``, the
optimizer's step (dead links and their state frozen), then the original's regularization.
"""

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .batches import WholeBatches, batch_segments
from .dropout import Dropout, check_rate
from .early_stopping import EarlyStopping, check_patience
from .features import feature_matrix
from .forward import TRAIN
from .network import Network
from .normalization import NORMALIZATIONS
from .optimizers import OPTIMIZERS, check_decay, hyper_defaults
from .regularizers import REGULARIZERS
from .trainer_metrics import TrainerMetrics, mean_or_nan
from .workspace import Workspace

Array = np.ndarray

# Settings of dropout, the learning-rate schedule and early stopping, changed by configure().
_TRAINING_CONTROLS = ("dropout", "dropout_seed", "lr_decay", "patience")


class Trainer(TrainerMetrics):
    def __init__(
        self,
        net: Network,
        features: list[str],
        train: tuple[Array, Array],
        test: tuple[Array, Array],
        *,
        batch_size: int = 10,
        learning_rate: float = 0.03,
        regularization: str = "none",
        regularization_rate: float = 0.0,
        optimizer: str = "sgd",
        optimizer_options: Mapping[str, float] | None = None,
        clip_norm: float = 0.0,
        dropout: float = 0.0,
        dropout_seed: int = 0,
        lr_decay: float = 1.0,
        patience: int = 0,
        columns: Sequence[str] | None = None,
    ) -> None:
        """``train`` and ``test`` are (points, labels (n,)) pairs: a plane's points (n, 2),
        whose ``features`` are names of ``FEATURES``, or, given the table's ``columns``,
        its rows (n, len(columns)), whose ``features`` are names of columns.

        The loss is the network's head (``net.head``), which also turns labels into targets.
        ``optimizer_options``: hyper-parameters by keyword; each optimizer takes those
        its constructor names and ignores the others (they belong to other optimizers).
        ``clip_norm`` > 0 rescales each update's mean gradient to at most that global
        norm (0: off).
        ``dropout``: the rate (0 to 0.5) at which training passes drop hidden nodes, from
        a generator seeded with ``dropout_seed``. ``lr_decay``: epoch e (``epoch_count``)
        trains at ``learning_rate * lr_decay**e``. ``patience``: stop after that many epochs
        without a new best test loss (0: never).
        """
        self.net = net
        self.features = list(features)
        self.columns = None if columns is None else tuple(columns)
        self.batch_size = int(batch_size)
        self.learning_rate = float(learning_rate)
        self.regularization = regularization
        self.regularization_rate = float(regularization_rate)
        self.clip_norm = float(clip_norm)
        self.head = net.head
        self.optimizer_options = dict(optimizer_options or {})
        self.set_optimizer(optimizer)
        self.epoch_count = 0
        self._acc = np.zeros_like(net.params)
        self._acc_views = net.layer_views(self._acc)
        self._acc_norm_views = net.norm_views(self._acc)
        self._acc_count = 0
        whole = NORMALIZATIONS[net.normalization].batch_statistics
        self._whole = WholeBatches() if whole else None
        self._w_old = np.empty_like(net.params)
        self._reg_step = np.empty_like(net.params)
        self._work = Workspace(net, max(1, min(self.batch_size, len(train[0]))))
        self._init_training_controls(dropout, dropout_seed, lr_decay, patience)
        self.set_data(train, test)

    def set_optimizer(self, name: str) -> None:
        """A fresh optimizer (no momentum or averages carried over); same weights."""
        self.optimizer_name = name
        cls = OPTIMIZERS[name]
        takes = hyper_defaults(cls)
        options = {k: v for k, v in self.optimizer_options.items() if k in takes}
        self.optimizer = cls(self.net.params.size, **options)

    def configure(self, **settings: object) -> None:
        """Live changes while training goes on: ``learning_rate``, ``clip_norm``,
        ``optimizer`` (fresh state), ``dropout``, ``dropout_seed``, ``lr_decay``,
        ``patience`` or any optimizer hyper-parameter by its keyword."""
        for name, value in settings.items():
            if name == "learning_rate":
                self.learning_rate = float(value)
            elif name == "clip_norm":
                self.clip_norm = float(value)
            elif name == "optimizer":
                self.set_optimizer(str(value))
            elif name in _TRAINING_CONTROLS:
                self._set_training_control(name, value)
            else:
                self.set_optimizer_option(name, value)

    def set_optimizer_option(self, name: str, value: float) -> None:
        """Changes a hyper-parameter live; the optimizer's state stays."""
        self.optimizer_options[name] = value
        if hasattr(self.optimizer, name):
            setattr(self.optimizer, name, value)

    def set_data(self, train: tuple[Array, Array], test: tuple[Array, Array]) -> None:
        """New points with the same network and accumulators (the original's Regenerate)."""
        self._X = self._matrix(train[0])
        n_out = self.net.sizes[-1]
        self._y = self.head.encode(train[1], n_out)
        self._n_train = len(self._X)
        X_test = self._matrix(test[0])
        self._X_all = np.concatenate([self._X, X_test])
        y_test = self.head.encode(test[1], n_out)
        self._y_all = np.concatenate([self._y, y_test])
        self._eval = Workspace(self.net, len(self._X_all))
        # Cut every segment's rows once: slicing in the hot loop costs as much as maths.
        self._segments = [
            (self._X[start:stop], self._y[start:stop], stop - start, update)
            for start, stop, update in batch_segments(self._n_train, self.batch_size)
        ]
        rows = min(self.batch_size, self._n_train)
        if self._whole is not None:
            rows = max(rows, self._whole.set_segments(self._segments))
        self._ensure_rows(rows)
        self.update_losses()

    def _ensure_rows(self, rows: int) -> None:
        if self._work.rows < rows:
            self._work = Workspace(self.net, rows)

    def _matrix(self, points: Array) -> Array:
        points = np.asarray(points, dtype=float)
        return feature_matrix(self.features, points, columns=self.columns)

    def epoch(self) -> None:
        """One pass over the training data, then both losses (as the original's oneStep).

        Does nothing once early stopping has stopped training (``stopped_early``).
        """
        if not self._may_train():
            return
        self._train_pass()
        self.update_losses()
        if self._early.patience:
            self._observe_test_loss()

    def run(self, epochs: int, losses: bool = True) -> int:
        """Up to ``epochs`` epochs with the losses computed once, at the end (or not at
        all: ``losses=False``); stops early once a parameter is no longer finite.
        Returns the epochs done.

        The weights are those of as many ``epoch()`` calls: losses never feed back into
        training. Skipping the losses in between saves an evaluation of every point per
        epoch, for the app, which shows the losses once a frame anyway. Early stopping
        (``patience``) needs the test loss after every epoch, so then it computes both
        losses every epoch and stops as soon as patience runs out.
        """
        if not self._may_train():
            if losses:
                self.update_losses()
            return 0
        stopping, done = self._early.patience > 0, 0
        while done < epochs:
            self._train_pass()
            done += 1
            if stopping:
                self.update_losses()
                if self._observe_test_loss():
                    break
            if not np.isfinite(self.net.params).all():
                break
        if losses and not stopping:
            self.update_losses()
        return done

    def _train_pass(self) -> None:
        self._epoch_learning_rate = self.current_learning_rate
        work = self._dropout_workspace() if self.dropout else self._work
        if self._whole is not None:
            self._train_whole_batches(work)
            return
        with np.errstate(all="ignore"):  # divergence shows as NaN in the losses, quietly
            for X, y, count, update in self._segments:
                work.forward(X, TRAIN)
                work.backward(y, self._acc_views, self._acc_count == 0, self._acc_norm_views)
                self._acc_count += count
                if update:
                    self._update()
        self.epoch_count += 1

    def _train_whole_batches(self, work: Workspace) -> None:
        """The classic loop's updates, each update's examples forward as one batch."""
        with np.errstate(all="ignore"):
            for X, y in self._whole.epoch():
                if len(X) > work.rows:  # a leftover of other data joined this batch
                    self._ensure_rows(len(X))
                    work = self._dropout_workspace() if self.dropout else self._work
                work.forward(X, TRAIN)
                work.backward(y, self._acc_views, True, self._acc_norm_views)
                self._acc_count = len(X)
                self._update()
        self.epoch_count += 1

    def _update(self) -> None:
        net, acc, count = self.net, self._acc, self._acc_count
        reg = REGULARIZERS[self.regularization]
        learning_rate = self._epoch_learning_rate  # decayed, see current_learning_rate
        reg_scale = learning_rate * self.regularization_rate
        # Only a regularizer that kills links can have left dead ones to skip; they
        # accumulate nothing, and neither they nor their optimizer state change.
        frozen = None
        if reg.kills_zero_crossings and net.dead.any():
            frozen = net.dead
            np.copyto(acc, 0.0, where=frozen)
        if self.clip_norm > 0.0:
            self._clip(acc, count)
        if reg_scale:
            np.copyto(self._w_old, net.params)
        if frozen is None:
            self.optimizer.step(net.params, acc, count, learning_rate)
        else:
            self.optimizer.step(net.params, acc, count, learning_rate, frozen)
        if reg_scale:
            self._apply_regularization(reg, reg_scale)
        self._acc_count = 0

    def _clip(self, acc: Array, count: int) -> None:
        """PyTorch's clip_grad_norm_ on g = acc / count, over all weights and biases:
        coef = c / (|g| + 1e-6), and g <- coef g only if coef < 1 (scaling acc scales g)."""
        coef = self.clip_norm / (math.sqrt(float(np.dot(acc, acc))) / count + 1e-6)
        if coef < 1.0:
            np.multiply(acc, coef, out=acc)

    def _apply_regularization(self, reg, scale: float) -> None:
        """w2 = w1 - (lr * rate) * reg'(w_old) on live weights; biases are exempt."""
        net, step = self.net, self._reg_step
        reg.grad(self._w_old, out=step)
        np.multiply(step, net.weight_mask, out=step)
        np.multiply(step, scale, out=step)
        if reg.kills_zero_crossings:
            w2 = net.params - step
            crossed = net.params * w2 < 0.0
            if crossed.any():
                w2[crossed] = 0.0
                net.kill_links(crossed)
            net.params[:] = w2
        else:
            np.subtract(net.params, step, out=net.params)

    def update_losses(self) -> None:
        """Mean per-example loss on train and test, without the regularization term."""
        with np.errstate(all="ignore"):
            self._eval.forward(self._X_all)
            out = self._eval.output
            per_example = self.head.loss(out.z, out.a, self._y_all)
            n = self._n_train
            self.train_loss = mean_or_nan(per_example[:n])
            self.test_loss = mean_or_nan(per_example[n:])

    @property
    def diverged(self) -> bool:
        """A weight or the training loss is no longer a finite number (with no training
        points, as before the first point is drawn, the loss is NaN and nothing diverged)."""
        finite_loss = np.isfinite(self.train_loss) or self._n_train == 0
        return not (finite_loss and np.isfinite(self.net.params).all())

    # Dropout, learning-rate decay and early stopping.

    def _init_training_controls(
        self, dropout: float, dropout_seed: int, lr_decay: float, patience: int
    ) -> None:
        self.dropout = check_rate(dropout)
        self.dropout_seed = dropout_seed  # where the masks started (a stored run keeps it)
        self._dropout_rng = np.random.default_rng(dropout_seed)
        self._dropout_work: Workspace | None = None
        self.lr_decay = check_decay(lr_decay)
        self._epoch_learning_rate = self.learning_rate
        self._early = EarlyStopping(self.net, patience)
        self.stopped_early = False
        self._halted = False  # stopped early, until patience changes or the best is restored

    def _set_training_control(self, name: str, value: object) -> None:
        if name == "dropout":
            self.dropout = check_rate(value)
        elif name == "dropout_seed":
            self.dropout_seed = value
            self._dropout_rng = np.random.default_rng(value)
            self._dropout_work = None  # it holds the old generator
        elif name == "lr_decay":
            self.lr_decay = check_decay(value)
        else:
            self.patience = value

    @property
    def patience(self) -> int:
        return self._early.patience

    @patience.setter
    def patience(self, value: int) -> None:
        # Setting it lets training go on after an early stop; 0 also drops the record.
        early = self._early
        early.patience = check_patience(value)
        if not early.patience:
            early.forget()
        self._halted = False

    @property
    def current_learning_rate(self) -> float:
        """The rate the next epoch trains at: learning_rate · lr_decay ^ epoch_count."""
        if self.lr_decay == 1.0:  # no decay: exactly learning_rate, not a product with 1.0
            return self.learning_rate
        return self.learning_rate * self.lr_decay**self.epoch_count

    def _dropout_workspace(self) -> Workspace:
        work = self._dropout_work
        if work is None or work.rows < self._work.rows:
            dropout = Dropout(self._dropout_rng, self.dropout)
            work = self._dropout_work = Workspace(self.net, self._work.rows, dropout)
        work.dropout.rate = self.dropout
        return work

    @property
    def best_epoch(self) -> int | None:
        """``epoch_count`` of the lowest test loss since early stopping began (it may be
        the epoch training started from); None while early stopping is off."""
        return self._early.best_epoch

    @property
    def best_test_loss(self) -> float:
        return self._early.best_loss if self._early.best_epoch is not None else float("nan")

    def _may_train(self) -> bool:
        """False while an early stop holds; else starts early stopping's record if it is on
        and has none for these points yet."""
        if self._halted:
            return False
        early = self._early
        if early.patience and early.data is not self._X_all:
            self.update_losses()  # the record starts from the current state's loss
            early.begin(self.net, self.epoch_count, self.test_loss, self._X_all)
        self.stopped_early = False
        return True

    def _observe_test_loss(self) -> bool:
        """After an epoch whose losses are up to date: True if patience has run out."""
        if self._early.observe(self.net, self.epoch_count, self.test_loss):
            self._halted = self.stopped_early = True
        return self._halted

    def keep_going(self) -> None:
        """After an early stop, trains on: patience counts afresh from the current weights."""
        self._early.forget()
        self._halted = self.stopped_early = False

    def restore_best(self) -> bool:
        """Puts back the weights (and dead links) of ``best_epoch``; the losses follow.

        Accumulated gradients of later examples are dropped: they belong to other weights.
        Returns False, changing nothing, when there is no best to restore.
        """
        if not self._early.restore(self.net):
            return False
        self._acc_count = 0
        if self._whole is not None:
            self._whole.waiting = None
        self._halted = False
        self.update_losses()
        return True
