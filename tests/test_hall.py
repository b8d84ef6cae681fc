"""``playground serve --workers`` without a server: HAProxy's configuration (checked by
HAProxy itself), ``playground proxy-config``, the pages and the log line, and bad input
refused before anything starts (exit code 2, a sentence, no traceback, nothing left
running)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from playground.cli import build_parser
from playground.connections import SEND_BUFFER_BYTES
from playground.hall.pages import full_room_page, room_line, starting_page
from playground.hall.proxy import (
    HAPROXY_ENV,
    Upstream,
    check_config,
    find_haproxy,
    haproxy_config,
    local_upstreams,
    parse_upstreams,
)
from playground.hall.room import PROXY_COOKIE, STUDENTS_PER_CORE, Room, RoomFull, percentile
from playground.testing import playground_executable


def checked(haproxy: str, config: str, tmp_path: Path) -> str:
    """HAProxy's verdict on ``config``: valid, and without a warning."""
    path = tmp_path / "haproxy.cfg"
    path.write_text(config)
    valid, said = check_config(haproxy, path)
    assert valid, said
    assert "WARNING" not in said, said
    assert "ALERT" not in said, said
    return said


def test_the_generated_configuration_passes_haproxy_s_check(haproxy, tmp_path):
    upstreams = local_upstreams(3, 5006)
    config = haproxy_config(upstreams, "0.0.0.0", 5006, "/nn", status=Upstream("127.0.0.1", 40000))
    checked(haproxy, config, tmp_path)
    # What the design needs, as HAProxy reads it.
    assert "balance leastconn" in config
    assert f"cookie {PROXY_COOKIE} insert indirect nocache preserve" in config
    assert "option redispatch" in config
    assert "http-check send meth GET uri /nn/status.json" in config
    assert "timeout tunnel 1h" in config
    assert "timeout client-fin" in config
    assert f"tune.sndbuf.client {SEND_BUFFER_BYTES}" in config  # as a worker's own sockets
    for n, upstream in enumerate(upstreams, start=1):
        line = f"server w{n} 127.0.0.1:{upstream.port} cookie w{n} agent-check agent-port"
        assert f"{line} {upstream.port + 1}" in config
    assert "acl room_status path /nn/status /nn/status.json" in config
    assert "The room is full" in config
    assert "The playground is starting" in config


def test_a_department_configuration_and_https(haproxy, tmp_path):
    upstreams = parse_upstreams("10.0.0.5:5006, 10.0.0.6:5106,[::1]:5206")
    assert upstreams == [
        Upstream("10.0.0.5", 5006, 5007),
        Upstream("10.0.0.6", 5106, 5107),
        Upstream("::1", 5206, 5207),
    ]
    checked(haproxy, haproxy_config(upstreams, "0.0.0.0", 80), tmp_path)
    # TLS at the proxy: a self-signed certificate is enough for HAProxy's check.
    pem = tmp_path / "hall.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=hall.example", "-keyout", str(pem), "-out", str(pem)],
        check=True, capture_output=True,
    )  # fmt: skip
    pem.write_text(pem.read_text())  # key and certificate in one file
    config = haproxy_config(upstreams, "0.0.0.0", 443, tls_cert=str(pem))
    checked(haproxy, config, tmp_path)
    assert f"bind 0.0.0.0:443 ssl crt {pem}" in config
    assert "secure attr SameSite=None" in config  # a course site's iframe keeps its worker


