"""The scene in the URL, in TensorFlow Playground's format (tests/reference/INVENTORY.md, A5).

A link from the original works by changing only the host: the same keys are read from
the hash (``#activation=tanh&...``) or from the query. The original accepts any value;
here every value is checked against the controls' ranges, and each one that had to be
clamped, snapped or refused gives a note in plain English instead of an exception.

Which features a scene's dataset offers is its own (``playground.inputs``): a plane's
are the original's flags, one key each (``x=true&sinY=false``); a table's columns, our
extension, are one key (``features=a,c``).
"""

import logging
import math
from collections.abc import Callable, Mapping
from itertools import zip_longest
from typing import Any, NamedTuple
from urllib.parse import unquote

from playground import inputs
from playground.datasets.own import UPLOADED_SETS
from playground.engine import FEATURES
from playground.jsnumber import format_number
from playground.settings import (
    SETTINGS,
    Features,
    Setting,
    Steps,
    hidable,
)
from playground.state import random_seed
from playground.url_scope import prefixed, scoped
from playground.url_values import (
    READERS,
    WRITERS,
    Reader,
    bool_text,
    read_bool,
    step_label,
)

# Keys the original writes but never uses; they are written as false and ignored.
UNUSED_KEYS = ("cosX", "cosY", "collectStats")

# The original's serialize() order (`tutorial` is left out: written only if set), then
# `speed`, ours from the start. These keys are always written; the keys of settings
# the original does not have follow in the registry's order, when not at their default.
ORIGINAL_ORDER: tuple[str, ...] = (
    "activation", "regularization", "batchSize", "dataset", "regDataset", "learningRate",
    "regularizationRate", "noise", "networkShape", "seed", "showTestData", "discretize",
    "percTrainData", "x", "y", "xTimesY", "xSquared", "ySquared", "cosX", "sinX", "cosY",
    "sinY", "collectStats", "problem", "initZero", "hideText", "speed",
)  # fmt: skip

PRESENTER = "presenter"  # the URL key of presenter mode
_NOTE_VALUE_CHARS = 40  # a note quotes at most this much of a bad value
# No value of a scene is longer (a seed is a few digits, the longest shape 11
# characters); a longer one is refused unread, whatever it holds.
MAX_VALUE_CHARS = 100
_CHOOSING = ("problem", "dataset", "reg_dataset")  # the settings that pick the dataset

UPLOAD_NOTE = (
    "The link names a file of your own, which a link cannot carry: upload the file "
    "again, or open its scene file (Save scene)."
)

log = logging.getLogger("playground")


class UrlScene(NamedTuple):
    settings: dict  # kwargs for PlaygroundState(**settings): only what the URL set
    hidden: frozenset[str]  # control ids and feature names with <id>_hide=true
    hide_text: bool
    notes: list[str]  # one sentence per value clamped, snapped or refused
    # The setting each note is about (its name), in the notes' order; None for a note
    # about no one setting. A page drops a note once its setting has been changed.
    note_settings: tuple[str | None, ...] = ()
    presenter: bool = False  # ?presenter=true: larger text and plots, for a projector

    def notes_by_setting(self) -> list[tuple[str | None, str]]:
        """(setting name or None, note) for every note."""
        return list(zip_longest(self.note_settings, self.notes))


class Field(NamedTuple):
    name: str  # the setting
    read: Reader
    write: Callable[[Any], str]
    default: Any
    longest: int = MAX_VALUE_CHARS  # a longer value is refused unread


def _position(setting: Setting) -> int:
    key = setting.key
    return ORIGINAL_ORDER.index(key) if key in ORIGINAL_ORDER else len(ORIGINAL_ORDER)


def _writer(kind) -> Callable[[Any], str]:
    if isinstance(kind, Steps):
        return step_label(kind)
    return WRITERS.get(type(kind), str)


def fields() -> dict[str, Field]:
    """Every setting with a single URL key, by key, in the order keys are written (read
    afresh: registries grow)."""
    return {
        s.key: Field(
            s.name,
            READERS[type(s.kind)](s.kind),
            _writer(s.kind),
            s.default,
            getattr(s.kind, "longest", MAX_VALUE_CHARS),
        )
        for s in sorted(SETTINGS.values(), key=_position)
        if not isinstance(s.kind, Features)
    }


