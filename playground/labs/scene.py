"""A lab's scene in its URL, read from and written to its state's params.

Each param of a lab's ``param.Parameterized`` state is a URL key of the same name
(camelCase, as the playground's keys). Reading follows the playground's rules: a number
is read as JavaScript reads it and clamped to the param's bounds, a name is matched
whatever its case, anything else is refused; every clamp or refusal becomes a note
("noise=9 is above the maximum of 2; using 2."). ``<name>_hide=true`` hides that
param's control. Only values that differ from the defaults are written.
"""

import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import param

from playground.jsnumber import format_number, js_number, js_round

HIDE = "_hide"


class LabScene(NamedTuple):
    values: dict[str, Any]  # param name -> value read
    hidden: frozenset[str]  # params whose control ``<name>_hide=true`` removes
    notes: list[str]


def url_params(cls: type[param.Parameterized]) -> dict[str, param.Parameter]:
    """The params a link may set: every param but ``name`` and those marked as not in
    the URL (``precedence`` below 0)."""
    return {
        name: spec
        for name, spec in cls.param.objects("existing").items()
        if name != "name" and (spec.precedence is None or spec.precedence >= 0)
    }


def _number_text(value: float) -> str:
    return format_number(value)


def _read(spec: param.Parameter, raw: str) -> tuple[Any, str | None]:
    """(value or None, what was wrong or None)."""
    if isinstance(spec, param.Boolean):
        return raw.strip() != "false", None
    if isinstance(spec, param.ListSelector):
        wanted = [part.strip() for part in raw.split(",") if part.strip()]
        by_folded = {str(o).casefold(): o for o in spec.objects}
        picked = [by_folded[w.casefold()] for w in wanted if w.casefold() in by_folded]
        unknown = [w for w in wanted if w.casefold() not in by_folded]
        if unknown:
            listing = ", ".join(map(str, spec.objects))
            # Nothing left that is known: the default, not an empty choice.
            return picked or None, f"names {', '.join(unknown)}, not among {listing}"
        return picked, None
    if isinstance(spec, param.Selector):
        by_folded = {str(o).casefold(): o for o in spec.objects}
        name = by_folded.get(raw.strip().casefold())
        if name is None:
            return None, f"is not one of {', '.join(map(str, spec.objects))}"
        return name, None
    if isinstance(spec, param.Number):  # Integer too
        value = js_number(raw)
        if value is None or not math.isfinite(value):
            return None, "is not a number"
        low, high = spec.bounds or (None, None)
        note = None
        if high is not None and value > high:
            value, note = high, f"is above the maximum of {_number_text(high)}"
        elif low is not None and value < low:
            value, note = low, f"is below the minimum of {_number_text(low)}"
        if isinstance(spec, param.Integer) and value != js_round(value):
            value, note = js_round(value), note or "is not a whole number"
        return (int(value) if isinstance(spec, param.Integer) else float(value)), note
    if isinstance(spec, param.String):
        return raw, None
    return None, "cannot be set from a link"


def _note(key: str, raw: str, problem: str, value: Any) -> str:
    used = "the default" if value is None else _text(value)
    return f"{key}={raw[:40]} {problem}; using {used}."


def read_refused(
    cls: type[param.Parameterized], name: str, value: Any, current: Any
) -> tuple[Any, str | None]:
    """A value for param ``name`` that its control refused (a browser sent it), read as
    a link's value is: (what to use instead, clamped, or None to keep ``current``; the
    note a link's value would get, or None when it reads as it is)."""
    try:
        raw = _text(value)
    except (ValueError, RecursionError):  # an integer of thousands of digits, deep lists
        return None, f"{name}: the value sent could not be read; ignored."
    if len(raw) > 100:
        return None, f"{name} is longer than 100 characters; ignored."
    read, problem = _read(url_params(cls)[name], raw)
    if read is None and problem is None:
        problem = "could not be used"
    if not problem:
        return read, None
    return read, _note(name, raw, problem, read if read is not None else current)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list | tuple):
        return ",".join(map(str, value))
    return str(value)


def read_scene(
    cls: type[param.Parameterized],
    query: Mapping[str, str],
    hidable: Iterable[str] = (),
    max_chars: int = 100,
) -> LabScene:
    """The scene a link opens: values, hidden controls and notes, never raising.

    ``hidable``: ids besides the params that ``_hide`` may name (buttons, say).
    """
    specs = url_params(cls)
    values, notes, hidden = {}, [], set()
    allowed_hides = set(specs) | set(hidable)
    for key, raw in query.items():
        if key.endswith(HIDE) and key[: -len(HIDE)] in allowed_hides:
            if raw.strip() != "false":
                hidden.add(key[: -len(HIDE)])
            continue
        spec = specs.get(key)
        if spec is None:
            continue  # keys of other pages or tools are not ours to judge
        if len(raw) > max_chars:
            notes.append(f"{key} is longer than {max_chars} characters; ignored.")
            continue
        value, problem = _read(spec, raw)
        if problem:
            notes.append(_note(key, raw, problem, value))
        if value is not None:
            values[key] = value
    return LabScene(values, frozenset(hidden), notes)


def scene_query(state: param.Parameterized, hidden: Iterable[str] = ()) -> str:
    """The link's query for ``state``: values that differ from the defaults, then hides.
    A state whose defaults follow its other params (the optimizer race's rates follow
    its surface) says which with ``default_value(name)``."""
    default_value = getattr(state, "default_value", None)
    parts = [
        f"{name}={_text(getattr(state, name))}"
        for name, spec in url_params(type(state)).items()
        if getattr(state, name) != (default_value(name) if default_value else spec.default)
    ]
    parts += [f"{name}{HIDE}=true" for name in sorted(hidden)]
    return "&".join(parts)
