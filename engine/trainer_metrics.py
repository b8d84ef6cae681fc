"""The trainer's metrics: accuracy and confusion matrix from the evaluation pass of its
last loss update (no second pass over the points), and per-layer gradient sizes."""

import numpy as np

from .metrics import REGRESSION_HEADS, class_indices, mean_abs_weights
from .metrics import accuracy as fraction_correct
from .metrics import confusion_matrix as count_confusions
from .workspace import Workspace

Array = np.ndarray


class TrainerMetrics:
    """Mixed into ``Trainer``; reads its ``net``, ``head``, training rows ``_X``/``_y``,
    all rows' targets ``_y_all`` (train first, ``_n_train`` of them) and ``_eval``."""

    _grad_work: Workspace | None = None  # a forward/backward over the training set

    @property
    def is_regression(self) -> bool:
        return self.net.head_name in REGRESSION_HEADS

    def class_indices(self, split: str) -> tuple[Array, Array]:
        """(actual, predicted) class indices of the train or test points, as of the
        last loss update."""
        if split not in ("train", "test"):
            raise ValueError(f"split must be 'train' or 'test', got {split!r}")
        rows = slice(0, self._n_train) if split == "train" else slice(self._n_train, None)
        # TODO(merge): Head.classify(a) does this per head; switch to it.
        midpoint = float(self.head.activation.fn(np.zeros((1, 1)))[0, 0])
        actual = class_indices(self._y_all[rows], midpoint)
        return actual, class_indices(self._eval.output.a[rows], midpoint)

    def accuracy(self, split: str = "test") -> float | None:
        """Fraction of ``split``'s points classified right (None for regression)."""
        return None if self.is_regression else fraction_correct(*self.class_indices(split))

    @property
    def train_accuracy(self) -> float | None:
        return self.accuracy("train")

    @property
    def test_accuracy(self) -> float | None:
        return self.accuracy("test")

    def confusion_matrix(self, split: str = "test") -> Array | None:
        """(K, K) counts, row = actual class, column = predicted (None for regression).

        One output node: K = 2, index 0 is label -1 and index 1 is label +1.
        """
        if self.is_regression:
            return None
        return count_confusions(*self.class_indices(split), max(2, self.net.sizes[-1]))

    def gradient_norms(self) -> list[float]:
        """Per weight layer, input side first: mean |g| over its weights of the mean data-
        loss gradient over the training set at the current weights (no dropout, no
        regularization term; dead links count as 0, as training treats them)."""
        n = self._n_train
        if n == 0:
            return [float("nan")] * len(self.net.layers)
        work = self._grad_work
        if work is None or work.rows < n:
            work = self._grad_work = Workspace(self.net, n)
            self._grad_sum = np.empty_like(self.net.params)
        grads = self._grad_sum
        with np.errstate(all="ignore"):
            work.forward(self._X)
            net = self.net
            work.backward(self._y, net.layer_views(grads), True, net.norm_views(grads))
            np.divide(grads, n, out=grads)
        grads[self.net.dead] = 0.0
        return mean_abs_weights(self.net.layer_views(grads))


def mean_or_nan(values) -> float:
    """The mean of a split's per-example losses; NaN for an empty split."""
    return float(values.mean()) if len(values) else float("nan")
