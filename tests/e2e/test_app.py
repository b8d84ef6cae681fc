"""The served app in headless Chromium: loading offline, training, the pictures, URLs.

Panel renders into shadow DOM; Playwright's CSS locators pierce open shadow roots, so
``.ui-activation select`` finds the select inside the widget's shadow root. Text inside
an HTML pane lives in its shadow root too: read it from the inner ``div``.
"""

import math
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from playground.engine import FEATURES
from playground.views.data_picker import GAP, OUTLINE, PIXELS, TILE
from playground.views.network import FAN, FEATURE_LEFT, NODE, PAD, ROW, hidden_lefts
from playground.views.page import TITLE

from .harness import artifact_path, bad_lines, open_tab, running_server

pytestmark = pytest.mark.browser

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


def wait_until_sized(locator: Locator, timeout_s: float = 5) -> None:
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


def stable_picture(locator: Locator, timeout_s: float = 10) -> bytes:
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


def picture_after_change(locator: Locator, before: bytes, timeout_s: float = 5) -> bytes:
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
    assert wait_until(lambda: epoch(page) > first, 5), f"epoch stuck at {first}"


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


# -- 1. loading offline ------------------------------------------------------------------


def test_loads_offline_without_errors(tab):
    page = tab.page
    open_app(page, tab.base_url)
    expect(page).to_have_title(TITLE)
    expect(page.locator(".epoch div").first).to_contain_text("000,000")
    assert page.locator(".network-diagram canvas").count() > 0
    assert output_plot(page).locator("canvas").first.bounding_box()["width"] >= 250
    page.wait_for_timeout(1000)  # late requests (fonts, icons) would show up by now
    assert tab.outside_requests == []
    assert tab.console_errors == []


def test_two_server_processes_serve_every_tab_offline(browser, tmp_path, request):
    # With --num-procs 2 a tab's websocket often reaches the process that did not render
    # its page; Panel then left its widgets' stylesheets on the CDN (28 outside requests
    # in 6 tabs before the fix). open_tab fails the test on any outside request.
    with running_server(tmp_path / "panel-serve.log", num_procs=2) as server:
        for number in range(6):
            with open_tab(browser, server, f"{request.node.name}_{number}") as tab:
                open_app(tab.page, f"{server.base_url}?seed={SEED}")
                expect(tab.page.locator(".epoch div").first).to_contain_text("000,000")
                tab.page.wait_for_timeout(500)  # late stylesheet requests
                assert tab.outside_requests == []
                assert tab.console_errors == []
                # The tab's own frame socket found the process that has its session
                # (one that reached the other process was closed and tried again).
                assert wait_until(lambda t=tab: t.frame_socket_messages > 0, 10)


def test_every_picture_is_drawn(tab):
    page = tab.page
    open_app(page, tab.base_url)
    for selector in (".output-plot canvas", "canvas.loss-chart"):
        canvas = page.locator(selector).first
        expect(canvas).to_be_visible()
        assert canvas.bounding_box()["width"] > 100, selector
    # Each dataset tile's picture, decoded at its full size: six planes and the digits.
    tiles = page.locator(".dataset-tiles img")
    expect(tiles).to_have_count(7)
    decoded = "images => images.map((i) => (i.complete ? i.naturalWidth : 0))"
    assert tiles.evaluate_all(decoded) == [(TILE - 2 * OUTLINE) * PIXELS] * 7


# -- 2. training -------------------------------------------------------------------------


def test_play_trains_until_the_circle_is_learnt_and_pause_stops(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}")
    assert epoch(page) == 0
    play = page.locator(".ui-playButton button")
    play.click()
    expect(play).to_have_text(PLAYING)
    assert_epoch_advances(page)
    # Counted in epochs, not seconds: a busy machine trains slower, not differently.
    assert wait_until(lambda: epoch(page) >= LEARNT_BY_EPOCH, TRAINING_PATIENCE_S), (
        f"epoch {epoch(page)} after {TRAINING_PATIENCE_S} s"
    )
    play.click()
    expect(play).to_have_text(PAUSED)
    assert_epoch_stays(page)
    assert epoch(page) >= LEARNT_BY_EPOCH
    assert shown_test_loss(page) < LEARNT_LOSS, f"at epoch {epoch(page)}"
    # The frames came over the tab's own socket (README's --plugins), not Bokeh's.
    assert tab.frame_sockets == 1
    assert tab.frame_socket_messages > 5


