"""The served app in headless Chromium: loading offline, training, the pictures, URLs
(reading the page: ``app_page.py``, whose helpers other browser tests import from here
too)."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from playground.views.data_picker import GAP, OUTLINE, PIXELS, TILE
from playground.views.page import TITLE

from .app_page import (
    ANSWER_S,
    LEARNT_BY_EPOCH,
    LEARNT_LOSS,
    PAUSED,
    PLAYING,
    SEED,
    SESSION_END,
    TRAINING_PATIENCE_S,
    assert_epoch_advances,
    assert_epoch_stays,
    dataset_picker,
    epoch,
    feature_node_centre,
    first_link_middle,
    move_mouse_away,
    network_canvas,
    on_diagram,
    open_app,
    output_plot,
    picture,
    picture_after_change,
    query,
    selected_label,
    shown_test_loss,
    stable_picture,
    wait_until,
)
from .harness import artifact_path, bad_lines, open_tab, running_server

pytestmark = pytest.mark.browser


# -- 1. loading offline ------------------------------------------------------------------


def test_loads_offline_without_errors(tab):
    page = tab.page
    open_app(page, tab.base_url)
    expect(page).to_have_title(TITLE)
    expect(page.locator(".epoch div").first).to_contain_text("000,000")
    assert page.locator(".network-diagram canvas").count() > 0
    # The plot takes what the first screen leaves: at 1300x800, under three rows of
    # controls, about 234 px.
    assert output_plot(page).locator("canvas").first.bounding_box()["width"] >= 220
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
                assert wait_until(lambda t=tab: t.frame_socket_messages > 0, ANSWER_S)


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
        assert wait_until(lambda: picture(plot) != before, ANSWER_S)
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
    assert wait_until(lambda: picture(plot) == before, ANSWER_S), "the preview stayed after leaving"
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
    assert wait_until(lambda: selected_label(page, "activation") == "ReLU", ANSWER_S)
    assert selected_label(page, "regularization") == "L1"
    assert selected_label(page, "learningRate") == "0.01"
    assert selected_label(page, "regularizationRate") == "0.001"
    expect(page.locator(".ui-batchSize .value")).to_have_text("1")
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
    expect(page.locator(".ui-batchSize .value")).to_have_text("30")
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
