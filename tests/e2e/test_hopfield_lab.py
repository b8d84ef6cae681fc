"""The Hopfield lab at /hopfield in headless Chromium: offline, playing, drawing, links,
notes for bad values, and a closed tab's session ending."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from playground.labs.hopfield.view import SESSION_END

from .app_page import wait_until
from .harness import artifact_path, open_tab, running_server

pytestmark = pytest.mark.browser

SWEEP = re.compile(r"Sweep (\d+)")
ENERGY = re.compile(r"E = ([\u2212\d.]+)")
PLAYING, PAUSED = "❚❚", "▶"
SESSION_END_S = 15  # Bokeh drops an unused session after 3 s; a margin for a busy machine


def lab_url(server_url: str, query: str = "") -> str:
    return server_url.rsplit("/app", 1)[0] + "/hopfield" + (f"?{query}" if query else "")


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".hopfield-readout")).to_contain_text("Sweep 0")
    expect(page.locator("canvas.hopfield-picture")).to_be_visible()


def sweep(page: Page) -> int:
    return int(SWEEP.search(page.locator(".hopfield-readout").inner_text())[1])


def energy(page: Page) -> str:
    return ENERGY.search(page.locator(".hopfield-readout").inner_text())[1]


def spins_drawn(page: Page) -> str:
    return page.locator("canvas.hopfield-picture").evaluate("c => c.toDataURL()")


def query(page: Page) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(page.url).query).items()}


def test_opens_offline_plays_and_pauses(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url, "flip=0.3"))
    before = spins_drawn(page)
    play = page.locator(".ui-playButton button")
    play.click()
    expect(play).to_have_text(PLAYING)
    assert wait_until(lambda: sweep(page) >= 5, 20), page.locator(".hopfield-readout").inner_text()
    assert spins_drawn(page) != before  # the flipped neurons were repaired
    expect(page.locator(".hopfield-readout")).to_contain_text("nearest A (m = 1.00)")
    play.click()
    expect(play).to_have_text(PAUSED)
    paused_at = sweep(page)
    page.wait_for_timeout(800)
    assert sweep(page) <= paused_at + 1  # a tick already on its way may still land
    for chart in page.locator("canvas.hopfield-chart").all():
        assert chart.bounding_box()["width"] > 200
    assert tab.outside_requests == []
    assert tab.console_errors == []


def test_the_live_charts_say_what_to_do_until_they_have_a_sweep(tab):
    """Before the first sweep each chart says, inside its frame, what to press; the first
    sweep's values replace the words, and a restart (no sweeps again) brings them back."""
    page = tab.page
    open_lab(page, lab_url(tab.base_url))
    notes = page.locator(".hopfield-chart-empty")
    expect(notes).to_have_count(2)
    for note, says in zip(notes.all(), ("energy", "overlap"), strict=True):
        expect(note).to_be_visible()
        expect(note).to_contain_text("Press Play or Step")
        expect(note).to_contain_text(says)
        chart = note.locator("xpath=..").locator("canvas").bounding_box()
        box = note.bounding_box()
        assert chart["x"] <= box["x"]
        assert box["x"] + box["width"] <= chart["x"] + chart["width"]
        assert chart["y"] <= box["y"]
        assert box["y"] + box["height"] <= chart["y"] + chart["height"]
    page.screenshot(path=str(artifact_path("hopfield-charts-before")))
    page.locator(".ui-stepButton button").click()
    expect(page.locator(".hopfield-readout")).to_contain_text("Sweep 1")
    for note in notes.all():
        expect(note).to_be_hidden()
    page.screenshot(path=str(artifact_path("hopfield-charts-after")))
    page.locator(".ui-restartButton button").click()
    expect(page.locator(".hopfield-readout")).to_contain_text("Sweep 0")
    for note in notes.all():
        expect(note).to_be_visible()


def test_drawing_changes_the_network(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url, "flip=0"))
    before, energy_before = spins_drawn(page), energy(page)
    box = page.locator("canvas.hopfield-picture").bounding_box()
    page.mouse.move(box["x"] + 0.1 * box["width"], box["y"] + 0.5 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + 0.9 * box["width"], box["y"] + 0.5 * box["height"], steps=12)
    page.mouse.up()
    assert spins_drawn(page) != before
    # The server took the stroke: it sends back the new state's energy.
    expect(page.locator(".hopfield-readout")).not_to_contain_text(f"E = {energy_before} ")
    page.locator(".ui-stepButton button").click()
    expect(page.locator(".hopfield-readout")).to_contain_text("Sweep 1")


def test_a_link_round_trips(tab):
    page = tab.page
    link = lab_url(tab.base_url, "patterns=A,X&side=24&temperature=0.5&seed=7")
    open_lab(page, link)
    first_start = spins_drawn(page)
    handle = page.locator(".ui-temperature .noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"temperature=0\.55"))
    settings = query(page)
    assert settings == {"patterns": "A,X", "side": "24", "temperature": "0.55", "seed": "7"}
    reopened = page.url
    page.goto("about:blank")
    open_lab(page, reopened)
    expect(page.locator(".ui-temperature")).to_contain_text("0.55")
    checked = page.locator(".ui-patterns label").filter(has=page.locator("input:checked"))
    assert [text.strip() for text in checked.all_inner_texts()] == ["A", "X"]
    assert spins_drawn(page) == first_start  # the same seed: the same start


def test_bad_values_get_notes(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url, "side=500&temperature=hot&patterns=A,Q"))
    notes = page.locator(".url-notes")
    expect(notes).to_be_visible()
    for key in ("side=500", "temperature=hot", "patterns=A,Q"):
        expect(notes).to_contain_text(key)
    expect(page.locator(".ui-side")).to_contain_text("48")


def test_closing_the_tab_stops_its_callback(browser, tmp_path, request):
    with (
        running_server(tmp_path / "panel-serve.log") as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        page = tab.page
        open_lab(page, lab_url(server.base_url, "speed=30"))
        page.locator(".ui-playButton button").click()
        assert wait_until(lambda: sweep(page) >= 3, 20)
        page.screenshot(path=str(artifact_path(request.node.name)))
        log_offset = server.log_size()
        page.close()
        assert server.wait_for_log(SESSION_END, log_offset, SESSION_END_S), (
            f"no {SESSION_END!r} in the log {SESSION_END_S} s after the tab closed:\n"
            + server.log_since(log_offset)
        )


def test_hidden_controls_and_text(tab):
    page = tab.page
    open_lab(
        page, lab_url(tab.base_url, "playButton_hide=true&temperature_hide=true&hideText=true")
    )
    expect(page.locator(".ui-playButton button")).to_have_count(0)
    expect(page.locator(".ui-temperature")).to_have_count(0)
    expect(page.locator(".ui-stepButton button")).to_be_visible()
    expect(page.locator(".ui-flip")).to_be_visible()
    expect(page.get_by_text("keeps pictures in its couplings")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"[?&]playButton_hide=true(&|$)"))
