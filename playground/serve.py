"""``playground serve``: every page of the playground on one server, each with what it
needs, in one short command.

It gives what ``panel serve playground/app.py --plugins playground.frame_socket
--unused-session-lifetime 3000 --check-unused-sessions 1000`` gave (the tabs' frame
sockets, closed tabs freed within seconds, one BLAS thread), listens on this machine
only unless told otherwise, and answers hostile requests with a short page instead of
an error in the log (``playground.guard``).

A page is one entry of ``PAGES``: its path, and the script (or function) that builds a
tab of it.

``--workers N`` (N > 1) runs N such servers behind HAProxy (``playground.hall``); each
server admits at most ``--max-students`` tabs and says when it is full
(``playground.hall.room``).
"""

import argparse
import errno
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tornado.process import task_id
from tornado.web import RedirectHandler

from playground import guard
from playground.connections import cap_send_buffers, more_file_descriptors
from playground.hall import room as hall_room
from playground.labs import available_pages
from playground.log_limit import LogLimit
from playground.room_address import announce
from playground.threads import fewer_garbage_collections, single_threaded_blas

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
# A connection that has not sent a whole request head by then is closed (so are idle
# keep-alive connections): a client that opens connections and sends nothing, or half a
# request, must not hold a file descriptor for good. Websockets are not affected.
HEADER_TIMEOUT_S = 10
BODY_TIMEOUT_S = 30
# The largest websocket message a browser may send (Bokeh's default is 20 MB). The
# largest a page sends is its address (the Location model, when a page opens), and
# Chromium's addresses go up to 2 MB.
MAX_WEBSOCKET_MESSAGE_BYTES = 2 * 1024 * 1024 + 256 * 1024

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


@dataclass(frozen=True)
class Options:
    """How ``playground serve`` was asked to serve (its command-line options)."""

    port: int = DEFAULT_PORT
    address: str = DEFAULT_ADDRESS
    num_procs: int = 1
    allow_websocket_origin: tuple[str, ...] = ()
    prefix: str = ""
    show: bool = False
    frame_socket: bool = True
    frame_ancestors: tuple[str, ...] = ()  # who may frame the pages; () for anyone
    workers: int = 1  # server processes behind HAProxy (playground.hall), when > 1
    max_students: int = hall_room.STUDENTS_PER_CORE  # open tabs per process; 0: no limit
    agent_port: int | None = None  # where HAProxy's agent check asks whether it is full
    supervised: bool = False  # a worker of ``--workers``, started by playground.hall


class CannotServe(ValueError):
    """The options cannot be served as given; the message says why and what to do."""


def check(options: Options) -> None:
    """Raises CannotServe for options that do not go together."""
    if options.workers > 1 and options.num_procs != 1:
        raise CannotServe(
            "--workers and --num-procs both ask for several server processes: choose "
            "one (--workers, behind HAProxy, is the one for a lecture hall)"
        )
    if options.workers > 1 and options.port == 0:
        raise CannotServe("--workers needs the port students open: give --port a number")
    if options.agent_port is not None and (options.num_procs != 1 or options.workers > 1):
        raise CannotServe(
            "--agent-port answers for one process: leave out --num-procs and --workers "
            "(--workers gives each of its workers an agent of its own)"
        )


def port_in_use(address: str, port: int) -> CannotServe:
    return CannotServe(
        f"port {port} on {address} is already in use (by another server?): stop that "
        "one, or choose another port with --port"
    )


