"""The error chart's mean over many draws, computed in the lab's worker (``offload.py``).

The mean over 200 draws takes up to ~0.2 s of a core; on the server's event loop it held
every tab of the process meanwhile. A served tab asks the worker instead (one job at a
time; after a burst of changes, one more for the latest settings) and shows this draw's
errors, saying that the mean is being computed, until the mean for the settings on
screen arrives. The page's first picture has it at once, in the page's build: the
browser is not connected yet, and a job's result would find no one to take it.
"""

from collections.abc import Callable
from functools import partial

from playground.labs.offload import TabJob
from playground.labs.overfitting.polyfit import ErrorCurves, mean_error_curves

JOB = "overfitting_mean"


def _key(arguments: dict) -> tuple:
    return tuple(sorted(arguments.items()))


class MeanErrors:
    """One tab's means: the last one computed, and the job computing the next."""

    def __init__(self, doc, on_ready: Callable[[], None]) -> None:
        """``doc``: the tab's document when served (without one, tests: computed at
        once); ``on_ready()``: a mean arrived, or its job failed."""
        self.job = TabJob(doc)
        self.served = doc is not None
        self.on_ready = on_ready
        self.known: tuple[tuple, ErrorCurves] | None = None
        self.asked: tuple | None = None  # the settings whose job runs
        self.wanted: dict | None = None  # the latest settings asked for meanwhile
        self.failed: tuple | None = None  # the settings whose job failed last

    def get(self, arguments: dict, at_once: bool = False) -> ErrorCurves | None:
        """``mean_error_curves(**arguments)`` if known, or computed here when ``at_once``
        or not served; else None, and the worker is asked for it."""
        key = _key(arguments)
        if self.known is not None and self.known[0] == key:
            return self.known[1]
        if at_once or not self.served:
            self.known = (key, mean_error_curves(**arguments))
            return self.known[1]
        self._ask(key, arguments)
        return None

    def failed_for(self, arguments: dict) -> bool:
        return self.failed == _key(arguments)

    def _ask(self, key: tuple, arguments: dict) -> None:
        if key in (self.asked, self.failed):
            return
        if self.job.running:
            self.wanted = arguments
            return
        self.asked = key
        self.job.start(JOB, arguments, partial(self._done, key), partial(self._failed, key))

    def _done(self, key: tuple, curves: ErrorCurves) -> None:
        self.known, self.asked = (key, curves), None
        self._next()
        self.on_ready()

    def _failed(self, key: tuple) -> None:
        self.failed, self.asked = key, None
        self._next()
        self.on_ready()

    def _next(self) -> None:
        if self.wanted is not None:
            arguments, self.wanted = self.wanted, None
            self._ask(_key(arguments), arguments)
