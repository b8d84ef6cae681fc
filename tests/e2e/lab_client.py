"""A lab tab without a browser: a Bokeh protocol client that opens a lab page's session,
clicks its buttons and counts what the server sends back.

It connects as BokehJS does (the page's token, Bokeh's websocket, the document pulled,
``document_ready``). ``click`` sends a ``button_click`` event, what a press on a Panel
button sends. Messages are read only while ``read_all`` runs: a client that never calls
it never reads, and the server's writes back up (Tornado's client takes one message
and then waits to be asked for the next).

Used by the lab tests (tests/e2e/test_lab_*.py) and benchmarks/lab_clicks.py.
"""

import asyncio
import contextlib
import json
import re
import threading
import uuid
from collections import Counter
from urllib.request import urlopen

from tornado.websocket import websocket_connect

from playground.testing import serialized_models

TOKEN = re.compile(r'"token"\s*:\s*"([^"]+)"')


def _event(name: str, values: list) -> dict:
    data = {"type": "event", "name": name, "values": {"type": "map", "entries": values}}
    return {"events": [{"kind": "MessageSent", "msg_type": "bokeh_event", "msg_data": data}]}


class LabClient:
    def __init__(self, page_url: str) -> None:
        """``page_url``: the lab's page, query and all (``http://127.0.0.1:5006/hopfield``)."""
        path, _, query = page_url.partition("?")
        self.page_url = page_url
        self.ws_url = path.replace("http", "ws", 1) + "/ws" + (f"?{query}" if query else "")
        self.doc: dict = {}
        self.types: dict[str, str] = {}  # model id -> Bokeh type name
        self.changed: Counter = Counter()  # Bokeh type name -> changes received
        self.values: list[tuple[str, object]] = []  # (attribute, new value) of each change
        self.messages = 0
        self._socket = None
        self._reader: asyncio.Task | None = None

    async def open(self) -> None:
        page = await asyncio.get_running_loop().run_in_executor(None, self._page)
        token = TOKEN.search(page).group(1)
        self._socket = await websocket_connect(self.ws_url, subprotocols=["bokeh", token])
        await self._receive()  # ACK
        await self._send("PULL-DOC-REQ", {})
        while True:
            header, content = await self._receive()
            if header["msgtype"] == "PULL-DOC-REPLY":
                break
        self.doc = content["doc"]
        self.types = {node["id"]: node.get("name", "") for node in serialized_models(self.doc)}
        await self._send("PATCH-DOC", _event("document_ready", []))

    def _page(self) -> str:
        with urlopen(self.page_url, timeout=120) as response:
            return response.read().decode()

    def model_id(self, css_class: str) -> str:
        """The model whose ``css_classes`` hold ``css_class`` (a control's ``ui-<name>``)."""
        for node in serialized_models(self.doc):
            if css_class in (node.get("attributes", {}).get("css_classes") or []):
                return node["id"]
        raise LookupError(f"no model of class {css_class} in the document")

    async def click(self, css_class: str) -> None:
        button = self.model_id(css_class)
        await self._send("PATCH-DOC", _event("button_click", [["model", {"id": button}]]))

    async def change(self, css_class: str, attr: str, new) -> None:
        """A control's property changed in the browser (a number typed, say)."""
        event = {"kind": "ModelChanged", "model": {"id": self.model_id(css_class)}, "attr": attr}
        await self._send("PATCH-DOC", {"events": [{**event, "new": new}]})

    def component_id(self, class_name: str) -> str:
        """A Panel component's model (``HopfieldCanvas``, ``UrlNotes``)."""
        for node in serialized_models(self.doc):
            if node.get("attributes", {}).get("class_name") == class_name:
                return node["id"]
        raise LookupError(f"no {class_name} in the document")

    async def tell(self, model_id: str, data: dict) -> None:
        """A message from a component's browser side (``model.send_msg(data)``)."""
        entries = [
            ["model", {"id": model_id}],
            ["data", {"type": "map", "entries": list(data.items())}],
        ]
        await self._send("PATCH-DOC", _event("data_event", entries))

    def read_all(self) -> None:
        """Reads (and counts) every message from now on, until ``close``."""
        if self._reader is None:
            self._reader = asyncio.ensure_future(self._read_forever())

    async def _read_forever(self) -> None:
        with contextlib.suppress(ConnectionError):
            while True:
                header, content = await self._receive()
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

    async def _send(self, msgtype: str, content: dict) -> None:
        header = {"msgid": uuid.uuid4().hex, "msgtype": msgtype}
        for part in (json.dumps(header), "{}", json.dumps(content)):
            await self._socket.write_message(part)

    async def _receive(self) -> tuple[dict, dict]:
        header = json.loads(await self._read())
        await self._read()  # metadata
        content = json.loads(await self._read())
        for _ in range(header.get("num_buffers", 0) * 2):
            await self._read()
        return header, content

    async def _read(self):
        part = await self._socket.read_message()
        if part is None:
            raise ConnectionError("the server closed the websocket")
        return part

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        if self._socket is not None:
            self._socket.close()


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
