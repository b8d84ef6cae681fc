"""The e2e harness: the real ``playground serve`` process and offline browser tabs.

Used by conftest.py's fixtures and by tests that need a server of their own. Starting
and stopping the server, and the Chromium flags, are ``playground.testing``'s, shared
with the benchmarks.
"""

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from playground.pipe import PATH as FRAME_SOCKET_PATH
from playground.testing import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    ServerError,
    bad_lines,
    stop_server,
)
from playground.testing import start_server as start_server_process

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


# -- the server --------------------------------------------------------------------------


def start_server(
    log_path: Path,
    num_procs: int = 1,
    frame_socket: bool = True,
    port: int | None = None,
    executable: list[str] | None = None,
    prefix: str = "",
    extra_args: tuple[str, ...] = (),
) -> Server:
    """``playground serve`` as users start it (``playground.testing.serve_command``), on a
    free port, once it answers. ``frame_socket=False``: ``--no-frame-socket`` (frames take
    Bokeh's socket). ``executable``: another ``playground`` command, e.g. an installed one.
    ``prefix``: ``--prefix``; ``extra_args``: more of its options.

    The room takes any number of tabs (``--max-students 0``) unless ``extra_args`` say
    otherwise: a closed tab's session lives on for its 3 s unused, so a test that opens
    pages in a row (a busy machine's tests slower, the server not) could find the room
    full. The room's own tests set their limits (tests/e2e/test_hall.py).
    """
    if executable is None:
        extra_args = ("--max-students", "0", *extra_args)
    try:
        return start_server_process(
            log_path, num_procs, frame_socket, executable, port=port, prefix=prefix,
            extra_args=extra_args,
        )  # fmt: skip
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)


def check_server_log(server: Server) -> None:
    """Fails (printing the whole log) if the server logged a traceback or an ERROR line."""
    bad = bad_lines(server.log())
    if bad:
        print(f"---- playground serve log ({server.log_path}) ----\n{server.log()}")
        pytest.fail("the server logged errors:\n" + "\n".join(bad), pytrace=False)


@contextlib.contextmanager
def running_server(
    log_path: Path,
    num_procs: int = 1,
    frame_socket: bool = True,
    port: int | None = None,
    executable: list[str] | None = None,
    prefix: str = "",
    extra_args: tuple[str, ...] = (),
) -> Iterator[Server]:
    server = start_server(log_path, num_procs, frame_socket, port, executable, prefix, extra_args)
    try:
        yield server
    finally:
        stop_server(server)
    check_server_log(server)


# -- the browser ------------------------------------------------------------------------


@contextlib.contextmanager
def launched_chromium():
    """Debian's Chromium under Playwright; a clear failure (not a skip) when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(apt-get install chromium); do not use `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """A page on the app, with what it tried to fetch from outside and its console errors."""

    page: object  # playwright.sync_api.Page
    server: Server
    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    # Messages the page received on its own frame sockets (playground.pipe.channel), and the
    # sockets it opened there.
    frame_socket_messages: int = 0
    frame_sockets: int = 0

    def _watch_socket(self, socket) -> None:
        if FRAME_SOCKET_PATH in socket.url:
            self.frame_sockets += 1
            socket.on("framereceived", self._frame_received)

    def _frame_received(self, _payload) -> None:
        self.frame_socket_messages += 1

    @property
    def base_url(self) -> str:
        return self.server.base_url


def artifact_path(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") + ".png")


@contextlib.contextmanager
def open_tab(
    browser,
    server: Server,
    name: str,
    viewport: tuple[int, int] = (1300, 800),
    device_scale_factor: float = 1,
    phone: bool = False,
) -> Iterator[Tab]:
    """A fresh context and page, offline but for the server; saves a screenshot at the end.
    ``viewport``: its size in CSS pixels; ``device_scale_factor``: device pixels per CSS
    pixel (a browser's zoom, or a phone's dense screen); ``phone``: a mobile browser
    with a touch screen (it honours the viewport tag, and taps).

    Also fails the test if the page asked for anything outside 127.0.0.1/localhost, or the
    server logged a traceback or an ERROR line meanwhile.
    """
    from playwright.sync_api import Error as PlaywrightError

    log_offset = server.log_size()
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]},
        device_scale_factor=device_scale_factor,
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    tab = Tab(page, server)

    def only_local(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            tab.outside_requests.append(url)
            route.abort()

    context.route("**/*", only_local)
    page.on(
        "console", lambda msg: tab.console_errors.append(msg.text) if msg.type == "error" else None
    )
    page.on("pageerror", lambda error: tab.console_errors.append(f"page error: {error}"))
    page.on("websocket", tab._watch_socket)
    try:
        yield tab
    finally:
        if not page.is_closed():
            # The test's last picture, for people: a page still navigating (a reload the
            # test set off) cannot always be captured, and that is no failure of the test.
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=str(artifact_path(name)))
        context.close()
    if tab.outside_requests:
        pytest.fail(
            "the page asked for outside resources:\n" + "\n".join(tab.outside_requests),
            pytrace=False,
        )
    bad = bad_lines(server.log_since(log_offset))
    if bad:
        print(f"---- server log since the test began ----\n{server.log_since(log_offset)}")
        pytest.fail("the server logged errors during the test:\n" + "\n".join(bad), pytrace=False)
