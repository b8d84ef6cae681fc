"""``playground serve`` over HTTP, against a real server on 127.0.0.1 (no browser).

The hostile addresses of the issue "Hostile input must not leak memory": Bokeh's own
query keys and broken UTF-8 answered with 400, an over-long query with a 414 page, and
the longest query still accepted gives a tab whose websocket opens.
"""

import asyncio
import gc
import random
import re
import string
import subprocess
import sys
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from playground import guard, serve
from playground.cli import build_parser
from playground.testing import (
    TOKEN,
    ProtocolTab,
    Server,
    ServerError,
    bad_lines,
    page_token,
    start_server,
    stop_server,
    wait_until_answering,
)

REPO = Path(__file__).resolve().parents[1]
# What Chromium sends with a page request; the session token carries these headers too.
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "Accept-Language": "en-US,en;q=0.9",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Sec-Fetch-Site": "none",
    "Sec-Fetch-Mode": "navigate",
    "Upgrade-Insecure-Requests": "1",
}


@pytest.fixture(scope="module", autouse=True)
def _collect_this_module_s_clients():
    """The HTTP and websocket clients here run in helper threads and event loops of their
    own; a socket of theirs that the garbage collector finds later is this module's,
    so it is collected here, at the module's end, not in whichever test runs next."""
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log_path = tmp_path_factory.mktemp("serve") / "playground-serve.log"
    try:
        started = start_server(log_path)
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield started
    finally:
        stop_server(started)
    log = started.log()
    assert "Traceback" not in log, log
    assert not re.search(r"\bERROR\b", log), log


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Status, final URL and body; redirects followed, error statuses returned."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:  # it holds the response's socket
            return error.code, url, error.read().decode()


def random_query(length: int, seed: int = 0) -> str:
    """``x=`` and letters and digits: what compresses worst in a session token."""
    rng = random.Random(seed)
    return "x=" + "".join(rng.choices(string.ascii_letters + string.digits, k=length - 2))


def test_the_page_and_the_session_clean_up(server: Server):
    status, _, body = get(server.base_url)
    assert status == 200
    assert TOKEN.search(body)
    # Bokeh reports the unused-session lifetime it was given.
    assert f"Unused sessions last for {serve.UNUSED_SESSION_LIFETIME_MS} milliseconds" in (
        server.log()
    )


def test_the_root_leads_to_the_playground_with_its_query(server: Server):
    root = server.base_url.removesuffix("/app")
    status, url, _ = get(f"{root}/?dataset=xor")
    assert status == 200
    assert url == f"{server.base_url}?dataset=xor"
    # The home page's own key stays on it; with another key it is a playground scene.
    status, url, body = get(f"{root}/?presenter=true")
    assert (status, url) == (200, f"{root}/?presenter=true")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    _, url, _ = get(f"{root}/?presenter=true&dataset=xor")
    assert url == f"{server.base_url}?presenter=true&dataset=xor"


@pytest.mark.parametrize("path", ["optimizers", "overfitting", "hopfield"])
def test_every_lab_page_has_the_viewport_tag(server: Server, path: str):
    """Without it a phone lays the page out 980 px wide and shrinks it."""
    status, _, body = get(f"{server.base_url.removesuffix('/app')}/{path}")
    assert status == 200
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body


@pytest.mark.parametrize(
    "query",
    [
        "bokeh-session-id=",
        "bokeh-session-id=chosen-by-the-tab",
        "bokeh-token=abc",
        "bokeh-absolute-url=%C3",
        "bokeh-absolute-url=http://elsewhere.example",
        "bokeh-autoload-element=x",
    ],
)
def test_bokeh_s_keys_get_a_400_not_an_error(server: Server, query: str):
    offset = server.log_size()
    status, _, body = get(f"{server.base_url}?{query}")
    assert status == 400
    assert "cannot be opened" in body
    assert "Traceback" not in server.log_since(offset)


@pytest.mark.parametrize("query", ["bokeh-session-id=", "bokeh-absolute-url=%C3"])
def test_the_autoload_script_refuses_them_too(server: Server, query: str):
    offset = server.log_size()
    status, _, _ = get(f"{server.base_url}/autoload.js?bokeh-autoload-element=x&{query}")
    assert status == 400
    assert "Traceback" not in server.log_since(offset)


@pytest.mark.parametrize("extra", [1, 60 * 1024, 1024 * 1024])
def test_an_over_long_query_gets_a_page_that_says_so(server: Server, extra: int):
    query = random_query(guard.MAX_QUERY_BYTES + extra)
    status, _, body = get(f"{server.base_url}?{query}")
    assert status == 414
    assert f"up to {guard.MAX_QUERY_BYTES:,}" in body


def test_the_longest_query_accepted_still_opens_its_websocket(server: Server):
    """As BokehJS connects: the page's query on the socket's address, the session token
    (which carries that query and the page's headers) in its protocol header."""
    query = random_query(guard.MAX_QUERY_BYTES)
    status, _, body = get(f"{server.base_url}?{query}", BROWSER_HEADERS)
    assert status == 200
    token = page_token(body)
    assert len(token) > guard.MAX_QUERY_BYTES  # the query is in it, hardly compressed

    async def first_message() -> dict:
        origin = server.base_url.removesuffix("/app")
        headers = {**BROWSER_HEADERS, "Origin": origin}
        tab = ProtocolTab(f"{server.base_url}?{query}", token, headers=headers)
        try:
            return await asyncio.wait_for(tab.connect(timeout_s=30), 30)
        finally:
            # Until the server has answered the close: the loop must not end with the
            # connection still open (an unclosed socket, reported later as a warning).
            await tab.close()

    # A loop of its own, in a thread: other tests may leave this thread's loop running.
    with ThreadPoolExecutor(1) as pool:
        header = pool.submit(asyncio.run, first_message()).result()
    assert header["msgtype"] == "ACK"


