"""Long lab computations in worker processes, off the server's event loop.

A lab's long work (the Hopfield capacity experiment: ~0.3 s of one core; an optimizer
race of 2,000 steps: ~0.1 s; the overfitting lab's errors averaged over 200 draws: up to
~0.2 s; the perceptron's whole run on 500 XOR points: ~0.35 s) run on the event loop froze every tab of the process while
it ran; run in a thread, it still took the process's one interpreter lock from the loop,
and a playing tab beside it lost a quarter of its frames. A worker is a separate Python
process (``python -m playground.labs.worker``) at a lower priority, which imports NumPy
and the job's module only, runs one job at a time and answers with its result.

The server side (``Workers``) starts workers when first needed, up to ``limit`` per
server process, and queues further jobs. A job cancelled while it runs (its tab closed)
ends its worker, whose answer nobody wants; the next job starts a new one. A worker
whose server is gone reads the end of its input and exits, even after a SIGKILL.

Jobs are named (``JOBS``: name -> ``module:function``); a job's arguments and result
travel pickled, between the server and a child it started itself. Where no process can
be started (asyncio's selector loop on Windows has no subprocesses), jobs run in a
thread, with one line in the log.

No Panel here: the worker process imports this module too.
"""

import asyncio
import contextlib
import importlib
import logging
import os
import pickle
import struct
import sys
import traceback
from typing import Any, BinaryIO

log = logging.getLogger("playground")

JOBS: dict[str, str] = {
    "capacity": "playground.labs.hopfield.model:capacity_curves",
    "race": "playground.labs.optimizers.race:race",
    "overfitting_mean": "playground.labs.overfitting.polyfit:mean_error_curves",
    "perceptron": "playground.labs.perceptron.model:run",
}
LENGTH = struct.Struct("<Q")  # each message: its length, then the pickle
NICENESS = 10  # the server's loop comes first when the cores are busy


class WorkerError(RuntimeError):
    """A job failed in its worker, or its worker ended without an answer."""


class JobFailed(WorkerError):
    """The job raised; its worker is ready for the next one."""


# -- the server's side ----------------------------------------------------------------


class Worker:
    """One worker process and the pipes to it."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> "Worker":
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            __name__,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        return cls(process)

    async def call(self, job: str, kwargs: dict[str, Any]) -> Any:
        data = pickle.dumps((job, kwargs))
        try:
            self.process.stdin.write(LENGTH.pack(len(data)) + data)
            await self.process.stdin.drain()
            (size,) = LENGTH.unpack(await self.process.stdout.readexactly(LENGTH.size))
            status, value = pickle.loads(await self.process.stdout.readexactly(size))
        except (OSError, asyncio.IncompleteReadError) as error:
            raise WorkerError(f"the worker process ended during {job!r}") from error
        if status != "ok":
            raise JobFailed(f"{job!r} failed in its worker:\n{value}")
        return value

    async def end(self) -> None:
        """Ends the process now (its answer, if any, is not wanted) and reaps it."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.communicate()  # closes its pipes: nothing is left open


class Workers:
    """Up to ``limit`` workers for one server process; jobs beyond wait their turn."""

    def __init__(self, limit: int = 1) -> None:
        self.limit = limit
        self.idle: list[Worker] = []
        self.started = 0  # workers started and not ended
        self._slots: asyncio.Semaphore | None = None
        self._warming: asyncio.Task | None = None
        self.without_processes = False  # none could be started: jobs run in a thread

    async def run(self, job: str, **kwargs) -> Any:
        """``JOBS[job](**kwargs)`` in a worker. Cancelling it ends the worker if the job
        had begun; a job that raised, or a worker that died, raises ``WorkerError``."""
        if job not in JOBS:
            raise KeyError(f"no job named {job!r}")
        if self._slots is None:  # made on the server's loop, where jobs run
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            if not self.idle and self._warming is not None:
                await asyncio.shield(self._warming)
            try:
                worker = self.idle.pop() if self.idle else await self._start()
            except WorkerError as error:  # no processes here: a thread, better than nothing
                if not self.without_processes:
                    log.warning("%s; lab jobs run in a thread instead", error)
                self.without_processes = True
                return await asyncio.to_thread(call_job, job, kwargs)
            try:
                result = await worker.call(job, kwargs)
            except JobFailed:
                self.idle.append(worker)
                raise
            except BaseException:  # cancelled, or the worker died: its pipes are unusable
                self.started -= 1
                await worker.end()
                raise
            self.idle.append(worker)
            return result

    def warm(self) -> None:
        """Starts a worker before the first job needs one (a new one takes a few tenths
        of a second to import NumPy), on the running loop."""
        if self.started == 0 and self._warming is None:
            self._warming = asyncio.ensure_future(self._warm())

    async def _warm(self) -> None:
        try:
            self.idle.append(await self._start())
        except WorkerError:
            pass  # the first job says so, and runs all the same
        finally:
            self._warming = None

    async def _start(self) -> Worker:
        if self.without_processes:
            raise WorkerError("no worker process could be started")
        try:
            worker = await Worker.start()
        except (OSError, NotImplementedError) as error:  # NotImplementedError: a loop
            # without subprocesses (Windows' selector loop)
            raise WorkerError(f"no worker process could be started ({error!r})") from error
        self.started += 1
        return worker

    async def close(self) -> None:
        """Ends every idle worker (tests; a server's workers end with it)."""
        while self.idle:
            self.started -= 1
            await self.idle.pop().end()


# -- the worker's side ----------------------------------------------------------------


def call_job(job: str, kwargs: dict[str, Any]) -> Any:
    module, _, function = JOBS[job].partition(":")
    return getattr(importlib.import_module(module), function)(**kwargs)


def _read(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    return data if len(data) == size else None


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answers jobs until ``requests`` ends (the server closed it, or died)."""
    while (header := _read(requests, LENGTH.size)) is not None:
        body = _read(requests, LENGTH.unpack(header)[0])
        if body is None:
            return
        job, kwargs = pickle.loads(body)
        try:
            answer = ("ok", call_job(job, kwargs))
        except Exception:  # noqa: BLE001 - a bug: its traceback goes to the server's log
            answer = ("error", traceback.format_exc())
        data = pickle.dumps(answer)
        try:
            answers.write(LENGTH.pack(len(data)) + data)
            answers.flush()
        except BrokenPipeError:  # the server is gone
            return


def main() -> None:
    from playground.threads import single_threaded_blas

    single_threaded_blas()
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(NICENESS)
    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not break the answers
    with contextlib.suppress(KeyboardInterrupt):
        serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    main()
