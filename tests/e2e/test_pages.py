"""Every page at a projector's, a zoomed laptop's and a phone's size, presenter mode,
names for every control, and each lab driven by the keyboard alone.

One tab per screen size goes through the pages (the server is the session's): no page
scrolls sideways, its text reads at 14 px or more as drawn, its picture and play control
are in the first screen, the picture uses the room. Screenshots land in test-artifacts/
(pages-<page>-<screen>.png).
"""

import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, expect

from .harness import artifact_path, open_tab
from .test_app import open_app
from .test_layout import (
    MIN_TEXT_PX,
    SCREENS,
    assert_in_first_screen,
    measure,
    settled,
    width,
)

pytestmark = pytest.mark.browser

# Each page's main picture and play control (None: the page has none), and what shows
# that it has opened.
PAGES = {
    "home": {
        "path": "",
        "picture": ".home-card",
        "play": None,
        "ready": ".home-card",
        "room": ".home-gallery",  # what grows with the window: the cards' grid
    },
    "optimizers": {
        "path": "optimizers",
        "picture": ".surface-canvas",
        "play": "button.play",
        "ready": ".counter",
    },
    "overfitting": {
        "path": "overfitting",
        "picture": ".fit-figure",
        "play": None,
        "ready": ".fit-figure canvas",
    },
    "hopfield": {
        "path": "hopfield",
        "picture": "canvas.hopfield-picture",
        "play": ".ui-playButton",
        "ready": ".hopfield-readout",
    },
    "sweep": {
        "path": "sweep",
        "picture": ".sweep-map",
        "play": ".ui-runButton",
        "ready": ".sweep-readout",
    },
    "perceptron": {
        "path": "perceptron",
        "picture": ".perceptron-plot",
        "play": ".ui-playButton",
        "ready": ".perceptron-readout",
    },
    "compare": {
        "path": "compare",
        "picture": ".compare-pictures",
        "play": ".ui-playButton",
        "ready": ".compare-readout",
    },
}
CONTROL_ROLES = (
    "button", "checkbox", "combobox", "listbox", "radio", "searchbox", "slider",
    "spinbutton", "switch", "textbox",
)  # fmt: skip
# A control's line in an ARIA snapshot: its role, then its name in quotes, if any.
CONTROL = re.compile(
    rf'^\s*- ({"|".join(CONTROL_ROLES)})(?=$|[\s:\[])(?: "([^"]*)")?', re.MULTILINE
)
NO_NAMES = {None, "", "null", "undefined"}
PRESENTER_TEXT_PX = 18
# A safety net for the server's answer (the link follows a change), on a machine that
# runs the heaviest tests beside this one; alone it takes well under a second.
ANSWER_MS = 45_000


def page_url(base_url: str, name: str, query: str = "") -> str:
    root = base_url.rsplit("/app", 1)[0]
    return f"{root}/{PAGES[name]['path']}" + (f"?{query}" if query else "")


def open_page(page: Page, base_url: str, name: str, query: str = "") -> None:
    page.goto(page_url(base_url, name, query))
    expect(page.locator(PAGES[name]["ready"]).first).to_be_visible()


def parts(name: str) -> dict[str, str]:
    found = {"picture": PAGES[name]["picture"]}
    if "room" in PAGES[name]:
        found["room"] = PAGES[name]["room"]
    if PAGES[name]["play"]:
        found["play"] = PAGES[name]["play"]
    return found


def measured(page: Page, name: str, min_px: float = MIN_TEXT_PX) -> dict:
    """The page's measurements once its pictures have fitted themselves."""
    return settled(page, {"minPx": min_px, "parts": parts(name)})


def search(page: Page) -> dict[str, str]:
    text = page.evaluate("window.location.search")
    return {key: values[-1] for key, values in parse_qs(text.lstrip("?")).items()}


@pytest.fixture(scope="module", params=list(SCREENS))
def screen_tab(request, browser, server):
    """One tab per screen size, for every page."""
    viewport, scale = SCREENS[request.param]
    phone = request.param.startswith("phone")
    with open_tab(browser, server, f"pages-{request.param}", viewport, scale, phone) as tab:
        tab.screen = request.param
        yield tab


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_fits_the_screen(screen_tab, name):
    """At each size: the viewport tag, no sideways scrolling, text of 14 px or more. At a
    desktop's and a projector's, the picture and Play in the first screen; at a
    desktop's, the picture using the room and every control named; at a projector's,
    presenter mode; on a phone, the picture before the controls and Play a finger wide."""
    page, screen = screen_tab.page, screen_tab.screen
    open_page(page, screen_tab.base_url, name)
    found = measured(page, name)
    page.screenshot(path=str(artifact_path(f"pages-{name}-{screen}")))
    viewport_tag = page.evaluate("document.querySelector('meta[name=viewport]')?.content")
    assert viewport_tag == "width=device-width, initial-scale=1"
    assert found["scrollWidth"] <= found["innerWidth"], f"{name} scrolls sideways"
    assert not found["small"], f"{name}: text under {MIN_TEXT_PX} px: {found['small']}"
    if screen.startswith("phone"):
        assert_stacked_for_a_finger(page, name, found)
        return
    assert_in_first_screen(found, "picture")
    if "play" in found:
        assert_in_first_screen(found, "play")
    if screen.startswith("projector"):
        assert_presenter_mode(page, name)
    elif "room" in found:
        assert width(found["room"]) >= 0.9 * found["innerWidth"], f"{name}: {found['room']}"
        assert_named(page, name)
    else:
        picture = found["picture"]
        wide = width(picture) >= 0.4 * found["innerWidth"]
        tall = picture["bottom"] > found["innerHeight"] - 100
        assert wide or tall, f"{name}'s picture {picture} leaves the room unused"
        assert_named(page, name)


