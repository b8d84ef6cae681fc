"""The page around the live view, without a browser: the link's notes, the embedding
card's link, the dataset picker's size and the weight editor's limits."""

import pytest

from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.url import parse_query, scene_from_query


def app_from(query: str) -> PlaygroundApp:
    scene = scene_from_query(parse_query(query))
    return PlaygroundApp(PlaygroundState(**{"seed": "1", **scene.settings}), scene)


# -- notes ------------------------------------------------------------------------------


def test_the_link_s_notes_are_shown():
    page = app_from("batchSize=100&learningRate=banana").page
    assert page.notes_pane.visible
    assert [note.split("=")[0] for note in page.notes_pane.notes] == ["batchSize", "learningRate"]


def test_a_note_goes_once_its_setting_changes_and_the_others_stay():
    app = app_from("batchSize=100&learningRate=banana")
    app.state.batch_size = 5
    assert [note.split("=")[0] for note in app.page.notes] == ["learningRate"]
    assert app.page.notes_pane.notes == app.page.notes
    app.state.noise = 10  # no note is about the noise
    assert len(app.page.notes) == 1
    app.state.learning_rate = 0.1
    assert app.page.notes == []
    assert not app.page.notes_pane.visible


def test_a_note_closed_in_the_browser_leaves_the_page():
    page = app_from("batchSize=100&learningRate=banana").page
    page.notes_pane._handle_msg({"dismiss": 0})  # the first note's close button
    assert [note.split("=")[0] for note in page.notes] == ["learningRate"]
    for junk in ({"dismiss": 5}, {"dismiss": True}, {"dismiss": "1"}, ["dismiss"], None):
        page.notes_pane._handle_msg(junk)  # the browser may send anything: ignored
    assert len(page.notes) == 1
    page.notes_pane._handle_msg({"dismiss": "all"})
    assert page.notes == []
    assert not page.notes_pane.visible


def test_a_note_about_no_setting_stays_until_closed():
    app = app_from("batchSize=100")
    app.page.notes = [*app.page.notes, "The link's scene is too long to open."]
    app.state.batch_size = 5
    assert app.page.notes == ["The link's scene is too long to open."]


# -- the weight editor ------------------------------------------------------------------

HUGE_SCENES = [
    {},
    {"activation": "relu"},
    {"activation": "sigmoid", "regularization": "L2", "regularization_rate": 0.1},
    {"dataset": "spiral", "num_classes": 3, "loss": "crossEntropy", "optimizer": "adam"},
    {"problem": "regression", "activation": "linear"},
]


@pytest.mark.parametrize("text", ["1e308", "-1.7e308"])
@pytest.mark.parametrize("target", [["link", 0], ["bias", 0]], ids=["weight", "bias"])
@pytest.mark.parametrize("scene", HUGE_SCENES, ids=lambda scene: ",".join(scene) or "default")
def test_a_huge_typed_weight_trains_and_draws_without_a_warning(scene, target, text):
    # pytest turns every warning into an error (pyproject): an overflow in the maths of
    # a frame, a step or the losses fails here, as it would spoil the server's log.
    app = PlaygroundApp(PlaygroundState(seed="0.31415", **scene), scene_from_query({}))
    app.diagram.tap(target)
    app.diagram.editor.value_input = text
    assert abs(app.state.net.params).max() >= 1e308
    app.frame_message()
    app.state.step()
    app.state.train(3)
    app.frame_message()
    app.diagram.hover(len(app.diagram.shown))  # the first hidden neuron's map, large
    assert app.diagram.preview_node == ("node", 0)
    app.frame_message()


# -- the embedding card -----------------------------------------------------------------


def test_the_embedding_card_hands_the_browser_the_scene_once_opened():
    app = app_from("learningRate=0.1")
    embed = app.page.embed
    assert embed.link.query == ""  # a closed card is not kept up to date
    embed._card.collapsed = False
    assert "learningRate=0.1" in embed.link.query
    assert parse_query(embed.link.query)["hideText"] == "false"
    embed.choices.value = ["playButton"]
    embed.hide_text.value = True
    shown = parse_query(embed.link.query)
    assert shown["playButton_hide"] == "true"
    assert shown["hideText"] == "true"
    app.state.learning_rate = 0.3
    assert parse_query(embed.link.query)["learningRate"] == "0.3"
