"""How each kind of setting (``playground.kinds``) is read from URL text and written to it.

A reader turns a URL value into a setting, or None to keep the default, plus a problem
phrase ("is above the maximum of 30") when the value was not taken as is; ``url.py``
makes the phrase a note. Numbers are read as JavaScript reads them.
"""

import math
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from playground.datasets import DATASETS
from playground.datasets.own import MAX_LINK_POINTS, decode_points, encode_points
from playground.jsnumber import format_number, js_number, js_round
from playground.kinds import (
    Choice,
    Dataset,
    Flag,
    Number,
    Points,
    Rate,
    Shape,
    Slider,
    Steps,
    Text,
)
from playground.settings import MAX_LAYERS, MAX_NEURONS

Reader = Callable[[str], tuple[Any, str | None]]


# -- values ------------------------------------------------------------------------


def bool_text(value: bool) -> str:
    return "true" if value else "false"


def _escape_seed(seed: str) -> str:
    """The seed verbatim, except characters that would break a query or a hash."""
    return "".join(
        quote(ch.encode("utf-8", "surrogatepass"), safe="")
        if ch in "&#%=+" or not " " < ch < "\x7f"
        else ch
        for ch in seed
    )


def _shape_text(shape: list[int]) -> str:
    return ",".join(str(n) for n in shape)


def _listing(values: list) -> str:
    return ", ".join(str(v) for v in values)


# -- readers -----------------------------------------------------------------------


def read_bool(raw: str) -> tuple[bool, None]:
    return raw.strip() != "false", None  # the original's rule: anything else is true


def _read_seed(raw: str) -> tuple[str, None]:
    return raw, None


def _choice(choices: list[str], what: str) -> Reader:
    """A named value; case does not matter (ReLU, l2)."""
    by_folded = {name.casefold(): name for name in choices}

    def read(raw: str) -> tuple[str | None, str | None]:
        name = by_folded.get(raw.strip().casefold())
        return (name, None) if name else (None, f"is not {what} ({_listing(choices)})")

    return read


def _dataset(problem: str) -> Reader:
    other_key = "regDataset" if problem == "classification" else "dataset"
    names = [name for name, spec in DATASETS.items() if spec.problem == problem]
    pick = _choice(names, f"a {problem} dataset")
    pick_any = _choice(list(DATASETS), "a dataset")

    def read(raw: str) -> tuple[str | None, str | None]:
        name, problem_text = pick(raw)
        other = pick_any(raw)[0]
        if name is None and other is not None:
            return None, f"is a {DATASETS[other].problem} dataset, which goes in {other_key}"
        return name, problem_text

    return read


def _integer(kind: Slider) -> Reader:
    """A slider: a whole number within the bounds, snapped to the step."""
    low, high, step = kind.low, kind.high, kind.step

    def read(raw: str) -> tuple[int | None, str | None]:
        value = js_number(raw)
        if value is None:
            return None, "is not a number"
        clamped = min(max(value, low), high)
        snapped = step * js_round(clamped / step)
        if value > high:
            return snapped, f"is above the maximum of {high}"
        if value < low:
            return snapped, f"is below the minimum of {low}"
        if snapped != value:
            return snapped, "is not a whole number" if step == 1 else f"is not a multiple of {step}"
        return snapped, None

    return read


def _number(kind: Number) -> Reader:
    """Any finite number, clamped to the bounds."""

    def read(raw: str) -> tuple[float | None, str | None]:
        value = js_number(raw)
        if value is None or not math.isfinite(value):
            return None, "is not a number"
        if value > kind.high:
            return kind.high, f"is above the maximum of {format_number(kind.high)}"
        if value < kind.low:
            return kind.low, f"is below the minimum of {format_number(kind.low)}"
        return float(value), None

    return read


def _rate(rates: tuple[float, ...]) -> Reader:
    """A dropdown of rates: an unlisted one snaps to the nearest in log scale."""
    listed = sorted(rates)
    positive = [r for r in listed if r > 0]

    def read(raw: str) -> tuple[float | None, str | None]:
        value = js_number(raw)
        if value is None:
            return None, "is not a number"
        if value in listed:
            return listed[listed.index(value)], None
        if value > listed[-1]:
            return listed[-1], f"is above the largest rate, {format_number(listed[-1])}"
        if value < listed[0]:
            return listed[0], f"is below the smallest rate, {format_number(listed[0])}"
        nearest = min(positive, key=lambda r: abs(math.log(r / value)))
        return nearest, "is not one of the listed rates"

    return read


def _read_shape(raw: str) -> tuple[list[int] | None, str | None]:
    """Comma-separated neuron counts; empty means no hidden layer."""
    if not raw.strip():
        return [], None
    counts = [js_number(entry) for entry in raw.split(",")]
    if None in counts:
        return None, "has an entry that is not a number"
    problems = []
    if len(counts) > MAX_LAYERS:
        problems.append(f"more than {MAX_LAYERS} hidden layers")
    counts = counts[:MAX_LAYERS]
    if any(n > MAX_NEURONS for n in counts):
        problems.append(f"a layer of more than {MAX_NEURONS} neurons")
    if any(n < 1 for n in counts):
        problems.append("a layer of less than 1 neuron")
    if any(n != js_round(n) for n in counts if 1 <= n <= MAX_NEURONS):
        problems.append("a neuron count that is not a whole number")
    shape = [js_round(min(max(n, 1), MAX_NEURONS)) for n in counts]
    if not problems:
        return shape, None
    listed = ", ".join(problems[:-1]) + " and " + problems[-1] if problems[1:] else problems[0]
    return shape, f"has {listed}"


def _steps(kind: Steps) -> Reader:
    """A named value by its label (``max``, any case) or by its value (``0``)."""
    allowed = list(kind.values.values())
    by_label = {label.casefold(): value for label, value in kind.values.items()}

    def read(raw: str) -> tuple[int | None, str | None]:
        if raw.strip().casefold() in by_label:
            return by_label[raw.strip().casefold()], None
        value = js_number(raw)
        if value in allowed:
            return allowed[allowed.index(value)], None
        return None, f"is not one of the speeds ({_listing(list(kind.values))})"

    return read


def _read_points(raw: str) -> tuple[tuple | None, str | None]:
    """Drawn points, six characters each (``datasets.own``)."""
    try:
        return decode_points(raw.strip()), None
    except ValueError as problem:
        return None, f"is not a set of drawn points ({problem})"


def points_text(points) -> str:
    """Drawn points as a link carries them; none beyond MAX_LINK_POINTS (the page says
    so and offers the scene file)."""
    return encode_points(points) if len(points) <= MAX_LINK_POINTS else ""


def step_label(kind: Steps) -> Callable[[int], str]:
    """A named value as its label: ``speed=max``, not ``speed=0``."""
    labels = {value: label for label, value in kind.values.items()}
    return lambda value: labels.get(value, str(value))


# A setting's kind -> its URL reader and writer (features have a key each: see below).
READERS: dict[type, Callable[[Any], Reader]] = {
    Choice: lambda kind: _choice(list(kind.options()), kind.what),
    Dataset: lambda kind: _dataset(kind.problem),
    Rate: lambda kind: _rate(kind.values),
    Steps: _steps,
    Slider: _integer,
    Number: _number,
    Flag: lambda kind: read_bool,
    Text: lambda kind: _read_seed,
    Shape: lambda kind: _read_shape,
    Points: lambda kind: _read_points,
}
WRITERS: dict[type, Callable[[Any], str]] = {
    Rate: format_number,
    Number: format_number,
    Flag: bool_text,
    Text: _escape_seed,
    Shape: _shape_text,
    Points: points_text,
}
