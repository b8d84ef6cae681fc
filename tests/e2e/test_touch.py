"""A finger on a phone (390x844, touch, 3 device pixels per CSS pixel): every target
takes a tap anywhere in a finger's square (44x44 CSS px) around it, on every page, and
a tapped neuron's picture shows where the student is looking.

A target's square is probed at a 5x5 grid of points but its corners (touch_probe.js): for the diagram's
neurons, a touch pointerdown at each point must preview that neuron (its peek names
it); for every other control, what lies under each point must be the control, a part
of it, or the label that holds it. Screenshots: test-artifacts/touch-*.png.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .app_page import ANSWER_S, open_app
from .harness import artifact_path, open_tab
from .test_layout import SCREENS

pytestmark = pytest.mark.browser

PROBE = (Path(__file__).parent / "touch_probe.js").read_text()

# The neurons whose square a tap misses: for each neuron's probe point, the node whose
# picture the peek shows (null: none). A point on the neuron's own bias square is the
# bias's (a target of its own, drawn at the node's corner), and is skipped.
NEURONS_MISSED = """() => {
  const { deepAll, deepPoint, square } = window.touchProbe;
  const [peek] = deepAll(document, ".peek");
  const [caption] = deepAll(document, ".peek-caption");
  const missed = [];
  const keys = deepAll(document, ".diagram-keys .node-key");
  for (const key of keys) {
    const box = key.getBoundingClientRect();
    const label = key.getAttribute("aria-label").toLowerCase();
    const bias = key.nextElementSibling?.classList.contains("bias-key")
      ? key.nextElementSibling.getBoundingClientRect() : null;
    const scale = box.width / 30; // the node square's 30 px, as drawn
    const onBias = (x, y) => bias && Math.abs(x - (bias.left + bias.width / 2)) <= 4.5 * scale &&
      Math.abs(y - (bias.top + bias.height / 2)) <= 4.5 * scale;
    for (const [x, y] of square(box.left + box.width / 2, box.top + box.height / 2)) {
      if (onBias(x, y)) continue;
      const under = deepPoint(x, y);
      under.dispatchEvent(new PointerEvent("pointerdown", {
        bubbles: true, composed: true, clientX: x, clientY: y, pointerType: "touch",
      }));
      const shown = peek.classList.contains("shown") ? caption.textContent.toLowerCase() : null;
      const hit = shown !== null && (label === shown || label.startsWith(`input ${shown},`));
      if (!hit) missed.push([label, Math.round(x - box.left - box.width / 2),
        Math.round(y - box.top - box.height / 2), shown]);
    }
  }
  return { neurons: keys.length, missed };
}"""


PHONE_WIDTH = SCREENS["phone-390x844"][0][0]


def phone_tab(browser, server, name: str):
    viewport, scale = SCREENS["phone-390x844"]
    return open_tab(browser, server, name, viewport, scale, phone=True)


def probe_neurons(page: Page) -> dict:
    """Scrolls the diagram to the top of the screen (the plot above it, out of sight:
    a tapped neuron's picture then shows in the peek) and probes every neuron."""
    page.add_script_tag(content=PROBE)
    page.locator(".net-stage").first.evaluate(
        "el => window.scrollBy(0, el.getBoundingClientRect().top - 60)"
    )
    plot = page.locator(".output-plot").bounding_box()
    assert plot["y"] + plot["height"] < 0, "the plot should be above the screen"
    return page.evaluate(NEURONS_MISSED)


@pytest.mark.parametrize(
    "query", ["", "networkShape=8,8,8,8,8,8"], ids=["default", "six-layers-of-eight"]
)
def test_on_a_phone_every_neuron_takes_a_tap_in_a_fingers_square(browser, server, query):
    with phone_tab(browser, server, f"touch-neurons-{query or 'default'}") as tab:
        page = tab.page
        open_app(page, tab.base_url + ("?" + query if query else ""))
        found = probe_neurons(page)
        page.screenshot(path=str(artifact_path(f"touch-neurons-{query or 'default'}-diagram")))
        assert found["neurons"] >= 9, found
        assert not found["missed"], f"taps that missed their neuron: {found['missed'][:20]}"
        # Where the student looks: a tapped neuron's picture at the top of the screen.
        peek = page.locator(".peek")
        expect(peek).to_be_visible()
        shown = peek.bounding_box()
        assert shown["y"] >= 0
        assert shown["x"] + shown["width"] <= SCREENS["phone-390x844"][0][0]


# Every control a finger may tap, but the diagram's keys (for the keyboard; a neuron's
# square is probed above) and +/- buttons (a tap on the diagram within a finger's reach
# of one clicks it: touch.js, test_pages): the points of its finger's square that land
# elsewhere. A control inside a label is the label's square (a tap on the label is the
# control's); a slider's handle may be reached on its track too (a tap there moves it).
CONTROLS_MISSED = """() => {
  const { deepAll, deepPoint, square, inside } = window.touchProbe;
  const SELECTOR = "button, a[href], input:not([type=hidden]), select, textarea, summary, " +
    "[role=slider], [role=button], [role=checkbox], [role=tab]";
  const missed = [];
  let controls = 0;
  for (const el of deepAll(document, SELECTOR)) {
    if (el.closest(".diagram-keys, .network-diagram .buttons")) continue;
    const style = getComputedStyle(el);
    if (style.pointerEvents === "none" || style.visibility === "hidden") continue;
    if (!el.getBoundingClientRect().width) continue;
    const label = el.closest("label") ?? el.labels?.[0] ?? null;
    const area = label && label.contains(el) ? label : el;
    area.scrollIntoView({ block: "center", inline: "center" });
    const box = area.getBoundingClientRect();
    // A tap on its label, a slider's track or a multiple choice's box is the control's.
    const whole = el.closest(".noUi-target, .choices") ?? label;
    const ours = (under) => under && (inside(el, under) || (whole && inside(whole, under)));
    controls += 1;
    const [cx, cy] = [box.left + box.width / 2, box.top + box.height / 2];
    const misses = square(cx, cy).filter(([x, y]) => !ours(deepPoint(x, y)));
    if (misses.length) {
      const [x, y] = misses[0];
      const under = deepPoint(x, y);
      const what = under ? `${under.tagName.toLowerCase()}.${under.className}` : "nothing";
      const name = el.getAttribute("aria-label") || el.title || label?.textContent ||
        el.textContent || el.className;
      missed.push(`${el.tagName.toLowerCase()} "${String(name).trim().slice(0, 40)}" ` +
        `${Math.round(box.width)}x${Math.round(box.height)}: ${misses.length} of 21 points, ` +
        `first (${Math.round(x - cx)}, ${Math.round(y - cy)}) on ${what}`);
    }
  }
  return { controls, missed };
}"""

PAGES = {  # each page, and what shows that it has opened
    "app": ("app", ".net-stage"),
    "home": ("", ".home-card"),
    "optimizers": ("optimizers", ".counter"),
    "overfitting": ("overfitting", ".fit-figure canvas"),
    "hopfield": ("hopfield", ".hopfield-readout"),
    "sweep": ("sweep", ".sweep-readout"),
    "perceptron": ("perceptron", ".perceptron-readout"),
}


@pytest.fixture(scope="module")
def phone(browser, server):
    with phone_tab(browser, server, "touch-controls") as tab:
        yield tab


@pytest.mark.parametrize("name", list(PAGES))
def test_on_a_phone_every_control_takes_a_tap_in_a_fingers_square(phone, name):
    path, ready = PAGES[name]
    page = phone.page
    page.goto(phone.base_url.rsplit("/app", 1)[0] + "/" + path)
    expect(page.locator(ready).first).to_be_visible()
    page.wait_for_timeout(500)  # the pictures fit themselves to the screen
    page.add_script_tag(content=PROBE)
    found = page.evaluate(CONTROLS_MISSED)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifact_path(f"touch-controls-{name}")))
    assert found["controls"] >= 3, found
    assert not found["missed"], "\n".join(
        [f"{name}: controls under a finger's size:", *found["missed"]]
    )


