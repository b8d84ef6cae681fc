"""Hostile input inside a session, without a server: the tab's location and query, a
scene that cannot be opened, the session's end, URL values of any length and encoding,
weights beyond float32 (pytest turns any warning into an error), and what the page
shows. A tab that plays for hours: tests/test_history.py."""

import logging

import numpy as np
import panel as pn
import pytest

from playground import session
from playground.engine import FEATURES
from playground.loop import Fleet, FrameLoop
from playground.session import TabLocation, TabSession, read_scene, session_query
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.url import (
    MAX_VALUE_CHARS,
    UNUSED_KEYS,
    fields,
    parse_query,
    scene_from_query,
)
from playground.views.network import FLOAT32_MAX, NetworkDiagram, drawable
from playground.visitors import hostile_queries
from tests.e2e.hostile import expected_notes, read_as_tornado

DIGITS = "1" * 4301  # one past Python's int-string limit


# -- the tab's location and query ------------------------------------------------------


@pytest.mark.parametrize(
    "search",
    [f"?zzz={DIGITS}", "?a=%C2%B2", "?a=\u00b2", "?a=1?b=2", "?a=[[[[" + "[" * 500, "?a={'x'"],
    ids=["digits", "superscript-encoded", "superscript", "two-?", "brackets", "brace"],
)
def test_the_tab_location_reads_any_query_as_text(search, caplog):
    location = TabLocation(search=search)  # Panel's own parses it here, and raises
    assert all(isinstance(value, str) for value in location.query_params.values())
    location.param.update(search="?learningRate=0.3&a=" + DIGITS)
    assert location.query_params["learningRate"] == "0.3"
    assert caplog.text == ""  # not even a warning with the whole value


def test_the_session_query_is_text_and_the_last_repeat_wins(monkeypatch):
    args = {
        "seed": [b"1", b"2", b"\xff\xfe"],
        "learningRate": [DIGITS.encode()],
        "empty": [],
        "activation": [b"relu"],
    }
    monkeypatch.setattr(type(pn.state), "session_args", property(lambda _: args))
    assert session_query() == {
        "seed": "\ufffd\ufffd",
        "learningRate": DIGITS,
        "activation": "relu",
    }


def test_a_scene_that_cannot_be_opened_gives_the_defaults_and_a_note(monkeypatch, caplog):
    def broken(_query, _prefix=""):
        raise RuntimeError("a bug")

    monkeypatch.setattr(session, "scene_from_query", broken)
    scene, state = read_scene({"learningRate": "0.3"})
    assert scene.settings == {}
    assert scene.notes == [
        "The link's settings could not be read; the page opened with the defaults."
    ]
    assert state.learning_rate == PlaygroundState.param.learning_rate.default
    assert "could not be opened" in caplog.text


def test_read_scene_notes_a_bad_value_and_opens_the_rest():
    scene, state = read_scene({"learningRate": "0x" + "f" * 300, "noise": "20"})
    assert state.noise == 20
    assert state.learning_rate == PlaygroundState.param.learning_rate.default
    assert len(scene.notes) == 1
    assert "is too long" in scene.notes[0]


def test_a_session_that_ended_before_its_app_was_built_leaves_the_fleet(caplog):
    fleet, live = Fleet(), set()
    tab = TabSession(fleet, live)
    tab.states.append(PlaygroundState(seed="1"))
    other = FrameLoop(PlaygroundState(seed="2"), lambda: None, fleet)
    FrameLoop(tab.states[0], lambda: None, fleet)  # joined, then the app failed
    assert len(live) == 1
    assert len(fleet.loops) == 2
    with caplog.at_level(logging.INFO, logger="playground"):
        tab.end(None)
    assert fleet.loops == {other}
    assert live == set()
    assert "0 live sessions, 1 frame loops" in caplog.text


# -- URL values of any length and encoding --------------------------------------------

# Every key of a scene: the settings', the features', hideText and the original's unused.
KEYS = [*fields(), *FEATURES, "hideText", *UNUSED_KEYS]


