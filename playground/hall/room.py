"""A worker's share of the hall: how many tabs it holds, whether it has room for one
more, and its figures.

- A worker admits at most ``max_students`` open tabs (Bokeh sessions, and pages being
  built). When it is full, a request for a page gets the full-room page (503) instead
  of a session, and the proxy's cookie is cleared so that the page's next try goes to
  whichever worker has room. Its other requests (its tabs' scripts, websockets) pass.
- Its agent (``--agent-port``) answers HAProxy's agent check with ``drain`` while it
  is full (the proxy then sends it only the browsers its cookie already holds) and
  ``ready`` when it has room again.
- ``/status.json`` (and the small page ``/status``) give its figures: tabs, playing
  tabs, their frames per second (the slowest tenth and the median) and when it
  started; no session's settings or data. Every response names the worker's process
  (``X-Playground-Worker``), so that a test or an administrator can see which worker
  answered.
"""

import json
import logging
import os
import signal
import sys
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tornado.httputil import HTTPHeaders, HTTPServerRequest
from tornado.ioloop import PeriodicCallback
from tornado.iostream import IOStream, StreamClosedError
from tornado.routing import Matcher
from tornado.tcpserver import TCPServer
from tornado.web import OutputTransform, RequestHandler

from playground.hall.pages import RETRY_AFTER_S, STATUS_PAGE, full_room_page, room_line
from playground.log_limit import LogLimit

if TYPE_CHECKING:
    from bokeh.server.server import Server

log = logging.getLogger("playground")

# Open tabs one worker (one process, one core) serves at 10 frames a second or more,
# all playing, with a margin: from the `--workers 2` row of benchmarks/capacity.py's
# table (docs/DEPLOY.md), halved, less a tenth.
STUDENTS_PER_CORE = 20
PROXY_COOKIE = "playground_worker"  # HAProxy's cookie that keeps a browser on its worker
WORKER_HEADER = "X-Playground-Worker"
SAMPLE_S = 5.0  # frames per second are counted over this long
LOG_EVERY_S = 10.0
SUPERVISOR_CHECK_S = 1.0


def percentile(values: list[float], fraction: float) -> float | None:
    """The ``fraction`` quantile of ``values``, between the two nearest (as NumPy's
    default); None for none."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def playing_loops() -> list:
    """The frame loops of this worker's playground tabs that play. The session module
    is loaded with the first playground tab: before, there is none (and importing it
    here would hold the event loop up)."""
    session = sys.modules.get("playground.session")
    if session is None:
        return []
    return [loop for loop in session.process_fleet().loops if loop.playing]


class Room:
    """This worker's tabs and their frame rates."""

    def __init__(self, server: "Server", max_students: int, port: int) -> None:
        """``max_students``: 0 for no limit."""
        self.server = server
        self.max_students = max_students
        self.port = port
        self.pid = os.getpid()
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        # Page requests let in whose page (and session) is still being built.
        self._opening: weakref.WeakSet[HTTPServerRequest] = weakref.WeakSet()
        self._frames: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._sampled_at: float | None = None
        self.rates: list[float] = []  # frames/s of each tab that played the last SAMPLE_S

    def tabs(self) -> int:
        return len(self.server.get_sessions())

    def full(self) -> bool:
        occupied = self.tabs() + len(self._opening)
        return self.max_students > 0 and occupied >= self.max_students

    def admit(self, request: HTTPServerRequest) -> bool:
        """Whether a page request may build a tab here; one let in counts until its
        page is answered (``answered``)."""
        if self.full():
            return False
        self._opening.add(request)
        return True

    def answered(self, request: HTTPServerRequest) -> None:
        self._opening.discard(request)

    def sample(self) -> None:
        """Every SAMPLE_S: the frames each playing tab got since the last sample."""
        now = time.monotonic()
        playing = playing_loops()
        if self._sampled_at is not None:
            seconds = now - self._sampled_at
            self.rates = [
                (loop.frames_drawn - self._frames[loop]) / seconds
                for loop in playing
                if loop in self._frames
            ]
        self._frames = weakref.WeakKeyDictionary({loop: loop.frames_drawn for loop in playing})
        self._sampled_at = now

    def figures(self) -> dict:
        p10, median = percentile(self.rates, 0.1), percentile(self.rates, 0.5)
        return {
            "pid": self.pid,
            "port": self.port,
            "tabs": self.tabs(),
            "playing": len(playing_loops()),
            "fps_p10": None if p10 is None else round(p10, 1),
            "fps_median": None if median is None else round(median, 1),
            "started": self.started,
            "max_students": self.max_students,
            "full": self.full(),
        }

    def status(self) -> dict:
        """What ``/status.json`` answers: this worker alone (the supervisor puts the
        workers' answers together)."""
        figures = self.figures()
        return {"workers": [figures], "full": figures["full"]}


