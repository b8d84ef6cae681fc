"""Tabs that sit idle, and the server's CPU time: for test_idle.py and benchmarks/idle.py.

An ``IdleTab`` is a Bokeh protocol client that opens ``/app`` as a browser does (the
page's GET, Bokeh's websocket, the document pulled, ``document_ready``, which starts
the tab's frame clock) and then never touches a control. A *ready* tab also does what
``assets/live_view.js`` does: says its live view is ready, opens the tab's own frame
socket and acknowledges every frame it receives as painted (the latest one, at most
every 200 ms), without drawing. A tab that is not ready stops after ``document_ready``,
like a client that runs none of our JavaScript: its live view never reports ready.
"""

import asyncio
import contextlib
import json
import os
from pathlib import Path
from urllib.parse import urljoin

from tornado.websocket import WebSocketClosedError, websocket_connect

from playground.pipe import decode

from .hostile import BokehPage, find_model, get_page, is_live_view

QUERY = "seed=0.5"
ACK_EVERY_S = 0.2  # as ACK_EVERY_MS in assets/transport.js


def cpu_seconds(pid: int) -> float:
    """The process's user + system CPU seconds so far (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class TabSocket(BokehPage):
    """Bokeh's websocket of one tab, with the two events a browser sends."""

    async def document_ready(self) -> None:
        await self._send("PATCH-DOC", _event("document_ready", []))

    async def tell_view(self, view_id: str, data: dict) -> None:
        """A message from the live view's JavaScript to its Python side."""
        entries = [["data", {"type": "map", "entries": list(data.items())}]]
        await self._send("PATCH-DOC", _event("data_event", [["model", {"id": view_id}], *entries]))

    async def messages(self):
        """Every message the server sends, as (header, content), until it closes."""
        with contextlib.suppress(ConnectionError, WebSocketClosedError):
            while True:
                yield await self._receive()


def _event(name: str, values: list) -> dict:
    data = {"type": "event", "name": name, "values": {"type": "map", "entries": values}}
    return {"events": [{"kind": "MessageSent", "msg_type": "bokeh_event", "msg_data": data}]}


def _frame_number(content: dict) -> int | None:
    """The frame number of a live view's message over Bokeh's socket, if it is one."""
    for event in content.get("events", []):
        values = dict(event.get("msg_data", {}).get("values", {}).get("entries", []))
        data = values.get("data", {})
        entries = dict(data.get("entries", [])) if isinstance(data, dict) else {}
        if isinstance(entries.get("frame"), int):
            return entries["frame"]
    return None


class IdleTab:
    def __init__(self, app_url: str, ready: bool) -> None:
        self.app_url = app_url
        self.ready = ready
        self.latest = 0  # the latest frame received
        self.acked = 0
        self._paints = 0
        self._ack_due = False
        self._bokeh: TabSocket | None = None
        self._frames = None  # the tab's own socket
        self._view = ""
        self._tasks: list[asyncio.Future] = []

    async def open(self, query: str = QUERY) -> None:
        status, page = await asyncio.to_thread(get_page, self.app_url, query)
        if status != 200:
            raise RuntimeError(f"the page answered {status}")
        self._bokeh = TabSocket(self.app_url, page)
        await self._bokeh.connect()
        doc = await self._bokeh.pull_doc()
        self._view = find_model(doc, is_live_view)["id"]
        await self._bokeh.document_ready()
        self._tasks.append(asyncio.ensure_future(self._read_bokeh()))
        if not self.ready:
            return
        await self._bokeh.tell_view(self._view, {"ready": True})
        if path := _frame_socket_path(doc):
            url = urljoin(f"{self.app_url}?{query}", path).replace("http", "ws", 1)
            self._frames = await websocket_connect(url)
            self._tasks.append(asyncio.ensure_future(self._read_frames()))

    async def _read_bokeh(self) -> None:
        async for _header, content in self._bokeh.messages():
            if (frame := _frame_number(content)) is not None:
                self._received(frame)

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
        await self._bokeh.tell_view(self._view, ack)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._frames is not None:
            self._frames.close()
        if self._bokeh is not None:
            await self._bokeh.close()


def _frame_socket_path(doc: dict) -> str | None:
    """Where the live view opens the tab's own socket, when the server has the route."""
    view = find_model(doc, lambda node: node.get("attributes", {}).get("frame_socket"))
    return view["attributes"]["frame_socket"] if view else None


async def open_idle_tabs(app_url: str, count: int, ready: bool, at_once: int = 4) -> list[IdleTab]:
    """``count`` tabs, ``at_once`` opening at a time (as a room arrives)."""
    tabs = [IdleTab(app_url, ready) for _ in range(count)]
    for start in range(0, count, at_once):
        await asyncio.gather(*(tab.open() for tab in tabs[start : start + at_once]))
    return tabs


async def close_tabs(tabs: list[IdleTab]) -> None:
    await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)
