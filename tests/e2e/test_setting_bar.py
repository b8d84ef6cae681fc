"""The settings' bars in a real browser (``views/setting_bar.py``): a slider dragged by
the mouse or stepped by the keyboard, a number field given text that is no number, a
dropdown picked; each reaches the scene and its link, and a bad value gets a note."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.app_page import SEED, open_app, query

pytestmark = pytest.mark.browser


def test_a_slider_dragged_keeps_the_students_value_and_lands_in_the_link(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}")
    noise = page.locator(".ui-noise input[type=range]")
    shown = page.locator(".ui-noise .value")
    expect(shown).to_have_text("0")
    noise.scroll_into_view_if_needed()
    track = noise.bounding_box()
    y = track["y"] + track["height"] / 2
    page.mouse.move(track["x"] + 2, y)
    page.mouse.down()
    readings = []
    for step in range(1, 11):  # across the track, slowly, answers arriving meanwhile
        page.mouse.move(track["x"] + track["width"] * step / 12, y)
        page.wait_for_timeout(40)
        readings.append(int(shown.inner_text()))
    page.mouse.up()
    assert readings == sorted(readings), f"the handle went back while held: {readings}"
    assert readings[-1] > 30
    expect(page).to_have_url(re.compile(rf"[?&]noise={readings[-1]}(&|$)"))
    expect(noise).to_have_value(str(readings[-1]))
    assert tab.console_errors == []


def test_a_slider_steps_by_the_keyboard_and_has_a_name(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}&batchSize=10")
    batch = page.get_by_role("slider", name="Batch size")
    batch.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"[?&]batchSize=13(&|$)"))
    expect(page.locator(".ui-batchSize .value")).to_have_text("13")
    expect(batch).to_be_focused()  # the answer drew nothing anew


def test_a_number_field_notes_text_that_is_no_number_and_takes_a_number(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}&optimizer=adam")
    beta1 = page.get_by_role("spinbutton", name="β1")
    beta1.fill("0.8")
    beta1.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]beta1=0.8(&|$)"))
    # A number field sends what it holds; the server says what was wrong with it.
    beta1.evaluate(
        "el => { el.type = 'text'; el.value = 'banana'; el.dispatchEvent(new Event('change')); }"
    )
    expect(page.locator(".notes-area")).to_contain_text("beta1=banana")
    assert query(page)["beta1"] == "0.8"


def test_a_dropdown_picks_and_an_optimizers_own_settings_come_with_it(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}")
    expect(page.locator(".ui-beta1")).to_have_count(0)
    page.get_by_role("combobox", name="Optimizer").select_option(label="Adam")
    expect(page.get_by_role("spinbutton", name="β1")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]optimizer=adam(&|$)"))
    page.get_by_role("combobox", name="Optimizer").select_option(label="SGD")
    expect(page.locator(".ui-beta1")).to_have_count(0)
