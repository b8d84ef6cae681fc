"""Data of one's own in Chromium: drawn points trained to 100 % and given back by their
link, a CSV uploaded by the file picker and by dropping it, every malformed file of the
fuzz set refused with its note, the digits' scene at 90 %, and each Save button's
download, which opens again."""

import io
import json
import re
import subprocess
import sys
import time

import pytest
from playwright.sync_api import Page, expect

from playground import reference
from playground.datasets import read_csv
from playground.datasets.own import decode_points
from playground.scene_file import loads
from playground.views.image_inputs import DIGITS_SCENE
from tests.csv_fuzz import MALFORMED

from .app_page import ANSWER_S, open_app, output_plot, query, wait_until
from .harness import open_tab

pytestmark = pytest.mark.browser

PATIENCE_S = 120  # a safety net for a stuck page, not a speed requirement
PLOT = {"box": 300, "pad": 20, "width": 322}  # assets/paint.js OUT, the plot's own pixels
ACCURACY = re.compile(r"(Test|Training) accuracy\s*([0-9.]+) %")
DIGITS_LINK = (
    "dataset=digits&networkShape=8&optimizer=adam&loss=crossEntropy&learningRate=0.01"
    "&init=glorot&seed=1"
)


def open_digits(page: Page, url: str) -> None:
    """As ``open_app``, for a table of images: the plot shows test images, no heatmap."""
    page.goto(url)
    expect(page.locator(".losses div").first).to_contain_text("Test accuracy")
    expect(page.locator(".output-plot.gallery canvas.points")).to_be_visible()


def accuracies(page: Page) -> dict[str, float]:
    text = page.locator(".losses div").first.inner_text()
    return {kind: float(value) for kind, value in ACCURACY.findall(text)}


def click_plot(page: Page, x: float, y: float) -> None:
    """A click at (x, y) in plot units, where the page shows that place."""
    box = output_plot(page).bounding_box()
    scale = box["width"] / PLOT["width"]
    size = PLOT["box"] - 2 * PLOT["pad"]
    px = box["x"] + (PLOT["pad"] + (x + 6) / 12 * size) * scale
    py = box["y"] + (PLOT["pad"] + (6 - y) / 12 * size) * scale
    page.mouse.click(px, py)


def play_until(page: Page, condition) -> None:
    page.locator(".ui-playButton button").click()
    assert wait_until(lambda: condition(accuracies(page)), PATIENCE_S, 0.3), accuracies(page)
    page.locator(".ui-playButton button").click()


def test_drawn_points_train_to_every_one_and_their_link_gives_them_back(tab, browser):
    page = tab.page
    open_app(page, tab.base_url + "?networkShape=4&learningRate=0.1&seed=draw")
    page.locator(".draw-toggle").click()
    expect(page.locator(".draw-status")).to_contain_text("0 points")
    classes = page.locator(".draw-class")
    expect(classes).to_have_count(2)
    for k in range(20):
        classes.nth(k % 2).click()
        left = k % 2 == 0
        click_plot(page, (-4 if left else 2) + 0.15 * k, -4 + 0.4 * k)
        expect(page.locator(".draw-status")).to_contain_text(f"{k + 1} point")
    click_plot(page, 2 + 0.15 * 19, -4 + 0.4 * 19)  # on the last point: it goes
    expect(page.locator(".draw-status")).to_contain_text("19 points")
    click_plot(page, 2 + 0.15 * 19, -4 + 0.4 * 19)  # and comes back
    expect(page.locator(".draw-status")).to_contain_text("20 points")
    play_until(page, lambda shown: shown.get("Training") == 100.0)
    assert wait_until(lambda: "points" in query(page), ANSWER_S)
    points = decode_points(query(page)["points"])
    assert len(points) == 20
    assert sorted(p[2] for p in points) == [0] * 10 + [1] * 10
    with open_tab(browser, tab.server, "drawn link reopened") as again:
        open_app(again.page, page.url)
        expect(again.page.locator(".draw-status")).to_contain_text("20 points")
        assert wait_until(
            lambda: query(again.page).get("points") == query(page)["points"], ANSWER_S
        )


