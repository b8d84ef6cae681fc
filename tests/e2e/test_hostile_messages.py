"""Hostile messages on Bokeh's websocket, for every page, against a server of its own
(no browser): unknown ids, wrong types, huge values, deep nesting, events for models
that do not exist, messages that are not Bokeh's at all, websockets from another
origin. The server answers each without a traceback, writes at most one line per kind
of trouble a minute, and a tab opened afterwards still works.
"""

import asyncio
import contextlib
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError
from tornado.websocket import WebSocketClosedError

from playground.pipe import trouble
from playground.testing import ProtocolTab
from playground.visitors import get_page

from .harness import Server, bad_lines, running_server
from .message_fuzz import BROKEN, patches

pytestmark = pytest.mark.browser  # a real server, a minute: not in the quick run

PAGES = [
    "/",
    "/app",
    "/optimizers",
    "/overfitting",
    "/hopfield",
    "/sweep",
    "/perceptron",
    "/compare",
]
KINDS = [
    trouble.BAD_MESSAGE,
    trouble.REFUSED_ORIGIN,
    trouble.BAD_TOKEN,
    trouble.BAD_VALUE,
    trouble.FAILED_CHANGE,
]
ANSWER_S = 60  # the server answers a tab's socket within this, however busy the machine
MAX_LOG_BYTES = 20_000  # every line the fuzz may cause, for all pages: a few dozen lines


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("fuzz") / "serve.log") as started:
        yield started


def page_url(server: Server, path: str) -> str:
    return server.base_url.removesuffix("/app") + path.rstrip("/")


async def fuzz(url: str, page: str) -> int:
    """Sends every hostile patch of ``patches`` on one tab's socket; returns how many.
    The socket stays open throughout: the server answers a bad patch by dropping it (and
    a refused value by sending the control's value back, read here as a browser would)."""
    tab = ProtocolTab.of_page(url, page)
    try:
        async with asyncio.timeout(ANSWER_S):
            await tab.connect()
            doc = await tab.pull_doc()
        messages = patches(doc)
        reader = asyncio.ensure_future(replies(tab, "last"))
        for events in messages:
            await tab.patch(*events)
        # Answered once every patch before it is handled: with the document, or with an
        # error when a patch left it unable to be sent (tags nested 400 deep, say).
        await tab.send_parts(['{"msgid": "last", "msgtype": "PULL-DOC-REQ"}', "{}", "{}"])
        async with asyncio.timeout(ANSWER_S):
            await reader
        return len(messages)
    finally:
        await tab.close()


async def replies(tab: ProtocolTab, msgid: str) -> None:
    """Reads what the server sends (as a browser does) until its answer to ``msgid``."""
    while (await tab.receive())[0].get("reqid") != msgid:
        pass


async def broken(url: str, page: str) -> None:
    """Each message that is not Bokeh's at all, on a tab's socket of its own."""
    for parts in BROKEN:
        tab = ProtocolTab.of_page(url, page)
        async with asyncio.timeout(ANSWER_S):
            await tab.connect()
        with contextlib.suppress(WebSocketClosedError):  # the server may close it first
            await tab.send_parts(parts)
        await tab.close()


async def from_another_origin(url: str, page: str, times: int) -> int:
    refused = 0
    for _ in range(times):
        tab = ProtocolTab.of_page(url, page, headers={"Origin": "http://evil.example"})
        try:
            await tab.connect()
            tab.socket.close()
        except HTTPClientError as error:
            refused += error.code == 403
    return refused


def trouble_lines(log: str) -> Counter:
    return Counter(kind for line in log.splitlines() for kind in KINDS if f" {kind}: " in line)


@pytest.mark.parametrize("path", PAGES)
def test_hostile_messages_on_every_page(server: Server, path: str):
    offset = server.log_size()
    started = time.monotonic()
    url = page_url(server, path)
    status, page = get_page(url, "")
    assert status == 200
    sent = asyncio.run(fuzz(url, page))
    asyncio.run(broken(url, page))
    _, page = get_page(url, "")
    assert asyncio.run(from_another_origin(url, page, 50)) == 50
    assert sent > 30
    log = server.log_since(offset)
    assert not bad_lines(log), bad_lines(log)[:5]
    minutes = 1 + int((time.monotonic() - started) // 60)
    counts = trouble_lines(log)
    assert counts[trouble.BAD_MESSAGE] >= 0
    assert all(count <= minutes for count in counts.values()), counts
    assert len(log.encode()) < MAX_LOG_BYTES, log[-3000:]
    # The server still opens a working tab of the page.
    status, page = get_page(url, "")
    assert status == 200
    assert asyncio.run(pulled_ok(url, page))


async def pulled_ok(url: str, page: str) -> bool:
    tab = ProtocolTab.of_page(url, page)
    try:
        async with asyncio.timeout(ANSWER_S):
            await tab.connect()
            return bool(await tab.pull_doc())
    finally:
        await tab.close()


def test_the_log_has_one_line_per_kind_a_minute_over_every_page(server: Server):
    """Over the whole module's fuzz (every page, a few minutes at most), each kind of
    trouble wrote at most one line a minute, and some kinds were seen at all."""
    log = server.log()
    counts = trouble_lines(log)
    assert counts[trouble.BAD_MESSAGE] >= 1, "the fuzz caused no bad message at all"
    assert counts[trouble.REFUSED_ORIGIN] >= 1
    assert not re.search(r"Traceback|\bERROR\b", log)
    assert sum(counts.values()) <= 5 * len(KINDS), counts


def test_refused_origins_do_not_write_a_line_each(tmp_path: Path):
    with running_server(tmp_path / "serve.log") as fresh:
        url = page_url(fresh, "/app")
        offset = fresh.log_size()
        _, page = get_page(url, "")
        assert asyncio.run(from_another_origin(url, page, 200)) == 200
        counts = trouble_lines(fresh.log_since(offset))
    assert counts[trouble.REFUSED_ORIGIN] == 1, counts
