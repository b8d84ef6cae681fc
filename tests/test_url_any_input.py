"""Whatever a URL holds, reading it never raises: random and typed queries, and numbers
of any length and script, read as JavaScript's unary plus reads them."""

import math
import random

import pytest

from playground.jsnumber import js_number
from playground.state import PlaygroundState
from playground.url import query_from_state, scene_from_query
from tests.test_url import A5_ORDER, scene_of

# -- whatever the input ------------------------------------------------------------

NASTY = [
    "", " ", "false", "true", "NaN", "-0", "1e999", "-Infinity", "0x1F", "0b2", "%", "%zz",
    "é", "\x00", "4,,2", ",", "banana", "100", "-3", "2.5", "0.0004", "reg-gauss", "ReLU",
    "L1", "8,8,8,8,8,8,8", "regression", "&", "=",
]  # fmt: skip


@pytest.mark.parametrize("case", range(20))
def test_any_query_gives_a_valid_state_and_never_raises(case):
    rng = random.Random(case)
    keys = [*A5_ORDER, "tutorial", "noise_hide", "x_hide", "bogus"]
    query = {key: rng.choice(NASTY) for key in rng.sample(keys, rng.randint(1, len(keys)))}
    scene = scene_from_query(query)
    state = PlaygroundState(**{"seed": "1", **scene.settings})
    assert all(isinstance(note, str) and note.endswith(".") for note in scene.notes)
    scene_of(query_from_state(state))  # and what it writes reads back
    junk = "".join(rng.choice("&=#?%+,x1 é") for _ in range(rng.randint(0, 40)))
    scene_of(junk)


def test_typed_values_from_a_router_are_read_as_text():
    scene = scene_from_query(
        {"batchSize": 5, "showTestData": False, "learningRate": 0.1, "noise": [10, 15]}
    )
    assert scene.settings == {
        "batch_size": 5, "show_test_data": False, "learning_rate": 0.1, "noise": 15,
    }  # fmt: skip
    assert scene.notes == []


# -- hostile values ----------------------------------------------------------------

DIGITS = "1" * 4301  # one past Python's int-string limit


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0x" + "f" * 300, math.inf),  # beyond float range: Infinity, as in JavaScript
        ("0x" + "f" * 256, math.inf),  # rounds up to 2**1024
        ("0x" + "f" * 255, float(int("f" * 255, 16))),
        ("0b" + "1" * 5000, math.inf),
        ("0o" + "7" * 400, math.inf),
        (DIGITS, math.inf),
        ("-" + DIGITS, -math.inf),
        ("0." + DIGITS, float("0." + DIGITS)),
        ("1e" + DIGITS, math.inf),
        ("1e-" + DIGITS, 0.0),
        ("\u0661\u0662", None),  # Arabic-Indic digits: Python's float takes them, JS does not
        ("\u00b2", None),  # a superscript two
        ("\uff11", None),  # a full-width one
        ("\u00a05\ufeff", 5.0),  # JavaScript trims these
        ("\x1c5", None),  # and not this one (Python's strip would)
        ("+0x10", None),
        ("0X1f", 31.0),
        ("0x", None),
        ("0x1g", None),
        ("0o8", None),
    ],
    ids=lambda v: repr(v)[:20],
)
def test_numbers_of_any_length_and_script_never_raise(text, value):
    assert js_number(text) == value
