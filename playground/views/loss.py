"""The loss chart's feed: each frame carries only the loss points the browser lacks.

The browser keeps the curves since the last reset and draws them
(``assets/live_view.js``: a chunk with ``reset`` clears the chart, then its points are
appended). The state's history is bounded (``playground.history``): when it thins its
older points, or a reset clears it, the next chunk resets the browser's chart and sends
the whole bounded history, so the browser holds exactly the server's points and never
more than the history's capacity. A browser that (re)connects starts afresh the same way.
"""

import numpy as np

from playground.history import SERIES
from playground.state import PlaygroundState


class LossFeed:
    def __init__(self, state: PlaygroundState) -> None:
        self.state = state
        self.restart()

    def restart(self) -> None:
        """The browser has nothing: the next chunk is the whole history."""
        self._sent = 0
        self._version: tuple | None = None

    def chunk(self) -> dict[str, bool | np.ndarray] | None:
        """{"reset", "epoch", "train", "test"} since the last chunk, or None if nothing new.

        Losses are float64 arrays (NaN and inf included: the browser skips them).
        """
        history = self.state.loss_history
        # A new network clears the history; a thinning changes the points already sent.
        version = (self.state.network_version, id(history), history.generation)
        reset = version != self._version
        if reset:
            self._version = version
            self._sent = 0
        n = len(history)
        if n == self._sent and not reset:
            return None
        new = history.since(self._sent)
        self._sent = n
        return {"reset": reset, **{name: new[name] for name in SERIES}}
