"""The control widgets, one per setting row of ``playground.settings`` that has a place
on the page, with its label and its choices from the registry. Each widget carries the
css class ``ui-<id>`` of the original, so ``<id>_hide=true``, its hint (``hints``, shown
by the page's ``ControlNames``) and the browser tests can find it."""

import math
from collections.abc import Callable, Mapping
from importlib import resources
from typing import ClassVar

import panel as pn
import param
from panel.custom import JSComponent

from playground.jsnumber import format_number
from playground.pipe.library import JoinedModule, acting_at_once
from playground.settings import (
    SETTINGS,
    Choice,
    Dataset,
    Flag,
    Number,
    Rate,
    Setting,
    Slider,
    Steps,
    in_group,
)
from playground.state import PlaygroundState
from playground.views.esm import join_modules
from playground.views.focus import FINGER_ROOM, FOCUS_RING, ringed

ASSETS = resources.files("playground.assets")

# Controls act on a change from the browser at once (see ``acting_at_once``).
Select = acting_at_once(pn.widgets.Select)
IntSlider = acting_at_once(pn.widgets.IntSlider)
Checkbox = acting_at_once(pn.widgets.Checkbox)
FloatSlider = acting_at_once(pn.widgets.FloatSlider)
FloatInput = acting_at_once(pn.widgets.FloatInput)


# No "?" of Bokeh's: Panel would give each dropdown its parameter's doc as a tooltip
# model (and an HTML model for the text); the page shows every hint itself (``hints``).
NO_TOOLTIP = {"description": None}


def _sized(width: int) -> dict:
    """``width`` px at the page's 14 px text, growing with the text (presenter mode's
    --text, page.css), and wider where its label needs it: a fixed width would let a
    larger label run into the next control, or off the page."""
    ems = width / 14
    return {
        "width": width,
        "stylesheets": [
            f":host {{ width: max-content !important; min-width: calc({ems:.2f} * var(--text)); }}",
            ".bk-input { font-size: var(--text, 14px); }",
            ".bk-slider-title { white-space: normal; }",  # a slider's own width is fixed
            FOCUS_RING,
            FINGER_ROOM,
        ],
    }


def _number_label(value: float) -> str:
    return format_number(value)  # 0.00001 as the original shows it; 1e-8, not 0.00000


def options_of(setting: Setting) -> dict:
    """A dropdown's {label: value}."""
    kind = setting.kind
    if isinstance(kind, Rate):
        return {_number_label(v): v for v in kind.values}
    if isinstance(kind, Steps):
        return dict(kind.values)
    return {label: name for name, label in kind.options().items()}


def _select(state: PlaygroundState, setting: Setting, css: list[str]) -> Select:
    return Select.from_param(
        state.param[setting.name],
        name=setting.label,
        options=options_of(setting),
        css_classes=css,
        **NO_TOOLTIP,
        **_sized(130),
    )


def _slider(state: PlaygroundState, setting: Setting, css: list[str]) -> IntSlider:
    return IntSlider.from_param(
        state.param[setting.name], name=setting.label, css_classes=css, **_sized(170)
    )


def _number(state: PlaygroundState, setting: Setting, css: list[str]):
    kind = setting.kind
    widget = FloatSlider if kind.slider else FloatInput
    return widget.from_param(
        state.param[setting.name],
        name=setting.label,
        step=kind.step,
        css_classes=css,
        **_sized(170 if kind.slider else 110),
    )


def count_select(state: PlaygroundState, setting: Setting, css: list[str]) -> Select:
    """A slider's few whole numbers as a dropdown: its label names it to a screen reader
    (a slider's handle has no name of its own) and a finger picks a value at once."""
    kind = setting.kind
    values = range(int(kind.low), int(kind.high) + 1, int(kind.step))
    return Select.from_param(
        state.param[setting.name],
        name=setting.label,
        options={str(n): n for n in values},
        css_classes=css,
        **NO_TOOLTIP,
        **_sized(110),
    )


def _checkbox(state: PlaygroundState, setting: Setting, css: list[str]) -> Checkbox:
    return Checkbox.from_param(
        state.param[setting.name], name=setting.label, **ringed(css_classes=css)
    )


# A setting's kind -> its widget.
WIDGETS = {
    Choice: _select,
    Dataset: _select,
    Rate: _select,
    Steps: _select,
    Slider: _slider,
    Number: _number,
    Flag: _checkbox,
}


def has_control(setting: Setting) -> bool:
    """A choice between one option is no choice: it gets no control (yet)."""
    kind = setting.kind
    return not (isinstance(kind, Choice | Dataset) and len(kind.options()) < 2)


def control(state: PlaygroundState, setting: Setting):
    return WIDGETS[type(setting.kind)](state, setting, [hint_class(setting)])