def scene_from_query_text(text: str):
    return scene_from_query(parse_query(text))


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("value", [DIGITS, "0x" + "f" * 300, "x" * 101, "9," * 1000])
def test_a_value_too_long_to_be_meant_is_refused_with_a_note(key, value):
    name = fields().get(key)
    if name is not None and len(value) <= name.longest:  # drawn points: 1,800 characters
        value = value * (name.longest // len(value) + 1)
    scene = scene_from_query_text(f"{key}={value}")
    if name is None:  # features, hideText and the original's unused keys: no note
        assert scene.notes == []
        return
    assert len(scene.notes) == 1
    note = scene.notes[0]
    assert note.startswith(f"{key}={value[:20]}")
    longest = MAX_VALUE_CHARS if key != "points" else name.longest
    assert f"is too long ({len(value):,} characters, at most {longest:,})" in note
    assert len(note) < 200
    if key == "seed":  # a new seed, as without one, and the note names it
        assert f"; using {scene.settings['seed']}." in note
    else:
        assert name.name not in scene.settings


def test_the_longest_value_that_is_meant_is_read():
    seed = "s" * MAX_VALUE_CHARS
    assert scene_from_query_text(f"seed={seed}").settings == {"seed": seed}
    assert scene_from_query_text("learningRate=0x" + "f" * 98).settings == {"learning_rate": 10.0}


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a\\nb"),  # no line break in a note (nor in the log)
        ("\u202eevil", "\\u202eevil"),  # no direction override
        ("a\x00b\x1bc", "a\\x00b\\x1bc"),
        ("\ud800", "\\ud800"),  # an unpaired surrogate
        ("\u200bzero", "\\u200bzero"),  # an invisible one
        ("é\ufffd漢", "é\ufffd漢"),  # printable text as it is
    ],
)
def test_notes_quote_a_safe_excerpt(raw, shown):
    note = scene_from_query({"activation": raw}).notes[0]
    assert note.startswith(f"activation={shown} is not an activation")
    assert note.isprintable()


def test_an_excerpt_is_short_whatever_the_value_holds():
    for raw in ("\x01" * 90, "€" * 90, "x" * 90, "\U000e0001" * 50):
        note = scene_from_query({"activation": raw}).notes[0]
        quoted = note.removeprefix("activation=").split(" is not an activation")[0]
        assert quoted.endswith("…")
        assert len(quoted) <= 40


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("activation=%FF%FE", {"activation": "\ufffd\ufffd"}),  # not UTF-8
        ("seed=%ED%A0%80", {"seed": "\ufffd\ufffd\ufffd"}),  # a surrogate's bytes
        ("a=%", {"a": "%"}),
        ("a=%zz%2", {"a": "%zz%2"}),
        ("%=1&%%=2", {"%": "1", "%%": "2"}),
        ("a=1&a=2&" * 500 + "a=last", {"a": "last"}),  # the last repeat wins
        ("&" * 3000, {}),
    ],
)
def test_parse_query_reads_any_text(text, expected):
    assert parse_query(text) == expected


def test_a_shape_of_a_thousand_layers_is_refused_and_a_long_one_clamped():
    scene = scene_from_query_text("networkShape=" + ",".join(["3"] * 1000))
    assert "network_shape" not in scene.settings
    assert "is too long" in scene.notes[0]
    scene = scene_from_query_text("networkShape=" + ",".join(["3"] * 30))
    assert scene.settings["network_shape"] == [3] * 6
    assert "more than 6 hidden layers" in scene.notes[0]


@pytest.mark.parametrize(
    ("value", "used"),
    [
        (10**5000, 30),  # str() refuses ints beyond 4,300 digits
        (-(10**5000), 1),
        (float("inf"), 30),
        (float("-inf"), 1),
        (b"7", 7),
        ([b"3", 12], 12),
    ],
    ids=["huge", "-huge", "inf", "-inf", "bytes", "list"],
)
def test_typed_values_of_any_size_are_read(value, used):
    assert scene_from_query({"batchSize": value}).settings == {"batch_size": used}


