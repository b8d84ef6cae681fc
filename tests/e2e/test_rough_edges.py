"""Issue 12's rough edges, in the browser: the link's notes, the embedding card, the
button tooltips, the dataset tiles, the output's checkboxes, hidden readouts, speed in
the URL, divergence and a huge typed weight."""

import re
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from PIL import Image  # Bokeh's own dependency
from playwright.sync_api import Locator, Page, expect

from playground.room_address import room_addresses
from playground.views.data_picker import GAP, MARGIN, TILE, picker_size
from playground.views.explain import TOPICS
from playground.views.page import TRANSPORT_HINTS

from .app_page import (
    ANSWER_S,
    PAUSED,
    assert_epoch_stays,
    dataset_picker,
    epoch,
    first_link_middle,
    network_canvas,
    on_diagram,
    open_app,
    output_plot,
    query,
    selected_label,
    wait_until,
)

pytestmark = pytest.mark.browser

NOTES_MAX_HEIGHT = 130  # px: four lines and a "Dismiss all", however many notes
PAGE_GREY = (247, 247, 247)  # playground.css's background, #f7f7f7
# A control is anything a click acts on.
CONTROLS = "button, select, input, textarea, .bk-slider-title, .ui-dataset canvas, .net-stage"


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found, "the element is not displayed"
    return found


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def control_boxes(page: Page) -> list[dict[str, float]]:
    """Every displayed control's box (Playwright's locators pierce the shadow roots)."""
    controls = page.locator(CONTROLS)
    found = [controls.nth(i).bounding_box() for i in range(controls.count())]
    return [b for b in found if b and b["width"] > 0 and b["height"] > 0]


def notes(page: Page) -> Locator:
    return page.locator(".url-notes .note")


# -- notes ------------------------------------------------------------------------------


def test_notes_close_go_with_their_setting_and_stay_a_few_lines_tall(tab):
    page = tab.page
    open_app(
        page,
        f"{tab.base_url}?batchSize=100&learningRate=banana&noise=99&speed=fast"
        "&activation=%3Cb%3Ex%3C/b%3E&networkShape=9",
    )
    expect(notes(page)).to_have_count(6)
    # A value is shown as typed, never as markup.
    expect(notes(page).first).to_contain_text("activation=<b>x</b> is not an activation")
    assert box(page.locator(".url-notes"))["height"] <= NOTES_MAX_HEIGHT
    assert box(output_plot(page))["y"] < page.viewport_size["height"]  # not pushed away
    # Its own close button
    notes(page).filter(has_text="batchSize=100").locator("button").click()
    expect(notes(page)).to_have_count(5)
    expect(page.locator(".url-notes")).not_to_contain_text("batchSize")
    # The setting changed: the note about it goes, the others stay.
    page.locator(".ui-learningRate select").select_option(label="0.1")
    expect(page.locator(".url-notes")).not_to_contain_text("learningRate")
    expect(notes(page)).to_have_count(4)
    page.locator(".ui-numHiddenLayers button", has_text="+").click()
    expect(page.locator(".url-notes")).not_to_contain_text("networkShape")
    page.locator(".url-notes .dismiss-all").click()
    expect(page.locator(".url-notes")).to_be_hidden()


# -- URL settings -----------------------------------------------------------------------


