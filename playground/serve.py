"""``playground serve``: every page of the playground on one server, each with what it
needs, in one short command.

It gives what ``panel serve playground/app.py --plugins playground.frame_socket
--unused-session-lifetime 3000 --check-unused-sessions 1000`` gave (the tabs' frame
sockets, closed tabs freed within seconds, one BLAS thread), listens on this machine
only unless told otherwise, and answers hostile addresses with a short page instead of
an error in the log (``refusal``).

A page is one entry of ``PAGES``: its path, and the script (or function) that builds a
tab of it.
"""

import argparse
import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from tornado.httputil import HTTPServerRequest
from tornado.process import task_id
from tornado.routing import Matcher
from tornado.web import RedirectHandler, RequestHandler

from playground.labs import available_pages
from playground.threads import single_threaded_blas

if TYPE_CHECKING:
    from bokeh.server.server import Server

HERE = Path(__file__).resolve().parent
PAGES: dict[str, Path | Callable] = {
    "/app": HERE / "app.py",
    **available_pages(),  # the lecture labs and the home page (playground.labs)
}
HOME = "/app"  # where "/" leads while no page has that path
DEFAULT_PORT = 5006
DEFAULT_ADDRESS = "localhost"
LOCAL_ADDRESSES = {"localhost", "127.0.0.1", "::1"}
# A tab left by its browser is dropped after 3 s, looked for every second: a lecture
# hall's closed tabs must not hold their trainers' memory for Bokeh's default 15 min.
UNUSED_SESSION_LIFETIME_MS = 3000
CHECK_UNUSED_SESSIONS_MS = 1000

# The query keys Bokeh reads for itself. A tab must not pick its session or its token
# (anywhere under a page, e.g. its autoload.js); the page itself uses none of them.
SESSION_KEYS = frozenset(["bokeh-session-id", "bokeh-token"])
RESERVED_KEYS = SESSION_KEYS | {"bokeh-absolute-url", "bokeh-app-path", "bokeh-autoload-element"}
# The longest query a page accepts (see docs/ARCHITECTURE.md, "Long addresses", for the
# measurement). A tab's session token carries the query, and its websocket request
# carries both, so they must fit in that request's headers (``MAX_HEADER_BYTES``).
MAX_QUERY_BYTES = 16 * 1024
MAX_HEADER_BYTES = 64 * 1024  # Tornado's own default, kept for every other request
# How much of a request's head Tornado reads before it gives up without an answer: enough
# for any address Chromium sends (2 MB), so that even those get our page.
READ_HEADER_BYTES = 2 * 1024 * 1024 + MAX_HEADER_BYTES
# The process id tells the workers of ``--num-procs`` apart.
LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
log = logging.getLogger("playground")


def home_path(pages: dict[str, Path | Callable]) -> str:
    """The page "/" leads to (or is), and ``--show`` opens."""
    if "/" in pages:
        return "/"
    return HOME if HOME in pages else next(iter(pages))


def normalized_prefix(prefix: str) -> str:
    """``"app/"`` -> ``"/app"``, ``""`` or ``"/"`` -> ``""``, as Bokeh reads ``--prefix``."""
    prefix = prefix.strip("/")
    return f"/{prefix}" if prefix else ""


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def refusal(request: HTTPServerRequest, page_paths: frozenset[str]) -> tuple[int, str] | None:
    """Why the server answers ``request`` itself (status and a sentence, or 302 and where
    to), or None to pass it on. Bokeh answered these with HTTP 500 and a traceback in the log, or, for a
    long address, with a page whose connection then failed without a word."""
    if len(request.query) > MAX_QUERY_BYTES:
        return 414, (
            f"The part of this address after the question mark is {len(request.query):,} "
            f"characters long; the playground takes up to {MAX_QUERY_BYTES:,}. A scene's "
            "link is far shorter: open the playground without it and set the scene again."
        )
    head_bytes = sum(len(name) + len(value) for name, value in request.headers.get_all())
    if head_bytes > MAX_HEADER_BYTES:
        return 431, "The request's headers are too large."
    path = request.path.rstrip("/")
    page = path in page_paths
    if not (page or any(path.startswith(p + "/") for p in page_paths)):
        return None
    for key, values in request.query_arguments.items():
        if key in (RESERVED_KEYS if page else SESSION_KEYS):
            return 400, f"The key {key!r} cannot be set in this address."
        # Tornado decodes keys as Latin-1 and leaves values as bytes; Bokeh's session
        # scripts and socket want UTF-8. A page is sent to the same address with the
        # broken bytes replaced (U+FFFD), so the rest of its scene still opens and the
        # broken value gets its note there.
        if not all(map(_is_utf8, [key.encode("latin-1"), *values])):
            if page:
                return 302, repaired(request)
            return 400, "A key or value in this address is not valid text (UTF-8)."
    return None