def test_without_the_frame_socket_route_frames_take_bokeh_s_socket(browser, tmp_path, request):
    # `panel serve playground/app.py` without README's --plugins still works as before.
    log_path = tmp_path / "panel-serve.log"
    with (
        running_server(log_path, frame_socket=False) as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        page = tab.page
        open_app(page, f"{server.base_url}?seed={SEED}")
        plot = output_plot(page)
        before = stable_picture(plot)
        page.locator(".ui-playButton button").click()
        assert_epoch_advances(page)
        assert wait_until(lambda: picture(plot) != before, 5)
        assert tab.frame_sockets == 0
        assert tab.console_errors == []


def test_space_toggles_play(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}")
    play = page.locator(".ui-playButton button")
    page.locator(".header").click()  # focus the page, not a control
    page.keyboard.press("Space")
    expect(play).to_have_text(PLAYING)
    assert_epoch_advances(page)
    page.keyboard.press("Space")
    expect(play).to_have_text(PAUSED)
    assert_epoch_stays(page)


# -- 3. edits redraw the output ----------------------------------------------------------


def change_dataset(page: Page, plot: Locator, before: bytes) -> None:
    # Tiles are 2 per row in the current problem's order: circle, xor / gauss, spiral.
    dataset_picker(page).click(position={"x": TILE + GAP + TILE / 2, "y": TILE / 2})
    expect(page).to_have_url(re.compile(r"[?&]dataset=xor(&|$)"))


def toggle_feature(page: Page, plot: Locator, before: bytes) -> None:
    # Hovering an input previews its map in the output; leaving must bring the output
    # back, or the click below would change the picture through a stuck preview.
    network_canvas(page).hover(position=on_diagram(page, feature_node_centre("ySquared")))
    assert picture_after_change(plot, before) != before, "hovering X₂² previewed nothing"
    move_mouse_away(page)
    assert wait_until(lambda: picture(plot) == before, 5), "the preview stayed after leaving"
    network_canvas(page).click(position=on_diagram(page, feature_node_centre("xSquared")))
    expect(page).to_have_url(re.compile(r"[?&]xSquared=true(&|$)"))


def add_layer(page: Page, plot: Locator, before: bytes) -> None:
    page.locator(".ui-numHiddenLayers button", has_text="+").click()
    expect(page).to_have_url(re.compile(r"[?&]networkShape=4,2,2(&|$)"))
    expect(page.locator(".num-layers div")).to_have_text("3 HIDDEN LAYERS")


def edit_weight(page: Page, plot: Locator, before: bytes) -> None:
    network_canvas(page).click(position=on_diagram(page, first_link_middle()))
    editor = page.locator(".link-editor")
    expect(editor.locator("input")).to_be_visible()
    expect(editor.locator("label")).to_contain_text("Weight X₁ → neuron 1 of layer 1")
    editor.locator("input").fill("3")


@pytest.mark.parametrize(
    "edit",
    [
        change_dataset,
        toggle_feature,
        pytest.param(add_layer),
        pytest.param(edit_weight),
    ],
    ids=["dataset", "feature", "layer", "weight"],
)
def test_edit_redraws_the_output(tab, edit):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}")
    plot = output_plot(page)
    move_mouse_away(page)
    before = stable_picture(plot)
    edit(page, plot, before)
    move_mouse_away(page)
    after = picture_after_change(plot, before)
    assert after != before, "the output picture did not change"
    assert epoch(page) == 0


# -- 4-7. URLs ---------------------------------------------------------------------------

TFP_SCENE = (
    "activation=relu&regularization=L1&batchSize=1&dataset=xor&learningRate=0.01"
    "&regularizationRate=0.001&networkShape=3&seed=0.31415&x=true&y=true&xTimesY=true"
    "&problem=classification"
)


