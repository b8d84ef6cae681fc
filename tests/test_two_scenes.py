"""Two scenes on one page: each scene's URL keys under its own prefix, each live view
with its own name, and a page of one scene exactly as before (``playground.url_scope``,
``playground.session.serve_scenes``)."""

import panel as pn
import pytest
from bokeh.document import Document

from playground.loop import Fleet
from playground.session import (
    TabLocation,
    TabSession,
    open_scenes,
    refusals_to,
    sync_url,
)
from playground.state import PlaygroundState
from playground.url import parse_query, query_from_state, scene_from_query
from playground.url_scope import check_prefix, prefixed, scoped, with_scene

ORIGINAL_LINK = (
    "activation=relu&regularization=L2&batchSize=20&dataset=xor&regDataset=reg-plane"
    "&learningRate=0.3&regularizationRate=0.001&noise=15&networkShape=3,2&seed=0.12345"
    "&showTestData=false&discretize=true&percTrainData=60&x=true&y=true&xTimesY=true"
    "&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
    "&collectStats=false&problem=classification&initZero=false&hideText=false"
)


@pytest.mark.parametrize("prefix", ["", "a.", "b.", "left2."])
def test_a_scene_prefix_is_a_short_word_and_a_dot(prefix):
    assert check_prefix(prefix) == prefix


@pytest.mark.parametrize("prefix", ["a", ".", "A.", "1.", "a.b.", "a_", "abcdefghi.", "a-."])
def test_anything_else_is_no_scene_prefix(prefix):
    with pytest.raises(ValueError, match="prefix"):
        check_prefix(prefix)


def test_a_scene_reads_only_its_own_keys():
    query = {"a.seed": "1", "b.seed": "2", "seed": "3", "a.x_hide": "true", "ab.seed": "4"}
    assert scoped(query, "a.") == {"seed": "1", "x_hide": "true"}
    assert scoped(query, "b.") == {"seed": "2"}
    assert scoped(query, "") == query


def test_a_prefixed_scene_opens_its_settings_hides_and_notes():
    query = parse_query(
        "a.learningRate=0.3&a.x_hide=true&a.noise=99&b.learningRate=0.01&learningRate=1"
    )
    a, b = scene_from_query(query, "a."), scene_from_query(query, "b.")
    assert a.settings["learning_rate"] == 0.3
    assert a.settings["noise"] == 50  # clamped, with a note in the scene's own words
    assert a.hidden == frozenset({"x"})
    assert a.notes == ["noise=99 is above the maximum of 50; using 50."]
    assert b.settings == {"learning_rate": 0.01}
    assert b.hidden == frozenset()
    assert b.notes == []


def test_a_prefixed_scene_writes_each_key_under_its_prefix_and_reads_back():
    state = PlaygroundState(learning_rate=0.3, activation="relu", seed="7", speed=3)
    plain = query_from_state(state, frozenset({"x"}), hide_text=True)
    written = query_from_state(state, frozenset({"x"}), hide_text=True, prefix="a.")
    assert written == prefixed(plain, "a.")
    assert all(pair.startswith("a.") for pair in written.split("&"))
    again = scene_from_query(parse_query(written), "a.")
    assert again == scene_from_query(parse_query(plain))
    assert scene_from_query(parse_query(written)).settings == {}  # no plain key in it


def test_a_scene_s_keys_replace_its_old_ones_in_place_and_leave_the_others():
    search = "?a.seed=1&a.noise=5&theme=dark&b.seed=2&b.noise=0"
    assert with_scene(search, "a.", "a.seed=9") == "a.seed=9&theme=dark&b.seed=2&b.noise=0"
    assert (
        with_scene(search, "b.", "b.seed=8&b.x=1") == "a.seed=1&a.noise=5&theme=dark&b.seed=8&b.x=1"
    )
    assert with_scene("?theme=dark", "c.", "c.seed=3") == "theme=dark&c.seed=3"
    assert with_scene(search, "a.", "") == "theme=dark&b.seed=2&b.noise=0"
    # A page's only scene owns the whole query, as /app always has.
    assert with_scene(search, "", "seed=4") == "seed=4"


def _two_scenes(search: str, prefixes=("a.", "b.")):
    location = TabLocation()
    location.search = search
    session = TabSession(Fleet(), set())
    apps = open_scenes(parse_query(search), prefixes, session)
    for app in apps:
        sync_url(app, location)
    return apps, location, session


def test_two_apps_in_one_document_keep_their_own_keys_and_views():
    apps, location, session = _two_scenes("?a.learningRate=0.3&b.learningRate=0.01&b.seed=2")
    a, b = apps
    assert (a.state.learning_rate, b.state.learning_rate) == (0.3, 0.01)
    assert b.state.seed == "2"
    doc = Document()
    pn.Column(a, b).server_doc(doc)
    # Each view has its own name in the document; its counter and its editor carry it.
    named = [getattr(m.data, "view_id", None) for m in doc.models if hasattr(m, "data")]
    assert sorted(filter(None, named)) == sorted(2 * [a.live.view_id, b.live.view_id])
    assert a.live.view_id != b.live.view_id
    for app in apps:
        assert app.page.transport.view_id == app.live.view_id
        assert f"view-{app.live.view_id}" in app.diagram.editor.css_classes
    query = parse_query(location.search)
    assert query["a.learningRate"] == "0.3"
    assert query["b.learningRate"] == "0.01"
    assert all(key.startswith(("a.", "b.")) for key in query)

    a.state.learning_rate = 1
    b.state.activation = "relu"
    query = parse_query(location.search)
    assert query["a.learningRate"] == "1"
    assert query["b.learningRate"] == "0.01"  # untouched by a's change
    assert (query["a.activation"], query["b.activation"]) == ("tanh", "relu")
    assert query["b.seed"] == "2"
    # The address reopens both scenes as they are now.
    reopened, _, _ = _two_scenes(location.search)
    for before, after in zip(apps, reopened, strict=True):
        assert query_from_state(after.state) == query_from_state(before.state)
    session.end(None)


def test_a_page_s_only_scene_writes_the_whole_query_as_before():
    (app,), location, session = _two_scenes("?" + ORIGINAL_LINK, prefixes=("",))
    assert app.state.learning_rate == 0.3
    assert location.search == "?" + query_from_state(app.state)
    assert location.search.startswith("?activation=relu&regularization=L2&batchSize=20")
    app.state.noise = 20
    assert parse_query(location.search)["noise"] == "20"
    session.end(None)


def test_a_refused_value_is_noted_on_the_page_whose_control_it_is():
    (a, b), _, session = _two_scenes("?")
    b.page.bars["data"].browser_message({"name": "noise", "value": 10**30, "n": 1})
    assert b.state.noise == 50
    assert len(b.page.notes) == 1
    assert "noise" in b.page.notes[0]
    assert a.page.notes == []
    refusals_to([a, b])(b.page.bars["top"], "values", 10**30)  # a bar's own, refused
    assert len(b.page.notes) == 2
    assert a.page.notes == []
    session.end(None)


def test_a_scene_among_several_links_to_the_playground_page():
    (a, _), _, session = _two_scenes("?")
    (plain,), _, plain_session = _two_scenes("?", prefixes=("",))
    assert a.page.embed.link.page == "app"
    assert plain.page.embed.link.page == ""
    assert a.page.transport.scope == a.view_class  # space plays it from within it only
    assert plain.page.transport.scope == ""
    session.end(None)
    plain_session.end(None)