def repaired(request: HTTPServerRequest) -> str:
    """``request``'s path and query with every byte that is not UTF-8 text replaced."""

    def text(raw: bytes) -> str:
        return raw.decode("utf-8", "replace")

    pairs = [
        (text(key.encode("latin-1")), text(value))
        for key, values in request.query_arguments.items()
        for value in values
    ]
    return f"{request.path}?{urlencode(pairs, quote_via=quote)}"


class RefusedRequest(Matcher):
    """Matches the requests ``refusal`` refuses, so that they never reach Bokeh."""

    def __init__(self, page_paths: frozenset[str]) -> None:
        self.page_paths = page_paths

    def match(self, request: HTTPServerRequest) -> dict | None:
        return {} if refusal(request, self.page_paths) else None


class RootWithQuery(Matcher):
    """The home page ("/") with a query: a playground scene, as "/" led to the playground
    before there was a home page (the home page itself reads no keys)."""

    def __init__(self, root: str) -> None:
        self.paths = {root or "/", root + "/"}

    def match(self, request: HTTPServerRequest) -> dict | None:
        return {} if request.query and request.path in self.paths else None


class ToPlayground(RequestHandler):
    """Sends a query to the playground page as it came, byte for byte."""

    def initialize(self, playground: str) -> None:
        self.playground = playground

    def prepare(self) -> None:
        self.redirect(f"{self.playground}?{self.request.query}")


class RefusalPage(RequestHandler):
    """A short page that says why, whatever the method."""

    def initialize(self, page_paths: frozenset[str], home: str) -> None:
        self.page_paths = page_paths
        self.home = home

    def prepare(self) -> None:
        status, reason = refusal(self.request, self.page_paths) or (400, "Bad request.")
        if status == 302:
            self.redirect(reason)
            return
        log.info("refused %s %.80s: %s", self.request.method, self.request.uri, reason)
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            "<!doctype html><html><head><meta charset='utf-8'>"
            "<title>Neural-network playground: address refused</title></head>"
            "<body style='font-family: sans-serif; max-width: 40em; margin: 3em auto'>"
            f"<h1>This address cannot be opened</h1><p>{html.escape(reason)}</p>"
            f"<p><a href='{html.escape(self.home)}'>Open the playground</a></p>"
            "</body></html>"
        )


def serve(
    pages: dict[str, Path | Callable] = PAGES,
    port: int = DEFAULT_PORT,
    address: str = DEFAULT_ADDRESS,
    num_procs: int = 1,
    allow_websocket_origin: list[str] | None = None,
    prefix: str = "",
    show: bool = False,
    frame_socket: bool = True,
) -> None:
    """Serves ``pages`` until the process is stopped. With ``num_procs`` > 1 the server
    forks that many processes sharing the port, and only the first opens a browser."""
    single_threaded_blas()  # before forking: every process inherits it
    server = build_server(
        pages, port, address, num_procs, allow_websocket_origin, prefix, frame_socket
    )
    url = f"http://{address or 'localhost'}:{server.port}{normalized_prefix(prefix)}"
    if task_id() in (None, 0):
        log.info("serving %s", ", ".join(url + path for path in pages))
        if address not in LOCAL_ADDRESSES and not allow_websocket_origin:
            log.warning(
                "pages opened from other machines cannot connect until "
                "--allow-websocket-origin names the host:port their browsers open"
            )
        if show:
            server.io_loop.add_callback(server.show, home_path(pages))
    server.start()
    server.io_loop.start()


