"""Reading /app in headless Chromium, for the browser tests: its counters and pictures,
its address, and where the network diagram draws its nodes and links.

Panel renders into shadow DOM; Playwright's CSS locators pierce open shadow roots, so
``.ui-activation select`` finds the select inside the widget's shadow root. Text inside
an HTML pane lives in its shadow root too: read it from the inner ``div``.
"""

import math
import re
import time
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect

from playground.engine import FEATURES
from playground.views.network import FAN, FEATURE_LEFT, NODE, PAD, ROW, hidden_lefts

SEED = "0.31415"
EPOCH = re.compile(r"(\d{3}),(\d{3})")
TEST_LOSS = re.compile(r"Test loss\s*([-+0-9.eE]+|NaN)")
PLAYING, PAUSED = "❚❚", "▶"
NETWORK_WIDTH = 500  # NetworkDiagram.network_width's default, which the app uses
SESSION_END = "session ended: training loop stopped"
# The default scene with seed 0.31415, trained headless (`python -m playground train
# --seed 0.31415 --epochs 600 --json`): test loss 0.032 at epoch 50, under LEARNT_LOSS
# from epoch 43 on. LEARNT_BY_EPOCH leaves a margin.
LEARNT_BY_EPOCH, LEARNT_LOSS = 60, 0.05
TRAINING_PATIENCE_S = 120  # a safety net for a stuck page, not a speed requirement
# The page and the server answer a click or a link within this, however busy the machine
# (two test processes, each with its browser and servers, on two cores): also a safety
# net. Playwright's assertions wait as long (conftest.py).
ANSWER_S = 30


# -- reading the page --------------------------------------------------------------------


def open_app(page: Page, url: str) -> None:
    """Opens the app and waits until its first frame is drawn and the live view has
    sized itself to the window (assets/fit.js)."""
    page.goto(url)
    expect(page.locator(".epoch div").first).to_contain_text(EPOCH)
    expect(page.locator(".losses div").first).to_contain_text("Test loss")
    expect(output_plot(page).locator("canvas").first).to_be_visible()
    expect(network_canvas(page)).to_be_visible()
    wait_until_sized(output_plot(page))


def wait_until_sized(locator: Locator, timeout_s: float = ANSWER_S) -> None:
    """Until the element's box is the same twice, 200 ms apart."""
    boxes = [None]

    def same_again() -> bool:
        boxes.append(locator.bounding_box())
        return boxes[-1] == boxes[-2]

    assert wait_until(same_again, timeout_s, 0.2), "it kept changing size"


def epoch(page: Page) -> int:
    match = EPOCH.search(page.locator(".epoch div").first.inner_text())
    assert match, page.locator(".epoch div").first.inner_text()
    return int(match[1] + match[2])


def shown_test_loss(page: Page) -> float:
    text = page.locator(".losses div").first.inner_text()
    match = TEST_LOSS.search(text)
    assert match, text
    return float(match[1])


def output_plot(page: Page) -> Locator:
    """The big heatmap with its points and axes (in the live view)."""
    return page.locator(".output-plot").first


def dataset_picker(page: Page) -> Locator:
    """The dataset tiles (class ``ui-dataset``), from their top left corner's margin."""
    return page.locator(".ui-dataset").first


def network_canvas(page: Page) -> Locator:
    return page.locator(".network-diagram canvas").first


def selected_label(page: Page, hide_id: str) -> str:
    return page.locator(f".ui-{hide_id} select").evaluate("s => s.selectedOptions[0].text")


def wait_until(condition, timeout_s: float, interval_s: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout_s
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval_s)


def picture(locator: Locator, inset: int = 3) -> bytes:
    """A PNG of the element's inside, on whole pixels: ``inset`` pixels off each side keep
    out neighbours' outlines (a focused figure's ring) and sub-pixel edges."""
    box = locator.bounding_box()
    assert box, "the element is not displayed"
    left, top = math.ceil(box["x"]) + inset, math.ceil(box["y"]) + inset
    right = math.floor(box["x"] + box["width"]) - inset
    bottom = math.floor(box["y"] + box["height"]) - inset
    clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
    return locator.page.screenshot(clip=clip, animations="disabled")


def stable_picture(locator: Locator, timeout_s: float = ANSWER_S) -> bytes:
    """The element's picture once two shots 250 ms apart are identical (redraw done)."""
    last = picture(locator)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(0.25)
        shot = picture(locator)
        if shot == last:
            return shot
        last = shot
    raise AssertionError("the picture kept changing")


def picture_after_change(locator: Locator, before: bytes, timeout_s: float = ANSWER_S) -> bytes:
    """Waits for the picture to differ from ``before``, then for the redraw to settle."""
    wait_until(lambda: picture(locator) != before, timeout_s, 0.2)
    return stable_picture(locator)


def move_mouse_away(page: Page) -> None:
    """Off every figure (onto the header), so no node preview or tooltip stays up."""
    page.mouse.move(600, 10)


def query(page: Page) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(page.url).query).items()}


def assert_epoch_advances(page: Page) -> None:
    first = epoch(page)
    assert wait_until(lambda: epoch(page) > first, ANSWER_S), f"epoch stuck at {first}"


def assert_epoch_stays(page: Page) -> None:
    time.sleep(0.3)  # a frame already on its way may still land
    first = epoch(page)
    time.sleep(1.0)
    assert epoch(page) == first, "the epoch counter still moves while paused"


# -- geometry of the network diagram (playground/views/network.py) -----------------------


def feature_node_centre(name: str) -> dict[str, float]:
    """An input node's centre in the diagram canvas' pixels (inputs are all drawn)."""
    row = list(FEATURES).index(name)
    return {"x": PAD + FEATURE_LEFT + NODE / 2, "y": PAD + row * ROW + NODE / 2}


def on_diagram(page: Page, point: dict[str, float]) -> dict[str, float]:
    """A point in the diagram's own pixels where the page shows it: the live view
    enlarges or shrinks the whole diagram to fit the window (assets/fit.js)."""
    canvas = network_canvas(page)
    scale = canvas.bounding_box()["width"] / canvas.evaluate("c => c.offsetWidth")
    return {"x": point["x"] * scale, "y": point["y"] * scale}


def first_link_middle(shape: tuple[int, ...] = (4, 2), n_inputs: int = 2) -> dict[str, float]:
    """The middle of the link from the first input (X₁) to the first neuron of layer 1.

    The link is d3's horizontal diagonal, a cubic whose control points sit at the middle
    x, so at t = 1/2 it passes through the midpoint of its two ends.
    """
    x0, y0 = PAD + FEATURE_LEFT + NODE + 2, PAD + NODE / 2
    fan = (0 - (n_inputs - 1) / 2) / n_inputs * FAN
    x1, y1 = hidden_lefts(len(shape), NETWORK_WIDTH)[0] + PAD, PAD + NODE / 2 + fan
    return {"x": (x0 + x1) / 2, "y": (y0 + y1) / 2}
