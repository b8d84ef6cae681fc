"""A bar of the page's setting controls, drawn by the browser as one component.

Each control is a row of ``playground.settings``: a dropdown for a choice, a slider or a
number field for a number, a checkbox for a flag, with the row's label and hint and the
css class ``ui-<id>`` of the original (so ``<id>_hide=true`` and the tests find it). The
browser draws them from a small list of specs (``assets/setting_bar.js``); a change
comes back as one message, which the page reads as a link's value is read (clamped or
refused with a note). As one Panel widget each, the page's two dozen controls were
about a third of what opening a tab cost the server: a Bokeh model, Panel's watchers
and its design's stylesheets apiece.

The bar shows the controls whose setting applies given the others (an optimizer's
hyper-parameters only while it is chosen); a ``held`` control keeps its room, unseen,
while it does not apply, so that nothing below it moves when it appears.
"""

from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import Any, ClassVar

import param
from panel.custom import JSComponent

from playground.jsnumber import format_number
from playground.pipe.library import BrowserMessages
from playground.settings import SETTINGS, Choice, Dataset, Flag, Number, Rate, Setting, Slider
from playground.state import PlaygroundState
from playground.views.drawn import DrawnByPage
from playground.views.esm import join_modules
from playground.views.focus import FOCUS_RING

ASSETS = resources.files("playground.assets")


def hint_class(setting: Setting) -> str:
    """The css class of the setting's control, by which pages and tests find it."""
    return f"ui-{setting.hide_id or setting.key}"


def options_of(setting: Setting) -> dict:
    """A dropdown's {label: value}."""
    kind = setting.kind
    if isinstance(kind, Rate):
        # 0.00001 as the original shows it; 1e-8, not 0.00000
        return {format_number(v): v for v in kind.values}
    if isinstance(kind, Slider):  # a few whole numbers, picked at once
        return {str(n): n for n in range(int(kind.low), int(kind.high) + 1, int(kind.step))}
    if hasattr(kind, "options"):
        return {label: name for name, label in kind.options().items()}
    return dict(kind.values)  # Steps: label -> value


def has_control(setting: Setting) -> bool:
    """A choice between one option is no choice: it gets no control (yet)."""
    kind = setting.kind
    return not (isinstance(kind, Choice | Dataset) and len(kind.options()) < 2)


def spec_of(setting: Setting, dropdown: bool = False) -> dict:
    """What the browser needs to draw the setting's control; ``dropdown``: a slider's few
    whole numbers as a dropdown (its label names it, and a finger picks a value at once)."""
    kind = setting.kind
    spec = {
        "key": setting.hide_id or setting.key,
        "name": setting.name,
        "label": setting.label,
        "hint": setting.hint,
        "css": hint_class(setting),
    }
    if isinstance(kind, Flag):
        return {**spec, "kind": "checkbox"}
    if isinstance(kind, Slider) and not dropdown:
        return {**spec, "kind": "range", "low": kind.low, "high": kind.high, "step": kind.step}
    if isinstance(kind, Number):
        shape = "range" if kind.slider else "number"
        return {**spec, "kind": shape, "low": kind.low, "high": kind.high, "step": kind.step}
    return {**spec, "kind": "select", "options": [[t, v] for t, v in options_of(setting).items()]}


class SettingBar(DrawnByPage, BrowserMessages, JSComponent):
    """The controls of ``settings`` (those with a control), for ``state``; what a browser
    sends goes to ``take(name, value)``, which sets it or says why not."""

    # The browser only draws these (``DrawnByPage``).
    controls = param.List(default=[], doc="the specs of the controls shown")
    held = param.List(default=[], doc="the keys shown unseen, keeping room")
    values = param.Dict(default={}, doc="each setting's value, by name")
    answered = param.Dict(default={}, doc="how many of its changes each control has had")
    arrange = param.Selector(default="row", objects=["row", "column"])

    _drawn = ("controls", "held", "values", "answered", "arrange")
    _esm = join_modules(ASSETS / "setting_bar.js")
    _stylesheets: ClassVar[list[str]] = [(ASSETS / "setting_bar.css").read_text(), FOCUS_RING]

    def __init__(
        self,
        state: PlaygroundState,
        settings: Iterable[Setting],
        take: Callable[[str, Any], None],
        *,
        held: Mapping[str, Callable[[Mapping], bool]] | None = None,
        dropdowns: Iterable[str] = (),
        arrange: str = "row",
        **params,
    ) -> None:
        super().__init__(arrange=arrange, **params)
        self._state = state
        self._take = take
        dropdowns = set(dropdowns)
        self.settings = {s.name: s for s in settings if has_control(s)}
        self._specs = {name: spec_of(s, name in dropdowns) for name, s in self.settings.items()}
        self._held = dict(held or {})
        self._watch_drawn()
        self._update()
        state.param.watch(self._update, list(SETTINGS))

    @property
    def shown(self) -> list[str]:
        """The keys (hide id, else URL key) of the controls shown, in order."""
        return [spec["key"] for spec in self.controls]

    @property
    def all_keys(self) -> list[str]:
        """The keys of every control the bar has, shown or not."""
        return [spec["key"] for spec in self._specs.values()]

    def spec(self, key: str) -> dict:
        return next(s for s in self._specs.values() if s["key"] == key)

    @property
    def hints(self) -> dict[str, str]:
        """Each control's hint by its css class."""
        return {spec["css"]: spec["hint"] for spec in self._specs.values()}

    def _update(self, *_events) -> None:
        state = self._state
        values = {name: getattr(state, name) for name in SETTINGS}
        values["dataset"] = state.current_dataset
        shown, held = [], []
        for name, setting in self.settings.items():
            key = self._specs[name]["key"]
            applies = setting.applies_to(values)
            if not applies and key in self._held and self._held[key](values):
                held.append(key)
            if applies or key in held:
                shown.append(self._specs[name])
        self.draw(controls=shown, held=held, values={name: values[name] for name in self.settings})

    def browser_message(self, data) -> None:
        """A change from the browser: ``{"name": setting, "value": value, "n": count}``,
        its control's ``n``-th. Once it is taken (or refused), ``answered`` tells the
        browser, which until then keeps showing what the student set: an answer to an
        earlier change must not pull a slider back. Anything else, or a setting this bar
        does not show, changes nothing."""
        if not isinstance(data, dict) or set(data) != {"name", "value", "n"}:
            return
        name, count = data["name"], data["n"]
        if not isinstance(name, str) or name not in {s["name"] for s in self.controls}:
            return
        if not isinstance(count, int) or isinstance(count, bool) or not 0 < count < 2**53:
            return
        self._take(name, data["value"])
        self.draw(answered={**self.answered, name: count})


def every_spec() -> dict[str, dict]:
    """Every setting's control as a page draws it, by hide id (for tests and tools)."""
    return {
        spec["key"]: spec
        for spec in (spec_of(s) for s in SETTINGS.values() if s.group and has_control(s))
    }
