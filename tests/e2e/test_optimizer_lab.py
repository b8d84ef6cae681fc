"""The optimizer lab (/optimizers) in headless Chromium, served by ``playground serve``.

The race plays in the browser from paths the server computed once: playing, pausing
and stepping are read from the page's step counter and its canvas.
"""

import re
import time
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, expect

from playground.labs.optimizers.surfaces import SURFACES
from playground.labs.optimizers.view import TITLE

from .app_page import ANSWER_S, picture, wait_until
from .harness import artifact_path, open_tab, running_server

pytestmark = pytest.mark.browser

COUNTER = re.compile(r"step (\d+) of (\d+)")
SESSION_END = f"lab session ended: {TITLE}"  # serve_lab logs it
SESSION_END_S = 15  # Bokeh drops a closed tab's session after 3 s; margin for a busy machine


def lab_url(base_url: str, query: str = "") -> str:
    root = base_url.rsplit("/app", 1)[0]
    return f"{root}/optimizers{'?' + query if query else ''}"


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".surface-canvas")).to_be_visible()
    expect(page.locator(".counter")).to_have_text(COUNTER)


def shown_step(page: Page) -> tuple[int, int]:
    match = COUNTER.search(page.locator(".counter").inner_text())
    assert match, page.locator(".counter").inner_text()
    return int(match[1]), int(match[2])


def query(page: Page) -> dict[str, str]:
    # Asked of the page: ``page.url`` only follows the page while Playwright is called.
    search = page.evaluate("window.location.search")
    return {key: values[-1] for key, values in parse_qs(search.lstrip("?")).items()}


def legend(page: Page) -> list[str]:
    return page.locator(".legend-row b").all_inner_texts()


def surface_picture(page: Page) -> bytes:
    return picture(page.locator(".surface-canvas"))