def serve(options: Options, pages: dict[str, Path | Callable] = PAGES) -> None:
    """Serves ``pages`` until the process is stopped. With ``num_procs`` > 1 the server
    forks that many processes sharing the port, and only the first opens a browser."""
    single_threaded_blas()  # before forking: every process inherits it
    descriptors = more_file_descriptors()
    if not options.supervised:  # a worker's pages hear it from the supervisor
        announce(options.address, options.allow_websocket_origin)
    try:
        server = build_server(pages, options)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise port_in_use(options.address, options.port) from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise CannotServe(f"this machine has no address {options.address}") from None
        raise
    url = f"http://{options.address or 'localhost'}:{server.port}"
    url += normalized_prefix(options.prefix)
    if options.supervised:
        log.info("worker listening at %s", url)
    elif task_id() in (None, 0):
        log.info("serving %s", ", ".join(url + path for path in pages))
        log.info("up to %d open connections per process (file descriptors)", descriptors)
        if options.address not in LOCAL_ADDRESSES and not options.allow_websocket_origin:
            log.warning(
                "pages opened from other machines cannot connect until "
                "--allow-websocket-origin names the host:port their browsers open"
            )
        if options.show:
            server.io_loop.add_callback(server.show, home_path(pages))
    server.start()
    try:
        server.io_loop.start()
    except KeyboardInterrupt:  # Ctrl-C: the server stops, without a traceback
        log.info("stopped")