@pytest.mark.parametrize("text", ["10.0.0.5", "10.0.0.5:", ":5006", "10.0.0.5:abc", "a:70000"])
def test_a_bad_upstream_is_refused_with_an_example(text):
    with pytest.raises(ValueError, match=r"is not HOST:PORT \(e\.g\. 10\.0\.0\.5:5006\)"):
        parse_upstreams(text)


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*playground_executable(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_proxy_config_prints_what_haproxy_accepts(haproxy, tmp_path):
    for args in (
        ["--workers", "3"],
        ["--upstream", "10.0.0.5:5006,10.0.0.6:5006", "--address", "0.0.0.0", "--port", "80"],
    ):
        result = run_cli("proxy-config", *args)
        assert result.returncode == 0, result.stderr
        checked(haproxy, result.stdout, tmp_path)
        assert "playground serve --address" in result.stdout  # how to start each worker
    result = run_cli("proxy-config", "--workers", "3", "--upstream", "10.0.0.5:5006")
    assert result.returncode == 2
    assert "--workers 3 but 1 --upstream workers" in result.stderr


def test_the_pages_retry_by_themselves_and_fit_haproxy_s_quotes():
    for page in (full_room_page(), starting_page()):
        assert "'" not in page
        assert "location.reload()" in page
        assert 'http-equiv="refresh"' in page  # without JavaScript too
    assert "The room is full" in full_room_page()


def test_the_room_s_log_line():
    room = {
        "workers": [
            {"pid": 11, "port": 4001, "tabs": 20, "playing": 12, "fps_p10": 11.04,
             "fps_median": 17.5, "started": "x", "full": False},
            {"pid": None, "port": 4003, "tabs": None, "playing": None, "fps_p10": None,
             "fps_median": None, "started": None, "full": None},
        ],
        "full": False,
    }  # fmt: skip
    assert room_line(room) == (
        "room: 20 tabs, 12 playing, room for more; worker 11 (port 4001): 20 tabs, "
        "12 playing, frames/s p10 11.0 median 17.5; worker None (port 4003): not answering"
    )


class FakeServer:
    """Bokeh's server as the room sees it: its sessions."""

    def __init__(self) -> None:
        self.sessions: list[object] = []

    def get_sessions(self) -> list[object]:
        return self.sessions


def page_request(path: str = "/app", method: str = "GET") -> HTTPServerRequest:
    start_line = RequestStartLine(method, path, "HTTP/1.1")
    return HTTPServerRequest(start_line=start_line, headers=HTTPHeaders({"Host": "x"}))


@pytest.mark.usefixtures("current_event_loop")  # the room counts its fleet's loops
def test_a_room_counts_its_tabs_and_the_pages_it_is_building():
    server = FakeServer()
    room = Room(server, max_students=2, port=4001)
    full = RoomFull(room, frozenset(["/app", ""]))
    first, second = page_request(), page_request("/")
    assert full.match(first) is None  # let in: its page is being built
    assert full.match(page_request("/static/x.js")) is None  # not a page: always passes
    assert full.match(second) is None
    assert room.full()  # two pages being built, no session yet
    assert full.match(page_request()) == {}  # the third gets the full-room page
    assert full.match(page_request("/app", "POST")) is None
    server.sessions.append(object())  # the first page's session exists...
    room.answered(first)  # ...and its page went out: it counts once
    assert room.full()
    room.answered(second)  # the second's page failed: no session
    assert not room.full()
    assert room.status()["workers"][0]["tabs"] == 1
    unlimited = Room(server, max_students=0, port=4001)
    server.sessions.extend(object() for _ in range(1000))
    assert not unlimited.full()


def test_percentiles():
    assert percentile([], 0.1) is None
    assert percentile([7.0], 0.1) == 7.0
    values = [float(v) for v in range(10, 0, -1)]
    assert percentile(values, 0.1) == pytest.approx(1.9)  # between the 1st and 2nd smallest
    assert percentile(values, 0.5) == pytest.approx(5.5)


def test_find_haproxy_takes_the_one_it_is_told(tmp_path, monkeypatch):
    monkeypatch.setenv(HAPROXY_ENV, str(tmp_path / "nowhere"))
    assert find_haproxy() is None
    fake = tmp_path / "haproxy"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv(HAPROXY_ENV, str(fake))
    assert find_haproxy() == str(fake)


def test_workers_and_max_students_as_the_command_line_reads_them():
    parse = build_parser().parse_args
    args = parse(["serve"])
    assert (args.workers, args.max_students, args.agent_port) == (1, STUDENTS_PER_CORE, None)
    args = parse(["serve", "--workers", "auto", "--max-students", "0"])
    assert args.workers == len(os.sched_getaffinity(0))
    assert args.max_students == 0  # no limit


# -- bad input: a sentence, exit code 2, nothing left running -------------------------------


def run_until_exit(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """``playground serve ...`` in a process group of its own; afterwards, no process
    of that group may be left."""
    process = subprocess.Popen(
        [*playground_executable(), "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 9)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # nothing of it runs any more
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--workers", "0"], "argument --workers: at least 1 worker is needed, got 0"),
        (["--workers", "abc"], "expected a whole number of workers (1 or more) or auto"),
        (["--workers", "-3"], "at least 1 worker is needed, got -3"),
        (["--max-students", "-1"], "expected 0 (no limit) or more students per process"),
        (["--max-students", "many"], "expected a whole number of students"),
        (["--port", "70000"], "a port is a number from 0 to 65535"),
        (["--workers", "2", "--num-procs", "2"], "choose one"),
        (["--workers", "2", "--agent-port", "5007"], "--agent-port answers for one process"),
    ],
)
def test_bad_input_gets_a_sentence_and_exit_code_2(args, said):
    result = run_until_exit(args)
    assert result.returncode == 2
    assert said in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def busy_port() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_busy_port_gets_a_sentence_and_exit_code_2(workers, haproxy):
    with busy_port() as sock:
        port = sock.getsockname()[1]
        args = ["--address", "127.0.0.1", "--port", str(port), "--workers", workers]
        result = run_until_exit(args)
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_without_haproxy_it_says_how_to_install_it(tmp_path):
    env = {HAPROXY_ENV: str(tmp_path / "no-haproxy")}
    with busy_port() as sock:  # a free port would do; this one is sure not to be served
        port = str(sock.getsockname()[1])
    result = run_until_exit(["--workers", "3", "--port", port], env)
    assert result.returncode == 2
    for words in ("apt-get install haproxy", "brew install haproxy", "--num-procs 3"):
        assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_the_package_runs_as_a_module_for_the_workers():
    """The supervisor starts each worker as ``python -m playground serve``."""
    result = subprocess.run(
        [sys.executable, "-m", "playground", "serve", "--help"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0
    assert "--supervised" not in result.stdout  # internal, not for users
    assert "--max-students" in result.stdout