def test_opens_offline_and_draws_the_surface(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url))
    assert legend(page) == ["SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam"]
    assert shown_step(page) == (0, 500)
    canvas = page.locator(".surface-canvas")
    # Something is drawn: the surface's pale shades and at least one racer's colour.
    colours = canvas.evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  const seen = new Set();
                  for (let i = 0; i < d.length; i += 400) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2]);
                  return seen.size; }"""
    )
    assert colours > 20
    expect(page.get_by_text("walk downhill")).to_be_visible()
    assert tab.console_errors == []


def test_play_moves_the_racers_and_pause_stops_them(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url, "speed=10"))
    before = surface_picture(page)
    page.locator(".race-bar button.play").click()
    assert wait_until(lambda: shown_step(page)[0] > 20, ANSWER_S), "the race did not play"
    assert surface_picture(page) != before
    page.locator(".race-bar button.play").click()  # pause
    paused = shown_step(page)[0]
    time.sleep(0.5)
    assert shown_step(page)[0] == paused
    page.locator(".race-bar button.step").click()
    assert shown_step(page)[0] == paused + 1
    page.locator(".race-bar button.restart").click()
    assert shown_step(page)[0] == 0
    assert surface_picture(page) == before


def test_the_loss_chart_says_what_to_do_until_a_step_is_taken(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url))
    chart = page.locator("canvas.loss-chart")
    expect(chart).to_have_attribute("data-state", "waiting")
    expect(chart).to_have_attribute("aria-label", "Loss chart: Press \u25b6 or +1 to race")
    page.locator(".race-bar button.step").click()
    expect(chart).to_have_attribute("data-state", "drawing")
    page.locator(".race-bar button.restart").click()
    expect(chart).to_have_attribute("data-state", "waiting")


def test_plays_to_the_end_and_stops(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url, "steps=40&speed=10"))
    page.locator(".race-bar button.play").click()
    assert wait_until(lambda: shown_step(page) == (40, 40), ANSWER_S)
    painted = page.evaluate("window.__optimizerLabPainted")
    time.sleep(0.5)
    assert page.evaluate("window.__optimizerLabPainted") == painted, "still painting at the end"
    expect(page.locator(".race-bar button.play")).to_have_text("▶")


def test_a_link_round_trips(tab, browser):
    page = tab.page
    link = "surface=beale&racers=sgd,adam&adamLr=0.07&steps=200&showStep=true"
    open_lab(page, lab_url(tab.base_url, link))
    assert legend(page) == ["SGD", "Adam"]
    expect(page.locator(".formula")).to_contain_text("2.625")
    expect(page.locator(".ui-surface select")).to_have_value("Beale")
    assert shown_step(page) == (0, 200)
    # A change in a control reaches the link.
    steps = page.locator(".ui-steps input")
    steps.fill("120")
    steps.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]steps=120(&|$)"))
    page.locator(".ui-racers").get_by_label("RMSprop", exact=True).check()
    expect(page).to_have_url(re.compile(r"racers=sgd,rmsprop,adam"))
    settings = query(page)
    assert settings["surface"] == "beale"
    assert settings["adamLr"] == "0.07"
    assert settings["showStep"] == "true"
    # The worker's race for these settings: RMSprop in its legend, 120 steps. (A step
    # taken before it arrives is undone by its arrival, which starts at step 0.)
    expect(page.locator(".legend-row b")).to_have_text(["SGD", "RMSprop", "Adam"])
    expect(page.locator(".counter")).to_have_text("step 0 of 120")
    page.locator(".race-bar button.step").click()
    # The counter is painted with the picture: once it says step 1, so does the picture.
    expect(page.locator(".counter")).to_have_text("step 1 of 120")
    page.evaluate("window.scrollTo(0, 0)")  # as the new tab shows it: the controls scrolled it
    shot = surface_picture(page)
    # The same link in a new tab gives the same scene and the same picture.
    with open_tab(browser, tab.server, "round_trip_reopened") as again:
        open_lab(again.page, page.url)
        assert legend(again.page) == ["SGD", "RMSprop", "Adam"]
        assert shown_step(again.page) == (0, 120)
        again.page.locator(".race-bar button.step").click()
        expect(again.page.locator(".counter")).to_have_text("step 1 of 120")
        assert surface_picture(again.page) == shot


def test_a_click_on_the_picture_moves_the_start(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url, "surface=bowl"))
    canvas = page.locator(".surface-canvas")
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.25)
    x0, x1, y0, y1 = SURFACES["bowl"].window
    moved = wait_until(lambda: query(page).get("startX") not in (None, "-8"), ANSWER_S)
    assert moved, page.url
    settings = query(page)
    assert float(settings["startX"]) == pytest.approx(x0 + 0.75 * (x1 - x0), abs=0.1)
    assert float(settings["startY"]) == pytest.approx(y1 - 0.25 * (y1 - y0), abs=0.1)


def test_a_diverging_racer_is_stopped_and_named(tab):
    page = tab.page
    # Rosenbrock's own rates keep every racer in; a rate of 0.01 throws SGD out.
    link = "surface=rosenbrock&racers=sgd,adam&sgdLr=0.01&speed=10&steps=60"
    open_lab(page, lab_url(tab.base_url, link))
    expect(page.locator(".legend-row .status").first).to_contain_text("diverged at step")
    page.locator(".race-bar button.play").click()
    assert wait_until(lambda: shown_step(page)[0] == 60, ANSWER_S)
    assert tab.console_errors == []


def test_bad_values_are_noted(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url, "surface=moon&adamLr=99&steps=abc&racers=sgd,lbfgs"))
    notes = page.locator(".url-notes")
    expect(notes).to_be_visible()
    for key in ("surface=moon", "adamLr=99", "steps=abc", "lbfgs"):
        expect(notes).to_contain_text(key)
    assert legend(page) == ["SGD"]
    expect(page.locator(".ui-adamLr input")).to_have_value("10")


def test_hidden_controls_and_text(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url, "steps_hide=true&hideText=true"))
    expect(page.locator(".ui-steps input")).to_have_count(0)
    expect(page.get_by_text("walk downhill")).to_be_hidden()
    expect(page.locator(".ui-speed")).to_be_visible()


def test_closing_the_tab_ends_its_session(browser, tmp_path, request):
    with (
        running_server(tmp_path / "panel-serve.log") as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        page = tab.page
        open_lab(page, lab_url(server.base_url, "speed=0.1"))
        page.locator(".race-bar button.play").click()
        page.screenshot(path=str(artifact_path(request.node.name)))
        log_offset = server.log_size()
        page.close()
        assert server.wait_for_log(SESSION_END, log_offset, SESSION_END_S), (
            f"no {SESSION_END!r} in the server log {SESSION_END_S} s after the tab closed:\n"
            + server.log_since(log_offset)
        )