def test_a_csv_opens_by_the_picker_and_by_a_drop_and_trains(tab, tmp_path):
    page = tab.page
    open_app(page, tab.base_url + "?seed=csv&networkShape=4&learningRate=0.1")
    rows = [(x / 10, y / 10) for x in range(-50, 51, 7) for y in range(-50, 51, 9)]
    text = "x,y,side\n" + "".join(f"{x},{y},{'left' if x < 0 else 'right'}\n" for x, y in rows)
    path = tmp_path / "halves.csv"
    path.write_text(text)
    page.locator(".file-tools input[type=file]").set_input_files(path)
    status = page.locator(".file-tools .status")
    expect(status).to_have_text(f"halves.csv: {len(rows)} rows, 2 classes (left, right).")
    assert wait_until(lambda: query(page).get("dataset") == "upload", ANSWER_S)
    play_until(page, lambda shown: shown.get("Test", 0) >= 95.0)
    drop = "x,y,label\n" + "".join(f"{x},{y},{1 if y > 0 else -1}\n" for x, y in rows[:60])
    page.evaluate(
        """(text) => {
          const data = new DataTransfer();
          data.items.add(new File([text], "dropped.csv", { type: "text/csv" }));
          window.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, cancelable: true }));
          document.body.dispatchEvent(
            new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
        }""",
        drop,
    )
    expect(status).to_have_text("dropped.csv: 60 rows, 2 classes (-1, +1).")


def test_every_malformed_file_is_refused_with_its_note(tab, tmp_path):
    page = tab.page
    open_app(page, tab.base_url + "?dataset=xor&seed=fuzz")
    picker = page.locator(".file-tools input[type=file]")
    status = page.locator(".file-tools .status")
    for bad in MALFORMED:
        path = tmp_path / bad.name
        path.write_bytes(bad.data)
        picker.set_input_files(path)
        expect(status).to_contain_text(bad.name)
        expect(status).to_contain_text(bad.says)
    expect(page.locator(".url-notes")).to_contain_text(MALFORMED[-1].says)
    assert query(page)["dataset"] == "xor"  # the data stayed
    # The server's log is checked when the tab closes (harness.open_tab): no traceback.


def test_the_digits_scene_reaches_ninety_percent(tab):
    page = tab.page
    open_digits(page, tab.base_url + "?" + DIGITS_LINK)
    assert {key: query(page)[key] for key in ("networkShape", "optimizer", "loss")} == {
        "networkShape": "8", "optimizer": "adam", "loss": "crossEntropy"
    }  # fmt: skip
    assert DIGITS_SCENE["network_shape"] == [8]
    expect(page.locator(".confusion-grid .cell")).to_have_count(100)
    expect(page.locator(".draw-bar")).to_be_hidden()  # nothing to draw on images
    play_until(page, lambda shown: shown.get("Test", 0) >= 90.0)
    assert accuracies(page)["Test"] >= 90.0


SAVES = ("csv", "scene", "model", "script", "png", "loss_png")


@pytest.mark.parametrize("link", ["dataset=spiral&seed=save&networkShape=5", DIGITS_LINK])
def test_every_save_downloads_a_file_that_opens(tab, tmp_path, link):
    page = tab.page
    (open_digits if "digits" in link else open_app)(page, tab.base_url + "?" + link)
    page.locator(".ui-stepButton button").click()
    got = {}
    for kind in SAVES:
        with page.expect_download() as download:
            page.locator(f".file-tools .save-{kind}").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        got[kind] = path
    assert got["csv"].name.endswith("-data.csv")
    data = read_csv(got["csv"].read_bytes())
    scene = loads(got["scene"].read_bytes())
    assert len(data.y) == len(scene["train_points"]) + len(scene["test_points"])
    assert scene["config"]["epochs"] == 1
    replayed = subprocess.run(
        [sys.executable, "-m", "playground", "replay", str(got["scene"]), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert len(json.loads(replayed.stdout)["train_loss"]) == 2
    model = json.loads(got["model"].read_text())
    assert model["layers"] == scene["final_network"]["layers"]
    config = reference.run_config(scene)
    args = [str(got["csv"])] if config.columns else []
    done = subprocess.run(
        [sys.executable, str(got["script"]), *args], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)["outputs"]
    from PIL import Image

    for kind in ("png", "loss_png"):
        with Image.open(io.BytesIO(got[kind].read_bytes())) as image:
            assert image.size[0] >= 400
    # The page opens its own scene again: same epoch, same data.
    page.locator(".file-tools input[type=file]").set_input_files(got["scene"])
    expect(page.locator(".file-tools .status")).to_contain_text("the scene at epoch 1")
    time.sleep(0.2)