# -- the diagram's +/- buttons and a neuron's bias -----------------------------------------

# Every +/- button of the diagram with its finger's square (44 px around its centre): the
# squares that overlap one another or a node's, and the points of each square (corners,
# edges' middles, centre) where something else lies.
BUTTON_SQUARES = """() => {
  const { deepAll, deepPoint, inside, centre, overlapping, FINGER_POINTS } = window.touchProbe;
  const [diagram] = deepAll(document, ".net-fit");
  window.scrollBy(0, diagram.getBoundingClientRect().top - 8);
  const buttons = deepAll(document, ".network-diagram .buttons button");
  const nodes = deepAll(document, ".diagram-keys .node-key");
  const missed = [];
  for (const button of buttons) {
    const [x, y] = centre(button);
    for (const [dx, dy] of FINGER_POINTS) {
      const under = deepPoint(x + dx, y + dy);
      if (!under || !inside(button, under)) {
        missed.push(`${button.dataset.key} (${dx}, ${dy}): ${under?.className ?? "nothing"}`);
      }
    }
  }
  const targets = [
    ...buttons.map((button) => [button.dataset.key, ...centre(button)]),
    ...nodes.map((node) => [node.getAttribute("aria-label"), ...centre(node)]),
  ];
  return { buttons: buttons.length, missed, overlapping: overlapping(targets) };
}"""