def test_speed_max_is_taken_from_the_url_and_speed_can_be_hidden(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?speed=max")
    expect(page.locator(".url-notes")).to_be_hidden()
    assert selected_label(page, "speed") == "max"
    assert wait_until(lambda: query(page).get("speed") == "max", ANSWER_S), page.url
    open_app(page, f"{tab.base_url}?speed_hide=true&learningRate=0.1")
    expect(page.locator(".ui-speed select")).to_be_hidden()
    expect(page.locator(".ui-learningRate select")).to_be_visible()
    assert wait_until(lambda: query(page).get("speed_hide") == "true", ANSWER_S), page.url


def test_hiding_the_ratio_hides_the_test_loss_readout(tab):
    page = tab.page
    page.goto(f"{tab.base_url}?percTrainData_hide=true")  # open_app waits for "Test loss"
    losses = page.locator(".losses div").first
    expect(losses).to_contain_text("Training loss")
    expect(page.locator(".epoch div").first).to_contain_text("000,000")
    expect(losses).not_to_contain_text("Test loss")
    expect(page.locator(".ui-percTrainData").first).to_be_hidden()


# -- the output's checkboxes ------------------------------------------------------------


def test_the_output_checkboxes_sit_under_the_plot_and_their_words_toggle_them(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed=0.31415")
    plot = box(output_plot(page))
    for hide_id, words, key in [
        ("showTestData", "Show test data", "showTestData"),
        ("discretize", "Discretize output", "discretize"),
    ]:
        control = page.locator(f".ui-{hide_id}").first
        checkbox = box(control)
        gap = checkbox["y"] - (plot["y"] + plot["height"])
        assert 0 <= gap <= 16, f"{words} is {gap:.0f} px under the plot"
        assert checkbox["x"] < plot["x"] + plot["width"]
        control.get_by_text(words, exact=True).click()
        expect(page).to_have_url(re.compile(rf"[?&]{key}=true(&|$)"))
        control.get_by_text(words, exact=True).click()
        expect(page).to_have_url(re.compile(rf"[?&]{key}=false(&|$)"))


# -- tooltips ---------------------------------------------------------------------------


@pytest.mark.parametrize("hide_text", [False, True], ids=["title", "no-title"])
def test_button_tooltips_never_cover_a_control(tab, hide_text):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed=0.31415&hideText={str(hide_text).lower()}")
    controls = control_boxes(page)
    for hide_id in ("resetButton", "playButton", "stepButton"):
        page.locator(f".ui-{hide_id} button").hover()
        tooltip = page.locator(".control-hint")
        expect(tooltip).to_be_visible()
        expect(tooltip).to_have_text(TRANSPORT_HINTS[hide_id.removesuffix("Button")])
        shown = box(tooltip)
        assert shown["y"] >= 0, "the tooltip is above the top of the page"
        covered = [c for c in controls if overlaps(shown, c)]
        assert covered == [], f"{hide_id}'s tooltip covers a control"
    # With Play's tooltip up, a click on Step reaches Step.
    page.locator(".ui-playButton button").hover()
    expect(page.locator(".control-hint")).to_be_visible()
    step = box(page.locator(".ui-stepButton button"))
    page.mouse.click(step["x"] + step["width"] / 2, step["y"] + step["height"] / 2)
    assert wait_until(lambda: epoch(page) == 1, ANSWER_S), f"epoch {epoch(page)} after a Step"


# -- the dataset picker -----------------------------------------------------------------


def test_dataset_tiles_fit_and_regression_leaves_no_white_block(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?seed=0.31415")
    picker = dataset_picker(page)
    width, height = picker_size("classification")
    assert box(picker)["width"] >= width
    assert box(picker)["height"] >= height
    page.locator(".ui-problem select").select_option(label="Regression")
    width, height = picker_size("regression")
    expect(picker).to_have_js_property("offsetHeight", height)
    ratio = box(page.locator(".ui-percTrainData").first)
    gap = ratio["y"] - (box(picker)["y"] + height)
    assert gap < 2 * GAP, f"{gap:.0f} px of nothing under the regression tiles"
    # Between the two tiles the page shows through: no white figure behind them.
    between = {"x": MARGIN + TILE + GAP / 2, "y": MARGIN + TILE / 2}
    shot = page.screenshot(clip={**_at(box(picker), between), "width": 1, "height": 1})
    assert _pixel(shot) == PAGE_GREY


def _at(origin: dict[str, float], offset: dict[str, float]) -> dict[str, float]:
    return {"x": round(origin["x"] + offset["x"]), "y": round(origin["y"] + offset["y"])}


def _pixel(png: bytes) -> tuple[int, int, int]:
    return Image.open(BytesIO(png)).convert("RGB").getpixel((0, 0))


# -- the embedding card -----------------------------------------------------------------


def test_the_embedding_card_wraps_and_gives_an_absolute_copyable_link(tab):
    page = tab.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page, f"{tab.base_url}?seed=0.31415&learningRate=0.1")
    closed_width = page.evaluate("document.documentElement.scrollWidth")
    page.locator(".embed").get_by_text("Use it in class").click()
    link = page.locator(".embed-link textarea").first
    expect(link).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/app\?activation="))
    assert "learningRate=0.1&" in link.input_value()
    # Opened at 127.0.0.1: the card says students cannot use that address, and offers
    # this computer's address on its network (the server here listens on 127.0.0.1 only,
    # so it also says how to start it for the room).
    note = page.locator(".embed-link .room-note")
    expect(note).to_contain_text("You opened this page at 127.0.0.1")
    port = urlsplit(page.url).port
    addresses = room_addresses()
    room = f"http://{addresses[0]}:{port}/app?" if addresses else "http://127.0.0.1"
    if addresses:
        # The server told its pages how it listens (on 127.0.0.1 only): not yet for students.
        expect(note).to_contain_text("Students can open it once the server runs as")
        expect(note).to_contain_text(f"--allow-websocket-origin {addresses[0]}:{port}")
        students = page.locator(".embed-link textarea").nth(1)
        expect(students).to_have_value(re.compile("^" + re.escape(room) + "activation="))
    else:
        expect(note).to_contain_text("on no network")
    expect(page.locator(".embed-link .https-hint")).to_contain_text("served over https")
    assert page.evaluate("document.documentElement.scrollWidth") <= closed_width
    card = box(page.locator(".embed").first)
    choices = box(page.locator(".embed-choices").first)
    assert choices["x"] + choices["width"] <= card["x"] + card["width"] + 1
    # Every label's words toggle their box.
    page.locator(".embed-choices").get_by_text("Play button", exact=True).click()
    expect(link).to_have_value(re.compile(r"[?&]playButton_hide=true(&|$)"))
    page.locator(".embed").get_by_text("Hide the title", exact=True).click()
    expect(link).to_have_value(re.compile(r"[?&]hideText=true(&|$)"))
    # The snippet (for students: at the room's address when there is one), and its
    # Copy button.
    snippet = page.locator(".embed-link textarea").nth(2)
    expect(snippet).to_have_value(re.compile("^" + re.escape(f'<iframe src="{room}')))
    page.locator(".embed-link button", has_text="Copy").nth(2).click()
    expect(page.locator(".embed-link .status").nth(2)).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == snippet.input_value()
    assert "&amp;playButton_hide=true" in copied  # the src attribute, escaped for HTML
    assert tab.console_errors == []


def test_the_explainer_opens_with_every_topic(tab):
    """Its text joins the page when it is first opened (views/cards.py)."""
    page = tab.page
    open_app(page, f"{tab.base_url}?seed=0.31415")
    expect(page.get_by_text(TOPICS["Neurons"])).to_have_count(0)
    page.locator(".explain-card").get_by_text("What am I looking at?").click()
    for title, text in TOPICS.items():
        expect(page.get_by_text(text)).to_be_visible()
        expect(page.locator(".explain h5", has_text=title)).to_be_visible()
    assert tab.console_errors == []


# -- divergence and huge weights --------------------------------------------------------


def test_after_divergence_play_and_step_say_why(tab):
    page = tab.page
    open_app(
        page,
        f"{tab.base_url}?problem=regression&activation=relu&learningRate=10"
        "&networkShape=8,8&seed=1",
    )
    play, message = page.locator(".ui-playButton button"), page.locator(".message")
    play.click()
    expect(message).to_contain_text("diverged", timeout=10_000)
    expect(play).to_have_text(PAUSED)
    assert_epoch_stays(page)  # the last frame's counter may paint after the message
    diverged_at = epoch(page)
    for button in (page.locator(".ui-stepButton button"), play):
        button.click()
        expect(message).to_be_visible()
        expect(message).to_contain_text("Press reset")
        expect(play).to_have_text(PAUSED)
        assert_epoch_stays(page)
        assert epoch(page) == diverged_at


def test_a_huge_typed_weight_leaves_the_server_log_clean(tab):
    page = tab.page
    log_offset = tab.server.log_size()
    open_app(page, f"{tab.base_url}?seed=0.31415")
    network_canvas(page).click(position=on_diagram(page, first_link_middle()))
    page.locator(".link-editor input").fill("1e308")
    page.locator(".ui-stepButton button").click()
    assert wait_until(lambda: epoch(page) == 1, ANSWER_S)
    page.locator(".ui-playButton button").click()
    page.wait_for_timeout(1500)
    page.locator(".ui-playButton button").click()
    logged = tab.server.log_since(log_offset)
    assert not re.search(r"Warning|Traceback|ERROR", logged), logged
