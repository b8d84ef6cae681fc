"""The ARC4 stream of seedrandom 2.4.4 and the original's toFixed(5) seeds."""

from __future__ import annotations

import pytest

from playground.datasets import SeedRandom, next_seed


def draws(seed: str, count: int) -> list[float]:
    rng = SeedRandom(seed)
    return [rng.random() for _ in range(count)]


class FixedDraw:
    """Stands in for SeedRandom where next_seed needs one chosen draw."""

    def __init__(self, value: float) -> None:
        self.value = value

    def random(self) -> float:
        return self.value


def test_matches_the_published_test_vector():
    # From the reference README: Math.seedrandom("0.31415") in the original.
    assert draws("0.31415", 5) == [
        0.7123333764434703,
        0.11352688229419719,
        0.38765987354707265,
        0.23599921060978418,
        0.9269668545296661,
    ]


def test_same_seed_same_stream_and_different_seeds_differ():
    # 3000 draws cross several keystream refills.
    assert draws("0.27182", 3000) == draws("0.27182", 3000)
    assert draws("0.27182", 20) != draws("0.27183", 20)


@pytest.mark.parametrize("seed", ["", "a", "ünïcødé", "種子", "🎲 dice", "x" * 300, "\ud800"])
def test_any_string_is_a_seed(seed):
    values = draws(seed, 200)
    assert all(0.0 <= v < 1.0 for v in values)
    assert len(set(values)) == len(values)
    assert values == draws(seed, 200)


def test_empty_and_non_ascii_seeds_match_node():
    # First draws computed in Node, whose strings are UTF-16 like charCodeAt expects.
    assert draws("", 2) == [0.23144008215179881, 0.27404636548159655]
    assert draws("種子", 2) == [0.9042752712259519, 0.18955826874517168]
    assert draws("🎲 dice", 2) == [0.7778290063907725, 0.32377327080916646]


def test_seeds_hash_as_utf16_code_units():
    # In JS "🎲" *is* the surrogate pair "\ud83c\udfb2"; Python spells them differently.
    assert draws("🎲", 5) == draws("\ud83c\udfb2", 5)


def test_key_wraps_after_256_code_units():
    # mixkey folds unit j into key[j % 256], so a 257th character still changes the key.
    assert draws("x" * 256, 5) != draws("x" * 256 + "y", 5)


def test_next_seed_continues_the_stream():
    rng = SeedRandom("0.31415")
    # 0.7123333764434703 and 0.11352688229419719 rounded to 5 decimals.
    assert [next_seed(rng), next_seed(rng)] == ["0.71233", "0.11353"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, "0.00000"),
        (0.015625, "0.01563"),  # exact tie: toFixed takes the larger, unlike round-half-even
        (0.5, "0.50000"),
        (0.123455, "0.12345"),  # the double is 0.1234549999...: below the tie
        (0.999995, "0.99999"),  # the double is 0.9999949999...: below the tie
        (0.999996, "1.00000"),  # rounds up and carries into the integer part
        (0.9999999999999999, "1.00000"),
        (1e-300, "0.00000"),
        (0.000005, "0.00001"),  # the double is 0.0000050000000000000004...: above the tie
    ],
)
def test_next_seed_formats_like_js_to_fixed(value, expected):
    assert next_seed(FixedDraw(value)) == expected
