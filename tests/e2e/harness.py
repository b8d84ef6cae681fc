"""The e2e harness: the real ``panel serve`` process and offline browser tabs.

Used by conftest.py's fixtures, by tests that need a server of their own, and by
benchmarks/browser.py (the Chromium flags, the free port, the server record).
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
FRAME_SOCKET_PATH = "/playground-frames"  # playground.channel.PATH
SERVER_START_S = 60
SERVER_STOP_S = 10
# Bokeh's default format drops the level; with it, an error-level record reads "ERROR".
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
BAD_LOG_LINE = re.compile(r"Traceback|\bERROR\b")


# -- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running ``panel serve`` process and its combined stdout/stderr log file."""

    process: subprocess.Popen
    log_path: Path
    base_url: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        """What the server wrote after byte ``offset`` (the log is read incrementally)."""
        with self.log_path.open("rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")

    def wait_for_log(self, text: str, offset: int, timeout_s: float) -> bool:
        """Polls the log written after ``offset`` until it contains ``text``."""
        deadline = time.monotonic() + timeout_s
        while True:
            if text in self.log_since(offset):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)


def bad_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if BAD_LOG_LINE.search(line)]


def serve_command(port: int, num_procs: int = 1, frame_socket: bool = True) -> list[str]:
    """README's ``panel serve`` command less ``--show``, on 127.0.0.1:``port``."""
    command = [
        str(Path(sys.executable).parent / "panel"), "serve", "playground/app.py",
        "--address", "127.0.0.1", "--port", str(port),
        f"--allow-websocket-origin=127.0.0.1:{port}", "--num-procs", str(num_procs),
        # README's session clean-up flags, so a closed tab is freed within seconds.
        "--unused-session-lifetime", "3000", "--check-unused-sessions", "1000",
    ]  # fmt: skip
    return command + (["--plugins", "playground.frame_socket"] if frame_socket else [])


def start_server(
    log_path: Path,
    num_procs: int = 1,
    frame_socket: bool = True,
    port: int | None = None,
    log_format: str = LOG_FORMAT,
) -> Server:
    """Starts ``panel serve playground/app.py`` on ``port`` (default: a free one) and waits
    until it answers. It runs in a process group of its own: with ``num_procs`` > 1 the
    workers are its children, and ``stop_server`` ends them too. ``frame_socket``: with
    README's ``--plugins playground.frame_socket`` (without it, frames take Bokeh's
    socket). ``log_format``: Python logging's, e.g. with ``%(process)d``."""
    port = port or free_port()
    command = [*serve_command(port, num_procs, frame_socket), "--log-format", log_format]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    server = Server(process, log_path, f"http://127.0.0.1:{port}/app")
    deadline = time.monotonic() + SERVER_START_S
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"panel serve exited with {process.returncode}:\n{server.log()}", pytrace=False
            )
        try:
            with urllib.request.urlopen(server.base_url, timeout=5) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            pytest.fail(
                f"panel serve did not answer in {SERVER_START_S} s:\n{server.log()}",
                pytrace=False,
            )
        time.sleep(0.25)


def stop_server(server: Server) -> None:
    """Terminates the server's process group (the process we started and the workers
    it forked), then kills it if the server does not exit in time."""
    _signal_group(server, signal.SIGTERM)
    try:
        server.process.wait(timeout=SERVER_STOP_S)
    except subprocess.TimeoutExpired:
        _signal_group(server, signal.SIGKILL)
        server.process.wait(timeout=SERVER_STOP_S)


def _signal_group(server: Server, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signum)


def check_server_log(server: Server) -> None:
    """Fails (printing the whole log) if the server logged a traceback or an ERROR line."""
    bad = bad_lines(server.log())
    if bad:
        print(f"---- panel serve log ({server.log_path}) ----\n{server.log()}")
        pytest.fail("the server logged errors:\n" + "\n".join(bad), pytrace=False)


@contextlib.contextmanager
def running_server(
    log_path: Path,
    num_procs: int = 1,
    frame_socket: bool = True,
    port: int | None = None,
    log_format: str = LOG_FORMAT,
) -> Iterator[Server]:
    server = start_server(log_path, num_procs, frame_socket, port, log_format)
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
    # Messages the page received on its own frame sockets (playground.channel), and the
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
def open_tab(browser, server: Server, name: str) -> Iterator[Tab]:
    """A fresh context and page, offline but for the server; saves a screenshot at the end.

    Also fails the test if the page asked for anything outside 127.0.0.1/localhost, or the
    server logged a traceback or an ERROR line meanwhile.
    """
    log_offset = server.log_size()
    context = browser.new_context(viewport={"width": 1300, "height": 800})
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
            page.screenshot(path=str(artifact_path(name)))
        context.close()
    if tab.outside_requests:
        pytest.fail(
            "the page asked for outside resources:\n" + "\n".join(tab.outside_requests),
            pytrace=False,
        )
    bad = bad_lines(server.log_since(log_offset))
    if bad:
        print(f"---- panel serve log since the test began ----\n{server.log_since(log_offset)}")
        pytest.fail("the server logged errors during the test:\n" + "\n".join(bad), pytrace=False)