# The number of hidden layers, then each layer's neurons, as the diagram's words say.
COUNTS = """() => window.touchProbe.deepAll(document, ".num-layers, .neuron-row .caption")
  .map((el) => parseInt(el.textContent, 10))"""

# Whether the counts are ``expected`` (null: any number).
COUNTED = f"""(expected) => {{
  const now = ({COUNTS})();
  return now.length === expected.length && now.every((n, k) => [null, n].includes(expected[k]));
}}"""

# The button's centre on the screen once it is in the middle of it (the touch screen's
# coordinates: the visual viewport's, which a phone may scroll apart from the page's), and
# whether it is disabled.
BUTTON_AT = """(key) => {
  const { deepAll, centre } = window.touchProbe;
  const [button] = deepAll(document, `.network-diagram button[data-key="${key}"]`);
  button.scrollIntoView({ block: "center" });
  const [x, y] = centre(button);
  const { offsetLeft, offsetTop, scale } = visualViewport;
  return [(x - offsetLeft) * scale, (y - offsetTop) * scale,
    button.getAttribute("aria-disabled") === "true"];
}"""


def counts(page: Page) -> list[int]:
    return page.evaluate(COUNTS)


def after_tap(before: list[int], key: str) -> list[int | None]:
    """The counts that a tap on the button ``key`` gives ("layers:1", "neurons:0:-1"); a
    new layer's neurons (None) are the app's to choose."""
    kind, *where = key.split(":")
    if kind == "layers":
        return (
            [before[0] + 1, *before[1:], None] if where == ["1"] else [before[0] - 1, *before[1:-1]]
        )
    layer, step = int(where[0]), int(where[1])
    return [n + step if k == layer + 1 else n for k, n in enumerate(before)]


def tap_every_point(page: Page, plus: str, minus: str) -> None:
    """Taps each point of the finger's squares of a + and its - in turn (the enabled one
    first, so that every tap changes something and the next one undoes it), and checks
    after each that the counts changed as that button, and only it, would change them."""
    for dx, dy in ((dx, dy) for dx in (-21, 0, 21) for dy in (-21, 0, 21)):
        plus_disabled = page.evaluate(BUTTON_AT, plus)[2]
        for key in (minus, plus) if plus_disabled else (plus, minus):
            before = counts(page)
            x, y, _ = page.evaluate(BUTTON_AT, key)
            page.touchscreen.tap(x + dx, y + dy)
            expected = after_tap(before, key)
            try:
                page.wait_for_function(COUNTED, arg=expected, timeout=ANSWER_S * 1000)
            except PlaywrightTimeout:
                pytest.fail(
                    f"a tap at ({dx}, {dy}) from {key}'s centre: the counts {before} became "
                    f"{counts(page)}, not {expected}"
                )


@pytest.mark.parametrize("shape", ["", "8,8,8,8,8,8"], ids=["default", "six-layers-of-eight"])
def test_on_a_phone_each_plus_and_minus_owns_a_fingers_square(phone, shape):
    page = phone.page
    open_app(page, phone.base_url + (f"?networkShape={shape}" if shape else ""))
    page.add_script_tag(content=PROBE)
    found = page.evaluate(BUTTON_SQUARES)
    page.screenshot(path=str(artifact_path(f"touch-buttons-{shape.replace(',', '') or 'default'}")))
    layers = len(counts(page)) - 1
    assert found["buttons"] == 2 + 2 * layers, found
    # A phone widens its page past the screen for what does not fit (then scrolls sideways).
    widths = page.evaluate("[innerWidth, document.documentElement.scrollWidth]")
    assert widths == [PHONE_WIDTH] * 2, f"the page is {widths} px wide on a {PHONE_WIDTH} px phone"
    assert not found["missed"], f"points of a button's square that miss it: {found['missed']}"
    assert not found["overlapping"], f"squares that overlap: {found['overlapping']}"
    for k in range(layers):
        tap_every_point(page, f"neurons:{k}:1", f"neurons:{k}:-1")
    tap_every_point(page, "layers:1", "layers:-1")


# The +/- rows as a mouse sees them: the diagram's classes, its text enlargement, the
# rows' heights, the gap between a + and its -, the buttons' sides and their finger's
# square (none).
MOUSE_ROWS = """() => {
  const { deepAll } = window.touchProbe;
  const [diagram] = deepAll(document, ".network-diagram");
  const px = (selector, property) =>
    deepAll(document, selector).map((el) => parseFloat(getComputedStyle(el)[property]));
  const [button] = deepAll(document, ".network-diagram .buttons button");
  return {
    classes: diagram.className,
    grow: parseFloat(diagram.style.getPropertyValue("--grow")),
    side: parseFloat(diagram.style.getPropertyValue("--button")),
    header: px(".layer-header", "height")[0],
    rows: px(".neuron-row", "height")[0],
    gaps: px(".network-diagram .buttons", "columnGap"),
    widths: px(".network-diagram .buttons button", "width"),
    square: getComputedStyle(button, "::before").content,
  };
}"""


