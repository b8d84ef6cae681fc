"""The real server and headless Chromium on this machine, for the browser tests
(``tests/e2e``) and the benchmarks (``benchmarks/``): one way to start and stop
``playground serve``, one set of Chromium flags.

Nothing here imports pytest or Panel; failures are ``ServerError``.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playground.serve import normalized_prefix

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
SERVER_START_S = 60
SERVER_STOP_S = 10


class ServerError(RuntimeError):
    """The server exited, or did not answer in time; the message holds its log."""


@dataclass
class Server:
    """A running ``playground serve`` process and its combined stdout/stderr log file."""

    process: subprocess.Popen
    log_path: Path
    base_url: str  # the playground page

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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def playground_executable() -> list[str]:
    """The ``playground`` command of this interpreter's environment."""
    script = Path(sys.executable).parent / "playground"
    return [str(script)] if script.exists() else [sys.executable, "-m", "playground"]


def serve_command(
    port: int,
    num_procs: int = 1,
    frame_socket: bool = True,
    executable: list[str] | None = None,
    prefix: str = "",
    extra_args: tuple[str, ...] = (),
) -> list[str]:
    """``playground serve`` as a user starts it, on 127.0.0.1:``port``, without --show;
    ``extra_args``: more of its options."""
    command = [
        *(executable or playground_executable()), "serve",
        "--address", "127.0.0.1", "--port", str(port),
        "--allow-websocket-origin", f"127.0.0.1:{port}", "--num-procs", str(num_procs),
    ]  # fmt: skip
    if prefix:
        command += ["--prefix", prefix]
    command += extra_args
    return command if frame_socket else [*command, "--no-frame-socket"]


def start_server(
    log_path: Path,
    num_procs: int = 1,
    frame_socket: bool = True,
    executable: list[str] | None = None,
    cpus: set[int] | None = None,
    port: int | None = None,
    prefix: str = "",
    extra_args: tuple[str, ...] = (),
) -> Server:
    """Starts ``playground serve`` on a free port and waits until its page answers.

    It runs in a process group of its own (with ``num_procs`` > 1 the workers are its
    children, and ``stop_server`` ends them too), in ``log_path``'s folder, so that
    nothing is found by accident in the current directory. ``cpus``: its CPU affinity;
    ``port``: a given one (to start a server again where its tabs expect it);
    ``prefix``: ``--prefix`` (every page under it); ``extra_args``: more options.
    """
    port = port or free_port()
    command = serve_command(port, num_procs, frame_socket, executable, prefix, extra_args)
    ours = os.sched_getaffinity(0)
    with log_path.open("wb") as log_file:
        if cpus:  # the server inherits our CPU affinity
            os.sched_setaffinity(0, cpus)
        try:
            process = subprocess.Popen(
                command,
                cwd=log_path.parent,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )
        finally:
            os.sched_setaffinity(0, ours)
    server = Server(process, log_path, f"http://127.0.0.1:{port}{normalized_prefix(prefix)}/app")
    try:
        wait_until_answering(server)
    except BaseException:
        stop_server(server)
        raise
    return server


def wait_until_answering(server: Server, timeout_s: float = SERVER_START_S) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        if server.process.poll() is not None:
            raise ServerError(
                f"playground serve exited with {server.process.returncode}:\n{server.log()}"
            )
        # Refused until it listens (URLError and timeouts are OSErrors).
        with contextlib.suppress(OSError), urllib.request.urlopen(server.base_url, timeout=30) as r:
            if r.status == 200:
                return
        if time.monotonic() > deadline:
            raise ServerError(f"playground serve did not answer in {timeout_s} s:\n{server.log()}")
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


def serialized_models(node):
    """Every model in a serialized Bokeh document (as the protocol sends it), depth first."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "id" in node:
            yield node
        for value in node.values():
            yield from serialized_models(value)
    elif isinstance(node, list):
        for value in node:
            yield from serialized_models(value)
