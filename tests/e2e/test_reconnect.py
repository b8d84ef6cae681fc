"""A tab whose server goes away says so, and comes back with its scene when it returns.

Under ``--num-procs 2`` a tab's session lives in one worker process; when that worker
dies, Tornado starts a new one, which knows nothing of the tab. Without a word the tab
froze (Panel's own notice is off: ``notifications=False``). Now the page shows a notice
(assets/reconnect.js), asks the server with growing pauses whether it answers, and
reloads itself then: the URL holds the whole scene.
"""

import contextlib
import os
import re
import signal

import pytest
from playwright.sync_api import Page, expect

from playground.testing import free_port

from .app_page import ANSWER_S, PLAYING, SEED, assert_epoch_advances, epoch, open_app, wait_until
from .harness import (
    artifact_path,
    check_server_log,
    open_tab,
    running_server,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.browser

NOTICE = "#playground-connection-lost"
NOTICE_TEXT = "connection to the playground's server was lost"
# A scene that differs from the defaults, to see that the reload keeps it.
SCENE = f"?seed={SEED}&networkShape=3&learningRate=0.1"
SCENE_LAYERS = "1 HIDDEN LAYER"
# The server's lines carry the process id, so each tab's session can be found: its
# Bokeh websocket is accepted by, and its session lives in, the process that logs this.
SESSION_OPENED = re.compile(r"^.*? \[(\d+)\] .*WebSocket connection opened", re.MULTILINE)
MAX_TABS = 6  # opened until both workers hold a session
NOTICE_WITHIN_MS = 10_000
# The page asks after ~2 s, then ~4 s, ~8 s...; a server restarting on a loaded
# machine takes several seconds more.
RECOVER_WITHIN_MS = 60_000


def reloads(page: Page) -> int:
    """How often reconnect.js reloaded this tab (it keeps count, to refuse a loop)."""
    return page.evaluate("() => JSON.parse(sessionStorage.getItem('playground-reloads') || '[]')")


def play(page: Page) -> None:
    button = page.locator(".ui-playButton button")
    button.click()
    expect(button).to_have_text(PLAYING)
    assert_epoch_advances(page)


def assert_recovers_with_its_scene(page: Page) -> None:
    """The notice went with a reload, the scene is back, and it trains again."""
    expect(page.locator(NOTICE)).to_have_count(0, timeout=RECOVER_WITHIN_MS)
    # The reloaded page's first frame (what open_app waits for, without a new visit).
    expect(page.locator(".epoch div").first).to_contain_text("000,000", timeout=30_000)
    expect(page.locator(".losses div").first).to_contain_text("Test loss")
    expect(page.locator(".num-layers div")).to_have_text(SCENE_LAYERS)
    assert len(reloads(page)) == 1
    play(page)


def session_pid(server, log_offset: int) -> int:
    """The process id of the worker that took the tab opened after ``log_offset``."""
    assert server.wait_for_log("WebSocket connection opened", log_offset, 15)
    opened = SESSION_OPENED.findall(server.log_since(log_offset))
    assert len(opened) == 1, server.log_since(log_offset)
    return int(opened[0])


def test_tabs_of_a_dead_worker_say_so_and_come_back(browser, tmp_path, request):
    with (
        running_server(tmp_path / "serve.log", num_procs=2) as server,
        contextlib.ExitStack() as stack,
    ):
        tabs = []  # (tab, pid of its session's worker)
        while len({pid for _, pid in tabs}) < 2 and len(tabs) < MAX_TABS:
            tab = stack.enter_context(open_tab(browser, server, f"{request.node.name}_{len(tabs)}"))
            offset = server.log_size()
            open_app(tab.page, f"{server.base_url}{SCENE}")
            tabs.append((tab, session_pid(server, offset)))
            play(tab.page)
        workers = {pid for _, pid in tabs}
        assert len(workers) == 2, f"every tab's session went to one worker: {workers}"
        victim = tabs[0][1]
        lost = [tab for tab, pid in tabs if pid == victim]
        kept = [tab for tab, pid in tabs if pid != victim]
        epochs_before = {id(tab): epoch(tab.page) for tab in kept}

        os.kill(victim, signal.SIGKILL)  # Tornado starts another worker in its place

        for tab in lost:
            notice = tab.page.locator(NOTICE)
            expect(notice).to_be_visible(timeout=NOTICE_WITHIN_MS)
            expect(notice).to_contain_text(NOTICE_TEXT)
            expect(notice.locator("button")).to_have_text("Reconnect now")
        tab = lost[0]
        tab.page.screenshot(path=str(artifact_path(f"{request.node.name}_notice")))
        for tab in lost:
            assert_recovers_with_its_scene(tab.page)
        for tab in kept:
            page = tab.page
            assert wait_until(lambda p=page, t=tab: epoch(p) > epochs_before[id(t)], ANSWER_S)
            assert_epoch_advances(page)
            assert page.locator(NOTICE).count() == 0
            assert reloads(page) == []
            assert tab.console_errors == []
        assert f"(pid {victim}) killed by signal 9" in server.log()


def test_a_stopped_server_is_announced_and_the_tab_returns_when_it_starts(
    browser, tmp_path, request
):
    port = free_port()
    server = start_server(tmp_path / "first.log", port=port)
    try:
        with open_tab(browser, server, request.node.name) as tab:
            page = tab.page
            open_app(page, f"{server.base_url}{SCENE}")
            play(page)
            stop_server(server)
            notice = page.locator(NOTICE)
            expect(notice).to_be_visible(timeout=NOTICE_WITHIN_MS)
            expect(notice).to_contain_text(NOTICE_TEXT)
            # Against a dead server it only asks, ever less often (and when asked to); it
            # never reloads.
            notice.locator("button").click()
            expect(notice).to_contain_text("No answer yet", timeout=15_000)
            page.screenshot(path=str(artifact_path(f"{request.node.name}_notice")))
            assert reloads(page) == []
            frozen = epoch(page)
            again = start_server(tmp_path / "second.log", port=port)
            try:
                assert_recovers_with_its_scene(page)
                assert epoch(page) > 0
                assert frozen > 0
            finally:
                stop_server(again)
            check_server_log(again)
    finally:
        stop_server(server)
    check_server_log(server)
