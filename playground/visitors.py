"""Visitors without a browser, for the tests (``tests/e2e``) and the benchmarks: a page's
GET sent as it is, a tab's document pulled by hand, tabs of ``/app`` that sit idle, lab
tabs that click, and the hostile addresses a visitor may type.
Each tab speaks Bokeh's protocol through ``playground.testing.ProtocolTab``.

Nothing here imports pytest.
"""

import asyncio
import contextlib
import http.client
import json
import threading
from collections import Counter
from urllib.parse import urljoin, urlsplit

from tornado.websocket import WebSocketClosedError, websocket_connect

from playground.pipe.wire import decode
from playground.testing import ProtocolTab, find_model, sent_data, serialized_models
from playground.url import fields

ACK_EVERY_S = 0.2  # as ACK_EVERY_MS in assets/transport.js
IDLE_QUERY = "seed=0.5"


def get_page(page_url: str, query: str) -> tuple[int, str]:
    """GET ``page_url?query`` sent as it is (no client-side re-encoding), following the
    server's redirect of an address with broken text to its repaired self."""
    parts = urlsplit(page_url)
    target = f"{parts.path}?{query}"
    for _ in range(2):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            status, body = response.status, response.read().decode("utf-8", "replace")
            location = response.getheader("Location")
        finally:
            connection.close()
        if status != 302 or not location:
            break
        target = location
    return status, body


async def pulled_doc(page_url: str, page: str) -> dict:
    """The document of the session that the GET of ``page`` made, as a tab opens it by
    hand: the websocket, the document pulled, the socket closed (for benchmarks, whose
    client parses and drops: the time measured is the server's)."""
    tab = ProtocolTab.of_page(page_url.partition("?")[0], page)
    await tab.connect()
    try:
        return await tab.pull_doc()
    finally:
        await tab.close()


def class_name(node: dict) -> str:
    """A Panel component's class (``LiveView``, ``UrlNotes``) in a serialized document."""
    return node.get("attributes", {}).get("class_name", "")


# -- tabs of /app that nobody plays ---------------------------------------------------------


class IdleTab:
    """A tab that opens ``/app`` as a browser does (the page's GET, Bokeh's websocket, the
    document pulled, ``document_ready``, which starts the tab's frame clock) and then
    never touches a control. A *ready* tab also does what ``assets/live_view.js`` does:
    says its live view is ready, opens the tab's own frame socket and acknowledges every
    frame it receives as painted (the latest one, at most every 200 ms), without drawing.
    A tab that is not ready stops after ``document_ready``, like a client that runs none
    of our JavaScript: its live view never reports ready."""

    def __init__(self, app_url: str, ready: bool) -> None:
        self.app_url = app_url
        self.ready = ready
        self.latest = 0  # the latest frame received
        self.acked = 0
        self._paints = 0
        self._ack_due = False
        self._bokeh: ProtocolTab | None = None
        self._frames = None  # the tab's own socket
        self._view = ""
        self._tasks: list[asyncio.Future] = []

    async def open(self, query: str = IDLE_QUERY) -> None:
        status, page = await asyncio.to_thread(get_page, self.app_url, query)
        if status != 200:
            raise RuntimeError(f"the page answered {status}")
        self._bokeh = ProtocolTab.of_page(self.app_url, page)
        await self._bokeh.connect()
        doc = await self._bokeh.pull_doc()
        view = find_model(doc, lambda node: class_name(node) == "LiveView")
        self._view = view["id"]
        await self._bokeh.document_ready()
        self._tasks.append(asyncio.ensure_future(self._read_bokeh()))
        if not self.ready:
            return
        await self._bokeh.tell(self._view, {"ready": True})
        if path := view["attributes"].get("frame_socket"):
            url = urljoin(f"{self.app_url}?{query}", path).replace("http", "ws", 1)
            self._frames = await websocket_connect(url)
            self._tasks.append(asyncio.ensure_future(self._read_frames()))

    async def _read_bokeh(self) -> None:
        async for _header, content in self._bokeh.messages():
            for data in sent_data(content):
                if isinstance(data.get("frame"), int):
                    self._received(data["frame"])

    async def _read_frames(self) -> None:
        while (payload := await self._frames.read_message()) is not None:
            self._received(decode(payload)[0]["frame"])

    def _received(self, frame: int) -> None:
        """As the browser: the frame is painted, and acknowledged within ACK_EVERY_S."""
        if frame <= self.latest:
            return
        self.latest, self._paints = frame, self._paints + 1
        if not self._ack_due:
            self._ack_due = True
            self._tasks = [task for task in self._tasks if not task.done()]
            self._tasks.append(asyncio.ensure_future(self._acknowledge()))

    async def _acknowledge(self) -> None:
        await asyncio.sleep(ACK_EVERY_S)
        ack = {"ack": [self.latest, self._paints]}
        self.acked, self._paints, self._ack_due = self.latest, 0, False
        if self._frames is not None:
            with contextlib.suppress(WebSocketClosedError):
                await self._frames.write_message(json.dumps(ack))
                return
        await self._bokeh.tell(self._view, ack)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._frames is not None:
            self._frames.close()
        if self._bokeh is not None:
            await self._bokeh.close()


