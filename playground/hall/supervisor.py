"""``playground serve --workers N``: N server processes (workers) on loopback ports,
HAProxy in front of them on the public address, and this process watching over them.

It starts the workers (each a ``playground serve`` of its own: one process, one BLAS
thread, ``--max-students`` tabs, an agent that tells HAProxy when it is full), waits
until each answers, writes HAProxy's configuration into a temporary folder and starts
HAProxy in the foreground. Then it starts again a worker (or HAProxy) that exits,
answers ``/status`` and ``/status.json`` for the whole room (it asks every worker for
its own figures), logs the room's figures every 10 s, and on Ctrl-C or SIGTERM stops
them all and removes the folder.

The workers and HAProxy run in process groups of their own (a Ctrl-C in the terminal
reaches this process, which stops them in order). Should this process be killed
outright, a worker notices within a second and stops, and on Linux the kernel stops
HAProxy (and the workers) at once.

It runs no thread (its HTTP requests are its own, on asyncio), so starting a process
from it is safe.
"""

import asyncio
import contextlib
import ctypes
import errno
import json
import logging
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from playground.connections import more_file_descriptors
from playground.hall.pages import STATUS_PAGE, room_line
from playground.hall.proxy import Upstream, find_haproxy, haproxy_config, missing_haproxy
from playground.room_address import announce
from playground.serve import (
    LOCAL_ADDRESSES,
    PAGES,
    CannotServe,
    Options,
    home_path,
    normalized_prefix,
    port_in_use,
)

log = logging.getLogger("playground")

WORKER_START_S = 180  # several workers import Panel at once on few cores
PROXY_START_S = 30
STOP_S = 10
WATCH_EVERY_S = 0.5
LOG_EVERY_S = 10.0
ASK_TIMEOUT_S = 3.0  # a worker busy opening many tabs answers late
STATUS_FRESH_S = 1.0  # /status.json answers from figures at most this old
QUICK_EXIT_S = 30.0  # a process that exits sooner is started again after a growing pause
LONGEST_PAUSE_S = 30.0

if sys.platform == "linux":
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
    _PR_SET_PDEATHSIG = 1

    def _stop_with_parent() -> None:
        """In the child, before it runs: the kernel sends it SIGTERM when we die."""
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM)

else:
    _stop_with_parent = None


@dataclass
class Child:
    """A process this one keeps running: a worker (with its ports) or HAProxy."""

    name: str
    command: list[str]
    port: int | None = None  # a worker's HTTP port
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    quick_exits: int = 0  # exits within QUICK_EXIT_S of starting, in a row
    due: float = 0.0  # when to start it again

    def start(self) -> None:
        # preexec_fn is safe here: this process runs no thread (see above).
        self.process = subprocess.Popen(
            self.command,
            process_group=0,
            preexec_fn=_stop_with_parent,  # noqa: PLW1509
            stdin=subprocess.DEVNULL,
        )
        self.started_at = time.monotonic()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exited(self) -> str | None:
        """How it ended, once, if it has (then it is due to start again)."""
        if self.process is None or self.process.poll() is None:
            return None
        code = self.process.returncode
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        pid = self.process.pid
        self.process = None
        now = time.monotonic()
        self.quick_exits = self.quick_exits + 1 if now - self.started_at < QUICK_EXIT_S else 0
        pause = min(LONGEST_PAUSE_S, 0.5 * 2**self.quick_exits) if self.quick_exits else 0.0
        self.due = now + pause
        return f"{self.name} (pid {pid}) {how}"


def free_port_pairs(count: int) -> list[int]:
    """``count`` ports P on 127.0.0.1 with P and P + 1 free (a worker and its agent)."""
    held: list[socket.socket] = []
    ports: list[int] = []
    try:
        while len(ports) < count:
            first = socket.socket()
            first.bind(("127.0.0.1", 0))
            held.append(first)
            port = first.getsockname()[1]
            second = socket.socket()
            try:
                second.bind(("127.0.0.1", port + 1))
            except (OSError, OverflowError):  # taken, or past the last port
                second.close()
                continue
            held.append(second)
            ports.append(port)
    finally:
        for sock in held:
            sock.close()
    return ports


