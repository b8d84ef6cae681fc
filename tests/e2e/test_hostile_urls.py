"""Hostile URLs against the real server (``playground serve``), without a browser:
plain GETs create the sessions, and what each page shows is read from its document, by
Bokeh's own client (``bokeh.client``) for a few and by hand for the rest, a few at a time
(``playground.testing.ProtocolTab``: Bokeh's client builds every model of the page, a
second a page); a hash is sent by hand, changed and read back before and after the
server has handled it. Every bad value and every key come at least once; every pair of
them is read, without a server, in tests/test_hostile.py.

Every page answers 200 (an address with broken text after a redirect that repairs it)
and shows the app with its notes, the log stays free of
tracebacks and ERROR lines (``running_server`` checks it at the end), and once the
sessions expire (``--unused-session-lifetime 3000``) no session and no frame loop is
left: the server logs both counts when a session opens and when it ends.
"""

import asyncio
import re
import time
from pathlib import Path

import pytest

from playground.testing import ProtocolTab, find_model, pull_document
from playground.visitors import DIGITS, get_page, hostile_queries, pulled_doc

from .harness import Server, running_server
from .hostile import expected_notes, is_live_view, is_location, shown_notes

pytestmark = pytest.mark.browser  # a real server, minutes: not in the quick run

COUNTS = re.compile(r"(\d+) live sessions, (\d+) frame loops")
MAX_FIELDS = 1000  # Tornado's max_arguments
EXPIRY_S = 60
HANDLED_S = 1.0  # sessions last 3 s unused, checked every second; a busy machine is slower
BY_BOKEH_CLIENT = 5  # pages read by Bokeh's own client
AT_ONCE = 2  # pages opened at a time: each must connect within the 3 s an unused session lives


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with running_server(tmp_path_factory.mktemp("hostile") / "panel-serve.log") as started:
        yield started


def shown(server: Server, query: str) -> tuple[bool, str] | None:
    """GETs the page, then pulls its document with Bokeh's client: (notes visible, notes
    text); None when Tornado refuses the request itself (over 1,000 query fields: 400,
    no session)."""
    status, page = get_page(server.base_url, query)
    if refused_by_tornado(status, query):
        return None
    return notes_of(pull_document(server.base_url, page), query)


async def shown_by_hand(server: Server, query: str) -> tuple[bool, str] | None:
    """As ``shown``, the document pulled by hand."""
    status, page = await asyncio.to_thread(get_page, server.base_url, query)
    if refused_by_tornado(status, query):
        return None
    return notes_of(await pulled_doc(server.base_url, page), query)


def refused_by_tornado(status: int, query: str) -> bool:
    if status == 400 and query.count("&") >= MAX_FIELDS:
        return True
    assert status == 200, (status, query[:80])
    return False


def notes_of(doc: dict, query: str) -> tuple[bool, str]:
    assert find_model(doc, is_live_view), query[:80]
    return shown_notes(doc)


async def shown_a_few_at_a_time(server: Server, queries: list[str]) -> dict:
    at_once = asyncio.Semaphore(AT_ONCE)

    async def one(query: str):
        async with at_once:
            return await shown_by_hand(server, query)

    pages = await asyncio.gather(*(one(query) for query in queries))
    return dict(zip(queries, pages, strict=True))


def last_counts(log: str) -> tuple[int, int] | None:
    found = COUNTS.findall(log)
    return tuple(map(int, found[-1])) if found else None


def test_every_hostile_url_opens_the_app_with_its_notes_and_leaves_nothing(server):
    queries = hostile_queries(every_pair=False)
    assert len(queries) >= 75
    pages = {query: shown(server, query) for query in queries[:BY_BOKEH_CLIENT]}
    pages |= asyncio.run(shown_a_few_at_a_time(server, queries[BY_BOKEH_CLIENT:]))

    refused = []
    for query in queries:
        page = pages[query]
        if page is None:
            refused.append(query)
            continue
        visible, text = page
        notes = expected_notes(query)
        assert visible == bool(notes), query[:80]
        for key, problem in notes:
            assert f"{key}=" in text, (query[:80], text[:300])
            assert problem in text, (query[:80], text[:300])
        assert DIGITS[:100] not in text  # a short excerpt, not the value
    assert len(refused) == 2
    assert server.log().count("session opened") >= len(queries) - len(refused)
    deadline = time.monotonic() + EXPIRY_S
    while last_counts(server.log()) != (0, 0) and time.monotonic() < deadline:
        time.sleep(0.5)
    log = server.log()
    assert last_counts(log) == (0, 0), log[-2000:]
    assert log.count("session ended") == log.count("session opened")
    assert len(log) < 600 * len(queries)  # a line or two per session, no quoted values


def test_a_hostile_hash_reopens_the_page_or_says_it_is_too_long(server):
    async def send_hash(value: str) -> tuple[dict, dict]:
        status, page = get_page(server.base_url, "activation=relu")
        assert status == 200
        tab = ProtocolTab.of_page(server.base_url, page)
        await tab.connect()
        try:
            doc = await tab.pull_doc()
            location = find_model(doc, is_location)
            await tab.change(location["id"], "hash", value)
            await asyncio.sleep(HANDLED_S)  # Panel handles a change on a later tick
            after = await tab.pull_doc()
        finally:
            await tab.close()
        return find_model(after, is_location), after

    # A TensorFlow Playground scene in the hash, with a hostile value: reopened as a query.
    location, _ = asyncio.run(send_hash(f"#learningRate=0x{'f' * 300}&zzz={DIGITS}"))
    assert location["attributes"]["search"].startswith("?learningRate=0x")
    assert location["attributes"]["reload"] is True
    # Longer than any URL the server takes: not reopened, and the page says why.
    location, doc = asyncio.run(send_hash("#" + "a=1&" * 3000))
    assert not location["attributes"].get("reload", False)
    visible, text = shown_notes(doc)
    assert visible
    assert "too long to open (12,000 characters)" in text


def test_the_reopened_hostile_page_is_read_like_any_query(server):
    query = f"learningRate=0x{'f' * 300}&zzz={DIGITS}"
    visible, text = shown(server, query)  # type: ignore[misc]
    assert visible
    assert "learningRate=0xffff" in text
    assert "is too long (302 characters, at most 100); using 0.03." in text


def test_log_lines_name_no_value(server: Server):
    """Whatever the URLs held, the log quotes none of it (checked after the others)."""
    log = server.log()
    assert DIGITS[:200] not in log
    assert "\u202e" not in log
    assert Path(server.log_path).stat().st_size < 1_000_000
