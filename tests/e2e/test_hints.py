"""Every control's hint, in the browser: a "?" beside each dropdown's and slider's title
shows it on hover, keyboard focus and a tap (a finger gets 44 px to hit), a screen
reader reads it after the control's name, and the text is the registry's."""

import pytest
from playwright.sync_api import expect

from playground.settings import SETTINGS

from .app_page import open_app
from .harness import open_tab

pytestmark = pytest.mark.browser

RATE = SETTINGS["learning_rate"]
# Settings shown with the default scene whose controls are dropdowns or sliders.
SHOWN = ("learningRate", "activation", "regularization", "problem", "percTrainData",
         "noise", "batchSize")  # fmt: skip


def test_each_control_has_a_mark_and_hovering_it_shows_the_registry_s_hint(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed=0.5")
    for hide_id in SHOWN:
        expect(page.locator(f".ui-{hide_id} .hint-mark")).to_have_count(1)
    select = page.locator(".ui-learningRate select")
    expect(select).to_have_attribute("aria-description", RATE.hint)
    mark = page.locator(".ui-learningRate .hint-mark")
    expect(mark).to_have_attribute("aria-label", "About Learning rate")
    hint = page.locator(".control-hint")
    mark.hover()
    expect(hint).to_be_visible()
    expect(hint).to_have_text(RATE.hint)
    page.mouse.move(1, 1)
    expect(hint).to_be_hidden()
    # Another control's hint is its own.
    page.locator(".ui-noise .hint-mark").hover()
    expect(hint).to_have_text(SETTINGS["noise"].hint)


def test_the_keyboard_reaches_the_mark_and_escape_closes_it(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed=0.5")
    page.locator(".ui-learningRate select").focus()
    hint = page.locator(".control-hint")
    for _ in range(4):  # past the dropdown to its "?" (Shift+Tab from the next control)
        page.keyboard.press("Shift+Tab")
        if hint.is_visible():
            break
    expect(hint).to_have_text(RATE.hint)
    page.keyboard.press("Escape")
    expect(hint).to_be_hidden()


def test_a_tap_shows_the_hint_and_a_second_hides_it_on_a_phone(browser, server):
    with open_tab(browser, server, "hints_phone", viewport=(390, 844), phone=True) as tab:
        page = tab.page
        open_app(page, f"{server.base_url}?seed=0.5")
        mark = page.locator(".ui-learningRate .hint-mark")
        mark.scroll_into_view_if_needed()
        centre = mark.bounding_box()
        x, y = centre["x"] + centre["width"] / 2, centre["y"] + centre["height"] / 2
        # The hit area: 20 px from the mark's centre each way is still the mark.
        for dx, dy in ((-20, 0), (20, 0), (0, -20), (0, 20)):
            hit = page.evaluate(
                """([x, y]) => {
                    let el = document.elementFromPoint(x, y);
                    while (el?.shadowRoot?.elementFromPoint(x, y) &&
                           el.shadowRoot.elementFromPoint(x, y) !== el) {
                      el = el.shadowRoot.elementFromPoint(x, y);
                    }
                    return el?.className ?? "";
                }""",
                [x + dx, y + dy],
            )
            assert hit == "hint-mark", f"({dx}, {dy}) from the mark's centre is {hit!r}"
        hint = page.locator(".control-hint")
        page.touchscreen.tap(x, y)
        expect(hint).to_be_visible()
        expect(hint).to_have_text(RATE.hint)
        assert page.locator(".ui-learningRate select").input_value()  # nothing chosen
        page.touchscreen.tap(x, y)
        expect(hint).to_be_hidden()


def test_a_lab_s_controls_show_their_parameters_docs_the_same_way(tab):
    page = tab.page
    page.goto(tab.base_url.rsplit("/app", 1)[0] + "/optimizers")
    mark = page.locator(".lab-controls .hint-mark").first
    expect(mark).to_be_visible(timeout=15_000)
    mark.hover()
    hint = page.locator(".control-hint")
    expect(hint).to_be_visible()
    text = hint.text_content()
    assert len(text) > 10
    expect(mark).to_have_attribute("aria-description", text)
    assert page.locator(".bk-Tooltip").count() == 0  # no tooltip models of Bokeh's
