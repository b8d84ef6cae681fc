"""The page around the live view, without a browser: the link's notes, the embedding
card's link, the dataset picker's size and the weight editor's limits."""

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
    page.notes_pane.notes = page.notes_pane.notes[1:]  # what the close button does
    assert [note.split("=")[0] for note in page.notes] == ["learningRate"]
    page.notes_pane.notes = []
    assert not page.notes_pane.visible


def test_a_note_about_no_setting_stays_until_closed():
    app = app_from("batchSize=100")
    app.page.notes = [*app.page.notes, "The link's scene is too long to open."]
    app.state.batch_size = 5
    assert app.page.notes == ["The link's scene is too long to open."]
