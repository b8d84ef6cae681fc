"""A copied link opens what the tab shows: after a feature toggled and Reset, the link of
the address bar and of "Use it in class" opens the same data and starting weights, and
100 epochs later the same weights and losses."""

import json
import re
from urllib.parse import parse_qsl

import pytest
from playwright.sync_api import Page, expect

from .app_page import ANSWER_S
from .test_app import (
    epoch,
    feature_node_centre,
    network_canvas,
    on_diagram,
    open_app,
    wait_until,
)

pytestmark = pytest.mark.browser

EPOCHS = 100


def query(page: Page) -> dict[str, str]:
    """The address as the browser has it now (after its latest replaceState)."""
    return dict(parse_qsl(page.evaluate("location.search").lstrip("?")))


def step(page: Page, times: int) -> None:
    """Presses Step ``times`` times (Enter on the focused button), counted by the page."""
    start = epoch(page)
    button = page.locator(".ui-stepButton button")
    button.focus()
    for _ in range(times):
        page.keyboard.press("Enter")
    assert wait_until(lambda: epoch(page) == start + times, 30), f"epoch {epoch(page)}"


def saved_scene(page: Page, tmp_path, name: str) -> dict:
    with page.expect_download() as download:
        page.locator(".file-tools .save-scene").click()
    path = tmp_path / name
    download.value.save_as(path)
    return json.loads(path.read_text())


def test_after_a_feature_and_reset_the_copied_link_opens_the_same_run(tab, tmp_path):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed=0.31415&dropout=0.1")
    assert "weightSeed" not in query(page)  # the seed alone names the first weights
    network_canvas(page).click(position=on_diagram(page, feature_node_centre("xSquared")))
    expect(page).to_have_url(re.compile(r"[?&]xSquared=true&.*weightSeed="))
    after_toggle = query(page)["weightSeed"]
    page.locator(".ui-resetButton button").click()
    assert wait_until(lambda: query(page).get("weightSeed") != after_toggle, ANSWER_S)
    page.locator(".embed").get_by_text("Use it in class").click()
    card_link = page.locator(".embed-link textarea").first
    expect(card_link).to_have_value(
        re.compile(re.escape(f"weightSeed={query(page)['weightSeed']}"))
    )
    link = card_link.input_value()
    assert link.split("?")[1] == page.evaluate("location.search")[1:]  # card and address agree

    opened = page.context.new_page()
    open_app(opened, link)
    assert query(opened) == query(page)
    shown_start, opened_start = (
        saved_scene(page, tmp_path, "a0"),
        saved_scene(opened, tmp_path, "b0"),
    )
    assert opened_start["initial_network"] == shown_start["initial_network"]
    for key in ("train_points", "test_points"):
        assert opened_start[key] == shown_start[key]
    step(page, EPOCHS)
    step(opened, EPOCHS)
    shown, again = saved_scene(page, tmp_path, "a"), saved_scene(opened, tmp_path, "b")
    assert shown["config"]["epochs"] == again["config"]["epochs"] == EPOCHS
    assert again["final_network"] == shown["final_network"]
    assert again["loss_history"] == shown["loss_history"]
    readout = ".losses div"
    assert opened.locator(readout).first.inner_text() == page.locator(readout).first.inner_text()
    opened.close()
    assert tab.console_errors == []