async def open_idle_tabs(app_url: str, count: int, ready: bool, at_once: int = 4) -> list[IdleTab]:
    """``count`` tabs, ``at_once`` opening at a time (as a room arrives)."""
    tabs = [IdleTab(app_url, ready) for _ in range(count)]
    try:
        for start in range(0, count, at_once):
            await asyncio.gather(*(tab.open() for tab in tabs[start : start + at_once]))
    except BaseException:
        await close_tabs(tabs)  # none left open for the garbage collector to complain of
        raise
    return tabs


async def close_tabs(tabs: list[IdleTab]) -> None:
    await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)


# -- lab tabs that click ------------------------------------------------------------------


class LabClient:
    """A lab tab: it opens a lab page's session as BokehJS does, clicks its buttons and
    counts what the server sends back. Messages are read only while ``read_all`` runs: a
    client that never calls it never reads, and the server's writes back up (Tornado's
    client takes one message and then waits to be asked for the next)."""

    def __init__(self, page_url: str) -> None:
        """``page_url``: the lab's page, query and all (``http://127.0.0.1:5006/hopfield``)."""
        self.page_url = page_url
        self.doc: dict = {}
        self.types: dict[str, str] = {}  # model id -> Bokeh type name
        self.changed: Counter = Counter()  # Bokeh type name -> changes received
        self.values: list[tuple[str, object]] = []  # (attribute, new value) of each change
        self.messages = 0
        self._tab: ProtocolTab | None = None
        self._reader: asyncio.Task | None = None

    async def open(self) -> None:
        path, _, query = self.page_url.partition("?")
        status, page = await asyncio.to_thread(get_page, path, query)
        if status != 200:
            raise RuntimeError(f"the page answered {status}")
        self._tab = ProtocolTab.of_page(self.page_url, page)
        await self._tab.connect()
        self.doc = await self._tab.pull_doc()
        self.types = {node["id"]: node.get("name", "") for node in serialized_models(self.doc)}
        await self._tab.document_ready()

    def model_id(self, css_class: str) -> str:
        """The model whose ``css_classes`` hold ``css_class`` (a control's ``ui-<name>``)."""
        node = find_model(
            self.doc, lambda n: css_class in (n.get("attributes", {}).get("css_classes") or [])
        )
        if node is None:
            raise LookupError(f"no model of class {css_class} in the document")
        return node["id"]

    def component_id(self, name: str) -> str:
        """A Panel component's model (``HopfieldCanvas``, ``UrlNotes``)."""
        node = find_model(self.doc, lambda n: class_name(n) == name)
        if node is None:
            raise LookupError(f"no {name} in the document")
        return node["id"]

    async def click(self, css_class: str) -> None:
        await self._tab.click(self.model_id(css_class))

    async def change(self, css_class: str, attr: str, new) -> None:
        """A control's property changed in the browser (a number typed, say)."""
        await self._tab.change(self.model_id(css_class), attr, new)

    async def tell(self, model_id: str, data: dict) -> None:
        """A message from a component's browser side (``model.send_msg(data)``)."""
        await self._tab.tell(model_id, data)

    def read_all(self) -> None:
        """Reads (and counts) every message from now on, until ``close``."""
        if self._reader is None:
            self._reader = asyncio.ensure_future(self._read_forever())

    async def _read_forever(self) -> None:
        async for header, content in self._tab.messages():
            self.messages += 1
            if header["msgtype"] == "PATCH-DOC":
                self._count(content)

    def _count(self, content: dict) -> None:
        for event in content.get("events", []):
            model = event.get("model") or event.get("column_source") or {}
            if isinstance(model, dict) and "id" in model:
                self.changed[self.types.get(model["id"], "")] += 1
                if event.get("kind") == "ModelChanged":
                    self.values.append((event.get("attr"), event.get("new")))

    def changes_to(self, type_suffix: str) -> int:
        """Changes received to models whose type name ends with ``type_suffix``."""
        return sum(n for name, n in self.changed.items() if name.endswith(type_suffix))

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        if self._tab is not None and self._tab.socket is not None:
            self._tab.socket.close()


