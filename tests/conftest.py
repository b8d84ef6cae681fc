import asyncio
import os
from pathlib import Path

import pytest
from alone import (  # noqa: F401 (hooks: tests that measure the machine run alone)
    pytest_collection_modifyitems,
    pytest_runtest_protocol,
)

HERE = Path(__file__).parent


def reference_files() -> list[Path]:
    """The reference runs kept with the tests (a fixed set, so a run of the suite means
    the same everywhere); ``PLAYGROUND_REFERENCE_DIR`` adds a folder of held-out runs.

    Files of the same name are taken once, the later folder's.
    """
    folders = [HERE / "reference"]
    if extra := os.environ.get("PLAYGROUND_REFERENCE_DIR"):
        folders.append(Path(extra))
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.json")):
            found[path.name] = path
    return sorted(found.values(), key=lambda p: p.name)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "reference_path" in metafunc.fixturenames:
        paths = reference_files()
        metafunc.parametrize("reference_path", paths, ids=[p.stem for p in paths])


@pytest.fixture(scope="session")
def haproxy() -> str:
    """HAProxy, which ``playground serve --workers`` runs; a clear failure (not a skip)
    when it is missing."""
    from playground.hall.proxy import find_haproxy

    found = find_haproxy()
    if found is None:
        pytest.fail(
            "HAProxy is missing: the tests of --workers need it (Debian: apt-get install "
            "haproxy; Mac: brew install haproxy)",
            pytrace=False,
        )
    return found


@pytest.fixture
def current_event_loop():
    """An event loop of the test's own, current while it runs: the fleet of a process
    (``playground.session.process_fleet``) is found by it, as in a server, whatever the
    tests before in this process left current (``asyncio.run`` leaves none)."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)  # as asyncio.run leaves it
    loop.close()