def hint_class(setting: Setting) -> str:
    """The css class of the setting's control, by which the page finds its hint."""
    return f"ui-{setting.hide_id or setting.key}"


class Controls(Mapping):
    """A group's controls by hide id (or URL key), in the registry's order, each made
    when first asked for, and their hints by css class (``hints``); ``custom`` gives a
    setting a view of its own (the dataset picker), which shows its hint itself."""

    def __init__(self, state: PlaygroundState, group: str, custom: dict | None = None):
        self._state = state
        self._custom = custom or {}
        self._settings = {
            setting.hide_id or setting.key: setting
            for setting in in_group(group)
            if setting.name in self._custom or has_control(setting)
        }
        self.made: dict = {}

    def setting(self, key: str) -> Setting:
        return self._settings[key]

    def __getitem__(self, key: str):
        if key not in self.made:
            setting = self._settings[key]
            self.made[key] = self._custom.get(setting.name) or control(self._state, setting)
        return self.made[key]

    def setting_of(self, widget) -> Setting | None:
        """The setting whose control (made so far) is ``widget``."""
        for key, made in self.made.items():
            if made is widget:
                return self._settings[key]
        return None

    @property
    def hints(self) -> dict[str, str]:
        """Every ordinary control's hint, by its css class (a custom view shows its own)."""
        return {
            hint_class(s): s.hint for s in self._settings.values() if s.name not in self._custom
        }

    def __iter__(self):
        return iter(self._settings)

    def __len__(self) -> int:
        return len(self._settings)


# A held control that does not apply keeps its room, unseen and out of the Tab order.
HELD_AWAY = ":host(.not-applying) { visibility: hidden; }"


def keep_what_applies(
    state: PlaygroundState,
    shown: Controls,
    box,
    keys: list[str],
    before=(),
    after=(),
    held: Mapping[str, Callable[[Mapping], bool]] | None = None,
) -> None:
    """Keeps in ``box`` (a Panel layout), between ``before`` and ``after``, the controls of
    ``keys`` whose setting means something given the others (an optimizer's
    hyper-parameters only while it is chosen), now and after every change. A control is
    made the first time it applies: until then it costs a tab nothing. A ``held`` key's
    control stays in place while its predicate holds (given the settings' values),
    unseen while it does not apply, so that nothing below it moves when it appears."""
    settings = [shown.setting(key) for key in keys]
    held = held or {}

    def update(*_events) -> None:
        values = {name: getattr(state, name) for name in SETTINGS}
        values["dataset"] = state.current_dataset
        applying = []
        for setting in settings:
            key = setting.hide_id or setting.key
            applies = setting.applies_to(values)
            kept = key in held and held[key](values)
            if key in held:
                _hold(shown[key], applies)
            if applies or kept:
                applying.append(shown[key])
        objects = [*before, *applying, *after]
        if objects != box.objects:
            box.objects = objects

    update()
    state.param.watch(update, list(SETTINGS))


def _hold(control, applies: bool) -> None:
    if HELD_AWAY not in control.stylesheets:
        control.stylesheets = [*control.stylesheets, HELD_AWAY]
    classes = [name for name in control.css_classes if name != "not-applying"]
    control.css_classes = classes if applies else [*classes, "not-applying"]


def all_controls(state: PlaygroundState) -> dict:
    """Every setting's ordinary control, by hide id (for tests and tools)."""
    return {
        s.hide_id or s.key: control(state, s)
        for s in SETTINGS.values()
        if s.group and type(s.kind) in WIDGETS and has_control(s)
    }


def format_epoch(epoch: int) -> str:
    """The original's counter: the last six digits, zero-padded, with a comma: 001,234."""
    digits = f"{epoch % 1_000_000:06d}"
    return f"{digits[:3]},{digits[3:]}"


def format_loss(value: float) -> str:
    return f"{value:.3f}" if math.isfinite(value) else "NaN"


class EpochCounter(JoinedModule, JSComponent):
    """The epoch counter. It changes with every frame, so the frame itself carries it:
    its scene's live view (``view_id``) announces each painted frame's counter on the
    view's own events (``assets/view_events.js``) and this element shows it, which costs
    the server nothing more per frame. ``text`` is the counter before the first frame."""

    text = param.String(default=format_epoch(0))
    view_id = param.String(default="", doc="the live view whose frames it counts")

    _esm = join_modules(ASSETS / "epoch_counter.js")
    _stylesheets: ClassVar[list[str]] = [
        ":host { font-size: calc(1.6 * var(--text, 14px)); font-weight: 300; color: #333; }",
        ".label { font-size: var(--text, 14px); color: #777; }",
    ]