def _request(uri: str) -> HTTPServerRequest:
    start_line = RequestStartLine("GET", uri, "HTTP/1.1")
    return HTTPServerRequest(start_line=start_line, headers=HTTPHeaders({"Host": "localhost"}))


@pytest.mark.parametrize(
    ("uri", "refused"),
    [
        ("/lab/app", None),
        ("/lab/app/?seed=0.5&dataset=xor", None),
        ("/lab/app?bokeh-app-path=/x", 400),
        ("/lab/app/autoload.js?bokeh-app-path=/x", None),  # autoload's own key
        ("/lab/app/ws?bokeh-token=x", 400),
        ("/lab/static/js/bokeh.min.js?v=%C3", None),  # not a page: Bokeh's own answer
        ("/lab/app?dataset=%C3&noise=5", 302),  # repaired: the page notes it, keeps noise
        ("/lab/app/ws?dataset=%C3", 400),
        ("/elsewhere?bokeh-session-id=", None),
    ],
)
def test_which_requests_are_refused(uri: str, refused: int | None):
    answer = guard.refusal(_request(uri), frozenset(["/lab/app"]))
    assert (answer and answer[0]) == refused


@pytest.mark.parametrize(
    ("given", "prefix"), [("", ""), ("/", ""), ("lab", "/lab"), ("/lab/", "/lab")]
)
def test_prefix_as_bokeh_reads_it(given: str, prefix: str):
    assert serve.normalized_prefix(given) == prefix


def test_it_listens_on_this_machine_only_unless_told():
    args = build_parser().parse_args(["serve"])
    assert (args.address, args.port, args.num_procs, args.show) == ("localhost", 5006, 1, False)
    assert args.frame_socket
    args = build_parser().parse_args(
        ["serve", "--address", "0.0.0.0", "--allow-websocket-origin", "10.0.0.5:5006",
         "--allow-websocket-origin", "lecture.example:5006", "--num-procs", "2",
         "--prefix", "nn", "--show", "--port", "8000"]
    )  # fmt: skip
    assert args.allow_websocket_origin == ["10.0.0.5:5006", "lecture.example:5006"]
    assert (args.address, args.num_procs, args.prefix, args.show, args.port) == (
        "0.0.0.0", 2, "nn", True, 8000
    )  # fmt: skip


def test_every_page_file_is_in_the_package():
    for path, app in serve.PAGES.items():
        assert path.startswith("/")
        assert not isinstance(app, Path) or app.is_file(), app


def test_panel_serve_of_the_app_file_still_works(tmp_path: Path):
    """``panel serve playground/app.py``, as before ``playground serve`` (no frame route)."""
    from playground.testing import free_port

    port = free_port()
    log_path = tmp_path / "panel-serve.log"
    # Panel's module, not its script: an environment that borrows Panel has no script.
    command = [sys.executable, "-m", "panel", "serve", "playground/app.py",
               "--address", "127.0.0.1", "--port", str(port),
               f"--allow-websocket-origin=127.0.0.1:{port}"]  # fmt: skip
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=REPO, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, log_path, f"http://127.0.0.1:{port}/app")
    try:
        wait_until_answering(server)
        status, _, body = get(server.base_url)
    finally:
        stop_server(server)
    assert status == 200
    assert TOKEN.search(body)
    assert "Traceback" not in server.log()


def test_every_browser_test_file_is_marked_browser():
    """``pytest -m "not browser"``, the quick run, must leave out every Chromium test."""
    files = sorted((REPO / "tests" / "e2e").glob("test_*.py"))
    assert files
    for path in files:
        assert "pytestmark = pytest.mark.browser" in path.read_text(), path.name


def test_a_page_address_with_broken_text_is_repaired_not_refused():
    request = _request("/lab/app?dataset=%C3&noise=5&%FF=1")
    status, where = guard.refusal(request, frozenset(["/lab/app"]))
    assert status == 302
    assert where == "/lab/app?dataset=%EF%BF%BD&noise=5&%EF%BF%BD=1"
    assert guard.refusal(_request(where), frozenset(["/lab/app"])) is None


def test_a_finding_of_bokeh_s_document_checks_is_a_bad_log_line():
    # The browser tests' servers check every document (BOKEH_VALIDATE_DOC=true) and
    # fail on what the checks log; a served page skips the checks.
    log = (
        "2026-12-07 10:00:00 WARNING bokeh W-1005 (FIXED_SIZING_MODE): 'fixed' sizing\n"
        "E-1001 (BAD_COLUMN_NAME): Glyph refers to nonexistent column name\n"
        "session opened; W-100 is no code, nor is E-12 (X)\n"
    )
    assert bad_lines(log) == log.splitlines()[:2]