def test_a_typed_value_with_no_text_is_left_out():
    nested: list = []
    for _ in range(100_000):
        nested = [nested, 0]
    scene = scene_from_query({"activation": {"a": nested}, "batchSize": float("nan")})
    assert "activation" not in scene.settings  # deeper than repr() goes
    assert scene.notes == ["batchSize=NaN is not a number; using 10."]


def test_a_reader_that_fails_refuses_its_value_not_the_page(monkeypatch, caplog):
    def broken(_raw):
        raise ZeroDivisionError

    table = fields()
    table["noise"] = table["noise"]._replace(read=broken)
    monkeypatch.setattr("playground.url.fields", lambda: table)
    scene = scene_from_query_text("noise=5&batchSize=3")
    assert scene.settings == {"batch_size": 3}
    assert scene.notes == ["noise=5 could not be read; using 0."]
    assert "reading noise=5 failed" in caplog.text


# -- weights beyond float32 -----------------------------------------------------------


def test_parameters_are_drawn_within_float32_without_a_warning():
    values = np.array([1e39, -1e300, np.inf, -np.inf, np.nan, 0.5])
    drawn = drawable(values)
    assert drawn.dtype == np.float32
    np.testing.assert_array_equal(
        drawn, np.array([FLOAT32_MAX, -FLOAT32_MAX, FLOAT32_MAX, -FLOAT32_MAX, np.nan, 0.5], "f4")
    )


def test_a_huge_weight_typed_in_the_editor_is_drawn_as_the_largest_float32():
    state = PlaygroundState(seed="0.31415")
    diagram = NetworkDiagram(state)
    link = diagram._link_keys.index((0, 0, 0))
    diagram.tap(["link", link])
    diagram.editor.value_input = "3.5e38"
    assert state.net.weight(0, 0, 0) == 3.5e38
    diagram.tap(["bias", 0])
    diagram.editor.value_input = "-1e300"
    frame = diagram.frame(state.node_maps())
    assert frame["weights"][link] == np.float32(FLOAT32_MAX)
    assert frame["biases"][0] == -np.float32(FLOAT32_MAX)
    assert np.isfinite(frame["weights"]).all()


@pytest.mark.parametrize("text", ["\u0661", "1_0", "\uff11", "1" * 41, "0x10", "Infinity"])
def test_the_editor_takes_only_plain_decimals(text):
    state = PlaygroundState(seed="0.31415")
    diagram = NetworkDiagram(state)
    diagram.tap(["link", 0])
    before = state.net.params.copy()
    diagram.editor.value_input = text
    assert diagram.editor_hint.visible
    np.testing.assert_array_equal(state.net.params, before)


# -- what the page shows ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["[click here](http://evil.example)", "http://evil.example", "<b>x</b>", "*a* `b`"]
)
def test_a_note_shows_a_url_value_as_text_never_as_a_link(value):
    scene, state = read_scene({"activation": value})
    app = PlaygroundApp(state, scene)
    # The notes box gets the plain sentence, and shows it as text (textContent), never
    # as markup: the browser test of the notes sees the value as typed.
    (shown,) = app.page.notes_pane.notes
    assert shown.startswith(f"activation={value} is not an activation")
    assert "innerHTML" not in app.page.notes_pane._esm


def test_every_hostile_query_opens_a_scene_with_a_note_per_bad_value():
    """Every pair of a key and a bad value (tests/e2e/test_hostile_urls.py sends a real
    server a sample in which each still comes once): the scene opens without the
    fallback for a reader that failed, and every note quotes its key and a short excerpt
    (``expected_notes`` checks the form)."""
    for query in hostile_queries():
        expected_notes(query)  # each note's form
        values = read_as_tornado(query)
        scene, state = read_scene(values)
        assert "could not be read" not in " ".join(scene.notes), query[:80]
        assert isinstance(state, PlaygroundState)
        assert all(note.split("=", 1)[0] in values for note in scene.notes), query[:80]
