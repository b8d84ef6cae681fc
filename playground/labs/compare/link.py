"""The compare lab's address: two playground scenes in one link, by the house's scene
prefixes (``playground.url_scope``). A key without a prefix is both scenes'; ``a.`` and
``b.`` keys are one scene's own and win over a shared key:
``?dataset=xor&a.optimizer=sgd&b.optimizer=adam``. Each side is read and written by the
playground's own reader and writer (``playground.url``), so every value means what it
means in a playground link, and a bad one gets the same note, under its prefix.

The data are shared (the same data on both sides): a prefixed data key is refused with a
note. Only what differs from the defaults is written, and the seed always; a link that
sets no side apart compares plain SGD (A) with Adam (B). No Panel here.
"""

from collections.abc import Mapping
from types import SimpleNamespace
from typing import NamedTuple

from playground.settings import SETTINGS, hidable
from playground.state import random_seed
from playground.url import fields, parse_query, query_from_state, scene_from_query
from playground.url_scope import scoped

SIDES = ("a.", "b.")
# The settings that make the data: one value for both sides.
DATA = ("problem", "dataset", "reg_dataset", "num_classes", "perc_train_data", "noise",
        "seed", "points")  # fmt: skip
BUTTONS = ("playButton", "stepButton", "resetButton")
# A link that sets neither side apart opens on a comparison: plain SGD against Adam.
FIRST_DIFFERENCE = {"b.optimizer": "adam"}
FIRST_DIFFERENCE_KEYS = ("optimizer",)


class CompareLink(NamedTuple):
    sides: tuple[dict, dict]  # each side's settings (PlaygroundState's names), data shared
    hidden: tuple[frozenset, frozenset]  # each side's hidden controls, by URL key
    buttons_hidden: frozenset[str]  # the page's buttons that ``<id>_hide`` removes
    hide_text: bool
    presenter: bool
    notes: list[str]


def read_link(query: Mapping[str, str]) -> CompareLink:
    """The two scenes of a parsed address; never raises."""
    query = dict(query)
    if not any(key.startswith(SIDES) for key in query):
        query |= FIRST_DIFFERENCE
    if not str(query.get("seed", "")).strip():  # none, or empty (which reads as none)
        query["seed"] = random_seed()  # one seed for both: the same data, the same weights
    shared = scene_from_query(query)
    notes = list(shared.notes)
    sides, hidden = [], []
    for prefix in SIDES:
        own = scoped(query, prefix)
        data_keys = sorted(key for key in own if key in _data_keys())
        for key in data_keys:
            notes.append(f"{prefix}{key}: the data are the same on both sides; use {key}=.")
            own.pop(key)
        notes += [prefix + note for note in scene_from_query(own).notes]
        scene = scene_from_query({**query, **own})
        settings = dict(scene.settings)
        settings.update({name: shared.settings[name] for name in DATA if name in shared.settings})
        for name in DATA:
            if name not in shared.settings:
                settings.pop(name, None)
        sides.append(settings)
        hidden.append(scene.hidden - set(BUTTONS))
    return CompareLink(
        (sides[0], sides[1]),
        (hidden[0], hidden[1]),
        shared.hidden & set(BUTTONS),
        shared.hide_text,
        shared.presenter,
        notes,
    )


def _data_keys() -> set[str]:
    return {SETTINGS[name].key for name in DATA}


def _pairs(settings: Mapping) -> dict[str, str]:
    """Every key the playground writes for a scene of ``settings`` (defaults elsewhere)."""
    values = {name: row.default for name, row in SETTINGS.items()} | dict(settings)
    values["features"] = list(values["features"])
    scene = SimpleNamespace(**values)
    pairs = parse_query(query_from_state(scene))
    # The writer leaves out a key that is not the original's at its default; here one
    # side's default may be what differs from the other's, so every key has its text.
    return pairs | {key: field.write(values[field.name]) for key, field in fields().items()
                    if key not in pairs}  # fmt: skip


def write_link(
    sides: tuple[Mapping, Mapping],
    hidden: tuple[frozenset, frozenset] = (frozenset(), frozenset()),
    buttons_hidden: frozenset[str] = frozenset(),
) -> str:
    """The query (no ``?``) that ``read_link`` reads back as ``sides``: keys both sides
    share without a prefix, the others under ``a.`` and ``b.``; then the hides."""
    a, b = (_pairs(side) for side in sides)
    default = _pairs({"seed": sides[0]["seed"]})
    shared = [f"{key}={value}" for key, value in a.items()
              if b.get(key) == value and (value != default.get(key) or key == "seed")]  # fmt: skip
    own = [
        f"{prefix}{key}={pairs[key]}"
        for prefix, pairs in zip(SIDES, (a, b), strict=True)
        for key in pairs
        if a.get(key) != b.get(key)
    ]
    if not own:  # the same on both sides: said so, or the link would open SGD against Adam
        own = [f"{prefix}{key}={a[key]}" for prefix in SIDES for key in FIRST_DIFFERENCE_KEYS]
    both = hidden[0] & hidden[1]
    hides = [f"{key}_hide=true" for key in sorted(both | buttons_hidden)]
    hides += [
        f"{prefix}{key}_hide=true"
        for prefix, keys in zip(SIDES, hidden, strict=True)
        for key in sorted(keys - both)
    ]
    return "&".join(shared + own + hides)


def hidable_keys() -> frozenset[str]:
    """What ``<id>_hide`` may name on this page: the playground's controls and buttons."""
    return frozenset(hidable())
