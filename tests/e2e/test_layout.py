"""The layout at a desktop's, a projector's and a phone's size, presenter mode, a deep
net: nothing scrolls sideways, the play button and the output plot are in the first
screen, text is readable. Screenshots land in test-artifacts/ (layout-*.png).

1366x768 at 150 % zoom is emulated as the CSS viewport the browser then has, 911x512,
with 1.5 device pixels per CSS pixel.
"""

import itertools
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from playground.views.live import HEADINGS

from .app_page import ANSWER_S, open_app, query
from .harness import artifact_path, open_tab

pytestmark = pytest.mark.browser

MEASURE = (Path(__file__).parent / "layout.js").read_text()
MIN_TEXT_PX = 14
SCREENS = {
    "desktop-1920x1080": ((1920, 1080), 1),
    "projector-1366x768-at-150": ((911, 512), 1.5),
    "phone-390x844": ((390, 844), 3),
}


def measure(page: Page, min_text_px: float = MIN_TEXT_PX) -> dict:
    return page.evaluate(MEASURE, min_text_px)


def settled(page: Page, min_text_px: float = MIN_TEXT_PX, timeout_s: float = ANSWER_S) -> dict:
    """The measurements once the live view has fitted itself (two alike, 300 ms apart)."""
    last = measure(page, min_text_px)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = measure(page, min_text_px)
        if now == last:
            return now
        last = now
    raise AssertionError("the layout kept changing")


def assert_in_first_screen(found: dict, part: str) -> None:
    box = found[part]
    assert box, f"no {part} on the page"
    inside = (
        box["left"] >= 0
        and box["top"] >= 0
        and box["right"] <= found["innerWidth"] + 0.5
        and box["bottom"] <= found["innerHeight"] + 0.5
    )
    assert inside, f"the {part} {box} is not all in the first screen"


def width(box: dict) -> float:
    return box["right"] - box["left"]


def assert_uses_the_room(found: dict) -> None:
    """The output plot grows until the window's width or its height stops it."""
    plot = found["plot"]
    wide = plot["right"] > 0.8 * found["innerWidth"]
    tall = plot["bottom"] > found["innerHeight"] - 80
    assert wide or tall, f"the plot {plot} leaves room on the right and below"


def full_page_shot(page: Page, name: str) -> None:
    page.screenshot(path=str(artifact_path(name)), full_page=True)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_page_fits_the_screen(browser, server, screen):
    viewport, scale = SCREENS[screen]
    with open_tab(browser, server, f"layout-{screen}", viewport, scale) as tab:
        open_app(tab.page, tab.base_url)
        found = settled(tab.page)
        full_page_shot(tab.page, f"layout-{screen}-full")
        for part, (heading, hint) in HEADINGS.items():
            expect(tab.page.locator(f".heading-{part} h4")).to_have_text(heading)
            expect(tab.page.locator(f".heading-{part} .hint")).to_have_text(hint)
    assert found["scrollWidth"] <= found["innerWidth"], "the page scrolls sideways"
    assert_in_first_screen(found, "play")
    assert_in_first_screen(found, "plot")
    assert_uses_the_room(found)
    assert not found["small"], f"text under {MIN_TEXT_PX} px: {found['small']}"


def test_the_plot_and_the_diagram_grow_with_the_window(browser, server):
    with open_tab(browser, server, "layout-growing", (1000, 900)) as tab:
        page = tab.page
        open_app(page, tab.base_url)
        narrow = settled(page)
        page.set_viewport_size({"width": 1800, "height": 1100})
        wide = settled(page)
    for part in ("plot", "diagram"):
        before = narrow[part]["right"] - narrow[part]["left"]
        after = wide[part]["right"] - wide[part]["left"]
        assert after > 1.25 * before, f"the {part} is {after:.0f} px wide, was {before:.0f}"