def assert_stacked_for_a_finger(page: Page, name: str, found: dict) -> None:
    """On a phone a lab's picture comes before its controls, and Play is a finger wide."""
    if name == "home":
        return
    picture = found["picture"]
    controls = page.locator(".lab-controls").first.bounding_box()
    assert picture["bottom"] <= controls["y"] + 0.5, f"{name}: the controls come first"
    assert picture["right"] <= found["innerWidth"] + 0.5, name
    if "play" in found:
        play = found["play"]
        assert min(width(play), play["bottom"] - play["top"]) >= 44, (name, play)


def assert_presenter_mode(page: Page, name: str) -> None:
    """The toggle: larger text (18 px or more), in the link; off again, smaller."""
    toggle = page.locator(".presenter-toggle input")
    expect(toggle).not_to_be_checked()
    page.locator(".presenter-toggle label").click()
    expect(toggle).to_be_checked()  # the click reached the box; then the server answers
    page.wait_for_function("location.search.includes('presenter=true')", timeout=ANSWER_MS)
    presenting = measured(page, name, PRESENTER_TEXT_PX)
    page.screenshot(path=str(artifact_path(f"pages-presenter-{name}")))
    assert not presenting["small"], f"{name}: text under 18 px: {presenting['small']}"
    assert presenting["scrollWidth"] <= presenting["innerWidth"], name
    page.locator(".presenter-toggle label").click()
    expect(toggle).not_to_be_checked()
    page.wait_for_function("!location.search.includes('presenter')", timeout=ANSWER_MS)
    plain = measure(page, {"minPx": PRESENTER_TEXT_PX, "parts": parts(name)})
    assert plain["small"], f"{name}: without presenter mode the text is smaller again"


def unnamed_controls(page: Page) -> list[str]:
    snapshot = page.locator("body").aria_snapshot()
    return [m[0].strip() for m in CONTROL.finditer(snapshot) if m[2] in NO_NAMES]


def assert_named(page: Page, name: str) -> None:
    """Every control has a name; those the issue found nameless by theirs."""
    if name == "optimizers":
        speed = "Playback speed (\N{MULTIPLICATION SIGN})"
        for role, label in (("checkbox", "Path"), ("slider", speed), ("button", "Play")):
            expect(page.get_by_role(role, name=label, exact=True)).to_have_count(1)
    if name == "overfitting":
        expect(page.get_by_role("slider", name="Training points N")).to_have_count(1)
        expect(page.get_by_role("slider", name="Ridge penalty λ")).to_have_count(1)
        degrees = page.get_by_role("searchbox", name="Degrees")
        expect(degrees.or_(page.get_by_role("textbox", name="Degrees"))).to_have_count(1)
    unnamed = unnamed_controls(page)
    assert not unnamed, f"{name}: controls without a name: {unnamed}"


def deep_focus(page: Page) -> dict:
    """The element that has the focus, inside whatever shadow roots: its tag, name
    (aria-label, else text) and whether it is inside an element matching each of the
    page's css classes given."""
    return page.evaluate(
        """() => {
          let el = document.activeElement;
          while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
          const hosts = [];
          for (let node = el; node; ) {
            hosts.push(...(node.classList || []));
            const parent = node.parentElement || node.getRootNode().host;
            node = parent;
          }
          return { tag: el ? el.tagName : null, name: el?.getAttribute("aria-label") ||
            el?.textContent.trim(), classes: hosts };
        }"""
    )


def tab_to(page: Page, wanted, key: str = "Tab", most: int = 120) -> dict:
    """Presses ``key`` (Tab, or Shift+Tab to go back) until ``wanted(focus)``; the
    focus then."""
    for _ in range(most):
        page.keyboard.press(key)
        focus = deep_focus(page)
        if wanted(focus):
            return focus
    raise AssertionError(f"Tab never reached it; last: {focus}")


def on_play(focus: dict) -> bool:
    return focus["name"] in ("Play", "Pause") and focus["tag"] == "BUTTON"