def build_server(
    pages: dict[str, Path | Callable],
    port: int,
    address: str,
    num_procs: int,
    allow_websocket_origin: list[str] | None,
    prefix: str,
    frame_socket: bool = True,
) -> "Server":
    """A Panel server for ``pages``, not yet started (it has forked if ``num_procs`` > 1).

    Panel and Bokeh load here, not at import: ``playground train`` stays quick.
    """
    from panel.io.server import get_server

    prefix = normalized_prefix(prefix)
    home = prefix + home_path(pages)
    # Bokeh puts the pages' routes first, then these: "/" leads home only while no page
    # is "/" itself.
    routes = [(r"/?", RedirectHandler, {"url": home, "permanent": False})]
    if frame_socket:
        # Imported only here: the app looks for this module to know the route is served
        # (playground.channel.socket_served), as with ``panel serve --plugins``.
        from playground.frame_socket import ROUTES

        routes += ROUTES
    server = get_server(
        {path: str(app) if isinstance(app, Path) else app for path, app in pages.items()},
        port=port,
        address=address,
        websocket_origin=allow_websocket_origin or None,
        num_procs=num_procs,
        prefix=prefix,
        extra_patterns=routes,
        unused_session_lifetime_milliseconds=UNUSED_SESSION_LIFETIME_MS,
        check_unused_sessions_milliseconds=CHECK_UNUSED_SESSIONS_MS,
        http_server_kwargs={"max_header_size": READ_HEADER_BYTES},
    )
    page_paths = frozenset(prefix + path.rstrip("/") for path in pages)
    # Ahead of every route of Bokeh's. ``_tornado`` (the server's Tornado application) is
    # the one private name: Bokeh's Server offers no public way to add a route in front.
    handlers = [(RefusedRequest(page_paths), RefusalPage, {"page_paths": page_paths, "home": home})]
    if "/" in pages and HOME in pages:
        handlers.append((RootWithQuery(prefix), ToPlayground, {"playground": prefix + HOME}))
    server._tornado.add_handlers(r".*", handlers)
    return server


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="default: %(default)s")
    parser.add_argument(
        "--address",
        default=DEFAULT_ADDRESS,
        help="where to listen (default: %(default)s, this machine only; "
        "0.0.0.0 for every network, e.g. a lecture hall)",
    )
    parser.add_argument(
        "--num-procs",
        type=int,
        default=1,
        help="server processes sharing the port (more for a big lecture hall)",
    )
    parser.add_argument(
        "--allow-websocket-origin",
        action="append",
        metavar="HOST[:PORT]",
        help="a host the pages may be opened from, as students' browsers see it "
        "(repeat for several; default: localhost)",
    )
    parser.add_argument("--prefix", default="", help="serve every page under this path")
    parser.add_argument("--show", action="store_true", help="open the home page in a browser")
    parser.add_argument(
        "--no-frame-socket",
        dest="frame_socket",
        action="store_false",
        help="frames over Bokeh's websocket only, without the tabs' own (for comparisons)",
    )


def run(args: argparse.Namespace) -> int:
    """``playground serve``'s entry."""
    # As ``panel serve`` logs: warnings from everyone, information from Bokeh and us.
    logging.basicConfig(format=LOG_FORMAT)
    logging.getLogger("bokeh").setLevel(logging.INFO)
    log.setLevel(logging.INFO)
    serve(
        port=args.port,
        address=args.address,
        num_procs=args.num_procs,
        allow_websocket_origin=args.allow_websocket_origin,
        prefix=args.prefix,
        show=args.show,
        frame_socket=args.frame_socket,
    )
    return 0
