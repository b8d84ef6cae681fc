"""Hostile HTTP requests against a real ``playground serve`` (no browser): every route
the server has, asked for what it should never give. Each answer is 2xx-4xx, the log
holds no traceback and no error, nothing named in a path is imported (``this`` would
print into the log), and the server keeps serving.

Also: connections that never finish their request are closed after the header timeout,
so the server's file descriptors come back to where they were; and who may frame the
pages (``--frame-ancestors``).
"""

import http.client
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground import serve
from playground.testing import Server, ServerError, playground_executable, start_server, stop_server

PAGES = [
    "/app",
    "/optimizers",
    "/overfitting",
    "/hopfield",
    "/sweep",
    "/perceptron",
    "/compare",
]  # and "/", the home page
# 50 module names: the project's own (whose import would run a command line or build a
# tab outside any session), the standard library's noisiest, what tests bring, and
# names that are no module at all.
MODULES = [
    "playground.__main__", "playground.app", "playground.cli", "playground.serve",
    "playground.labs.home.page", "playground.labs.hopfield.page", "playground.labs.optimizers.page",
    "playground.labs.overfitting.page", "playground.testing", "playground.frame_socket",
    "playground.views.live", "playground.views.notes", "playground", "playground.engine",
    "this", "os", "sys", "subprocess", "shutil", "http.server", "pdb", "idlelib", "turtle",
    "tkinter", "webbrowser", "ctypes", "multiprocessing", "asyncio.__main__", "json.tool",
    "pytest", "playwright", "pkg_resources", "setuptools", "pip", "IPython", "numpy.f2py",
    "panel", "panel.io.server", "panel.__main__", "bokeh.__main__", "tornado.autoreload",
    "..", ".", "...x", "", "%00", "playground..app", "\u00e9", "a" * 300, "__main__",
]  # fmt: skip
TRAVERSALS = [
    "../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd",
    "..%00/etc/passwd", "%00", "x%00.js", "..%5c..%5cetc%5cpasswd", "....//....//etc/passwd",
    "%252e%252e/etc/passwd", "/etc/passwd", "//etc/passwd", "..", ".", "%ff%fe",
    "%c0%ae%c0%ae/etc/passwd", "js/%0d%0aSet-Cookie:x=1", "js/bokeh.min.js%00.png",
    "a" * 300, "js/" + "../" * 40 + "etc/passwd", "~root", "%7e", "js/bokeh.min.js?v=%ff",
]  # fmt: skip
STATIC_PREFIXES = ["/static/", "/static/extensions/", "/static/extensions/panel/", "/components/"]
STATIC_PREFIXES += [f"{page}/static/" for page in PAGES]
SPECIAL = [
    "/", "/favicon.ico", "/playground-frames", "/playground-frames?tab=x", "/app/ws",
    "/app/metadata", "/app/autoload.js", "/autoload.js", "/ws", "/metadata", "/%00",
    "/app%00", "/app/%ff", "/app/..%2f..%2f", "//app", "/app//", "/app/./", "/liveness",
    "/rest", "/admin", "/components", "/components/", "/components/x", "/static",
]  # fmt: skip
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "FOO"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    try:
        # Every page by every method, each GET a session that lives on for its 3 s
        # unused: the room takes any number (its limit is tests/e2e/test_hall.py's).
        unlimited = ("--max-students", "0")
        started = start_server(
            tmp_path_factory.mktemp("hostile") / "serve.log", extra_args=unlimited
        )
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield started
    finally:
        stop_server(started)


def answer(server: Server, path: str, method: str = "GET") -> int:
    """The status for ``path`` sent exactly as written (no client-side cleaning)."""
    port = int(server.base_url.split(":")[2].split("/")[0])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def assert_quiet_and_alive(server: Server, offset: int) -> None:
    log = server.log_since(offset)
    assert "Traceback" not in log, log[-3000:]
    assert not re.search(r"\bERROR\b", log), log[-3000:]
    assert "Beautiful is better than ugly" not in log  # ``this`` was never imported
    assert server.process.poll() is None, "the server exited"
    assert answer(server, "/app") == 200


def component_paths() -> list[str]:
    from urllib.parse import quote

    return [f"/components/{quote(m, safe='.%')}/Cls/_esm/x.js" for m in MODULES] + [
        f"/components/{m}/a/b/c" for m in MODULES[:14]
    ]


