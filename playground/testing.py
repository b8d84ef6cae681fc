"""The real server and headless Chromium on this machine, for the browser tests
(``tests/e2e``) and the benchmarks (``benchmarks/``): one way to start and stop
``playground serve``, one set of Chromium flags, a process's CPU time, and a tab's
session without a browser.

A tab's session is opened with Bokeh's own client (``pull_document``, through
``bokeh.client``) where that client can do what is needed. Where it cannot (a message
that is not what BokehJS sends, one timed by hand, a tab that reads only when told, many
tabs in one event loop), ``ProtocolTab`` speaks Bokeh's websocket protocol by hand: the
one place that does (the idle, lab and remote tabs, the message fuzz and the hostile
benchmark all use it).

Nothing here imports pytest, or Panel until ``pull_document`` is called; failures are
``ServerError``.
"""

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClientConnection, WebSocketClosedError, websocket_connect

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
# A traceback, an error, or a finding of Bokeh's document checks (E-1001 (NAME): ...).
BAD_LOG_LINE = re.compile(r"Traceback|\bERROR\b|\b[EW]-\d{4} \(")
TOKEN = re.compile(r'"token"\s*:\s*"([^"]+)"')  # a page's session token, in its HTML
CLOSE_S = 5  # a closed socket's server end has closed too, at most this long after


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


def find_model(doc: dict, test: Callable[[dict], bool]) -> dict | None:
    """The first model of a serialized document that passes ``test``."""
    return next((node for node in serialized_models(doc) if test(node)), None)


def bad_lines(text: str) -> list[str]:
    """A server log's lines with a traceback, an ERROR or a document check's finding."""
    return [line for line in text.splitlines() if BAD_LOG_LINE.search(line)]