def check_port_free(address: str, port: int) -> None:
    """CannotServe if HAProxy could not listen there."""
    host = "127.0.0.1" if address in ("", "localhost") else address
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise port_in_use(address, port) from None
            if error.errno == errno.EACCES:
                raise CannotServe(f"port {port} needs more rights than this user has") from None
            if error.errno == errno.EADDRNOTAVAIL:
                raise CannotServe(f"this machine has no address {address}") from None
            raise CannotServe(f"cannot listen on {address}:{port}: {error}") from None


async def ask_json(host: str, port: int, path: str, timeout_s: float = ASK_TIMEOUT_S) -> dict:
    """GET ``path`` and its JSON (asyncio's own connection: no thread)."""

    async def ask() -> bytes:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(f"GET {path} HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n".encode())
            return await reader.read()
        finally:
            writer.close()

    answer = await asyncio.wait_for(ask(), timeout_s)
    head, _, body = answer.partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1:2]
    if status != [b"200"]:
        raise ValueError(f"{path} answered {head[:40]!r}")
    return json.loads(body)


def worker_command(options: Options, port: int, origins: list[str]) -> list[str]:
    command = [
        sys.executable, "-m", "playground", "serve", "--supervised",
        "--address", "127.0.0.1", "--port", str(port), "--agent-port", str(port + 1),
        "--max-students", str(options.max_students), "--prefix", options.prefix,
    ]  # fmt: skip
    for origin in origins:
        command += ["--allow-websocket-origin", origin]
    if options.frame_ancestors:
        command += ["--frame-ancestors", *options.frame_ancestors]
    if not options.frame_socket:
        command.append("--no-frame-socket")
    return command


