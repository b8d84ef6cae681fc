"""The dataset tiles give what they show, and the Classes control keeps its place under
them in the data column, named, whether or not the chosen set has classes to count."""

import numpy as np
import pytest

from playground.datasets import DATASETS
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.url import parse_query, query_from_state, scene_from_query
from playground.views.data_picker import thumbnail_points, tiled


def app_from(query: str) -> PlaygroundApp:
    scene = scene_from_query(parse_query(query))
    return PlaygroundApp(PlaygroundState(**{"seed": "1", **scene.settings}), scene)


def shown_classes(name: str) -> int:
    """How many colours a tile's picture shows."""
    return len(np.unique(thumbnail_points(name)[1]))


@pytest.mark.parametrize("name", [n for n in tiled("classification") if n != "digits"])
def test_a_tile_gives_as_many_classes_as_its_picture_shows(name):
    state = PlaygroundState(seed="1", dataset="xor" if name != "xor" else "circle")
    app = PlaygroundApp(state, scene_from_query({}))
    app.page.picker.pick(name)
    assert state.dataset == name
    assert state.config.classes == shown_classes(name)
    assert len(np.unique(state.data.y_train)) == shown_classes(name)


def test_the_multi_class_tiles_show_three_and_give_three_over_another_count():
    app = app_from("dataset=spirals&numClasses=5")
    app.page.picker.pick("blobs")
    assert app.state.num_classes == 3 == shown_classes("blobs")
    assert "numClasses=3" in query_from_state(app.state)
    app.page.picker.pick("circle")  # two colours, two classes: the link names none
    assert app.state.num_classes == 2
    assert "numClasses" not in query_from_state(app.state)


def test_the_chosen_tile_again_keeps_a_count_the_student_set():
    app = app_from("dataset=spirals&numClasses=5")
    app.page.picker.pick("spirals")
    assert app.state.num_classes == 5


def test_the_digits_tile_keeps_its_ten_classes():
    app = app_from("dataset=spirals")
    app.page.picker.pick("digits")
    assert app.state.config.classes == DATASETS["digits"].max_classes


def data_column(app: PlaygroundApp) -> list:
    """The data column's parts, and the controls its bar shows."""
    return [*app.page.data_column.objects, *app.page.bars["data"].shown]


def test_classes_sits_under_the_tiles_and_keeps_its_room_while_it_does_not_apply():
    """While the problem is classification: the regression tiles have no classes."""
    app = app_from("dataset=circle")
    column, bar = data_column(app), app.page.bars["data"]
    objects = app.page.data_column.objects
    assert objects.index(bar) == objects.index(app.page.picker.tiles) + 1
    assert bar.shown[0] == "numClasses"  # first under the tiles
    assert bar.held == ["numClasses"]  # there, unseen: circle has two classes
    app.page.picker.pick("spirals")
    assert data_column(app) == column  # nothing came in, nothing moved
    assert bar.held == []
    app.state.problem = "regression"  # no classes to count: no room kept under its tiles
    assert "numClasses" not in bar.shown
    app.state.problem = "classification"  # back to the spirals, with their classes
    assert data_column(app) == column
    assert bar.held == []


def test_classes_is_a_named_dropdown_of_every_count():
    app = app_from("dataset=blobs&numClasses=4")
    bar = app.page.bars["data"]
    classes = bar.spec("numClasses")
    assert classes["label"] == "Classes"  # the label a screen reader reads with it
    assert classes["kind"] == "select"
    assert [value for _, value in classes["options"]] == [2, 3, 4, 5, 6]
    assert bar.values["num_classes"] == 4
    bar.browser_message({"name": "num_classes", "value": 6, "n": 1})
    assert app.state.num_classes == 6
    assert bar.values["num_classes"] == 6
    assert len(np.unique(app.state.data.y_train)) == 6


def test_classes_hidden_by_the_link_is_not_on_the_page():
    app = app_from("dataset=blobs&numClasses_hide=true")
    assert "numClasses" not in data_column(app)
    assert "numClasses" not in app.page.bars["data"].all_keys
