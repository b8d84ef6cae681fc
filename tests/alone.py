"""Tests that measure the machine run alone, when the suite runs in several processes.

README's test command runs the suite in worker processes (pytest-xdist, whole files
per worker). A test that measures CPU time or frame rates (``@pytest.mark.alone``)
must not share the machine with another test, or it would measure that test too: it
waits until the other workers' current tests have ended, and they start no new test
until it has ended.

A readers-writer lock between the workers, on two files (``flock``, released by the
kernel if a worker dies): every test holds the room shared, an ``alone`` test holds it
exclusive. Each takes the gate first and lets it go once in the room, so an ``alone``
test that waits for the room keeps newcomers out meanwhile and is not starved. A test's
setup and teardown are held too (module fixtures start servers). Run in one process
(``-n 0``), nothing is locked.

The files that hold such tests go first, so that they wait only for short tests: later
they could wait a minute behind the memory watch (tests/e2e/test_lab_memory.py) with
every worker idle meanwhile.
"""

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

import pytest


def lock_folder(config: pytest.Config) -> Path | None:
    """The folder every worker of this run shares, or None when there are no workers."""
    if not hasattr(config, "workerinput"):
        return None
    # pytest-xdist gives each worker a base temporary folder in the run's own.
    return Path(config.option.basetemp).parent


@contextlib.contextmanager
def held(path: Path, operation: int) -> Iterator[None]:
    with path.open("a") as file:
        fcntl.flock(file, operation)
        try:
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


@contextlib.contextmanager
def machine_share(item: pytest.Item) -> Iterator[None]:
    folder = lock_folder(item.config)
    if folder is None:
        yield
        return
    alone = item.get_closest_marker("alone") is not None
    with contextlib.ExitStack() as stack:
        with held(folder / "alone-gate.lock", fcntl.LOCK_EX):
            room = fcntl.LOCK_EX if alone else fcntl.LOCK_SH
            stack.enter_context(held(folder / "alone-room.lock", room))
        yield


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if lock_folder(config) is None:
        return
    first = {item.path for item in items if item.get_closest_marker("alone") is not None}
    items.sort(key=lambda item: item.path not in first)  # stable: each file's own order


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    with machine_share(item):
        yield
