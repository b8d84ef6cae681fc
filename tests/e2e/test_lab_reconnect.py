"""Every page says when its server is gone, and comes back with its scene.

``/app`` did this already (``assets/reconnect.js``, ``test_reconnect.py``); the home
page and the three labs showed nothing and stayed dead. Now each has the same notice
(``playground/labs/connection.py``): here the server is killed (SIGKILL) under a tab of
every page, each says so, and when a server starts again on the same port each reloads
itself with the scene in its URL and works.
"""

import contextlib
import os
import signal

import pytest
from playwright.sync_api import Page, expect

from playground.labs.home.scenes import CARDS
from playground.testing import free_port

from .app_page import ANSWER_S, wait_until
from .harness import artifact_path, check_server_log, open_tab, start_server, stop_server
from .test_hopfield_lab import sweep
from .test_reconnect import NOTICE, NOTICE_TEXT, NOTICE_WITHIN_MS, RECOVER_WITHIN_MS, reloads

pytestmark = pytest.mark.browser

LAB_NOTICE = "This page has stopped; it will come back with the same settings"
SCENES = {  # path -> a scene that differs from the defaults
    "/": "",
    "/optimizers": "surface=bowl&steps=200",
    "/overfitting": "points=15&degrees=1,3",
    "/hopfield": "side=24&patterns=A,X&speed=30",
    "/sweep": "xValues=0.1,0.3&epochs=20",
    "/perceptron": "seed=3&speed=50",
    "/compare": "seed=3&b.optimizer=adam",
}


def query(page: Page) -> str:
    return page.evaluate("window.location.search")


# A server just started builds each page's first tab cold (its modules, the home page's
# sketches), here seven at once on a machine that may be busy.
COLD_MS = 20_000


def loaded(page: Page, path: str) -> None:
    """The page is drawn and connected (each waits for something its session sent)."""
    if path == "/":
        expect(page.locator(".home-card")).to_have_count(len(CARDS), timeout=COLD_MS)
    elif path == "/optimizers":
        expect(page.locator(".counter")).to_contain_text("of 200", timeout=COLD_MS)
    elif path == "/overfitting":
        expect(page.locator(".fit-readout")).to_contain_text(
            "15 training and 15 test points", timeout=COLD_MS
        )
    elif path == "/sweep":
        expect(page.locator(".sweep-readout")).to_contain_text("Press Run", timeout=COLD_MS)
    elif path == "/perceptron":
        expect(page.locator(".perceptron-readout")).to_contain_text("w = 0", timeout=COLD_MS)
    elif path == "/compare":
        expect(page.locator(".compare-readout")).to_contain_text("Epoch 0 on both", timeout=COLD_MS)
    else:
        expect(page.locator(".hopfield-readout")).to_contain_text("Sweep 0", timeout=COLD_MS)


def works(page: Page, path: str) -> None:
    """A change that goes to the new server and back."""
    if path == "/":
        expect(page.locator(".home-shots img").first).to_be_visible()
    elif path == "/optimizers":
        box = page.locator(".surface-canvas").bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)
        assert wait_until(lambda: "startX=" in query(page), ANSWER_S), query(page)
    elif path == "/overfitting":
        page.locator(".ui-regenerateButton button").click()
        assert wait_until(lambda: "seed=" in query(page), ANSWER_S), query(page)
    elif path == "/sweep":
        page.locator(".ui-runButton button").click()
        expect(page.locator(".sweep-readout")).to_contain_text("6 of 6 runs", timeout=30_000)
    elif path == "/perceptron":
        page.locator(".ui-stepButton button").click()
        expect(page.locator(".perceptron-readout")).to_contain_text("Update 1 of")
    elif path == "/compare":
        page.locator(".ui-stepButton button").click()
        expect(page.locator(".compare-readout")).to_contain_text("Epoch 1 on both")
    else:
        page.locator(".ui-playButton button").click()
        assert wait_until(lambda: sweep(page) >= 2, 20)


def test_every_page_says_its_server_is_gone_and_returns_with_its_scene(browser, tmp_path, request):
    port = free_port()
    server = start_server(tmp_path / "first.log", port=port)
    root = server.base_url.rsplit("/app", 1)[0]
    try:
        with contextlib.ExitStack() as stack:
            tabs = {}
            for path, scene in SCENES.items():
                name = f"{request.node.name}{path.replace('/', '_')}"
                tab = stack.enter_context(open_tab(browser, server, name))
                tab.page.goto(root + path + (f"?{scene}" if scene else ""))
                loaded(tab.page, path)
                tabs[path] = tab
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
            for tab in tabs.values():
                notice = tab.page.locator(NOTICE)
                expect(notice).to_be_visible(timeout=NOTICE_WITHIN_MS)
                expect(notice).to_contain_text(NOTICE_TEXT)
                expect(notice).to_contain_text(LAB_NOTICE)
                expect(notice.locator("button")).to_have_text("Reconnect now")
            tabs["/hopfield"].page.screenshot(
                path=str(artifact_path(f"{request.node.name}_notice"))
            )
            # What failed to load while the server was gone (a lazy image, a reload) is
            # the outage itself; from here on nothing may fail.
            for tab in tabs.values():
                tab.console_errors.clear()
            again = start_server(tmp_path / "second.log", port=port)
            try:
                for path, tab in tabs.items():
                    page = tab.page
                    expect(page.locator(NOTICE)).to_have_count(0, timeout=RECOVER_WITHIN_MS)
                    loaded(page, path)
                    assert len(reloads(page)) == 1
                    for part in filter(None, SCENES[path].split("&")):
                        assert part.replace(",", "%2C") in query(page) or part in query(page)
                    works(page, path)
                    assert tab.console_errors == [], (
                        path,
                        tab.console_errors,
                        tab.outside_requests,
                    )
            finally:
                stop_server(again)
            check_server_log(again)
    finally:
        stop_server(server)
