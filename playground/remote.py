"""Tabs that play on other machines: Bokeh protocol clients that paint nothing.

In a lecture hall every student's browser runs on the student's own laptop; the server's
machine only serves. A ``RemoteTab`` stands for such a browser: it opens a session the
way Bokeh's JavaScript does (the page's token, the websocket, the document; Bokeh's
protocol spoken by ``playground.testing.ProtocolTab``), says the document and the live
view are ready, presses play, and acknowledges frames the way ``assets/transport.js``
does (the latest one, at most every 200 ms) without drawing them. Running many of them in one process costs this machine ~1 ms of CPU per frame,
against 15-20 ms for a Chromium tab, so ``benchmarks/browser.py --remote N`` measures
what the server gives N remote browsers while a real Chromium tab measures latency.

Each tab keeps its own cookies, as a student's browser does: behind the proxy of
``playground serve --workers`` a cookie keeps all of a browser's connections on one
worker. It notes which worker answered each of them (``workers``) and the close codes
its frame socket was refused with (``refusals``).
"""

import asyncio
import contextlib
import http.cookiejar
import json
import re
import threading
import time
import urllib.error
import urllib.request
from email.message import Message
from urllib.parse import urljoin

from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClosedError, websocket_connect

from playground.hall.room import WORKER_HEADER
from playground.pipe import decode
from playground.testing import ProtocolTab, find_model, sent_data

ACK_EVERY_S = 0.2  # as ACK_EVERY_MS in assets/transport.js
SOCKET_TRIES = 8  # as in assets/transport.js
FIRST_RETRY_S = 0.05
WRONG_WORKER = 4409  # the frame socket reached another worker (playground/pipe/route.py)


class RoomFull(Exception):
    """The page was the full-room page (503): no worker had room for the tab."""


