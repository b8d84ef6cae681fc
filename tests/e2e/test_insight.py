"""The training views in headless Chromium: accuracy beside the losses, the confusion
matrix and the gradient bars under the output plot (assets/insight.js)."""

import re

import pytest
from playwright.sync_api import expect

from playground.colors import class_colors
from playground.state import PlaygroundState
from playground.views.data_picker import GAP, TILE

from .app_page import TRAINING_PATIENCE_S, dataset_picker, epoch, open_app, wait_until

pytestmark = pytest.mark.browser

THREE_CLASSES = "dataset=blobs&numClasses=3&loss=crossEntropy&optimizer=adam&learningRate=0.03"
SEED = "1"
ACCURACY = re.compile(r"Test accuracy\s*([0-9.]+) %\s*Training accuracy\s*([0-9.]+) %")
TRAINED_EPOCHS = 30


def rgb(hex_colour: str) -> str:
    """``#f59322`` as the browser's computed style writes it: ``rgb(245, 147, 34)``."""
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_a_three_class_scene_shows_accuracy_a_confusion_grid_and_gradient_bars(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?{THREE_CLASSES}&seed={SEED}")
    losses = page.locator(".losses div").first
    expect(losses).to_contain_text(ACCURACY)

    grid = page.locator(".confusion-grid")
    expect(grid.locator(".cell")).to_have_count(9)
    expect(page.locator(".confusion .insight-title")).to_contain_text("actual (rows)")
    headers = grid.locator(".class-name")
    expect(headers).to_have_count(6)  # three columns (predicted), three rows (actual)
    for header, colour in zip(headers.all()[:3], class_colors(3), strict=True):
        expect(header).to_have_css("color", rgb(colour))
    bars = page.locator(".gradients .bar-slot")
    expect(bars).to_have_count(3)  # the default 2-4-2 network: in→h1, h1→h2, h2→out
    expect(page.locator(".gradient-labels")).to_have_text("in→h1h1→h2h2→out")

    play = page.locator(".ui-playButton button")
    play.click()
    assert wait_until(lambda: epoch(page) >= TRAINED_EPOCHS, TRAINING_PATIENCE_S)
    play.click()
    page.wait_for_timeout(500)  # the last frames land

    counts = [
        [int(text) for text in grid.locator(".cell").all_inner_texts()[r : r + 3]]
        for r in (0, 3, 6)
    ]
    test_points = len(PlaygroundState(seed=SEED, dataset="blobs", num_classes=3).data.y_test)
    assert sum(map(sum, counts)) == test_points
    right = sum(counts[k][k] for k in range(3))
    shown_test = float(ACCURACY.search(losses.inner_text())[1])
    assert shown_test == pytest.approx(100 * right / test_points, abs=0.05)
    assert shown_test > 80  # three well-separated blobs are learnt by then
    for bar in bars.locator(".bar").all():
        box = bar.bounding_box()
        assert box
        assert box["height"] > 0
    assert tab.console_errors == []


def test_picking_adam_and_three_blobs_learns_them(tab):
    """As a student would: choose the optimizer and the loss in their dropdowns, the
    blobs in the dataset picker (three classes, as its tile shows), then play. The
    Classes dropdown, named, appears under the tiles and moves nothing."""
    page = tab.page
    open_app(page, f"{tab.base_url}?seed={SEED}&learningRate=0.03")
    page.locator(".ui-optimizer select").select_option(label="Adam")
    expect(page).to_have_url(re.compile(r"[?&]optimizer=adam(&|$)"))
    expect(page.locator(".ui-beta1")).to_be_visible()  # Adam's own settings appear
    expect(page.locator(".ui-momentum")).to_be_hidden()
    page.locator(".ui-loss select").select_option(label="Cross-entropy")
    classes = page.get_by_role("combobox", name="Classes")
    expect(classes).to_be_hidden()  # the circle has two classes: nothing to count
    below = page.locator(".ui-percTrainData").first
    tiles_box, below_box = dataset_picker(page).bounding_box(), below.bounding_box()
    # Blobs is the sixth classification tile: two per row, third row, second column.
    dataset_picker(page).click(
        position={"x": TILE + GAP + TILE / 2, "y": 2 * (TILE + GAP) + TILE / 2}
    )
    expect(page).to_have_url(re.compile(r"[?&]dataset=blobs&.*numClasses=3(&|$)"))
    expect(classes).to_be_visible()
    expect(classes).to_have_value("3")
    expect(page.locator(".confusion-grid .cell")).to_have_count(9)
    assert dataset_picker(page).bounding_box() == tiles_box
    assert below.bounding_box() == below_box
    classes_box = classes.bounding_box()
    assert tiles_box["y"] + tiles_box["height"] <= classes_box["y"] < below_box["y"]

    page.locator(".ui-playButton button").click()
    losses = page.locator(".losses div").first

    def test_accuracy() -> float:
        found = ACCURACY.search(losses.inner_text())
        return float(found[1]) if found else 0.0

    assert wait_until(lambda: test_accuracy() > 90, TRAINING_PATIENCE_S), losses.inner_text()
    assert tab.console_errors == []