def test_components_route_imports_nothing_and_stops_nothing(server: Server):
    offset = server.log_size()
    statuses = {path: answer(server, path) for path in component_paths()}
    assert all(400 <= status < 500 for status in statuses.values()), statuses
    assert_quiet_and_alive(server, offset)


@pytest.mark.parametrize("prefix", STATIC_PREFIXES)
def test_traversal_on_every_static_prefix(server: Server, prefix: str):
    offset = server.log_size()
    statuses = {prefix + pattern: answer(server, prefix + pattern) for pattern in TRAVERSALS}
    assert all(status < 500 for status in statuses.values()), statuses
    # Nothing outside the served folders comes back.
    assert all(status != 200 for path, status in statuses.items() if "passwd" in path), statuses
    assert_quiet_and_alive(server, offset)


def test_every_route_with_every_method(server: Server):
    offset = server.log_size()
    routes = SPECIAL + ["/", *PAGES] + [page + "?%ff=%00&bokeh-token=x" for page in PAGES]
    statuses = {
        (method, path): answer(server, path, method) for path in routes for method in METHODS
    }
    assert all(status < 500 for status in statuses.values()), {
        key: status for key, status in statuses.items() if status >= 500
    }
    assert statuses[("GET", "/app")] == 200
    assert statuses[("GET", "/%00")] == 400
    assert_quiet_and_alive(server, offset)


# -- connections that never finish -----------------------------------------------------


def open_descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def test_idle_and_half_sent_connections_are_closed(server: Server):
    port = int(server.base_url.split(":")[2].split("/")[0])
    pid = server.process.pid
    before = open_descriptors(pid)
    sockets = []
    try:
        for n in range(400):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            if n % 2:  # half a request head, never finished
                sock.sendall(b"GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sockets.append(sock)
        deadline = time.monotonic() + 10
        while open_descriptors(pid) < before + 300 and time.monotonic() < deadline:
            time.sleep(0.2)
        held = open_descriptors(pid)
        assert held >= before + 300, "the server never accepted the connections"
        assert answer(server, "/app") == 200  # it serves meanwhile
        # After the header timeout the server closes them all; its descriptors come back.
        deadline = time.monotonic() + serve.HEADER_TIMEOUT_S + 20
        while open_descriptors(pid) > before + 5 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert open_descriptors(pid) <= before + 5, (before, held, open_descriptors(pid))
        closed = sum(1 for sock in sockets if _closed_by_peer(sock))
        assert closed == len(sockets)
    finally:
        for sock in sockets:
            sock.close()


def _closed_by_peer(sock: socket.socket) -> bool:
    sock.settimeout(5)
    try:
        return sock.recv(1024) == b""
    except OSError:
        return True


# -- who may show the pages in a frame -------------------------------------------------


def headers_of(server: Server, path: str) -> dict[str, str]:
    port = int(server.base_url.split(":")[2].split("/")[0])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()


def test_pages_may_be_framed_by_anyone_by_default(server: Server):
    for path in ["/", *PAGES]:
        headers = headers_of(server, path)
        assert "content-security-policy" not in headers
        assert "x-frame-options" not in headers


def test_frame_ancestors_restricts_who_may_frame_every_page(tmp_path: Path):
    started = start_server(
        tmp_path / "serve.log",
        extra_args=("--frame-ancestors", "https://course.example.edu", "*.uni.example"),
    )
    try:
        for path in ["/", *PAGES, "/static/js/bokeh.min.js", "/nowhere"]:
            policy = headers_of(started, path).get("content-security-policy")
            assert policy == ("frame-ancestors 'self' https://course.example.edu *.uni.example"), (
                path,
                policy,
            )
    finally:
        stop_server(started)


@pytest.mark.parametrize(
    "origin", ["javascript:alert(1)", "https://a.example; script-src *", "x y", "<b>"]
)
def test_a_bad_frame_ancestor_is_refused_with_a_message(origin: str):
    command = [*playground_executable(), "serve", "--port", "0", "--frame-ancestors", origin]
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "not an origin a browser understands" in result.stderr
    assert "Traceback" not in result.stderr
