"""The compare lab (/compare) in headless Chromium: one Play drives both runs and the
browser holds the same epochs for both at every moment; a link made by the page's own
controls opens the same two runs elsewhere; one above the other on a phone; a closed
tab's callback stops."""

import pytest
from playwright.sync_api import Page, expect

from .app_page import ANSWER_S, wait_until
from .harness import artifact_path, open_tab, running_server

pytestmark = pytest.mark.browser

SESSION_END = "compare session ended: periodic callback stopped"
# The last epoch of each run's loss chart, as the browser holds them.
CHART_EPOCHS = """() => {
  const doc = Bokeh.documents[0];
  const sources = [...doc.all_models].filter(
    (m) => m.data !== undefined && "epoch" in m.data && "test" in m.data);
  return sources.map((s) => { const e = s.data.epoch; return e.length ? e[e.length - 1] : -1; });
}"""


def lab_url(base_url: str, search: str = "") -> str:
    return base_url.rsplit("/app", 1)[0] + "/compare" + search


def readout(page: Page):
    return page.locator(".compare-readout div").first


def test_one_play_drives_both_runs_epoch_for_epoch(tab):
    page = tab.page
    page.goto(lab_url(tab.server.base_url, "?seed=3&a.optimizer=sgd&b.optimizer=adam&speed=3"))
    expect(readout(page)).to_contain_text("Epoch 0 on both")
    play = page.locator(".ui-playButton button")
    play.click()
    seen = set()
    for _ in range(40):  # whenever the browser looks, both charts end at the same epoch
        first, second = page.evaluate(CHART_EPOCHS)
        assert first == second, (first, second)
        seen.add(first)
        page.wait_for_timeout(50)
    assert len(seen) > 3, f"the runs hardly moved: {seen}"
    play.click()
    expect(play).to_have_text("▶")

    def charts_and_readout_agree() -> bool:  # once a frame already on its way has landed
        first, second = page.evaluate(CHART_EPOCHS)
        return first == second and f"Epoch {first} on both" in readout(page).inner_text()

    assert wait_until(charts_and_readout_agree, ANSWER_S), readout(page).inner_text()
    assert tab.console_errors == []


def test_a_link_made_by_the_controls_opens_the_same_two_runs(browser, tab, request):
    page = tab.page
    page.goto(lab_url(tab.server.base_url, "?seed=0.5&dataset=xor"))
    expect(readout(page)).to_contain_text("Epoch 0 on both")
    activations = page.get_by_role("combobox", name="Activation", exact=True)
    expect(activations).to_have_count(2)  # A's, then B's
    activations.nth(1).select_option("ReLU")
    assert wait_until(lambda: "b.activation=relu" in page.evaluate("location.search"), ANSWER_S)
    step = page.locator(".ui-stepButton button")
    for epoch in range(1, 4):
        step.click()
        expect(readout(page)).to_contain_text(f"Epoch {epoch} on both")
    speed = page.get_by_role("combobox", name="Speed (epochs/frame)", exact=True)
    speed.select_option("30")  # paces the runs, and goes into the link: no new start
    assert wait_until(lambda: "speed=30" in page.evaluate("location.search"), ANSWER_S)
    expect(readout(page)).to_contain_text("Epoch 3 on both")
    shown = readout(page).inner_text()
    search = page.evaluate("location.search")
    for part in ("a.activation=tanh", "dataset=xor", "seed=0.5"):
        assert part in search
    with open_tab(browser, tab.server, f"{request.node.name}-again") as other:
        again = other.page
        again.goto(lab_url(tab.server.base_url, search))
        expect(readout(again)).to_contain_text("Epoch 0 on both")
        for epoch in range(1, 4):
            again.locator(".ui-stepButton button").click()
            expect(readout(again)).to_contain_text(f"Epoch {epoch} on both")
        assert readout(again).inner_text() == shown
        assert again.evaluate("location.search") == search


def test_on_a_phone_one_run_above_the_other(browser, server, request):
    with open_tab(browser, server, request.node.name, (390, 844), 3, True) as tab:
        page = tab.page
        page.goto(lab_url(server.base_url, "?seed=1&a.batchSize=1&b.batchSize=30"))
        expect(readout(page)).to_contain_text("Epoch 0 on both")
        expect(page.locator(".compare-side-b canvas").first).to_be_visible()
        page.screenshot(path=str(artifact_path(request.node.name)))
        a, b = (page.locator(f".compare-side-{side}").bounding_box() for side in "ab")
        assert b["y"] >= a["y"] + a["height"] - 1, (a, b)  # B under A
        for box in (a, b):
            assert box["height"] > 200, box
            assert box["x"] >= 0, box
            assert box["x"] + box["width"] <= 390 + 0.5, box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_on_a_laptop_the_runs_side_by_side(tab):
    page = tab.page
    page.goto(lab_url(tab.server.base_url, "?seed=1"))
    expect(page.locator(".compare-side-b canvas").first).to_be_visible()
    a, b = (page.locator(f".compare-side-{side}").bounding_box() for side in "ab")
    assert abs(a["y"] - b["y"]) < 1, (a, b)
    assert b["x"] >= a["x"] + a["width"] - 1, (a, b)


def test_closing_the_tab_stops_its_callback(browser, tmp_path, request):
    with (
        running_server(tmp_path / "serve.log") as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        page = tab.page
        page.goto(lab_url(server.base_url, "?speed=1"))
        expect(readout(page)).to_contain_text("Epoch 0 on both")
        page.locator(".ui-playButton button").click()
        expect(readout(page)).not_to_contain_text("Epoch 0 on both")
        offset = server.log_size()
        page.close()
        assert server.wait_for_log(SESSION_END, offset, 15), server.log_since(offset)


def test_a_link_keeps_presenter_mode_hidden_text_and_hidden_controls(tab):
    page = tab.page
    search = "?presenter=true&hideText=true&a.optimizer_hide=true&playButton_hide=true"
    page.goto(lab_url(tab.server.base_url, search + "&seed=2"))
    expect(readout(page)).to_contain_text("Epoch 0 on both")
    expect(page.locator(".presenter-toggle input")).to_be_checked()
    expect(page.locator("h1")).to_be_hidden()
    expect(page.locator(".ui-playButton")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Optimizer", exact=True)).to_have_count(1)
    written = page.evaluate("location.search")
    for part in search.lstrip("?").split("&"):
        assert part in written, written
    page.locator(".ui-stepButton button").click()
    expect(readout(page)).to_contain_text("Epoch 1 on both")


def test_the_chart_says_what_to_do_and_the_sides_choices_read_as_in_the_playground(tab):
    page = tab.page
    page.goto(lab_url(tab.server.base_url, "?seed=3&a.optimizer=sgd&b.optimizer=adam"))
    expect(readout(page)).to_contain_text("Epoch 0 on both")
    hint = page.locator(".compare-chart-hint")
    expect(hint).to_contain_text("Press")
    selected = page.locator(".compare-controls select, .lab-controls select").evaluate_all(
        "els => els.map((el) => el.options[el.selectedIndex].text)"
    )
    assert {"SGD", "Adam", "Tanh"} <= set(selected), selected
    page.locator(".ui-stepButton button").click()
    expect(readout(page)).to_contain_text("Epoch 1 on both")
    expect(hint).to_be_hidden()
    page.locator(".ui-resetButton button").click()
    expect(hint).to_be_visible()
