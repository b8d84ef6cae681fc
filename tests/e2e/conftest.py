"""End-to-end fixtures: the real ``panel serve`` server and headless Chromium.

One server and one browser per test session; a fresh browser context and page per test,
offline but for the server (see harness.open_tab). The server's log must stay free of
tracebacks and ERROR lines.
"""

from collections.abc import Iterator

import pytest

from .harness import Server, Tab, launched_chromium, open_tab, running_server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app under the real ``panel serve``, shared by the session's tests."""
    with running_server(tmp_path_factory.mktemp("server") / "panel-serve.log") as started:
        yield started


@pytest.fixture(scope="session")
def browser():
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def tab(browser, server: Server, request: pytest.FixtureRequest) -> Iterator[Tab]:
    with open_tab(browser, server, request.node.name) as opened:
        yield opened
