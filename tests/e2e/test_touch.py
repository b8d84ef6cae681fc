"""A finger on a phone (390x844, touch, 3 device pixels per CSS pixel): every target
takes a tap anywhere in a finger's square (44x44 CSS px) around it, on every page, and
a tapped neuron's picture shows where the student is looking.

A target's square is probed at a 5x5 grid of points but its corners (touch_probe.js): for the diagram's
neurons, a touch pointerdown at each point must preview that neuron (its peek names
it); for every other control, what lies under each point must be the control, a part
of it, or the label that holds it. Screenshots: test-artifacts/touch-*.png.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .app_page import open_app
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
