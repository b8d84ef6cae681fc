"""Keyboard, touch and colour in the browser (issue 12, item 6): a run through a scene
with the keyboard alone, a tap that shows a node's map, and the colour-blind palette."""

import contextlib
import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from playground.colors import PALETTES
from playground.datasets import DATASETS
from playground.views.data_picker import COLUMNS, GAP, MARGIN, TILE
from playground.views.network import FAN, NODE, PAD, hidden_lefts

from .app_page import (
    ANSWER_S,
    NETWORK_WIDTH,
    PAUSED,
    PLAYING,
    SEED,
    assert_epoch_advances,
    dataset_picker,
    first_link_middle,
    network_canvas,
    on_diagram,
    open_app,
    output_plot,
    picture,
    picture_after_change,
    query,
    selected_label,
    stable_picture,
    wait_until,
)
from .harness import LOCAL_HOSTS, artifact_path
from .test_rough_edges import overlaps

pytestmark = pytest.mark.browser

MAX_TABS = 200  # presses to reach any control from anywhere on the page

# The element with the keyboard's focus, through the shadow roots Panel renders into:
# its name for a screen reader, its tag, and whether a focus ring is drawn.
FOCUSED = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    label: el.getAttribute("aria-label") || el.textContent.trim(),
    tag: el.tagName,
    pressed: el.getAttribute("aria-pressed"),
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, label: str, backwards: bool = False) -> dict:
    """Presses Tab (Shift+Tab) until the focused element is called ``label`` (a regex)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        if now and re.fullmatch(label, now["label"]):
            return now
    raise AssertionError(f"{MAX_TABS} presses of {key} never reached {label!r}")


def focused_label_becomes(page: Page, label: str, timeout_s: float = ANSWER_S) -> bool:
    return wait_until(
        lambda: re.fullmatch(label, (focused(page) or {}).get("label", "")), timeout_s
    )


def test_a_scene_run_with_the_keyboard_alone(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}")
    # A dataset tile: named, ringed, picked with Enter; the focus stays on it.
    tile = tab_to(page, f"Dataset {DATASETS['xor'].label}")
    assert tile["ring"], "the focused tile shows no focus ring"
    assert tile["pressed"] == "false"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]dataset=xor(&|$)"))
    assert wait_until(lambda: (focused(page) or {}).get("pressed") == "true", ANSWER_S)
    # A neuron more in the first hidden layer.
    button = tab_to(page, "Add a neuron to layer 1")
    assert button["ring"]
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]networkShape=5,2(&|$)"))
    assert focused_label_becomes(page, "Add a neuron to layer 1")  # kept through the rebuild
    # An input switched off with Enter, and on again with Space.
    node = tab_to(page, "Input X₁, on")
    assert node["ring"]
    assert node["pressed"] == "true"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]x=false(&|$)"))
    assert focused_label_becomes(page, "Input X₁, off")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"[?&]x=true(&|$)"))
    assert focused_label_becomes(page, "Input X₁, on")
    # Tab goes from node to node; the arrow keys reach a neuron's bias and weights.
    tab_to(page, "Neuron 1 of layer 1")
    page.keyboard.press("ArrowDown")
    assert re.fullmatch(r"Bias of neuron 1 of layer 1: [-0-9.e]+", focused(page)["label"])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    link = focused(page)
    assert re.fullmatch(r"Weight from X₂ to neuron 1 of layer 1: [-0-9.e]+", link["label"])
    assert link["ring"]
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Neuron 2 of layer 1"
    page.keyboard.press("ArrowUp")
    assert focused(page)["label"] == link["label"]
    # A weight: Enter opens the editor with the focus in its box; Enter there sets it and
    # brings the focus back to the link, whose name now says the new value.
    page.keyboard.press("Enter")
    assert wait_until(lambda: (focused(page) or {}).get("tag") == "INPUT", ANSWER_S)
    page.keyboard.type("0.75")  # over the old value, which the editor selects
    page.keyboard.press("Enter")
    assert focused_label_becomes(page, "Weight from X₂ to neuron 1 of layer 1: 0.75")
    editor = page.locator(".link-editor input")
    expect(editor).to_be_hidden()  # Enter closed it
    # Escape closes the editor without a change, and the focus is back on the link.
    page.keyboard.press("Enter")
    expect(editor).to_be_visible()
    page.keyboard.press("Escape")
    expect(editor).to_be_hidden()
    assert focused_label_becomes(page, "Weight from X₂ to neuron 1 of layer 1: 0.75")
    # Space on the Play button (named "Play" while it shows its symbol) plays, and again
    # pauses; the focus stays on it, now "Pause".
    play = tab_to(page, "Play", backwards=True)
    assert play["tag"] == "BUTTON"
    assert play["ring"], "Panel's buttons show where the focus is"
    dropdown = tab_to(page, "(?s).*0[.]03.*")  # the learning rate's options
    assert dropdown["tag"] == "SELECT"
    assert dropdown["ring"], "Panel's dropdowns show where the focus is"
    play = tab_to(page, "Play", backwards=True)
    page.keyboard.press("Space")
    expect(page.locator(".ui-playButton button")).to_have_text(PLAYING)
    assert focused_label_becomes(page, "Pause")
    assert_epoch_advances(page)
    page.keyboard.press("Space")
    expect(page.locator(".ui-playButton button")).to_have_text(PAUSED)
    assert focused_label_becomes(page, "Play")
    assert tab.console_errors == []


def test_every_diagram_item_has_a_name(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}")
    keys = page.locator(".diagram-keys button")
    # 7 inputs, 4 + 2 neurons and the output; their 7 biases; 2·4 + 4·2 + 2·1 links.
    expect(keys).to_have_count(14 + 7 + 18)
    labels = keys.evaluate_all("buttons => buttons.map(b => b.getAttribute('aria-label'))")
    assert labels[:2] == ["Input X₁, on", "Input X₂, on"]
    assert "Input sin(X₂), off" in labels
    assert "Neuron 3 of layer 1" in labels
    assert "Output" in labels
    assert any(re.fullmatch(r"Bias of output: -?[0-9.e-]+", label) for label in labels)
    assert len(set(labels)) == len(labels)
    add_layer = page.locator(".ui-numHiddenLayers button").first
    expect(add_layer).to_have_attribute("aria-label", "Add a hidden layer")


@contextlib.contextmanager
def touch_page(browser, base_url: str, name: str):
    """A phone-like tab: touch events, offline but for the server."""
    context = browser.new_context(viewport={"width": 1300, "height": 800}, has_touch=True)
    context.set_default_timeout(15_000)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname in LOCAL_HOSTS
            else route.abort()
        ),
    )
    page = context.new_page()
    try:
        open_app(page, f"{base_url}?seed={SEED}")
        yield page
    finally:
        page.screenshot(path=str(artifact_path(name)))
        context.close()


def test_a_tap_on_a_neuron_shows_its_map_until_the_next_tap(browser, server, request):
    with touch_page(browser, server.base_url, request.node.name) as page:
        plot, canvas = output_plot(page), network_canvas(page)
        # The diagram (and the plot beside it) near the top of the screen: a touch
        # screen's controls are a finger tall, and push them down.
        canvas.evaluate("el => window.scrollBy(0, el.getBoundingClientRect().top - 120)")
        output = stable_picture(plot)
        neuron = {"x": hidden_lefts(2, NETWORK_WIDTH)[0] + PAD + NODE / 2, "y": PAD + NODE / 2}
        canvas.tap(position=on_diagram(page, neuron))
        mapped = picture_after_change(plot, output)
        assert mapped != output, "the tap showed no map"
        time.sleep(1.0)  # no hover holds it: the map stays up by itself
        assert picture(plot) == mapped
        # Nothing there, and in the first screen: a tap below it would scroll the page,
        # and with it the plot whose picture is taken.
        canvas.tap(position=on_diagram(page, {"x": neuron["x"], "y": 260}))
        assert wait_until(lambda: picture(plot) == output, ANSWER_S), (
            "the map stayed after a tap away"
        )


def test_the_colour_blind_palette_recolours_without_retraining(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}&palette=colorblind")
    select = page.locator(".ui-palette select")
    assert selected_label(page, "palette") == PALETTES["colorblind"].label
    plot = output_plot(page)
    safe = stable_picture(plot)
    select.select_option(label=PALETTES["original"].label)
    expect(page).not_to_have_url(re.compile(r"[?&]palette="))
    original = picture_after_change(plot, safe)
    assert original != safe
    assert query(page)["seed"] == SEED
    assert page.locator(".epoch div").first.inner_text().endswith("000")


def test_the_link_tooltip_stays_inside_the_diagram(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}")
    # The link from the first neuron of layer 2 into the output, near the right edge: a
    # tooltip at the mouse would reach over the output column.
    x0 = hidden_lefts(2, NETWORK_WIDTH)[1] + PAD + NODE + 2
    x1, y0 = NETWORK_WIDTH + PAD, PAD + NODE / 2
    y1 = y0 + (0 - 1 / 2) / 2 * FAN  # fanned out at the output, as network.py does
    middle = {"x": (x0 + x1) / 2, "y": (y0 + y1) / 2}
    network_canvas(page).hover(position=on_diagram(page, middle))
    tooltip = page.locator(".net-stage .tooltip")
    expect(tooltip).to_contain_text("Weight is")
    shown, stage = tooltip.bounding_box(), page.locator(".net-stage").bounding_box()
    assert shown["x"] + shown["width"] <= stage["x"] + stage["width"] + 1
    assert shown["y"] + shown["height"] <= stage["y"] + stage["height"] + 1


def test_a_dataset_tile_s_name_covers_no_other_tile(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}")
    picker = dataset_picker(page)
    origin = picker.bounding_box()
    tiles = [
        {
            "x": origin["x"] + MARGIN + (TILE + GAP) * (k % COLUMNS),
            "y": origin["y"] + MARGIN + (TILE + GAP) * (k // COLUMNS),
            "width": TILE,
            "height": TILE,
        }
        for k in range(len(page.locator(".dataset-tiles button").all()))
    ]
    assert len(tiles) == 7  # six planes and the digits
    for k, tile in enumerate(tiles):
        picker.hover(position={"x": tile["x"] - origin["x"] + 5, "y": tile["y"] - origin["y"] + 5})
        tooltip = page.locator(".tile-name").filter(visible=True).first
        expect(tooltip).to_be_visible()
        shown = tooltip.bounding_box()
        covered = [j for j, other in enumerate(tiles) if j != k and overlaps(shown, other)]
        assert covered == [], f"tile {k}'s name covers tiles {covered}"


def test_escape_closes_an_editor_the_mouse_opened(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}")
    network_canvas(page).click(position=on_diagram(page, first_link_middle()))
    editor = page.locator(".link-editor input")
    expect(editor).to_be_visible()
    page.keyboard.press("Escape")  # the focus is still on the page, not in the box
    expect(editor).to_be_hidden()
    assert tab.console_errors == []
