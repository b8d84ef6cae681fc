"""The loss chart's feed: each frame carries only the loss points the browser lacks.

The browser keeps the curves since the last reset and draws them
(``assets/live_view.js``); a reset, or a browser that (re)connects, starts afresh.
"""

import numpy as np

from playground.state import PlaygroundState

SERIES = ("epoch", "train", "test")


class LossFeed:
    def __init__(self, state: PlaygroundState) -> None:
        self.state = state
        self.restart()

    def restart(self) -> None:
        """The browser has nothing: the next chunk is the whole history."""
        self._sent = 0
        self._network_version: int | None = None

    def chunk(self) -> dict | None:
        """{"reset", "epoch", "train", "test"} since the last chunk, or None if nothing new.

        Losses are float64 arrays (NaN and inf included: the browser skips them).
        """
        history = self.state.loss_history
        reset = self.state.network_version != self._network_version
        if reset:
            self._network_version = self.state.network_version
            self._sent = 0
        n = len(history["epoch"])
        if n == self._sent and not reset:
            return None
        new = {key: np.asarray(history[key][self._sent :], dtype=float) for key in SERIES}
        self._sent = n
        return {"reset": reset, **new}
