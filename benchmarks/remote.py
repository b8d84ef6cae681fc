"""Tabs that play on other machines: Bokeh protocol clients that paint nothing.

In a lecture hall every student's browser runs on the student's own laptop; the server's
machine only serves. A ``RemoteTab`` stands for such a browser: it opens a session the
way Bokeh's JavaScript does (the page's token, the websocket, the document), says the
document and the live view are ready, presses play, and acknowledges frames the way
``assets/live_view.js`` does (the latest one, at most every 200 ms) without drawing
them. Running many of them in one process costs this machine ~1 ms of CPU per frame,
against 15-20 ms for a Chromium tab, so ``browser.py --remote N`` measures what the
server gives N remote browsers while a real Chromium tab measures latency.
"""

import asyncio
import contextlib
import json
import re
import threading
import time
from urllib.parse import urljoin
from urllib.request import urlopen

from tornado.websocket import WebSocketClosedError, websocket_connect

from playground.pipe import decode
from playground.testing import ProtocolTab, find_model, sent_data

ACK_EVERY_S = 0.2  # as ACK_EVERY_MS in assets/transport.js
SOCKET_TRIES = 12  # as in assets/transport.js


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


def _model_id(doc: dict, test) -> str:
    node = find_model(doc, test)
    if node is None:
        raise LookupError("model not found in the document")
    return node["id"]


class RemoteTab:
    """One playing session, driven over Bokeh's protocol; ``frames`` logs every frame
    received as (wall clock in ms, epoch)."""

    def __init__(self, app_url: str, query: str) -> None:
        """``app_url``: the app's page without query, e.g. http://127.0.0.1:5006/app."""
        self.page_url = f"{app_url}?{query}"
        self.frames: list[tuple[float, int]] = []
        self.errors: list[str] = []
        self._bokeh: ProtocolTab | None = None  # Bokeh's websocket, spoken by hand
        self._frame_socket = None  # the tab's own, when the server has the route
        self._view = ""
        self._latest = 0
        self._acked = 0
        self._frames_acked = 0
        self._running = True

    async def open(self) -> None:
        html = await asyncio.get_running_loop().run_in_executor(None, self._page)
        self._bokeh = ProtocolTab.of_page(self.page_url, html)
        await self._bokeh.connect()
        doc = await self._bokeh.pull_doc()
        self._view = _model_id(doc, lambda node: _attribute(node, "class_name") == "LiveView")
        play = _model_id(doc, lambda node: "ui-playButton" in _attribute(node, "css_classes", []))
        await self._bokeh.document_ready()
        await self._bokeh.tell(self._view, {"ready": True})
        # The live view's parameters are in its model's data model.
        if view := find_model(doc, lambda node: _attribute(node, "frame_socket")):
            await self._open_frame_socket(_attribute(view, "frame_socket"))
        await self._bokeh.click(play)

    async def _open_frame_socket(self, path: str) -> None:
        """As the live view does: a connection that reached the wrong server process is
        closed at once, and a new one may land in the right one."""
        # ``path`` is relative to the page, as the browser resolves it.
        url = urljoin(self.page_url, path).replace("http", "ws", 1)
        for _ in range(SOCKET_TRIES):
            socket = await websocket_connect(url)
            first = await socket.read_message()
            if first is not None:
                self._frame_socket = socket
                self._note_frame(first)
                return

    def _page(self) -> str:
        with urlopen(self.page_url, timeout=120) as response:
            return response.read().decode()

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
    """N remote tabs playing in an event loop of their own (in a thread, beside
    Playwright's synchronous API)."""

    def __init__(self, app_url: str, query: str, count: int) -> None:
        self.tabs = [RemoteTab(app_url, query) for _ in range(count)]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._players: list[asyncio.Future] = []

    def _run(self, coroutine, timeout: float):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def open_and_play(self, timeout: float = 300) -> None:
        """Opens the tabs one after another (as people arrive), then all play."""

        async def start():
            for tab in self.tabs:
                await tab.open()
            self._players = [asyncio.ensure_future(tab.play()) for tab in self.tabs]

        self._run(start(), timeout)

    @property
    def errors(self) -> list[str]:
        return [error for tab in self.tabs for error in tab.errors]

    def close(self) -> None:
        async def stop():
            for tab in self.tabs:
                tab.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.gather(*self._players), 10)

        with contextlib.suppress(Exception):
            self._run(stop(), 20)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