def test_the_labs_and_the_playground_by_keyboard_alone(browser, server):
    with open_tab(browser, server, "pages-keyboard", (1300, 900)) as tab:
        page = tab.page
        # The playground: every control named; Enter on Play plays, and the focus stays
        # on it (now "Pause").
        open_app(page, tab.base_url)
        assert not unnamed_controls(page), unnamed_controls(page)
        tab_to(page, on_play)
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Pause", exact=True)).to_have_count(1)
        assert deep_focus(page)["name"] == "Pause", deep_focus(page)
        page.keyboard.press("Space")
        expect(page.get_by_role("button", name="Play", exact=True)).to_have_count(1)
        assert deep_focus(page)["name"] == "Play", deep_focus(page)

        # A lab from its end backwards (Shift+Tab), in presenter mode from its link.
        open_page(page, tab.base_url, "hopfield", "presenter=true")
        expect(page.locator(".presenter-toggle input")).to_be_checked()
        tab_to(page, on_play, "Shift+Tab")
        page.keyboard.press("Enter")
        expect(page.locator(".hopfield-readout")).not_to_contain_text("Sweep 0 ")
        assert deep_focus(page)["name"] == "Pause", deep_focus(page)
        page.keyboard.press("Enter")
        assert deep_focus(page)["name"] in ("Play", "Pause")
        expect(page.get_by_role("button", name="Play", exact=True)).to_have_count(1)
        assert deep_focus(page)["name"] == "Play", deep_focus(page)
        tab_to(page, lambda f: "ui-temperature" in f["classes"], "Shift+Tab")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("location.search.includes('temperature=')")

        open_page(page, tab.base_url, "optimizers")
        tab_to(page, on_play, "Shift+Tab")
        page.keyboard.press("Enter")
        assert deep_focus(page)["name"] == "Pause", deep_focus(page)
        page.keyboard.press("Space")
        assert deep_focus(page)["name"] == "Play", deep_focus(page)
        tab_to(page, lambda f: "ui-speed" in f["classes"], "Shift+Tab")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("location.search.includes('speed=')")

        open_page(page, tab.base_url, "overfitting")
        tab_to(page, lambda f: "ui-points" in f["classes"])
        page.keyboard.press("ArrowRight")
        page.wait_for_function("location.search.includes('points=')")
        focus = tab_to(page, lambda f: "ui-regenerateButton" in f["classes"])
        seed = search(page).get("seed", "")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "seed => (new URLSearchParams(location.search).get('seed') || '') !== seed", arg=seed
        )
        assert deep_focus(page)["classes"] == focus["classes"], "the focus left Regenerate"


def centre(box: dict) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_on_a_phone_a_finger_reaches_the_diagram_and_sees_the_tapped_neuron(browser, server):
    """The diagram's nodes (20 px here) and +/- buttons (26 px as seen) take a tap within
    a finger's square around them; a tapped neuron's picture shows at the top of the
    screen while the plot is out of sight."""
    viewport, scale = SCREENS["phone-390x844"]
    with open_tab(browser, server, "pages-phone-finger", viewport, scale, phone=True) as tab:
        page = tab.page
        open_app(page, tab.base_url)
        captions = page.locator(".caption")
        expect(captions.first).to_have_text(re.compile(r"^4\b"))
        plus = page.locator(".ui-numNodes0 button").first
        minus = page.locator(".ui-numNodes0 button").nth(1)
        plus.scroll_into_view_if_needed()
        x, y = centre(plus.bounding_box())
        # What shows of the button (its ::before, live_view.css) on the screen.
        seen = plus.evaluate(
            "el => el.getBoundingClientRect().width / el.offsetWidth"
            " * parseFloat(getComputedStyle(el, '::before').width)"
        )
        assert seen < 40, "the test is for a button that looks smaller than a finger"
        page.touchscreen.tap(x - 19, y)  # beside the button, within a finger's square
        expect(captions.first).to_have_text(re.compile(r"^5\b"))
        x, y = centre(minus.bounding_box())
        page.touchscreen.tap(x + 19, y + 8)
        expect(captions.first).to_have_text(re.compile(r"^4\b"))

        peek = page.locator(".peek")
        expect(peek).to_be_hidden()
        neuron = page.locator('.diagram-keys button[aria-label="Neuron 4 of layer 1"]')
        neuron.scroll_into_view_if_needed()
        box = neuron.bounding_box()
        assert box["height"] < 40
        plot = page.locator(".output-plot").bounding_box()
        assert plot["y"] + plot["height"] < 0, "the plot should be above the screen"
        x, y = centre(box)
        page.touchscreen.tap(x, y + 18)  # under the node, within a finger's square
        expect(peek).to_be_visible()
        expect(peek).to_contain_text("Neuron 4 of layer 1", ignore_case=True)
        shown = peek.bounding_box()
        assert shown["y"] >= 0, shown
        assert shown["x"] + shown["width"] <= viewport[0], shown
        page.screenshot(path=str(artifact_path("pages-phone-peek")))
        page.locator(".heading-hidden .hint").tap()  # elsewhere: the picture goes
        expect(peek).to_be_hidden()
