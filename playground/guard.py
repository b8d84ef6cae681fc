"""What the server answers itself, ahead of Bokeh's and Panel's routes: a hostile address
gets a short page (400, 404, 414, 431) instead of an error in the log, or worse.

- ``refusal``: Bokeh's own query keys, text that is not UTF-8, an over-long query or
  head, and paths that no file can have (a NUL byte, control characters, broken UTF-8).
- ``own_components``: Panel's ``/components/<module>/<class>/...`` route imports the
  module the path names before it looks further; importing a module runs it (importing
  ``playground.__main__`` once started a second server inside this one, which exited the
  process). Here only modules of our own that are already loaded are looked in.
- ``FrameAncestors``: who may show the pages in a frame (``--frame-ancestors``), as a
  Content-Security-Policy header on every answer.
"""

import html
import logging
import re
import sys
from collections.abc import Callable
from urllib.parse import quote, unquote_to_bytes, urlencode

from tornado.httputil import HTTPHeaders, HTTPServerRequest
from tornado.routing import Matcher
from tornado.web import HTTPError, OutputTransform, RequestHandler

from playground.log_limit import LogLimit, quoted

log = logging.getLogger("playground")

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
# No file or page of ours has these in its path; a NUL reached os.path and raised.
_UNUSABLE_PATH = re.compile(rb"[\x00-\x1f\x7f]")
# The modules whose components' files /components/ may serve: our own, once loaded.
COMPONENT_PACKAGE = "playground."


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def usable_path(path: str) -> bool:
    """Whether a request's path, percent-decoded, could name a page or a file."""
    raw = unquote_to_bytes(path)
    return _is_utf8(raw) and not _UNUSABLE_PATH.search(raw)


def refusal(request: HTTPServerRequest, page_paths: frozenset[str]) -> tuple[int, str] | None:
    """Why the server answers ``request`` itself (status and a sentence, or 302 and where
    to), or None to pass it on. Bokeh answered these with HTTP 500 and a traceback in the
    log, or, for a long address, with a page whose connection then failed without a word."""
    if len(request.query) > MAX_QUERY_BYTES:
        return 414, (
            f"The part of this address after the question mark is {len(request.query):,} "
            f"characters long; the playground takes up to {MAX_QUERY_BYTES:,}. A scene's "
            "link is far shorter: open the playground without it and set the scene again."
        )
    head_bytes = sum(len(name) + len(value) for name, value in request.headers.get_all())
    if head_bytes > MAX_HEADER_BYTES:
        return 431, "The request's headers are too large."
    if not usable_path(request.path):
        return 400, "This address's path holds characters that no page or file has."
    if request.method == "OPTIONS" and "Origin" not in request.headers:
        # A browser's cross-origin check always names its origin; Bokeh's answer to
        # one without failed with a traceback.
        return 400, "A cross-origin check must name its origin."
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


HOME_KEYS = frozenset({"presenter"})  # the only keys the home page reads itself


class RootWithQuery(Matcher):
    """The home page ("/") with a query: a playground scene, as "/" led to the playground
    before there was a home page; only a query of the home page's own keys
    (``presenter``) stays on it."""

    def __init__(self, root: str) -> None:
        self.paths = {root or "/", root + "/"}

    def match(self, request: HTTPServerRequest) -> dict | None:
        if not request.query or request.path not in self.paths:
            return None
        own = set(request.query_arguments) <= HOME_KEYS
        return None if own else {}


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
        self.refusal_reason = reason  # for the log line (``request_log``)
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


def own_components() -> type:
    """Panel's handler for a component's own files, for our components only: a path
    that names any other module is a 404 before anything is imported. (Panel loads
    here, not when this module is imported: the command line stays quick.)"""
    from panel.io.server import ComponentResourceHandler

    class OwnComponents(ComponentResourceHandler):
        def parse_url_path(self, path: str) -> str:
            module = path.split("/", 1)[0]
            if not (module.startswith(COMPONENT_PACKAGE) and module in sys.modules):
                raise HTTPError(404)
            return super().parse_url_path(path)

    return OwnComponents


# -- the log of requests ---------------------------------------------------------------


def request_log(limit: LogLimit) -> Callable[[RequestHandler], None]:
    """Tornado's ``log_function``: a request line as Tornado writes it (the address
    quoted short), but refused requests (4xx) one line per status a minute: a client
    that sends thousands of bad requests, or megabyte addresses, cannot flood the log."""
    access = logging.getLogger("tornado.access")

    def log_request(handler: RequestHandler) -> None:
        status = handler.get_status()
        request = handler.request
        line = f"{request.method} {quoted(request.uri)} ({request.remote_ip})"
        if status < 400:
            access.info("%d %s %.2fms", status, line, 1000 * request.request_time())
        elif status < 500:
            reason = getattr(handler, "refusal_reason", "")
            limit.line(f"refused requests ({status})", f"{line} {reason}".strip())
        else:
            access.error("%d %s %.2fms", status, line, 1000 * request.request_time())

    return log_request


# -- who may frame the pages -----------------------------------------------------------

_SOURCE = re.compile(
    r"""^(?:'self'|'none'|\*
        |(?:[a-z][a-z0-9+.-]*:)               # a scheme alone, e.g. https:
        |(?:[a-z][a-z0-9+.-]*://)?            # or a host, with or without its scheme
         (?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)* # host, e.g. course.example.edu, *.example.edu
         (?::(?:\d{1,5}|\*))?)$               # port
    """,
    re.IGNORECASE | re.VERBOSE,
)


def frame_ancestor(source: str) -> str:
    """``source`` if a browser reads it as a frame ancestor, else ValueError that says how
    to write one."""
    if not _SOURCE.match(source):
        raise ValueError(
            f"{source!r} is not an origin a browser understands here: write it as "
            "https://course.example.edu, *.example.edu, course.example.edu:8443, "
            "'self' or 'none'"
        )
    return source


def frame_ancestors_policy(sources: list[str]) -> str:
    """The Content-Security-Policy that lets only ``sources`` (and the server's own
    pages) show a page in a frame."""
    sources = [frame_ancestor(source) for source in sources]
    if "'none'" in sources:
        return "frame-ancestors 'none'"
    return "frame-ancestors " + " ".join(dict.fromkeys(["'self'", *sources]))


def frame_ancestors(policy: str) -> type[OutputTransform]:
    """A Tornado output transform that puts ``policy`` on every answer."""

    class FrameAncestors(OutputTransform):
        def transform_first_chunk(
            self, status_code: int, headers: HTTPHeaders, chunk: bytes, finishing: bool
        ) -> tuple[int, HTTPHeaders, bytes]:
            headers["Content-Security-Policy"] = policy
            return status_code, headers, chunk

    return FrameAncestors
