"""The control widgets, one per setting row of ``playground.settings`` that has a place
on the page, with its label, its hint as tooltip and its choices from the registry. Each
widget carries the css class ``ui-<id>`` of the original, so ``<id>_hide=true`` and the
browser tests can find it."""

import math
from collections.abc import Callable, Mapping
from importlib import resources
from typing import ClassVar

import panel as pn
import param
from bokeh.models import Tooltip
from panel.custom import JSComponent

from playground.jsnumber import format_number
from playground.pipe.library import acting_at_once
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


HINT_WRAP = ":host { white-space: normal; max-width: 300px; }"


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


def hint_tooltip(hint: str) -> Tooltip:
    """A hint for a "?" icon, as plain text, wrapping as Panel's do. Given a string, the
    icon renders it as Markdown into an HTML model of its own: per icon, for every tab
    that opens, for text with no markup. (Panel's dropdowns take a string only.)"""
    # Not interactive: it goes with the pointer, and never holds on over the next control.
    return Tooltip(content=hint, position="right", interactive=False, stylesheets=[HINT_WRAP])


def _number_label(value: float) -> str:
    return format_number(value)  # 0.00001 as the original shows it; 1e-8, not 0.00000


def _options(setting: Setting) -> dict:
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
        options=_options(setting),
        description=setting.hint,
        css_classes=css,
        **_sized(130),
    )


def _slider(state: PlaygroundState, setting: Setting, css: list[str]) -> IntSlider:
    return IntSlider.from_param(
        state.param[setting.name], name=setting.label, css_classes=css, **_sized(170)
    )


def _number(state: PlaygroundState, setting: Setting, css: list[str]):
    kind = setting.kind
    widget = FloatSlider if kind.slider else FloatInput
    hint = {"description": setting.hint} if "description" in widget.param else {}
    return widget.from_param(
        state.param[setting.name],
        name=setting.label,
        step=kind.step,
        css_classes=css,
        **_sized(170 if kind.slider else 110),
        **hint,
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
        description=setting.hint,
        css_classes=css,
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
    hide_id = setting.hide_id or setting.key
    return WIDGETS[type(setting.kind)](state, setting, [f"ui-{hide_id}"])


def with_hint(widget, hint: str):
    """The widget with its hint as a tooltip. Panel's sliders and checkboxes take no
    ``description``: theirs goes in a "?" icon beside the label, as the others' does."""
    if "description" in widget.param:
        return widget
    icon = pn.widgets.TooltipIcon(
        value=hint_tooltip(hint), margin=(2, 0, 0, -4), css_classes=["hint-icon"]
    )
    return pn.Row(widget, icon, name=widget.name, margin=0, css_classes=["with-hint"])


class Controls(Mapping):
    """A group's controls by hide id (or URL key), in the registry's order, each with its
    hint as a tooltip, each made when first asked for; ``custom`` gives a setting a view
    of its own (the dataset picker), which shows its hint itself."""

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
            self.made[key] = self._custom.get(setting.name) or with_hint(
                control(self._state, setting), setting.hint
            )
        return self.made[key]

    def setting_of(self, widget) -> Setting | None:
        """The setting whose control (made so far) is ``widget``, or holds it."""
        for key, made in self.made.items():
            if made is widget or widget in getattr(made, "objects", ()):
                return self._settings[key]
        return None

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


class EpochCounter(JSComponent):
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
