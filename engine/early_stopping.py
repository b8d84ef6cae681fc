"""Early stopping's record: the best test loss seen and a copy of the network that had it:
its parameters, dead links and untrained state (``Network.state``)."""

import numpy as np

from .network import Network


class EarlyStopping:
    """Counts epochs since the last new best test loss (strictly lower; NaN never is).

    ``data`` is the evaluation set the record was made on: losses on other points are not
    comparable, so the trainer starts a new record when its data changes.
    """

    def __init__(self, net: Network, patience: int) -> None:
        self.patience = check_patience(patience)
        self.best_epoch: int | None = None
        self.best_loss = float("nan")
        self.epochs_since_best = 0
        self.data: object | None = None
        self._params = np.empty_like(net.params)
        self._dead = np.empty_like(net.dead)
        self._weight_mask = np.empty_like(net.weight_mask)
        self._state = np.empty_like(net.state)

    def begin(self, net: Network, epoch: int, loss: float, data: object) -> None:
        """A new record whose best so far is the current state (if its loss is a number)."""
        self.forget()
        self.data, self.best_loss = data, float("inf")
        self.observe(net, epoch, loss)
        self.epochs_since_best = 0

    def forget(self) -> None:
        self.data, self.best_epoch, self.best_loss = None, None, float("nan")
        self.epochs_since_best = 0

    def observe(self, net: Network, epoch: int, loss: float) -> bool:
        """Records the state after an epoch; True once patience has run out."""
        if loss < self.best_loss:
            self.best_epoch, self.best_loss, self.epochs_since_best = epoch, loss, 0
            np.copyto(self._params, net.params)
            np.copyto(self._dead, net.dead)
            np.copyto(self._weight_mask, net.weight_mask)
            np.copyto(self._state, net.state)
        else:
            self.epochs_since_best += 1
        return self.epochs_since_best >= self.patience

    def restore(self, net: Network) -> bool:
        """Puts the best network's parameters, dead links and untrained state back; False
        if none was seen."""
        if self.best_epoch is None:
            return False
        np.copyto(net.params, self._params)
        np.copyto(net.dead, self._dead)
        np.copyto(net.weight_mask, self._weight_mask)
        np.copyto(net.state, self._state)
        self.epochs_since_best = 0
        return True


def check_patience(patience: int) -> int:
    if int(patience) != patience or patience < 0:
        raise ValueError(f"patience must be a whole number of epochs >= 0, got {patience}")
    return int(patience)