def build_server(pages: dict[str, Path | Callable], options: Options) -> "Server":
    """A Panel server for ``pages``, not yet started (it has forked if ``num_procs`` > 1).

    Panel and Bokeh load here, not at import: ``playground train`` stays quick.
    """
    from bokeh.server.views.ico_handler import IcoHandler
    from panel.io.server import get_server

    from playground.pipe import prepare_process
    from playground.pipe.library import listening_sockets, skip_document_checks

    prefix = normalized_prefix(options.prefix)
    home = prefix + home_path(pages)
    # Bokeh puts the pages' routes first, then these: "/" leads home only while no page
    # is "/" itself.
    routes = [(r"/?", RedirectHandler, {"url": home, "permanent": False})]
    # The components' browser modules as files (imported here, as Panel imports a plugin).
    from playground.module_route import ROUTES as MODULE_ROUTES

    routes += MODULE_ROUTES
    if options.frame_socket:
        # Imported only here: the app looks for this module to know the route is served
        # (playground.pipe.channel.socket_served), as with ``panel serve --plugins``.
        from playground.frame_socket import ROUTES

        routes += ROUTES
    server = get_server(
        {path: str(app) if isinstance(app, Path) else app for path, app in pages.items()},
        port=options.port,
        address=options.address,
        websocket_origin=list(options.allow_websocket_origin) or None,
        num_procs=options.num_procs,
        prefix=prefix,
        extra_patterns=routes,
        unused_session_lifetime_milliseconds=UNUSED_SESSION_LIFETIME_MS,
        check_unused_sessions_milliseconds=CHECK_UNUSED_SESSIONS_MS,
        websocket_max_message_size=MAX_WEBSOCKET_MESSAGE_BYTES,
        http_server_kwargs={
            "max_header_size": guard.READ_HEADER_BYTES,
            "idle_connection_timeout": HEADER_TIMEOUT_S,
            "body_timeout": BODY_TIMEOUT_S,
        },
    )
    skip_document_checks()
    cap_send_buffers(listening_sockets(server))
    page_paths = frozenset(prefix + path.rstrip("/") for path in pages)
    room = hall_room.Room(server, options.max_students, server.port)
    # Ahead of every route of Bokeh's and Panel's. ``_tornado`` (the server's Tornado
    # application) is the one private name: Bokeh's Server offers no public way to add a
    # route in front.
    handlers = [
        (
            guard.RefusedRequest(page_paths),
            guard.RefusalPage,
            {"page_paths": page_paths, "home": home},
        ),
        *hall_room.routes(room, prefix, page_paths),
        (rf"{prefix}/components/(.*)", guard.own_components(), {}),
        # Panel's pages link the icon beside them; Bokeh serves it at the root alone.
        (rf"{prefix}/favicon\.ico", IcoHandler, {"app": server._tornado}),
    ]
    if "/" in pages and HOME in pages:
        handlers.append(
            (guard.RootWithQuery(prefix), guard.ToPlayground, {"playground": prefix + HOME})
        )
    server._tornado.add_handlers(r".*", handlers)
    server._tornado.settings["log_function"] = hall_room.counting_answers(
        room, guard.request_log(LogLimit(log))
    )
    server._tornado.add_transform(hall_room.worker_header())
    hall_room.start(room, options.agent_port, options.address, options.supervised)
    # Every page's sessions, not only the playground's (which does this too, for
    # ``panel serve playground/app.py``): bad messages logged short, bad values refused.
    prepare_process(server.io_loop.asyncio_loop)
    fewer_garbage_collections()
    if options.frame_ancestors:
        policy = guard.frame_ancestors_policy(list(options.frame_ancestors))
        server._tornado.add_transform(guard.frame_ancestors(policy))
    return server


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=parse_port, default=DEFAULT_PORT, help="default: %(default)s"
    )
    parser.add_argument(
        "--address",
        default=DEFAULT_ADDRESS,
        help="where to listen (default: %(default)s, this machine only; "
        "0.0.0.0 for every network, e.g. a lecture hall)",
    )
    parser.add_argument(
        "--workers",
        type=parse_workers,
        default=1,
        metavar="N|auto",
        help="server processes behind HAProxy, for a big lecture hall (auto: one per "
        "core); HAProxy must be installed for more than 1",
    )
    parser.add_argument(
        "--max-students",
        type=parse_students,
        default=hall_room.STUDENTS_PER_CORE,
        metavar="N",
        help="open tabs each server process takes; the next students see a page that "
        "says the room is full and tries again by itself (default: %(default)s; 0: no "
        "limit)",
    )
    parser.add_argument(
        "--num-procs",
        type=int,
        default=1,
        help="server processes sharing the port without a proxy (Linux and Mac; "
        "--workers serves a big lecture hall better)",
    )
    parser.add_argument(
        "--allow-websocket-origin",
        action="append",
        default=[],
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
    parser.add_argument(
        "--frame-ancestors",
        nargs="+",
        default=[],
        type=_frame_ancestor,
        metavar="ORIGIN",
        help="only these sites may show the pages in a frame (an iframe on a course "
        "page), e.g. https://course.example.edu; default: any site",
    )

    parser.add_argument(
        "--agent-port",
        type=parse_port,
        default=None,
        help="answer HAProxy's agent check (full or not) on this port; for workers on "
        "other machines (playground proxy-config --upstream): one above --port",
    )
    # A worker started by ``--workers`` (playground.hall.supervisor), not for users.
    parser.add_argument("--supervised", action="store_true", help=argparse.SUPPRESS)


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def parse_whole_number(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def parse_workers(text: str) -> int:
    if text.strip().lower() == "auto":
        return available_cores()
    workers = parse_whole_number(text, "a whole number of workers (1 or more) or auto")
    if workers < 1:
        raise argparse.ArgumentTypeError(f"at least 1 worker is needed, got {workers}")
    return workers


def parse_students(text: str) -> int:
    students = parse_whole_number(text, "a whole number of students (0 for no limit)")
    if students < 0:
        raise argparse.ArgumentTypeError(
            f"expected 0 (no limit) or more students per process, got {students}"
        )
    return students


def parse_port(text: str) -> int:
    port = parse_whole_number(text, "a port number")
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535, got {port}")
    return port


def _frame_ancestor(text: str) -> str:
    try:
        return guard.frame_ancestor(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def options_from(args: argparse.Namespace) -> Options:
    return Options(
        port=args.port,
        address=args.address,
        num_procs=args.num_procs,
        allow_websocket_origin=tuple(args.allow_websocket_origin),
        prefix=args.prefix,
        show=args.show,
        frame_socket=args.frame_socket,
        frame_ancestors=tuple(args.frame_ancestors),
        workers=args.workers,
        max_students=args.max_students,
        agent_port=args.agent_port,
        supervised=args.supervised,
    )


def run(args: argparse.Namespace, pages: dict[str, Path | Callable] = PAGES) -> int:
    """``playground serve``'s entry (``pages``: what it serves; tests add their own)."""
    # As ``panel serve`` logs: warnings from everyone, information from Bokeh and us.
    logging.basicConfig(format=LOG_FORMAT)
    logging.getLogger("bokeh").setLevel(logging.INFO)
    log.setLevel(logging.INFO)
    options = options_from(args)
    check(options)
    if options.workers > 1:
        from playground.hall.supervisor import serve_workers

        return serve_workers(options)
    serve(options, pages)
    return 0
