"""The overfitting lab (/overfitting) in headless Chromium: offline, the pictures change
with N and with a new draw, links round-trip, bad values get notes, a closed tab ends."""

from urllib.parse import parse_qsl

import pytest
from playwright.sync_api import Page, expect

from .app_page import ANSWER_S, picture, picture_after_change, stable_picture, wait_until
from .harness import open_tab, running_server

pytestmark = pytest.mark.browser

TITLE = "Overfitting with polynomials"
SESSION_END = f"lab session ended: {TITLE}"
DRAWN_DATA_JS = """() => {
  const sources = [];
  for (const doc of Bokeh.documents)
    for (const model of doc.all_models)
      if (model.constructor.__name__ === "ColumnDataSource")
        sources.push(JSON.stringify(Object.entries(model.data).map(([k, v]) => [k, Array.from(v)])));
  return sources.sort();
}"""
SESSION_END_S = 15  # Bokeh drops an unused session after 3 s; margin for a busy machine


def lab_url(base_url: str, search: str = "") -> str:
    """The lab's address on the server whose playground is at ``base_url`` (…/app)."""
    return base_url.rsplit("/app", 1)[0] + "/overfitting" + search


def open_lab(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".fit-figure canvas").first).to_be_visible()
    expect(page.locator(".error-figure canvas").first).to_be_visible()
    expect(readout(page)).to_contain_text("test MSE")


def query(page: Page) -> dict[str, str]:
    """The tab's query as the browser has it now (Playwright's ``page.url`` can miss a
    later ``history.replaceState``)."""
    return dict(parse_qsl(page.evaluate("location.search").lstrip("?")))


def readout(page: Page):
    """The table of the chosen degrees' errors (the HTML pane's inner div)."""
    return page.locator(".fit-readout div").first


def fit_figure(page: Page):
    return page.locator(".fit-figure").first


def drawn_data(page: Page) -> list[str]:
    """What the browser's figures hold: every data source's columns, as sorted JSON."""
    return page.evaluate(DRAWN_DATA_JS)


def test_opens_offline_with_both_figures_and_the_questions(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url))
    expect(page.get_by_text("which degree would you trust")).to_be_visible()
    text = readout(page).inner_text()
    assert [row.split()[0] for row in text.splitlines()[1:4]] == ["1", "3", "10"]
    assert "10 training and 10 test points" in text
    assert tab.console_errors == []


def test_more_points_and_a_new_draw_change_the_picture(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url))
    before = stable_picture(fit_figure(page))
    handle = page.locator(".ui-points .noUi-handle").first
    handle.focus()
    for _ in range(5):
        handle.press("ArrowRight")
    expect(readout(page)).to_contain_text("15 training and 15 test points")
    more_points = picture_after_change(fit_figure(page), before)
    assert more_points != before
    assert wait_until(lambda: query(page).get("points") == "15", ANSWER_S), query(page)

    page.locator(".ui-regenerateButton button").click()
    assert wait_until(lambda: "seed" in query(page), ANSWER_S), query(page)
    assert picture_after_change(fit_figure(page), more_points) != more_points
    assert query(page)["points"] == "15"


def test_a_link_round_trips(tab):
    page = tab.page
    open_lab(page, lab_url(tab.base_url, "?points=30&noise=0.5&degrees=2,12"))
    expect(readout(page)).to_contain_text("30 training and 30 test points")
    seed = page.locator(".ui-seed input").first
    seed.fill("123")
    seed.press("Enter")
    assert wait_until(lambda: query(page).get("seed") == "123", ANSWER_S), query(page)
    settings = query(page)
    assert settings["points"] == "30"
    assert settings["noise"] == "0.5"
    assert settings["degrees"] == "2,12"
    shown = readout(page).inner_text()
    drawn = drawn_data(page)

    link = page.evaluate("location.href")
    open_lab(page, lab_url(tab.base_url, "?points=50"))  # somewhere else first
    expect(readout(page)).to_contain_text("50 training")
    assert drawn_data(page) != drawn
    open_lab(page, link)
    assert wait_until(lambda: readout(page).inner_text() == shown, ANSWER_S), readout(
        page
    ).inner_text()
    assert query(page) == settings
    assert drawn_data(page) == drawn


def test_bad_values_get_notes_and_hides_work(tab):
    page = tab.page
    search = "?points=1000&noise=loud&degrees=99&regenerateButton_hide=true&hideText=true"
    open_lab(page, lab_url(tab.base_url, search))
    notes = page.locator(".url-notes")
    expect(notes).to_be_visible()
    for key in ("points=1000", "noise=loud", "degrees=99"):
        expect(notes).to_contain_text(key)
    expect(readout(page)).to_contain_text("100 training")
    expect(page.locator(".ui-regenerateButton button")).to_have_count(0)
    expect(page.get_by_text("which degree would you trust")).to_be_hidden()
    assert wait_until(lambda: query(page).get("points") == "100", ANSWER_S), query(page)
    assert query(page)["regenerateButton_hide"] == "true"
    assert query(page)["hideText"] == "true"


def test_closing_the_tab_ends_its_session(browser, tmp_path, request):
    # A server of its own, so that what the closed tab leaves in the log is this test's.
    with (
        running_server(tmp_path / "panel-serve.log") as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        page = tab.page
        open_lab(page, lab_url(server.base_url))
        assert picture(fit_figure(page))
        log_offset = server.log_size()
        page.close()
        assert server.wait_for_log(SESSION_END, log_offset, SESSION_END_S), (
            f"no {SESSION_END!r} in the server log {SESSION_END_S} s after the tab closed:\n"
            + server.log_since(log_offset)
        )
