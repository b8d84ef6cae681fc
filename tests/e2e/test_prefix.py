"""``playground serve --prefix lab``: every page under /lab, the tabs' frame sockets too.

Bokeh serves the frame socket's route under the prefix (/lab/playground-frames). The
page used to be told the socket's address from Panel's ``base_url``, which loses the
prefix when Bokeh's websocket creates the tab's session (with ``--num-procs 2``, each
time that websocket reaches the process that did not render the page): the socket got
a 404 and frames fell back to Bokeh's websocket.
"""

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from playground.pipe import PATH as FRAME_SOCKET_PATH

from .app_page import ANSWER_S, SEED, open_app, wait_until
from .harness import open_tab, running_server
from .test_pages import PAGES

pytestmark = pytest.mark.browser

PREFIX = "/lab"
NO_SESSION_LEFT = "; 0 live sessions"  # the end of "session ended: ..." when none is left
SESSION_END_S = 30  # a safety net: an unused session ends within about 4 s


def connect_once_no_session_is_left(page, server) -> None:
    """Holds the page's Bokeh websocket back until every session has ended (a page's
    session is dropped once unused for 3 s), so that the websocket creates the tab's
    session, as it does with ``--num-procs 2`` whenever it reaches the other process."""

    def wait_then_connect(socket) -> None:
        assert server.wait_for_log(NO_SESSION_LEFT, server.log_size(), SESSION_END_S)
        socket.connect_to_server()

    page.route_web_socket(re.compile(rf"{PREFIX}/app/ws\b"), wait_then_connect)


def frames_on_own_socket(tab) -> int:
    """The frames the tab has received on its own socket so far (Playwright reports them
    while it waits, not while Python sleeps)."""
    tab.page.wait_for_timeout(100)
    return tab.frame_socket_messages


@pytest.mark.parametrize("session_from", ["page", "websocket"])
def test_under_a_prefix_frames_take_the_tab_s_own_socket(browser, tmp_path, request, session_from):
    with (
        running_server(tmp_path / "panel-serve.log", prefix=PREFIX) as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        assert server.base_url.endswith(f"{PREFIX}/app")
        url = f"{server.base_url}?seed={SEED}"
        if session_from == "websocket":
            connect_once_no_session_is_left(tab.page, server)
        open_app(tab.page, url)
        tab.page.locator(".ui-playButton button").click()
        assert wait_until(lambda: frames_on_own_socket(tab) > 5, ANSWER_S)
        assert tab.frame_sockets == 1
    missing = [line for line in server.log().splitlines() if " 404 " in line]
    assert not [line for line in missing if FRAME_SOCKET_PATH in line]


def test_under_a_prefix_every_page_finds_all_it_asks_for(browser, tmp_path, request):
    """The pages' icon too: Panel's pages ask for ``favicon.ico`` beside them, which Bokeh
    serves at the root only. No warnings either (a chart with no data has no ranges)."""
    with (
        running_server(tmp_path / "panel-serve.log", prefix=PREFIX) as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        missing, warnings = [], []
        tab.page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        tab.page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
        base = server.base_url.removesuffix("/app")
        for name, page in {"app": {"path": "app", "ready": ".net-stage"}, **PAGES}.items():
            tab.page.goto(f"{base}/{page['path']}")
            expect(tab.page.locator(page["ready"]).first).to_be_visible()
            icon = tab.page.evaluate("document.querySelector('link[rel=icon]').href")
            assert icon == f"{base}/favicon.ico", name
            with urllib.request.urlopen(icon, timeout=ANSWER_S) as answer:
                assert answer.headers["Content-Type"] == "image/x-icon"
        assert missing == []
        assert tab.console_errors == []
        # Bokeh's multiple choice (the overfitting lab's degrees) uses Choices.js, which
        # warns of its own future default on every page that shows one.
        assert [text for text in warnings if "allowHTML" not in text] == []
