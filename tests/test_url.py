"""The URL holds the whole scene, in TensorFlow Playground's format
(tests/reference/INVENTORY.md, A5)."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from playground import reference
from playground.engine import FEATURES
from playground.jsnumber import format_number, js_number
from playground.state import PlaygroundState
from playground.url import hide_ids, parse_query, query_from_state, scene_from_query

REFERENCE_DIR = Path(__file__).parent / "reference"
# serialize()'s key order (A5, `tutorial` unset), then our `speed`.
A5_ORDER = [
    "activation", "regularization", "batchSize", "dataset", "regDataset", "learningRate",
    "regularizationRate", "noise", "networkShape", "seed", "showTestData", "discretize",
    "percTrainData", "x", "y", "xTimesY", "xSquared", "ySquared", "cosX", "sinX", "cosY",
    "sinY", "collectStats", "problem", "initZero", "hideText", "speed",
]  # fmt: skip
SETTINGS = [
    "learning_rate", "activation", "regularization", "regularization_rate", "problem",
    "dataset", "reg_dataset", "perc_train_data", "noise", "batch_size", "features",
    "network_shape", "show_test_data", "discretize", "seed", "init_zero", "speed",
]  # fmt: skip
SPEEDS = list(PlaygroundState.param.speed.objects)
# The controls the original lets `<id>_hide=true` remove.
ORIGINAL_HIDABLE = {
    "showTestData", "discretize", "playButton", "stepButton", "resetButton", "learningRate",
    "activation", "regularization", "regularizationRate", "problem", "dataset", "percTrainData",
    "noise", "batchSize", "numHiddenLayers",
}  # fmt: skip
DEFAULT_SPEED = PlaygroundState.param.speed.default


def scene_of(text: str):
    return scene_from_query(parse_query(text))


# -- parse_query -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["?a=1&b=2", "#a=1&b=2", "a=1&b=2", "a=1&&b=2&"])
def test_parse_query_accepts_search_hash_and_bare(text):
    assert parse_query(text) == {"a": "1", "b": "2"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seed=a%20b%26c%3Dd%23e%25", {"seed": "a b&c=d#e%"}),
        ("seed=%C3%A9+x", {"seed": "é+x"}),  # '+' is not a space: the original never decodes
        ("a=1&a=2&b=3&a=4", {"a": "4", "b": "3"}),  # the last repeat wins
        ("=5&b=&c", {"b": "", "c": ""}),  # an empty key is dropped
        ("seed=a=b", {"seed": "a=b"}),
        ("", {}),
        ("?", {}),
        ("#", {}),
    ],
)
def test_parse_query_decodes_and_keeps_the_last_repeat(text, expected):
    assert parse_query(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.03", 0.03), (" 5 ", 5.0), ("+1e1", 10.0), (".5", 0.5), ("1.", 1.0),
        ("-3", -3.0), ("0x10", 16.0), ("0b11", 3.0), ("-Infinity", -math.inf),
        ("", None), ("banana", None), ("NaN", None), ("nan", None), ("1_0", None),
        ("0b2", None), ("1e", None), ("inf", None),
    ],
)  # fmt: skip
def test_numbers_parse_like_javascript_unary_plus(text, value):
    assert js_number(text) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [(1e-05, "0.00001"), (0.0001, "0.0001"), (0.03, "0.03"), (0.0, "0"), (1.0, "1"), (10.0, "10")],
)
def test_numbers_are_written_without_an_exponent(value, text):
    assert format_number(value) == text
    assert js_number(text) == value


# -- the original's own links ------------------------------------------------------


def test_original_link_opens_the_stored_run(reference_path):
    ref = reference.load(reference_path)
    if "playground_url_hash" not in ref:
        pytest.skip("this reference file stores no URL")
    assert ref["playground_url_hash"].startswith("#")
    scene = scene_of(ref["playground_url_hash"])
    assert scene.notes == []
    assert scene.hidden == frozenset()
    assert not scene.hide_text
    state = PlaygroundState(**scene.settings)
    config = reference.run_config(ref)
    assert state.config == config
    initial = reference.network_from_layers(ref["initial_network"]["layers"], config)
    np.testing.assert_array_equal(state.net.params, initial.params)
    for ours, theirs in zip(state.data, reference.stored_data(ref), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=1e-15)


def test_default_state_writes_the_original_default_link_plus_speed():
    ref = json.loads((REFERENCE_DIR / "a_default_circle.json").read_text())
    query = query_from_state(PlaygroundState(seed="0.31415"))
    assert query == ref["playground_url_hash"][1:] + f"&speed={DEFAULT_SPEED}"


def test_keys_are_written_in_the_original_order_then_hide_flags():
    query = query_from_state(
        PlaygroundState(seed="1"), hidden=frozenset({"sinX", "noise", "playButton"})
    )
    keys = [pair.split("=", 1)[0] for pair in query.split("&")]
    assert keys == [*A5_ORDER, "noise_hide", "playButton_hide", "sinX_hide"]
    assert query.endswith("&noise_hide=true&playButton_hide=true&sinX_hide=true")
    assert not query.startswith("?")


# -- round trips -------------------------------------------------------------------

ROUND_TRIPS = {
    "regression": {
        "learning_rate": 1e-05, "activation": "relu", "regularization": "L1",
        "regularization_rate": 0.003, "problem": "regression", "dataset": "spiral",
        "reg_dataset": "reg-gauss", "perc_train_data": 70, "noise": 35, "batch_size": 1,
        "features": ["xSquared", "sinY"], "network_shape": [], "show_test_data": True,
        "discretize": True, "seed": "0.12345", "init_zero": True, "speed": SPEEDS[-1],
    },
    "extremes": {
        "learning_rate": 10.0, "activation": "sigmoid", "regularization": "L2",
        "regularization_rate": 10.0, "dataset": "xor", "perc_train_data": 10, "noise": 50,
        "batch_size": 30, "features": [], "network_shape": [8, 8, 8, 8, 8, 8],
        "seed": "a b&c=d#e+f%g ü\t?/", "speed": SPEEDS[0],
    },
    "all-features": {
        "learning_rate": 0.003, "activation": "linear", "regularization_rate": 0.0,
        "dataset": "gauss", "perc_train_data": 90, "noise": 5, "batch_size": 17,
        "features": list(FEATURES), "network_shape": [1], "seed": "Hello, world!",
        "discretize": True,
    },
    "one-feature": {
        "learning_rate": 0.3, "features": ["xTimesY"], "network_shape": [3, 1, 5],
        "seed": "42", "show_test_data": True, "init_zero": True,
    },
}  # fmt: skip


@pytest.mark.parametrize("settings", list(ROUND_TRIPS.values()), ids=list(ROUND_TRIPS))
def test_state_round_trips_through_the_url(settings):
    state = PlaygroundState(**settings)
    hidden = frozenset({"learningRate", "numHiddenLayers", "ySquared"})
    scene = scene_of("#" + query_from_state(state, hidden=hidden, hide_text=True))
    assert scene.notes == []
    assert set(scene.settings) == set(SETTINGS)
    assert scene.hidden == hidden
    assert scene.hide_text
    again = PlaygroundState(**scene.settings)
    for name in SETTINGS:
        assert getattr(again, name) == getattr(state, name), name


def test_seed_is_verbatim_unless_it_would_break_the_query():
    query = query_from_state(PlaygroundState(seed="0.31415"))
    assert "&seed=0.31415&" in query
    query = query_from_state(PlaygroundState(seed="a b&c=d#e+f%g/é"))
    assert "&seed=a%20b%26c%3Dd%23e%2Bf%25g/%C3%A9&" in query


# -- values that must be clamped, snapped or refused -------------------------------

BAD_VALUES = [
    # (query, setting, value used; None = refused, the default stays)
    ("batchSize=100", "batch_size", 30),
    ("batchSize=-3", "batch_size", 1),
    ("batchSize=2.5", "batch_size", 3),
    ("batchSize=Infinity", "batch_size", 30),
    ("batchSize=many", "batch_size", None),
    ("noise=80", "noise", 50),
    ("noise=-5", "noise", 0),
    ("noise=12", "noise", 10),
    ("noise=NaN", "noise", None),
    ("percTrainData=95", "perc_train_data", 90),
    ("percTrainData=5", "perc_train_data", 10),
    ("percTrainData=44", "perc_train_data", 40),
    ("learningRate=0.05", "learning_rate", 0.03),
    ("learningRate=0.002", "learning_rate", 0.003),
    ("learningRate=100", "learning_rate", 10.0),
    ("learningRate=0", "learning_rate", 1e-05),
    ("learningRate=banana", "learning_rate", None),
    ("regularizationRate=0.0004", "regularization_rate", 0.001),
    ("regularizationRate=-1", "regularization_rate", 0.0),
    ("regularizationRate=11", "regularization_rate", 10.0),
    ("networkShape=20,20", "network_shape", [8, 8]),
    ("networkShape=0,2", "network_shape", [1, 2]),
    ("networkShape=2.5", "network_shape", [3]),
    ("networkShape=1,2,3,4,5,6,7,8", "network_shape", [1, 2, 3, 4, 5, 6]),
    ("networkShape=9,a", "network_shape", None),
    ("networkShape=4,,2", "network_shape", None),
    ("activation=gelu", "activation", None),
    ("regularization=L3", "regularization", None),
    ("problem=clustering", "problem", None),
    ("dataset=reg-plane", "dataset", None),
    ("dataset=moons", "dataset", None),
    ("regDataset=circle", "reg_dataset", None),
    ("speed=7", "speed", None),
    ("speed=fast", "speed", None),
]


@pytest.mark.parametrize(("text", "name", "used"), BAD_VALUES, ids=[b[0] for b in BAD_VALUES])
def test_bad_value_gives_one_note_and_a_valid_state(text, name, used):
    scene = scene_of(text)
    assert len(scene.notes) == 1
    note = scene.notes[0]
    assert note.startswith(f"{text} ")
    assert "; using " in note
    assert note.endswith(".")
    if used is None:
        assert name not in scene.settings
        used = PlaygroundState.param[name].default
    else:
        assert scene.settings[name] == used
    assert getattr(PlaygroundState(seed="1", **scene.settings), name) == used


def test_notes_say_what_was_used_instead():
    scene = scene_of("learningRate=banana&batchSize=100&dataset=reg-plane")
    assert scene.notes == [
        "batchSize=100 is above the maximum of 30; using 30.",
        "dataset=reg-plane is a regression dataset, which goes in regDataset; using circle.",
        "learningRate=banana is not a number; using 0.03.",
    ]


def test_a_long_bad_value_is_shortened_in_its_note():
    scene = scene_of("activation=" + "x" * 500)
    assert len(scene.notes[0]) < 200


def test_several_bad_values_give_one_note_each():
    scene = scene_of("batchSize=0&noise=99&learningRate=7&networkShape=9&speed=2&x=true")
    assert len(scene.notes) == 5
    PlaygroundState(seed="1", **scene.settings)


@pytest.mark.parametrize(
    ("text", "settings"),
    [
        ("activation=ReLU", {"activation": "relu"}),
        ("activation=TANH", {"activation": "tanh"}),
        ("regularization=l1", {"regularization": "L1"}),
        ("regularization=l2", {"regularization": "L2"}),
        ("dataset=XOR", {"dataset": "xor"}),
        ("learningRate=1e-5&regularizationRate=0", {"learning_rate": 1e-05, "regularization_rate": 0.0}),
        ("networkShape=", {"network_shape": []}),
        ("networkShape= 3 , 1 ", {"network_shape": [3, 1]}),
        ("noise=&batchSize=%20&seed=&activation=", {}),  # empty values keep the defaults
        ("cosX=true&cosY=1&collectStats=true&tutorial=x&bogus=1&sinX_hide=yes", {}),
        ("seed=%20my%20seed", {"seed": " my seed"}),
        ("initZero=1", {"init_zero": True}),
    ],
)  # fmt: skip
def test_accepted_values_give_no_notes(text, settings):
    scene = scene_of(text)
    assert scene.notes == []
    assert scene.settings == settings


# -- booleans, features, hidden controls -------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("false", False),
        ("1", True),
        ("yes", True),
        ("False", True),
        ("0", True),
        ("%20false", False),
    ],
)
def test_booleans_follow_the_original_rule(value, expected):
    scene = scene_of(f"showTestData={value}&discretize={value}&hideText={value}")
    assert scene.settings == {"show_test_data": expected, "discretize": expected}
    assert scene.hide_text is expected


@pytest.mark.parametrize(
    ("text", "features"),
    [
        ("", None),
        ("xSquared=true", ["x", "y", "xSquared"]),
        ("x=false", ["y"]),
        ("x=false&y=false", []),
        ("sinY=true&x=false&y=false&xTimesY=1", ["xTimesY", "sinY"]),
        ("sinY=true&sinX=true&ySquared=true", ["x", "y", "ySquared", "sinX", "sinY"]),
    ],
)
def test_features_are_enabled_in_catalogue_order(text, features):
    assert scene_of(text).settings.get("features") == features


def test_hide_flags_are_true_only_for_true():
    scene = scene_of(
        "playButton_hide=true&sinX_hide=true&noise_hide=1&dataset_hide=false"
        "&bogus_hide=true&numHiddenLayers_hide=true&hideText=true"
    )
    assert scene.hidden == {"playButton", "sinX", "numHiddenLayers"}
    assert scene.hide_text
    assert scene.notes == []
    assert not scene_of("activation=tanh").hide_text


def test_every_hidable_control_and_feature_round_trips():
    hidden = hide_ids()
    assert ORIGINAL_HIDABLE | set(FEATURES) <= hidden
    query = query_from_state(PlaygroundState(seed="1"), hidden=hidden)
    assert scene_of(query).hidden == hidden


def test_unknown_hide_id_is_a_programming_error():
    with pytest.raises(ValueError, match="bogus"):
        query_from_state(PlaygroundState(seed="1"), hidden=frozenset({"bogus"}))


# -- speed and the notes' settings (issue 12) ----------------------------------------


@pytest.mark.parametrize("text", ["speed=max", "speed=MAX", "speed=0"])
def test_speed_max_is_read_by_its_name_or_its_value(text):
    scene = scene_of(text)
    assert scene.notes == []
    assert scene.settings == {"speed": 0}


def test_speed_max_is_written_by_its_name_and_reads_back():
    state = PlaygroundState(seed="1", speed=0)
    query = query_from_state(state)
    assert "&speed=max" in query
    assert "&speed=0" not in query
    assert scene_of(query).settings["speed"] == 0


def test_speed_can_be_hidden():
    assert "speed" in hide_ids()
    assert scene_of("speed_hide=true").hidden == {"speed"}


def test_each_note_names_the_setting_it_is_about():
    scene = scene_of("learningRate=banana&batchSize=100&speed=fast")
    assert [name for name, _ in scene.notes_by_setting()] == [
        "batch_size", "learning_rate", "speed",
    ]  # fmt: skip
    assert [note for _, note in scene.notes_by_setting()] == scene.notes
    assert scene.notes_by_setting()[0][1].startswith("batchSize=100 ")
