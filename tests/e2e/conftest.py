"""End-to-end fixtures: the real ``playground serve`` server and headless Chromium.

One server per test session (per worker process, when the suite runs in several) and one
browser per test module; a fresh browser context and page per test, offline but for the
server (see harness.open_tab). The server's log must stay free of tracebacks and ERROR
lines, and every page's document passes Bokeh's checks (which ``playground serve`` skips
unless BOKEH_VALIDATE_DOC is set, as here).
"""

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from .app_page import ANSWER_S
from .harness import Server, Tab, launched_chromium, open_tab, running_server

os.environ.setdefault("BOKEH_VALIDATE_DOC", "true")  # the servers started here inherit it
# Playwright's assertions give up after 5 s unless told; beside the heaviest tests that is
# too short for an answer that comes.
expect.set_options(timeout=ANSWER_S * 1000)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app under the real ``playground serve``, shared by the session's tests."""
    with running_server(tmp_path_factory.mktemp("server") / "panel-serve.log") as started:
        yield started


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module. Playwright's sync API keeps an event loop running
    in this thread while it is open, and tests that run an event loop of their own
    (a real Bokeh or Tornado server) cannot start theirs meanwhile."""
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def tab(browser, server: Server, request: pytest.FixtureRequest) -> Iterator[Tab]:
    with open_tab(browser, server, request.node.name) as opened:
        yield opened
