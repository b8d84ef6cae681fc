"""A tab's long computation, run by the server process's lab workers (``worker.py``).

One at a time per tab: while a job runs, ``start`` does nothing more (a browser that
clicks twenty times gets one experiment). When the tab's session ends, the job is
cancelled (its worker ended if it had begun); a result that arrives after the browser
left, before its session ends, is dropped. No result reaches a dead session.
A result is applied in a callback of the tab's document, as any change of a served
document must be.
"""

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

import panel as pn
from bokeh.document import Document

from playground.labs.worker import WorkerError, Workers
from playground.pipe.bokeh_socket import BokehSocket

log = logging.getLogger("playground")
WORKERS_KEY = "playground.lab_workers"


def lab_workers() -> Workers:
    """The process's workers (one: the other cores serve the tabs), in Panel's process
    cache."""
    return pn.state.cache.setdefault(WORKERS_KEY, Workers(limit=1))


class TabJob:
    def __init__(self, doc: Document | None = None) -> None:
        """``doc``: the tab's document (results are applied in its callbacks); without
        one (tests), at once."""
        self.doc = doc
        self.socket = BokehSocket(doc)
        self.task: asyncio.Task | None = None
        self.ended = False
        if doc is not None:
            lab_workers().warm()

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(
        self,
        job: str,
        kwargs: dict[str, Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[], None],
    ) -> bool:
        """Starts ``job`` unless one runs (or the tab has ended); says whether it did.
        ``on_error()``: the job failed (logged here)."""
        if self.running or self.ended:
            return False
        self.task = asyncio.ensure_future(self._run(job, kwargs, on_result, on_error))
        return True

    async def _run(self, job: str, kwargs: dict, on_result, on_error) -> None:
        try:
            outcome = partial(on_result, await lab_workers().run(job, **kwargs))
        except WorkerError as error:
            log.warning("a lab job failed: %s", error)
            outcome = on_error
        except BaseException:
            self.task = None
            raise
        if not self.socket.open:  # the browser left; its session ends a few seconds later
            self.task = None
            log.info("a lab job's result was dropped: its tab had closed")
            return
        if self.doc is None:
            self._apply(outcome)
        else:
            self.doc.add_next_tick_callback(partial(self._apply, outcome))

    def _apply(self, outcome: Callable[[], None]) -> None:
        self.task = None
        if not self.ended:
            outcome()

    def end(self, _session_context) -> None:
        """The tab closed: the job is cancelled, nothing will be applied."""
        self.ended = True
        if self.task is not None:
            self.task.cancel()
            log.info("a lab job was cancelled: its tab closed")