class Hall:
    def __init__(self, options: Options, haproxy: str) -> None:
        self.options = options
        self.prefix = normalized_prefix(options.prefix)
        # Browsers send the proxy's address as their origin; Bokeh's default is
        # localhost at the port they open.
        origins = list(options.allow_websocket_origin) or [f"localhost:{options.port}"]
        self.workers = [
            Child(f"worker {n}", worker_command(options, port, origins), port)
            for n, port in enumerate(free_port_pairs(options.workers), start=1)
        ]
        self.folder = Path(tempfile.mkdtemp(prefix="playground-hall-"))
        self.proxy = Child("HAProxy", [haproxy, "-db", "-f", str(self.folder / "haproxy.cfg")])
        self._status: tuple[float, dict] | None = None

    # -- the room's figures ------------------------------------------------------------

    async def worker_figures(self, worker: Child) -> dict:
        try:
            status = await ask_json("127.0.0.1", worker.port, f"{self.prefix}/status.json")
            return status["workers"][0]
        except (OSError, ValueError, TimeoutError, KeyError, IndexError):
            pid = worker.process.pid if worker.running else None
            keys = ("tabs", "playing", "fps_p10", "fps_median", "started", "full")
            return {"pid": pid, "port": worker.port, **dict.fromkeys(keys)}

    async def room_status(self) -> dict:
        """Every worker's figures; the room is full when every worker that answers is."""
        now = time.monotonic()
        if self._status is not None and now - self._status[0] < STATUS_FRESH_S:
            return self._status[1]
        workers = list(await asyncio.gather(*map(self.worker_figures, self.workers)))
        answering = [w for w in workers if w["tabs"] is not None]
        room = {"workers": workers, "full": bool(answering) and all(w["full"] for w in answering)}
        self._status = (now, room)
        return room

    def status_server(self) -> int:
        """Serves ``/status`` and ``/status.json`` on a loopback port (HAProxy sends
        those paths here); returns the port."""
        hall = self

        class StatusJson(RequestHandler):
            async def get(self) -> None:
                self.set_header("Content-Type", "application/json")
                self.set_header("Cache-Control", "no-store")
                self.finish(json.dumps(await hall.room_status()))

        class StatusPage(RequestHandler):
            def get(self) -> None:
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(STATUS_PAGE)

        app = Application(
            [(rf"{self.prefix}/status\.json", StatusJson), (rf"{self.prefix}/status", StatusPage)],
            log_function=lambda handler: None,
        )
        sockets = bind_sockets(0, "127.0.0.1")
        HTTPServer(app).add_sockets(sockets)
        return sockets[0].getsockname()[1]

    # -- starting, watching, stopping ----------------------------------------------------

    async def wait_until_answering(self, stop: asyncio.Event) -> bool:
        """Until every worker answers; False if one exits first, or on a signal."""
        deadline = time.monotonic() + WORKER_START_S
        waiting = list(self.workers)
        while waiting and not stop.is_set():
            for worker in list(waiting):
                if not worker.running:
                    log.error("%s stopped while starting; see its lines above", worker.name)
                    return False
                with contextlib.suppress(OSError, ValueError, TimeoutError):
                    await ask_json("127.0.0.1", worker.port, f"{self.prefix}/status.json")
                    waiting.remove(worker)
            if time.monotonic() > deadline:
                log.error("%s did not answer within %d s", waiting[0].name, WORKER_START_S)
                return False
            if waiting:
                await asyncio.sleep(WATCH_EVERY_S)
        return not stop.is_set()

    async def wait_for_proxy(self, stop: asyncio.Event) -> bool:
        host = self.options.address
        host = "127.0.0.1" if host in ("", "localhost", "0.0.0.0") else host
        host = "::1" if host == "::" else host
        deadline = time.monotonic() + PROXY_START_S
        while not stop.is_set() and time.monotonic() < deadline:
            if not self.proxy.running:
                return False
            with contextlib.suppress(OSError, ValueError, TimeoutError):
                await ask_json(host, self.options.port, f"{self.prefix}/status.json")
                return True
            await asyncio.sleep(WATCH_EVERY_S)
        return False

    def announce(self) -> None:
        options = self.options
        url = f"http://{options.address or 'localhost'}:{options.port}{self.prefix}"
        log.info("serving %s", ", ".join(url + path for path in PAGES))
        pids = ", ".join(str(w.process.pid) for w in self.workers)
        log.info(
            "%d workers (pids %s, at most %s tabs each) behind HAProxy; the room at a "
            "glance: %s/status",
            len(self.workers), pids, options.max_students or "any number of", url,
        )  # fmt: skip
        if options.address not in LOCAL_ADDRESSES and not options.allow_websocket_origin:
            log.warning(
                "pages opened from other machines cannot connect until "
                "--allow-websocket-origin names the host:port their browsers open"
            )
        if options.show:
            webbrowser.open(url + home_path(PAGES))

    def keep_running(self) -> None:
        """Starts again whatever exited, once its pause is over."""
        now = time.monotonic()
        for child in [*self.workers, self.proxy]:
            if ended := child.exited():
                log.warning("%s; starting it again", ended)
            if child.process is None and now >= child.due:
                child.start()
                log.info("%s started again (pid %d)", child.name, child.process.pid)

    async def watch(self, stop: asyncio.Event) -> None:
        next_line = time.monotonic() + LOG_EVERY_S
        last_tabs = 0
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), WATCH_EVERY_S)
            if stop.is_set():
                return
            self.keep_running()
            if time.monotonic() >= next_line:
                next_line += LOG_EVERY_S
                room = await self.room_status()
                tabs = sum(w["tabs"] or 0 for w in room["workers"])
                if tabs or last_tabs:
                    log.info("%s", room_line(room))
                last_tabs = tabs

    def stop_all(self) -> None:
        children = [child for child in [self.proxy, *self.workers] if child.running]
        if children:
            log.info("stopping the workers and HAProxy")
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                child.process.terminate()
        deadline = time.monotonic() + STOP_S
        for child in children:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in %d s: killed", child.name, STOP_S)
                child.process.kill()
                child.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    async def run(self) -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            status_port = self.status_server()
            for worker in self.workers:
                worker.start()
            if not await self.wait_until_answering(stop):
                return 0 if stop.is_set() else 1
            upstreams = [Upstream("127.0.0.1", w.port, w.port + 1) for w in self.workers]
            config = haproxy_config(
                upstreams, self.options.address, self.options.port, self.prefix,
                status=Upstream("127.0.0.1", status_port),
            )  # fmt: skip
            (self.folder / "haproxy.cfg").write_text(config)
            self.proxy.start()
            if not await self.wait_for_proxy(stop):
                if stop.is_set():
                    return 0
                log.error("HAProxy did not start; see its lines above")
                return 2
            self.announce()
            await self.watch(stop)
            return 0
        finally:
            self.stop_all()


def serve_workers(options: Options) -> int:
    """``playground serve --workers N`` with N > 1; the exit code."""
    haproxy = find_haproxy()
    if haproxy is None:
        raise CannotServe(missing_haproxy(options.workers))
    check_port_free(options.address, options.port)
    log.info("up to %d open connections (file descriptors)", more_file_descriptors())
    announce(options.address, options.allow_websocket_origin)  # the workers inherit it
    return asyncio.run(Hall(options, haproxy).run())