def cpu_seconds(pid: int) -> float:
    """The process's user + system CPU seconds so far (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- a tab's session without a browser ----------------------------------------------------


def page_token(page: str) -> str:
    """The session token in a page's HTML: it joins the session the page's GET made."""
    return TOKEN.search(page).group(1)


def pull_document(page_url: str, page: str) -> dict:
    """The document of the session that the GET of ``page`` made, pulled by Bokeh's own
    client (``bokeh.client``), serialized as the protocol sends it. It imports Panel and
    the playground's components: Bokeh's client makes their models from their names."""
    import panel.models  # noqa: F401 (their models, by name)
    from bokeh.client import pull_session
    from bokeh.util.token import get_session_id

    import playground.ui  # noqa: F401 (the playground's components)

    url = page_url.partition("?")[0]
    session = pull_session(session_id=get_session_id(page_token(page)), url=url)
    try:
        return json.loads(json.dumps(session.document.to_json().content))
    finally:
        session.close()


def message_parts(msgtype: str, content: dict) -> list[str]:
    """A Bokeh protocol message without buffers: its header, metadata and content."""
    header = {"msgid": uuid.uuid4().hex, "msgtype": msgtype}
    return [json.dumps(header), "{}", json.dumps(content)]


def model_changed(model_id: str, attr: str, new) -> dict:
    """The event of a property a browser changed."""
    return {"kind": "ModelChanged", "model": {"id": model_id}, "attr": attr, "new": new}


def bokeh_event(name: str, model_id: str | None = None, **values) -> dict:
    """The event of a Bokeh event a browser sends: ``document_ready``, ``button_click``
    (a Panel button pressed), ``data_event`` (a component's ``send_msg``)."""
    entries = [["model", {"id": model_id}]] if model_id is not None else []
    entries += [[key, value] for key, value in values.items()]
    data = {"type": "event", "name": name, "values": {"type": "map", "entries": entries}}
    return {"kind": "MessageSent", "msg_type": "bokeh_event", "msg_data": data}


def _entries(value) -> dict:
    """Bokeh's serialized map as a dict (one level)."""
    if isinstance(value, dict) and value.get("type") == "map":
        return {key: item for key, item in value.get("entries", [])}
    return value if isinstance(value, dict) else {}


def sent_data(content: dict) -> list[dict]:
    """What components sent their browser side in a PATCH-DOC (``send_msg``'s data,
    such as a live view's frame over Bokeh's socket), one dict per message."""
    found = []
    for event in content.get("events", []):
        values = _entries(event.get("msg_data", {}).get("values"))
        if data := _entries(values.get("data")):
            found.append(data)
    return found


class ProtocolTab:
    """One tab's session over Bokeh's websocket, spoken by hand."""

    def __init__(self, page_url: str, token: str, headers: dict | None = None) -> None:
        """``page_url``: the page, with its query if any; ``token``: its session's
        (``page_token``); ``headers``: more for the websocket's request (an Origin)."""
        path, _, query = page_url.partition("?")
        self.ws_url = path.replace("http", "ws", 1) + "/ws" + (f"?{query}" if query else "")
        self.token = token
        self.headers = headers or {}
        self.socket: WebSocketClientConnection | None = None

    @classmethod
    def of_page(cls, page_url: str, page: str, **kwargs) -> "ProtocolTab":
        return cls(page_url, page_token(page), **kwargs)

    async def connect(self, timeout_s: float | None = None) -> dict:
        """Opens the websocket (refused: tornado's ``HTTPClientError``); returns the
        header of the server's first message (its ACK)."""
        request = HTTPRequest(
            self.ws_url, headers=self.headers, connect_timeout=timeout_s, request_timeout=timeout_s
        )
        self.socket = await websocket_connect(request, subprotocols=["bokeh", self.token])
        header, _content = await self.receive()
        return header

    async def send(self, msgtype: str, content: dict) -> None:
        await self.send_parts(message_parts(msgtype, content))

    async def send_parts(self, parts: list[str]) -> None:
        """Frames as they are: a message that may not be Bokeh's at all."""
        for part in parts:
            await self.socket.write_message(part)

    async def patch(self, *events: dict) -> None:
        await self.send("PATCH-DOC", {"events": list(events)})

    async def document_ready(self) -> None:
        """What BokehJS says once the page is shown (Panel's ``onload`` runs then)."""
        await self.patch(bokeh_event("document_ready"))

    async def click(self, model_id: str) -> None:
        await self.patch(bokeh_event("button_click", model_id))

    async def change(self, model_id: str, attr: str, new) -> None:
        await self.patch(model_changed(model_id, attr, new))

    async def tell(self, model_id: str, data: dict) -> None:
        """A message from a component's browser side (its ``model.send_msg(data)``)."""
        entries = {"type": "map", "entries": list(data.items())}
        await self.patch(bokeh_event("data_event", model_id, data=entries))

    async def receive(self) -> tuple[dict, dict]:
        """The next message's header and content (its buffers are read and dropped)."""
        header = json.loads(await self._read())
        await self._read()  # metadata
        content = json.loads(await self._read())
        for _ in range(header.get("num_buffers", 0) * 2):
            await self._read()
        return header, content

    async def _read(self):
        part = await self.socket.read_message()
        if part is None:
            raise ConnectionError("the server closed the websocket")
        return part

    async def messages(self) -> AsyncIterator[tuple[dict, dict]]:
        """Every message the server sends, as (header, content), until it closes."""
        with contextlib.suppress(ConnectionError, WebSocketClosedError):
            while True:
                yield await self.receive()

    async def pull_doc(self) -> dict:
        """The session's document, serialized (messages before the reply are dropped)."""
        await self.send("PULL-DOC-REQ", {})
        while True:
            header, content = await self.receive()
            if header["msgtype"] == "PULL-DOC-REPLY":
                return content["doc"]

    async def close(self) -> None:
        """Closes the socket and waits until the server has closed its end too."""
        if self.socket is None:
            return
        self.socket.close()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CLOSE_S):
                while await self.socket.read_message() is not None:
                    pass