def test_on_a_phone_the_controls_stack_around_the_plot(browser, server):
    with open_tab(browser, server, "layout-phone-stack", (390, 844), 3) as tab:
        page = tab.page
        open_app(page, tab.base_url)
        settled(page)
        parts = [".top-bar", ".live-block", ".settings-bar", ".data-column", ".training-bar"]
        boxes = [page.locator(part).first.bounding_box() for part in parts]
    lefts = {round(box["x"]) for box in boxes}
    assert len(lefts) == 1, f"not one column: {dict(zip(parts, boxes, strict=True))}"
    tops = [box["y"] for box in boxes]
    assert tops == sorted(tops), f"not in this order: {parts}"


@pytest.mark.parametrize("screen", ["desktop-1920x1080", "projector-1366x768-at-150"])
def test_presenter_mode_enlarges_text_and_plot_and_stays_in_the_url(browser, server, screen):
    viewport, scale = SCREENS[screen]
    with open_tab(browser, server, f"layout-presenter-{screen}", viewport, scale) as tab:
        page = tab.page
        open_app(page, f"{tab.base_url}?presenter=true")
        toggle = page.locator(".presenter-toggle input")
        expect(toggle).to_be_checked()
        presenting = settled(page, min_text_px=18)
        expect(page).to_have_url(re.compile(r"[?&]presenter=true"))
        full_page_shot(page, f"layout-presenter-{screen}-full")
        page.locator(".presenter-toggle label").click()
        expect(page).not_to_have_url(re.compile(r"[?&]presenter="))
        plain = settled(page, min_text_px=18)
        assert "presenter" not in query(page)
    assert presenting["scrollWidth"] <= presenting["innerWidth"], "the page scrolls sideways"
    assert_in_first_screen(presenting, "plot")
    assert not presenting["small"], f"presenter text under 18 px: {presenting['small']}"
    assert plain["small"], "without presenter mode the text should be smaller again"
    # Both fill the screen's room; presenter mode gives the plot more of it (at
    # 1920x1080 the bars beside the plain plot are compact: its plot is large too).
    for found in (presenting, plain):
        assert_uses_the_room(found)
    plot = {name: width(found["plot"]) for name, found in [("on", presenting), ("off", plain)]}
    assert plot["on"] > 1.1 * plot["off"], plot


def test_a_six_by_eight_net_has_room(browser, server):
    shape = ",".join(["8"] * 6)
    with open_tab(browser, server, "layout-deep-net", (1366, 768)) as tab:
        page = tab.page
        open_app(page, f"{tab.base_url}?networkShape={shape}")
        expect(page.locator(".caption")).to_have_count(6)
        found = settled(page)
        controls = page.locator(".neuron-control")
        boxes = [controls.nth(i).bounding_box() for i in range(controls.count())]
        captions = page.locator(".caption").all_inner_texts()
    assert found["scrollWidth"] <= found["innerWidth"]
    assert captions == ["8 neurons"] * 6
    for left, right in itertools.pairwise(boxes):
        assert left["x"] + left["width"] <= right["x"], "two layers' buttons touch"
    diagram = found["diagram"]
    assert boxes[-1]["x"] + boxes[-1]["width"] <= diagram["right"] + 0.5


def test_a_deep_net_on_a_phone_keeps_its_words_readable(browser, server):
    """Six layers of eight on 390 px: the diagram is drawn small, its words and buttons
    are not; captions that would touch show the count alone."""
    shape = ",".join(["8"] * 6)
    with open_tab(browser, server, "layout-phone-deep-net", (390, 844), 3) as tab:
        page = tab.page
        open_app(page, f"{tab.base_url}?networkShape={shape}")
        expect(page.locator(".caption")).to_have_count(6)
        found = settled(page)
        full_page_shot(page, "layout-phone-deep-net-full")
        buttons = page.locator(".neuron-control button")
        boxes = [buttons.nth(i).bounding_box() for i in range(buttons.count())]
        captions = page.locator(".caption").all_inner_texts()
    assert found["scrollWidth"] <= found["innerWidth"], "the page scrolls sideways"
    assert not found["small"], f"text under {MIN_TEXT_PX} px: {found['small']}"
    assert captions == ["8"] * 6
    for left, right in itertools.pairwise(boxes):
        assert left["x"] + left["width"] <= right["x"], "two +/- buttons overlap"
    assert min(box["width"] for box in boxes) >= 18, "buttons too small to tap"