def get_page(url: str, cookies: http.cookiejar.CookieJar) -> tuple[int, Message, str]:
    """A page as a browser with ``cookies`` gets it: status, headers (their names in
    any case), text."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    try:
        with opener.open(url, timeout=120) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read().decode()


def cookie_header(url: str, cookies: http.cookiejar.CookieJar) -> dict[str, str]:
    """The Cookie header a browser sends to ``url`` (http or ws), as a headers dict."""
    request = urllib.request.Request(url.replace("ws", "http", 1))
    cookies.add_cookie_header(request)
    cookie = request.get_header("Cookie") or request.unredirected_hdrs.get("Cookie")
    return {"Cookie": cookie} if cookie else {}


def window_rates(log: list[tuple[float, int | None]], start: float, end: float) -> tuple:
    """Frames per second and epochs per second over ``start``..``end`` (milliseconds)
    of a log of (time in ms, epoch counter shown) pairs, one per frame."""
    seconds = (end - start) / 1000
    frames = sum(1 for when, _ in log if start < when <= end)

    def counter_at(t: float) -> int | None:  # that of the last frame by then
        shown = [epoch for when, epoch in log if when <= t and epoch is not None]
        return shown[-1] if shown else None

    first, last = counter_at(start), counter_at(end)
    epochs = 0 if last is None else (last - (first or 0)) % 1_000_000  # 6 digits shown
    return frames / seconds, epochs / seconds


def _attribute(node: dict, name: str, default=None):
    return node.get("attributes", {}).get(name) or default


def _worker(headers) -> int | None:
    value = headers.get(WORKER_HEADER)
    return int(value) if value and value.isdigit() else None


def _model_id(doc: dict, test) -> str:
    node = find_model(doc, test)
    if node is None:
        raise LookupError("model not found in the document")
    return node["id"]


class RemoteTab:
    """One playing session, driven over Bokeh's protocol; ``frames`` logs every frame
    received as (wall clock in ms, epoch)."""

    def __init__(
        self, app_url: str, query: str, cookies: http.cookiejar.CookieJar | None = None
    ) -> None:
        """``app_url``: the app's page without query, e.g. http://127.0.0.1:5006/app;
        ``cookies``: the browser's (by default its own, empty)."""
        self.page_url = f"{app_url}?{query}"
        self.cookies = http.cookiejar.CookieJar() if cookies is None else cookies
        self.frames: list[tuple[float, int]] = []
        self.errors: list[str] = []
        # Which worker (process id) answered the page, Bokeh's websocket and the frame
        # socket, when the server names it (``X-Playground-Worker``).
        self.workers: dict[str, int | None] = {}
        self.refusals: list[int] = []  # close codes the frame socket was refused with
        self._bokeh: ProtocolTab | None = None  # Bokeh's websocket
        self._frame_socket = None  # the tab's own, when the server has the route
        self._view = ""
        self._latest = 0
        self._acked = 0
        self._frames_acked = 0
        self._running = True
        self._timeout_s: float | None = None

    async def open(self, press_play: bool = True, timeout_s: float | None = None) -> None:
        """Opens the tab (page, Bokeh's websocket, the frame socket) and, if
        ``press_play``, presses play. RoomFull if the page says the room is full.
        ``timeout_s``: for each connection (Tornado's 20 s by default; a hundred tabs
        opening at once on one worker wait longer)."""
        self._timeout_s = timeout_s
        status, headers, html = await asyncio.get_running_loop().run_in_executor(
            None, get_page, self.page_url, self.cookies
        )
        self.workers["page"] = _worker(headers)
        if status == 503:
            raise RoomFull(self.page_url)
        if status != 200:
            raise ConnectionError(f"the page answered {status}")
        self._bokeh = bokeh = ProtocolTab.of_page(self.page_url, html)
        bokeh.headers = cookie_header(bokeh.ws_url, self.cookies)
        await bokeh.connect(timeout_s)
        self.workers["bokeh"] = _worker(bokeh.socket.headers)
        doc = await bokeh.pull_doc()
        self._view = _model_id(doc, lambda node: _attribute(node, "class_name") == "LiveView")
        transport = _model_id(doc, lambda node: _attribute(node, "class_name") == "TransportBar")
        await bokeh.document_ready()
        await bokeh.tell(self._view, {"ready": True})
        # The live view's parameters are in its model's data model.
        if view := find_model(doc, lambda node: _attribute(node, "frame_socket")):
            await self._open_frame_socket(_attribute(view, "frame_socket"))
        if press_play:  # as the play button's browser side says it
            await bokeh.tell(transport, {"press": "play"})

    async def _connect(self, url: str):
        request = HTTPRequest(
            url,
            headers=cookie_header(url, self.cookies),
            connect_timeout=self._timeout_s,
            request_timeout=self._timeout_s,
        )
        return await websocket_connect(request)

    async def _open_frame_socket(self, path: str) -> None:
        """As assets/transport.js does: a socket that reached another worker is refused
        at once (``WRONG_WORKER``), and tried again a few times; any other refusal ends
        it (frames then come over Bokeh's websocket)."""
        # ``path`` is relative to the page, as the browser resolves it.
        url = urljoin(self.page_url, path).replace("http", "ws", 1)
        for tries in range(1, SOCKET_TRIES + 1):
            socket = await self._connect(url)
            self.workers["frames"] = _worker(socket.headers)
            first = await socket.read_message()
            if first is not None:
                self._frame_socket = socket
                self._note_frame(first)
                return
            self.refusals.append(socket.close_code)
            socket.close()  # the server closed its end: ours too, or Tornado warns
            if socket.close_code != WRONG_WORKER:
                return
            await asyncio.sleep(FIRST_RETRY_S * 2 ** (tries - 1))

    async def play(self) -> None:
        """Reads frames and acknowledges them until ``close``."""
        tasks = [asyncio.ensure_future(self._acknowledge())]
        if self._frame_socket is not None:
            tasks.append(asyncio.ensure_future(self._read_frame_socket()))
        try:
            while self._running:
                _header, content = await self._bokeh.receive()
                for data in sent_data(content):
                    self._frame_received(data)
        except ConnectionError as error:
            if self._running:
                self.errors.append(str(error))
        finally:
            for task in tasks:
                task.cancel()

    async def _read_frame_socket(self) -> None:
        while (payload := await self._frame_socket.read_message()) is not None:
            self._note_frame(payload)

    def _note_frame(self, payload: bytes) -> None:
        message, _arrays = decode(payload)
        self._frame_received(message)

    def _frame_received(self, data: dict) -> None:
        if "frame" in data and int(data["frame"]) > self._latest:
            self._latest = int(data["frame"])
            digits = re.sub(r"\D", "", str(data.get("epoch", "")))
            self.frames.append((time.time() * 1000, int(digits or 0)))

    def window(self, start: float, end: float) -> tuple[float, float]:
        """Frames received per second and epochs per second over ``start``..``end``
        (wall clock, ms)."""
        return window_rates(list(self.frames), start, end)

    async def _acknowledge(self) -> None:
        """Every frame received counts as painted: a browser elsewhere keeps up."""
        while self._running:
            await asyncio.sleep(ACK_EVERY_S)
            if self._latest > self._acked:
                paints = len(self.frames) - self._frames_acked
                self._acked, self._frames_acked = self._latest, len(self.frames)
                await self._send_ack({"ack": [self._acked, paints]})

    async def _send_ack(self, ack: dict) -> None:
        if self._frame_socket is not None:
            with contextlib.suppress(WebSocketClosedError):
                await self._frame_socket.write_message(json.dumps(ack))
                return
        await self._bokeh.tell(self._view, ack)

    def close(self) -> None:
        self._running = False
        for socket in (self._bokeh and self._bokeh.socket, self._frame_socket):
            if socket is not None:
                socket.close()