@pytest.mark.parametrize(
    "separator",
    ["#", "?"],
    ids=["hash", "query"],
)
def test_tensorflow_playground_link_opens_its_scene(tab, separator):
    page = tab.page
    open_app(page, f"{tab.base_url}{separator}{TFP_SCENE}")
    expect(page).to_have_url(re.compile(r"\?.*\bactivation=relu\b"))
    assert wait_until(lambda: selected_label(page, "activation") == "ReLU", 3)
    assert selected_label(page, "regularization") == "L1"
    assert selected_label(page, "learningRate") == "0.01"
    assert selected_label(page, "regularizationRate") == "0.001"
    expect(page.locator(".ui-batchSize .bk-slider-value")).to_have_text("1")
    expect(page.locator(".num-layers div")).to_have_text("1 HIDDEN LAYER")
    expect(page.locator(".network-diagram")).to_contain_text("3 neurons")
    settings = query(page)
    assert settings["seed"] == "0.31415"
    assert settings["dataset"] == "xor"
    assert settings["networkShape"] == "3"
    assert settings["xTimesY"] == "true"
    assert "activation=" not in urlsplit(page.url).fragment
    expect(page.locator(".url-notes")).to_be_hidden()


def test_divergence_shows_the_message(tab):
    page = tab.page
    log_offset = tab.server.log_size()
    open_app(
        page,
        f"{tab.base_url}?problem=regression&activation=relu&learningRate=10"
        "&networkShape=8,8&seed=1",
    )
    message = page.locator(".message")
    expect(message).to_be_hidden()
    page.locator(".ui-playButton button").click()
    expect(message).to_be_visible(timeout=10_000)
    expect(message).to_contain_text("diverged")
    expect(page.locator(".ui-playButton button")).to_have_text(PAUSED)
    assert_epoch_stays(page)
    assert bad_lines(tab.server.log_since(log_offset)) == []


def test_bad_url_values_are_noted_and_clamped(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?batchSize=100&learningRate=banana")
    notes = page.locator(".url-notes")
    expect(notes).to_be_visible()
    expect(notes).to_contain_text("batchSize")
    expect(notes).to_contain_text("learningRate")
    expect(page.locator(".ui-batchSize .bk-slider-value")).to_have_text("30")
    assert selected_label(page, "learningRate") == "0.03"


def test_hidden_controls_and_text(tab):
    page = tab.page
    open_app(
        page,
        f"{tab.base_url}?playButton_hide=true&learningRate_hide=true&hideText=true"
        "&numHiddenLayers_hide=true",
    )
    expect(page.locator(".ui-playButton button")).to_be_hidden()
    expect(page.locator(".ui-numHiddenLayers button").first).to_be_hidden()
    expect(page.locator(".ui-numNodes0 button").first).to_be_visible()
    expect(page.locator(".ui-learningRate select")).to_be_hidden()
    expect(page.get_by_text("Watch a small")).to_be_hidden()
    expect(page.get_by_text("Every setting is live")).to_be_hidden()
    expect(page.locator(".ui-activation select")).to_be_visible()
    expect(page.locator(".ui-stepButton button")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]playButton_hide=true(&|$)"))
    settings = query(page)
    assert settings["learningRate_hide"] == "true"
    assert settings["hideText"] == "true"


# -- 8. closing a tab --------------------------------------------------------------------

# Bokeh destroys a closed tab's session once it has been unused for 3 s, checking every
# second (README's flags); the margin is for a loaded machine.
SESSION_END_S = 15


def test_closing_the_tab_ends_its_session(browser, tmp_path, request):
    # A server of its own, so that what the closed tab leaves in the log is this test's.
    with (
        running_server(tmp_path / "panel-serve.log") as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        page = tab.page
        open_app(page, f"{server.base_url}?seed={SEED}")
        play = page.locator(".ui-playButton button")
        play.click()
        expect(play).to_have_text(PLAYING)
        page.screenshot(path=str(artifact_path(request.node.name)))
        log_offset = server.log_size()
        page.close()
        assert server.wait_for_log(SESSION_END, log_offset, SESSION_END_S), (
            f"no {SESSION_END!r} in the server log {SESSION_END_S} s after the tab closed:\n"
            + server.log_since(log_offset)
        )