def test_with_a_mouse_the_buttons_are_the_originals(browser, server):
    """At 1920x1080 with a mouse nothing of a finger's layout applies: the header 32 px
    and the +/- row 46 px tall (times the text's enlargement), a + and its - 2 px apart."""
    viewport, scale = SCREENS["desktop-1920x1080"]
    with open_tab(browser, server, "touch-mouse-rows", viewport, scale) as tab:
        open_app(tab.page, tab.base_url + "?networkShape=8,8,8,8,8,8")
        tab.page.add_script_tag(content=PROBE)
        found = tab.page.evaluate(MOUSE_ROWS)
    assert found["classes"].split() == ["network-diagram"], found
    assert found["header"] == pytest.approx(32 * found["grow"], abs=0.01), found
    assert found["rows"] == pytest.approx(46 * found["grow"], abs=0.01), found
    assert found["gaps"] == [2] * 7, found
    assert found["widths"] == [found["side"]] * 14, found
    assert found["square"] == "none", found


# Where a target is, on the touch screen (the visual viewport, which a phone may scroll
# apart from the page), and its box as the page has it.
ON_SCREEN = """(el) => {
  const box = el.getBoundingClientRect();
  const { offsetLeft, offsetTop, scale } = visualViewport;
  const centre = [box.left + box.width / 2, box.top + box.height / 2];
  return { x: (centre[0] - offsetLeft) * scale, y: (centre[1] - offsetTop) * scale, centre,
    box: [box.left, box.top, box.width, box.height] };
}"""

# The points of the bias button's finger's square where something else lies.
BIAS_SQUARE = """() => {
  const { deepAll, deepPoint, inside, centre, FINGER_POINTS } = window.touchProbe;
  const [edit] = deepAll(document, ".bias-edit");
  const [x, y] = centre(edit);
  return FINGER_POINTS.filter(([dx, dy]) => !inside(edit, deepPoint(x + dx, y + dy)));
}"""


def test_on_a_phone_a_tapped_neurons_bias_has_a_fingers_button(phone):
    """A tap in a neuron's square shows its bias at the foot of the screen (and opens
    nothing); a tap anywhere in the bias button's finger's square opens the bias's
    editor, and not the neuron's picture."""
    page = phone.page
    open_app(page, phone.base_url)
    page.add_script_tag(content=PROBE)
    node = page.locator('.diagram-keys button[aria-label="Neuron 2 of layer 1"]')
    node.evaluate("el => el.scrollIntoView({ block: 'center' })")
    bar, edit = page.locator(".bias-bar"), page.locator(".bias-edit")
    editor = page.locator(".link-editor input")
    expect(bar).to_be_hidden()
    for dx, dy in ((dx, dy) for dx in (-21, 0, 21) for dy in (-21, 0, 21)):
        at = node.evaluate(ON_SCREEN)
        page.touchscreen.tap(at["x"] + dx, at["y"] + dy)
        expect(bar).to_be_visible()
        expect(bar).to_contain_text(re.compile(r"^Neuron 2 of layer 1: bias -?[0-9.]+"))
        expect(editor).to_be_hidden()
        if (dx, dy) == (0, 0):
            page.screenshot(path=str(artifact_path("touch-bias-bar")))
        assert not page.evaluate(BIAS_SQUARE), "points of the bias button's square that miss it"
        button = edit.evaluate(ON_SCREEN)
        apart = [abs(a - b) for a, b in zip(button["centre"], at["centre"], strict=True)]
        assert max(apart) >= 44, f"the node's and the bias's squares overlap: {apart}"
        page.touchscreen.tap(button["x"] + dx, button["y"] + dy)
        expect(editor).to_be_visible()
        expect(page.locator(".link-editor")).to_contain_text("Bias of neuron 2 of layer 1")
        expect(bar).to_be_hidden()
        page.keyboard.press("Escape")
        expect(editor).to_be_hidden()

    # The editor's own controls take a finger too: its box, and its close button.
    def tap(locator) -> None:
        at = locator.evaluate(ON_SCREEN)
        page.touchscreen.tap(at["x"], at["y"])

    tap(node)
    tap(edit)
    close = page.locator(".close-editor button")
    for control in (editor, close):
        _, _, width, height = control.evaluate(ON_SCREEN)["box"]
        assert min(width, height) >= 44, (width, height)
    tap(close)
    expect(editor).to_be_hidden()