# -- the routes ---------------------------------------------------------------------------


class RoomFull(Matcher):
    """Matches a request for a page (a new tab) that the room cannot take.
    ``page_paths``: the prefix and each page's path, without a trailing slash ("" for
    the root page without a prefix)."""

    def __init__(self, room: Room, page_paths: frozenset[str]) -> None:
        self.room = room
        self.page_paths = page_paths

    def match(self, request: HTTPServerRequest) -> dict | None:
        if request.method not in ("GET", "HEAD"):
            return None
        if request.path.rstrip("/") not in self.page_paths:  # as the paths are written
            return None
        return None if self.room.admit(request) else {}


class FullRoomPage(RequestHandler):
    def prepare(self) -> None:
        self.set_status(503)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Retry-After", str(RETRY_AFTER_S[0]))
        # Its next try is the proxy's to place (a worker with room), not this one's.
        self.clear_cookie(PROXY_COOKIE)
        self.finish(full_room_page())


class StatusJson(RequestHandler):
    def initialize(self, room: Room) -> None:
        self.room = room

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(self.room.status()))


class StatusPage(RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(STATUS_PAGE)


def routes(room: Room, prefix: str, page_paths: frozenset[str]) -> list[tuple]:
    """The room's routes, to go ahead of Bokeh's (``page_paths`` with the prefix)."""
    return [
        (rf"{prefix}/status\.json", StatusJson, {"room": room}),
        (rf"{prefix}/status", StatusPage, {}),
        (RoomFull(room, page_paths), FullRoomPage, {}),
    ]


def worker_header() -> type[OutputTransform]:
    """A Tornado output transform that names this worker's process on every answer,
    websocket handshakes included."""
    pid = str(os.getpid())

    class WorkerHeader(OutputTransform):
        def transform_first_chunk(
            self, status_code: int, headers: HTTPHeaders, chunk: bytes, finishing: bool
        ) -> tuple[int, HTTPHeaders, bytes]:
            headers[WORKER_HEADER] = pid
            return status_code, headers, chunk

    return WorkerHeader


def counting_answers(room: Room, log_function: Callable) -> Callable:
    """Tornado's ``log_function`` runs once a request is answered: a page let in stops
    counting as being built (its session now counts). A full-room page is no error:
    it makes one line a minute at most."""
    limit = LogLimit(log)

    def log_request(handler: RequestHandler) -> None:
        room.answered(handler.request)
        if isinstance(handler, FullRoomPage):
            line = f"{room.max_students} open tabs here; a new one got the full-room page"
            limit.line("room full", line, level=logging.INFO)
        else:
            log_function(handler)

    return log_request


# -- the proxy's agent, the log line, the supervisor ----------------------------------------


class Agent(TCPServer):
    """HAProxy's agent check: one word per connection, ``drain`` while the room is full
    (only browsers that already have this worker come), ``ready`` while it has room."""

    def __init__(self, room: Room) -> None:
        super().__init__()
        self.room = room

    async def handle_stream(self, stream: IOStream, address: tuple) -> None:
        try:
            await stream.write(b"drain\n" if self.room.full() else b"ready\n")
        except StreamClosedError:
            pass
        finally:
            stream.close()


def start(room: Room, agent_port: int | None, address: str, supervised: bool) -> None:
    """On the server's event loop: the frame-rate sampling, the agent, and either the
    room's log line (a worker on its own) or the watch on its supervisor."""
    PeriodicCallback(room.sample, SAMPLE_S * 1000).start()
    if agent_port is not None:
        Agent(room).listen(agent_port, address)
    if supervised:
        PeriodicCallback(_supervisor_watch(os.getppid()), SUPERVISOR_CHECK_S * 1000).start()
    else:
        PeriodicCallback(_room_log(room), LOG_EVERY_S * 1000).start()


def _room_log(room: Room) -> Callable[[], None]:
    """One line every LOG_EVERY_S while the room has tabs, and one when it empties."""
    last_tabs = [0]

    def write() -> None:
        status = room.status()
        tabs = status["workers"][0]["tabs"]
        if tabs or last_tabs[0]:
            log.info("%s", room_line(status))
        last_tabs[0] = tabs

    return write


def _supervisor_watch(parent: int) -> Callable[[], None]:
    """A worker whose supervisor is gone (killed without a word) stops too."""

    def check() -> None:
        if os.getppid() != parent:
            log.warning("the supervisor (pid %d) is gone: this worker stops", parent)
            os.kill(os.getpid(), signal.SIGTERM)

    return check