class RemoteTabs:
    """Remote tabs in an event loop of their own (in a thread, beside Playwright's
    synchronous API and pytest's)."""

    def __init__(self, app_url: str, query: str, count: int = 0) -> None:
        self.app_url = app_url
        self.query = query
        self.tabs = [RemoteTab(app_url, query) for _ in range(count)]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._players: list[asyncio.Future] = []

    def run(self, coroutine, timeout: float = 300):
        """Runs ``coroutine`` on the tabs' event loop; its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def open_and_play(self, timeout: float = 300, press_play: bool = True) -> None:
        """Opens the tabs one after another (as people arrive), then all play (or,
        without ``press_play``, stay paused, reading what comes)."""

        async def start():
            for tab in self.tabs:
                await tab.open(press_play)
            self._players += [asyncio.ensure_future(tab.play()) for tab in self.tabs]

        self.run(start(), timeout)

    def add(self, count: int, press_play: bool = True, timeout: float = 300) -> list[RemoteTab]:
        """``count`` more tabs, each with its own cookies, opened one after another and
        reading once open. RoomFull if one gets the full-room page (it is not kept)."""

        async def start() -> list[RemoteTab]:
            added = []
            for _ in range(count):
                tab = RemoteTab(self.app_url, self.query)
                try:
                    await tab.open(press_play)
                except BaseException:
                    tab.close()  # whatever it opened before the refusal
                    raise
                self.tabs.append(tab)
                added.append(tab)
                self._players.append(asyncio.ensure_future(tab.play()))
            return added

        return self.run(start(), timeout)

    def remove(self, count: int) -> None:
        """Closes the last ``count`` tabs (their students leave)."""
        leaving = self.tabs[len(self.tabs) - count :]
        del self.tabs[len(self.tabs) - count :]

        async def leave() -> None:
            for tab in leaving:
                tab.close()

        self.run(leave(), 20)

    @property
    def errors(self) -> list[str]:
        return [error for tab in self.tabs for error in tab.errors]

    def close(self) -> None:
        """Closes every tab and ends the event loop (once; again does nothing)."""
        if not self._thread.is_alive():
            return

        async def stop():
            for tab in self.tabs:
                tab.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.gather(*self._players), 10)

        with contextlib.suppress(Exception):
            self.run(stop(), 20)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