class ClientLoop:
    """An event loop in a thread of its own, for clients beside Playwright's synchronous
    API (which keeps the test's thread's loop to itself)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout_s: float = 120):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout_s)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@contextlib.contextmanager
def lab_clients(page_url: str, count: int = 1, read: bool = True):
    """``count`` clients of ``page_url``, open (reading everything when ``read``), and
    the loop they run in; closed at the end."""
    runner = ClientLoop()
    clients = [LabClient(page_url) for _ in range(count)]

    async def open_all() -> None:
        for client in clients:
            await client.open()
            if read:
                client.read_all()

    async def close_all() -> None:
        for client in clients:
            await client.close()

    try:
        runner.run(open_all())
        yield runner, clients
    finally:
        with contextlib.suppress(Exception):
            runner.run(close_all(), 30)
        runner.close()


# -- hostile addresses -------------------------------------------------------------------
# Left out on purpose: Bokeh's reserved ``bokeh-*`` keys and URLs over ~8 kB (refused at
# the HTTP level, elsewhere).

DIGITS = "1" * 4301  # one past Python's int-string limit
MAX_URL_CHARS = 8000

# Values that once blanked the page, logged a traceback or were quoted whole.
BAD_VALUES = [
    DIGITS, "-" + DIGITS, "0x" + "f" * 300, "0b" + "1" * 1100, "0x" + "f" * 98, "1e999",
    "NaN", "-Infinity",
    "%FF%FE%FD",  # not UTF-8
    "%ED%A0%80",  # a surrogate's bytes
    "%E2%80%AE5",  # a direction override
    "%00%01%1B",
    "a%0Ab%0D%0AERROR%20Traceback",  # line breaks: no forged log lines
    "%D9%A1%D9%A2",  # Arabic-Indic digits
    "%C2%B2",  # a superscript two
    "[[[[" + "[" * 200, "%7B'a'%3A1%7D", "1%3Fb%3D2", "%25", "%", "%zz", "+", "%20",
]  # fmt: skip
OTHER_QUERIES = [
    f"zzz={DIGITS}", f"a={DIGITS}&b={DIGITS[:3000]}", "zzz=%C2%B2", "a=1?b=2", "a=1??&?=?",
    "theme=%FF", "theme=dark", "theme=" + DIGITS, "%FF%FE=1", f"{DIGITS}=1", "=&=&&&==",
    "&" * 990,
    "&" * 4000,  # Tornado refuses over 1,000 fields: 400
    "networkShape=" + ",".join(["3"] * 1000),
    "networkShape=" + ",".join(["9"] * 40),
    "networkShape=" + ",".join([DIGITS[:50]] * 4),
    "learningRate=1&" * 300 + "learningRate=0x" + "f" * 300,
    "seed=" + "%FF" * 1000,
    "seed=%E2%80%AE" * 30,
    "&".join(f"k{n}=1" for n in range(900)),
    "&".join(["k=1"] * 1200),  # 400
    "&".join(f"x_hide={n}" for n in range(400)),
    "hideText=" + DIGITS,
    "x=" + DIGITS + "&y=%FF&sinX=%00",
    "playButton_hide=true&x_hide=true&noise_hide=%FF",
    "editable=" + DIGITS + "&reset=%FF",
]  # fmt: skip


def hostile_queries(every_pair: bool = True) -> list[str]:
    """Queries (without ``?``), each under MAX_URL_CHARS: with ``every_pair``, a few
    hundred (two bad values in three for each key); without, a hundred in which every
    bad value and every key still come at least once (what a test sends a real server,
    each page costing it a session)."""
    keys = list(fields())
    if every_pair:
        queries = [
            f"{key}={value}"
            for k, key in enumerate(keys)
            for n, value in enumerate(BAD_VALUES)
            if (n + k) % 3  # a different two for each key
        ]
    else:
        queries = [f"{keys[7 * n % len(keys)]}={value}" for n, value in enumerate(BAD_VALUES)]
    queries += [f"activation=relu&{key}={BAD_VALUES[n % 10]}" for n, key in enumerate(keys)]
    queries += OTHER_QUERIES
    too_long = [q for q in queries if len(q) > MAX_URL_CHARS]
    assert not too_long, too_long
    return queries
