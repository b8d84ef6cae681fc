"""The perceptron lab (/perceptron) in headless Chromium: Play shows the updates until
the rule stops on a separable set, Step and Reset, a link round trip, a closed tab's
callback stops."""

import pytest
from playwright.sync_api import Page, expect

from playground.labs.perceptron.model import run

from .harness import open_tab, running_server

pytestmark = pytest.mark.browser

SESSION_END = "perceptron session ended: periodic callback stopped"


def lab_url(base_url: str, search: str = "") -> str:
    return base_url.rsplit("/app", 1)[0] + "/perceptron" + search


def readout(page: Page):
    return page.locator(".perceptron-readout div").first


def test_play_runs_the_rule_until_every_point_is_right(tab):
    page = tab.page
    page.goto(lab_url(tab.server.base_url, "?seed=3&speed=100"))
    expect(readout(page)).to_contain_text("w = 0")
    updates = len(run("line", 40, 3, 0.1, 100)[2].updates)
    page.locator(".ui-playButton button").click()
    expect(readout(page)).to_contain_text(f"Update {updates} of {updates}", timeout=20_000)
    expect(readout(page)).to_contain_text("no point was wrong")
    expect(page.locator(".ui-playButton button")).to_have_text("▶")  # it stopped by itself


def test_step_reset_and_xor_say_what_happens(tab):
    page = tab.page
    page.goto(lab_url(tab.server.base_url, "?dataset=xor"))
    expect(readout(page)).to_contain_text("w = 0")
    step = page.locator(".ui-stepButton button")
    step.click()
    expect(readout(page)).to_contain_text("Update 1 of")
    step.click()
    expect(readout(page)).to_contain_text("Update 2 of")
    expect(readout(page)).to_contain_text("the line moved toward it")
    page.locator(".ui-resetButton button").click()
    expect(readout(page)).to_contain_text("w = 0")
    assert "dataset=xor" in page.evaluate("location.search")  # the link keeps the scene


def test_closing_the_tab_stops_its_callback(browser, tmp_path, request):
    with (
        running_server(tmp_path / "serve.log") as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        page = tab.page
        page.goto(lab_url(server.base_url, "?dataset=xor&speed=5"))
        expect(readout(page)).to_contain_text("w = 0")
        page.locator(".ui-playButton button").click()
        expect(readout(page)).to_contain_text("Update 1 of")
        offset = server.log_size()
        page.close()
        assert server.wait_for_log(SESSION_END, offset, 15), server.log_since(offset)