def hide_ids() -> frozenset[str]:
    """Everything ``<id>_hide=true`` can remove: controls and input features."""
    return frozenset({*hidable(), *FEATURES})


def written(setting: Setting, value: Any) -> bool:
    return setting.key in ORIGINAL_ORDER or value != setting.default


# -- reading -----------------------------------------------------------------------


def parse_query(text: str) -> dict[str, str]:
    """``?a=1&b=2``, ``#a=1&b=2`` or ``a=1&b=2`` as a dict; the last repeat wins.

    Values are percent-decoded (bytes that are not UTF-8 become U+FFFD); ``+`` stays
    ``+`` (the original never decodes it). Every value stays text; never raises.
    """
    pairs: dict[str, str] = {}
    for piece in text.removeprefix("?").removeprefix("#").split("&"):
        key, _, value = piece.partition("=")
        key = unquote(key)
        if key:
            pairs[key] = unquote(value)
    return pairs


def _text(value: Any) -> str:
    """A mapping value as URL text; tolerates the typed values some routers hand over
    (bytes, numbers, lists whose last item counts). A value with no text form is empty."""
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, bool):
        return bool_text(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return format_number(value)
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    try:
        return str(value)
    except ValueError:  # an int beyond str()'s 4,300 digits: as huge as a number gets
        return "Infinity" if value > 0 else "-Infinity"
    except RecursionError:
        return ""


def _excerpt(raw: str) -> str:
    """The start of ``raw`` as a note quotes it: at most _NOTE_VALUE_CHARS characters,
    and those that print nothing or move the text (controls, line breaks, direction
    overrides, unpaired surrogates) as escapes, e.g. ``\\u202e``."""
    shown = ""
    for ch in raw:
        piece = ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        if len(shown) + len(piece) > _NOTE_VALUE_CHARS - 1:
            return shown + "…"
        shown += piece
    return shown


def _note(key: str, raw: str, problem: str, used: str) -> str:
    nothing = "no drawn points" if key == SETTINGS["points"].key else "no hidden layers"
    using = f"using {used}" if used else f"using {nothing}"
    return f"{key}={_excerpt(raw)} {problem}; {using}."


def _read_value(key: str, field: Field, raw: str) -> tuple[Any, str | None]:
    """``field.read(raw)``, but a value too long to be meant is refused unread, and a
    reader that fails refuses the value rather than the whole page."""
    if len(raw) > field.longest:
        return None, f"is too long ({len(raw):,} characters, at most {field.longest:,})"
    try:
        return field.read(raw)
    except Exception:  # a bug, not the user's: logged with its traceback, and a note
        log.warning("reading %s=%s failed", key, _excerpt(raw), exc_info=True)
        return None, "could not be read"


def read_refused(name: str, value: Any, current: Any) -> tuple[Any, str | None]:
    """A value for setting ``name`` that its control refused (a browser sent it), read as
    a link's value is: (what to use instead, clamped or snapped, or None to keep
    ``current``; a note in a link's words, or None when the value reads as it is)."""
    key = SETTINGS[name].key
    field = fields()[key]
    raw = _text(value)
    read, problem = _read_value(key, field, raw)
    if read is None and problem is None:  # the seed: any text reads, none was refused
        problem = "could not be used"
    if not problem:
        return read, None
    used = read if read is not None else current
    return read, _note(key, raw, problem, field.write(used))


def scene_from_query(query: Mapping[str, Any], prefix: str = "") -> UrlScene:
    """The settings, hidden controls and notes of a parsed URL; never raises. With a
    ``prefix`` (``a.``) only the keys that carry it are the scene's (``url_scope``)."""
    values = {
        key: _text(value) for key, value in scoped(query, prefix).items() if isinstance(key, str)
    }
    settings: dict[str, Any] = {}
    notes: list[str] = []
    note_settings: list[str] = []
    for key, field in fields().items():
        raw = values.get(key)
        if raw is None or (not raw.strip() and key != "networkShape"):
            continue  # missing or empty: the default stays, as in the original
        value, problem = _read_value(key, field, raw)
        if value is None and field.name == "seed":
            value = random_seed()  # as for a URL without a seed; the note names it
        if value is not None:
            settings[field.name] = value
        if problem:
            used = value if value is not None else field.default
            notes.append(_note(key, raw, problem, field.write(used)))
            note_settings.append(field.name)
    dataset = _dataset_in_use(settings)
    if dataset in UPLOADED_SETS.values():
        notes.append(UPLOAD_NOTE)
        note_settings.append(None)
    if inputs.is_plane(dataset):
        features = _read_features(values)
    else:
        features, problem = _read_columns(values.get("features"), dataset)
        if problem:
            used = inputs.default_features(dataset) if features is None else features
            notes.append(_note("features", values["features"], problem, ",".join(used)))
            note_settings.append("features")
    if features is not None:
        settings["features"] = features
    hidden = frozenset(
        name for name in hide_ids() if values.get(f"{name}_hide", "").strip() == "true"
    )
    hide_text = bool(values.get("hideText", "").strip()) and read_bool(values["hideText"])[0]
    presenter = bool(values.get(PRESENTER, "").strip()) and read_bool(values[PRESENTER])[0]
    return UrlScene(settings, hidden, hide_text, notes, tuple(note_settings), presenter)


def _dataset_in_use(settings: dict[str, Any]) -> str:
    """The dataset a scene's settings choose, of its problem type."""
    problem = settings.get("problem", SETTINGS["problem"].default)
    name = "dataset" if problem == "classification" else "reg_dataset"
    return settings.get(name, SETTINGS[name].default)


def _read_columns(raw: str | None, dataset: str) -> tuple[list[str] | None, str | None]:
    """A table's features, one key of comma-separated columns (``features=a,c``; empty:
    none), in the table's order; None when the URL names none. Names the table does not
    have are left out, with a problem phrase."""
    if raw is None:
        return None, None
    offered = inputs.input_options(dataset)
    # Every column named once is the longest value meant; a short one may be a typo.
    longest = max(MAX_VALUE_CHARS, len(",".join(offered)))
    if len(raw) > longest:
        return None, f"is too long ({len(raw):,} characters, at most {longest})"
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if foreign := [name for name in names if name not in offered]:
        shown = _excerpt(", ".join(foreign))
        problem = f"names no column of {dataset} ({shown}; it has {', '.join(offered)})"
        return inputs.in_input_order(names, dataset), problem
    return inputs.in_input_order(names, dataset), None


def _read_features(values: dict[str, str]) -> list[str] | None:
    """Enabled features in catalogue order, or None when the URL names none."""
    given = {name: values[name] for name in FEATURES if values.get(name, "").strip()}
    if not given:
        return None
    default = SETTINGS["features"].default
    return [
        name
        for name in FEATURES
        if (read_bool(given[name])[0] if name in given else name in default)
    ]


# -- writing -----------------------------------------------------------------------


def query_from_state(
    state,
    hidden: frozenset[str] = frozenset(),
    hide_text: bool = False,
    presenter: bool = False,
    prefix: str = "",
) -> str:
    """Every setting in serialize()'s order, without a leading ``?``, then the keys the
    original does not have (where not at their default), then the hide flags, then
    ``presenter=true`` if it is on (a view's choice, not a scene's: written only then);
    each key after ``prefix``, if any (``url_scope``)."""
    unknown = set(hidden) - hide_ids()
    if unknown:
        raise ValueError(f"not hidable: {', '.join(sorted(unknown))}")
    values = {key: field.write(getattr(state, field.name)) for key, field in fields().items()}
    dataset = _dataset_in_use({name: getattr(state, name) for name in _CHOOSING})
    if inputs.is_plane(dataset):  # the original's flags, one key per feature
        values |= {name: bool_text(name in state.features) for name in FEATURES}
    else:  # a table's columns, one key
        values["features"] = ",".join(inputs.in_input_order(state.features, dataset))
    values |= dict.fromkeys(UNUSED_KEYS, "false")
    values["hideText"] = bool_text(hide_text)
    extra = [
        s.key
        for s in SETTINGS.values()
        if s.key not in ORIGINAL_ORDER
        and s.key in values
        and (isinstance(s.kind, Features) or written(s, getattr(state, s.name)))
    ]
    pairs = [f"{key}={values[key]}" for key in ORIGINAL_ORDER if key in values]
    # Drawn points too many for a link write nothing (the page says so).
    pairs += [f"{key}={values[key]}" for key in extra if values[key] or key == "features"]
    pairs += [f"{name}_hide=true" for name in sorted(hidden)]
    if presenter:
        pairs.append(f"{PRESENTER}=true")
    return prefixed("&".join(pairs), prefix)
