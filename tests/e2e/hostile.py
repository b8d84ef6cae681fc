"""Hostile URLs, and a plain Bokeh protocol client that reads what a tab shows.

Used by test_hostile_urls.py and benchmarks/memory.py. Left out on purpose: Bokeh's
reserved ``bokeh-*`` keys and URLs over ~8 kB (refused at the HTTP level, elsewhere).
"""

import asyncio
import contextlib
import http.client
import json
import re
import uuid
from urllib.parse import parse_qsl, urlsplit

from tornado.websocket import websocket_connect

from playground.testing import serialized_models
from playground.url import _excerpt as note_excerpt  # how a note quotes a value
from playground.url import fields, scene_from_query

TOKEN = re.compile(r'"token"\s*:\s*"([^"]+)"')
DIGITS = "1" * 4301  # one past Python's int-string limit
MAX_URL_CHARS = 8000
CLOSE_S = 5

# Values that once blanked the page, logged a traceback or were quoted whole.
BAD_VALUES = [
    DIGITS,
    "-" + DIGITS,
    "0x" + "f" * 300,
    "0b" + "1" * 1100,
    "0x" + "f" * 98,
    "1e999",
    "NaN",
    "-Infinity",
    "%FF%FE%FD",  # not UTF-8
    "%ED%A0%80",  # a surrogate's bytes
    "%E2%80%AE5",  # a direction override
    "%00%01%1B",
    "a%0Ab%0D%0AERROR%20Traceback",  # line breaks: no forged log lines
    "%D9%A1%D9%A2",  # Arabic-Indic digits
    "%C2%B2",  # a superscript two
    "[[[[" + "[" * 200,
    "%7B'a'%3A1%7D",
    "1%3Fb%3D2",
    "%25",
    "%",
    "%zz",
    "+",
    "%20",
]
OTHER_QUERIES = [
    f"zzz={DIGITS}",
    f"a={DIGITS}&b={DIGITS[:3000]}",
    "zzz=%C2%B2",
    "a=1?b=2",
    "a=1??&?=?",
    "theme=%FF",
    "theme=dark",
    "theme=" + DIGITS,
    "%FF%FE=1",
    f"{DIGITS}=1",
    "=&=&&&==",
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
]


def hostile_queries() -> list[str]:
    """A few hundred queries (without ``?``), each under MAX_URL_CHARS."""
    queries = [
        f"{key}={value}"
        for k, key in enumerate(fields())
        for n, value in enumerate(BAD_VALUES)
        if (n + k) % 3  # two values in three for each key, a different two each time
    ]
    queries += [f"activation=relu&{key}={BAD_VALUES[n % 10]}" for n, key in enumerate(fields())]
    queries += OTHER_QUERIES
    too_long = [q for q in queries if len(q) > MAX_URL_CHARS]
    assert not too_long, too_long
    return queries


def expected_notes(query: str) -> list[tuple[str, str]]:
    """(key, what is wrong) of each note the page should show: the query read as Tornado
    reads it (latin-1 bytes, '+' as a space, the last repeat wins), then by our reader.
    What was used instead is left out: for a seed it is a new random one."""
    pairs = parse_qsl(query, keep_blank_values=True, encoding="latin-1")
    values = {key: value.encode("latin-1").decode("utf-8", "replace") for key, value in pairs}
    expected = []
    for note in scene_from_query(values).notes:
        key = note.split("=", 1)[0]
        quoted = f"{key}={note_excerpt(values[key])} "
        assert note.startswith(quoted), note
        expected.append((key, note.removeprefix(quoted).rsplit("; using ", 1)[0]))
    return expected


def find_model(doc: dict, test) -> dict | None:
    return next((node for node in serialized_models(doc) if test(node)), None)


def is_live_view(node: dict) -> bool:
    return node.get("attributes", {}).get("class_name") == "LiveView"


def is_location(node: dict) -> bool:
    return node.get("name") == "panel.models.location.Location"


def shown_notes(doc: dict) -> tuple[bool, str]:
    """(visible, every note's text) of the page's notes box (views/notes.py's UrlNotes):
    the notes travel as a list of plain strings, which the browser shows as text."""
    node = find_model(doc, lambda n: n.get("attributes", {}).get("class_name") == "UrlNotes")
    assert node, "the page has no notes box"
    data = node["attributes"]["data"]
    if "attributes" not in data:  # serialized once, then referred to by id
        data = find_model(doc, lambda n: n.get("id") == data["id"])
    notes = data["attributes"].get("notes", [])
    return node["attributes"].get("visible", True), "\n".join(notes)


def get_page(app_url: str, query: str) -> tuple[int, str]:
    """GET ``app_url?query`` sent as it is (no client-side re-encoding), following the
    server's redirect of an address with broken text to its repaired self."""
    parts = urlsplit(app_url)
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


class BokehPage:
    """A tab's session over Bokeh's websocket: pulls its document, changes a model."""

    def __init__(self, app_url: str, page: str) -> None:
        self.ws_url = app_url.replace("http", "ws", 1) + "/ws"
        self.token = TOKEN.search(page).group(1)
        self._socket = None

    async def connect(self) -> None:
        self._socket = await websocket_connect(self.ws_url, subprotocols=["bokeh", self.token])
        await self._receive()  # ACK

    async def pull_doc(self) -> dict:
        await self._send("PULL-DOC-REQ", {})
        while True:
            header, content = await self._receive()
            if header["msgtype"] == "PULL-DOC-REPLY":
                return content["doc"]

    async def change(self, model_id: str, attr: str, new) -> None:
        event = {"kind": "ModelChanged", "model": {"id": model_id}, "attr": attr, "new": new}
        await self._send("PATCH-DOC", {"events": [event]})

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
        """Closes the socket and waits until the server has closed its end too."""
        if self._socket is None:
            return
        self._socket.close()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CLOSE_S):
                while await self._socket.read_message() is not None:
                    pass


async def pulled_doc(app_url: str, page: str) -> dict:
    """The document of the session that the GET of ``page`` created, as a tab opens it:
    Bokeh's websocket connected, the document pulled, the socket closed."""
    tab = BokehPage(app_url, page)
    await tab.connect()
    try:
        return await tab.pull_doc()
    finally:
        await tab.close()
