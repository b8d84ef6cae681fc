"""The page around the live view: the controls, their layout, the notes and messages.

Each control carries the css class ``ui-<id>`` of the original, so ``<id>_hide=true``
removes it and the browser tests can find it.
"""

from collections.abc import Sequence
from importlib import resources

import panel as pn
import param

from playground.settings import SETTINGS, in_group
from playground.state import PlaygroundState
from playground.url import read_refused
from playground.views.checkbox import LabelledCheckbox, setting_checkbox
from playground.views.controls import (
    Controls,
    EpochCounter,
    count_select,
    hint_class,
    keep_what_applies,
)
from playground.views.explain import explainer, legend
from playground.views.focus import ringed
from playground.views.keyboard import SpaceToPlay
from playground.views.live import BELOW_PLOT
from playground.views.names import ControlNames
from playground.views.notes import UrlNotes, refused_note

ASSETS = resources.files("playground.assets")
MAX_NOTES = 20  # notes kept at once; the oldest go first
# The buttons' hints, by css class: the original's tooltips, and ours for our button.
BUTTON_HINTS = {
    "ui-playButton": "Run/Pause",
    "ui-stepButton": "Step",
    "ui-resetButton": "Reset the network",
    "regenerate": "Regenerate data",
    "restore-best": "Puts back the weights of the epoch with the lowest test loss",
    "close-editor": "Close the editor",
}
TOOLTIP_ROOM = 36  # px above the top bar: a one-line tooltip and its arrow
TITLE = "Neural Network Playground for the Classroom"
HEADLINE = "Watch a small <b>neural network</b> learn, and change it while it does."
TAGLINE = "Every setting is live; nothing you try can harm it, and Reset starts over."


# Headings and hints: HTML panes live in shadow roots, which the page's CSS cannot reach.
TEXT_STYLE = """
h1 { font-weight: 300; font-size: clamp(1.25rem, 1rem + 1.2vw, 1.9rem); margin: 0.3em 0 0 0; }
p { margin: 0 0 0.4em 0; color: #555; font-size: var(--text, 14px); }
h4 { text-transform: uppercase; font-weight: 400; margin: 4px 0; color: #333;
  font-size: var(--text, 14px); }
.hint { font-size: var(--text, 14px); color: #666; margin: 0; }
@media (max-height: 720px) { .headline p { display: none; } }
"""


def _classifying(values) -> bool:
    return values.get("problem") == "classification"


class Page(pn.viewable.Viewer):
    notes = param.List(default=[], doc="what was wrong with the URL, shown to the user")
    presenter = param.Boolean(default=False, doc="larger text and plots, for a projector")

    def __init__(
        self,
        state: PlaygroundState,
        *,
        live,
        diagram,
        picker,
        embed,
        files=None,
        hidden: frozenset[str] = frozenset(),
        hide_text: bool = False,
        notes: list[str] | None = None,
        note_settings: Sequence[str | None] = (),
        presenter: bool = False,
        view_class: str = "",
        one_of_several: bool = False,
    ) -> None:
        """``note_settings``: the setting each note is about (by name, in the notes'
        order); a note goes away once its setting changes. ``view_class``: the css class
        of this scene (``PlaygroundApp.view_class``); ``one_of_several``: the page holds
        other scenes too, and the space bar plays this one only from within it."""
        super().__init__(notes=list(notes or []), presenter=presenter)
        self._note_setting = {
            note: name for name, note in zip(note_settings, self.notes, strict=False) if name
        }
        self.state = state
        self.hidden = hidden
        self.hide_text = hide_text
        self.live, self.diagram, self.picker, self.embed = live, diagram, picker, embed
        self.files = files  # open and save files (views/files.py), under the data's controls
        if files is not None:
            files.on_note = self.add_note
        self.view_class = view_class
        self.one_of_several = one_of_several
        self._build_widgets()
        self._layout = self._build_layout()
        self.param.watch(self._show_presenter, ["presenter"])
        self._show_presenter()

    def _build_widgets(self) -> None:
        state = self.state
        self.play_button = pn.widgets.Button(
            **ringed(),
            label="▶",
            color="primary",
            width=56,
            height=56,
            css_classes=["ui-playButton", "play-button"],
        )
        self.play_button.on_click(lambda _: state.toggle_play())
        self.step_button = pn.widgets.Button(
            **ringed(),
            label="Step",
            width=60,
            css_classes=["ui-stepButton"],
        )
        self.step_button.on_click(lambda _: state.step())
        self.reset_button = pn.widgets.Button(
            **ringed(),
            label="Reset",
            width=60,
            css_classes=["ui-resetButton"],
        )
        self.reset_button.on_click(lambda _: state.reset())
        self.regenerate_button = pn.widgets.Button(
            **ringed(),
            label="Regenerate",
            width=110,
            css_classes=["regenerate"],
        )
        self.regenerate_button.on_click(lambda _: state.regenerate(reset=False))
        self.restore_button = pn.widgets.Button(
            **ringed(),
            label="Restore best weights",
            visible=False,
            css_classes=["restore-best"],
        )
        self.restore_button.on_click(lambda _: state.restore_best())
        state.param.watch(
            lambda event: setattr(self.restore_button, "visible", event.new), ["can_restore"]
        )
        self.epoch_counter = EpochCounter(
            view_id=self.live.view_id, width=110, css_classes=["epoch"]
        )
        self.presenter_toggle = LabelledCheckbox(
            value=self.presenter,
            label="Presenter mode",
            hint="Larger text and plots, for a projector (or add ?presenter=true to the link)",
            align="center",
            css_classes=["presenter-toggle"],
        )
        self.presenter_toggle.param.watch(
            lambda event: setattr(self, "presenter", event.new), ["value"]
        )
        self.message = pn.pane.Alert(
            "", alert_type="danger", visible=False, css_classes=["message"]
        )
        self.notes_pane = UrlNotes(
            visible=False, sizing_mode="stretch_width", css_classes=["notes-area"]
        )
        # A note closed in the browser leaves the page's list too.
        self.notes_pane.param.watch(lambda event: setattr(self, "notes", event.new), ["notes"])
        state.param.watch(self._drop_notes_of, list(SETTINGS))
        self.keyboard = SpaceToPlay(scope=self.view_class if self.one_of_several else "")
        self.keyboard.param.watch(lambda _: state.toggle_play(), ["presses"])
        self.bars: dict = {}  # by group: the layouts that hold its controls (_bar)
        self.groups = {
            "top": Controls(state, "top"),
            "data": Controls(
                state,
                "data",
                custom={
                    "dataset": self.picker,
                    "num_classes": count_select(
                        state, SETTINGS["num_classes"], [hint_class(SETTINGS["num_classes"])]
                    ),
                },
            ),
            "output": Controls(
                state,
                "output",
                custom={
                    s.name: setting_checkbox(state, s, [f"ui-{s.hide_id}"])
                    for s in in_group("output")
                },
            ),
            "training": Controls(state, "training"),
        }
        state.param.watch(self._on_playing, ["playing"])
        state.param.watch(self._show_message, ["message"])
        self._show_message()  # one the settings of the link make (model.note_for)
        self.param.watch(self._show_notes, ["notes"])
        self._show_notes()

    def hints(self) -> dict[str, str]:
        """Every control's hint by its css class: the settings' from the registry, the
        buttons' as the original words them."""
        classes = SETTINGS["num_classes"]  # a dropdown of the page's own
        hints = {**BUTTON_HINTS, hint_class(classes): classes.hint}
        for group in self.groups.values():
            hints.update(group.hints)
        return hints

    def _shown(self, *pairs) -> list:
        """The components whose hide id the URL did not hide."""
        return [component for hide_id, component in pairs if hide_id not in self.hidden]

    def _bar(self, name: str, box, before=(), after=()):
        """``box`` holding the group's controls that the URL did not hide and that apply
        (``bars[name]``); the data's Classes keeps its room under the classification
        tiles while it does not apply, so that nothing moves when it does (under the
        regression tiles, which have no classes to count, it leaves no gap)."""
        keys = [key for key in self.groups[name] if key not in self.hidden]
        held = {"numClasses": _classifying} if "dataset" in keys else {}
        keep_what_applies(self.state, self.groups[name], box, keys, before, after, held)
        self.bars[name] = box
        return box

    def _build_layout(self):
        top = pn.FlexBox(
            *self._shown(
                ("resetButton", self.reset_button),
                ("playButton", self.play_button),
                ("stepButton", self.step_button),
            ),
            self.epoch_counter,
            self.presenter_toggle,
            self.keyboard,
            ControlNames(hints=self.hints()),
            css_classes=["top-bar"],
            # Tops in line: a tooltip above Reset or Step then clears the taller Play.
            align_items="flex-start",
            # Without the title above it, room for the buttons' tooltips.
            margin=(TOOLTIP_ROOM if self.hide_text else 5, 0, 5, 0),
        )
        # Beside the buttons on a wide screen, under the live view on a small one.
        settings = self._bar(
            "top",
            pn.FlexBox(
                css_classes=["settings-bar"], align_items="center", sizing_mode="stretch_width"
            ),
        )
        training = self._bar(
            "training", pn.FlexBox(css_classes=["training-bar"], sizing_mode="stretch_width")
        )
        data_heading = pn.pane.HTML(
            "<h4>Data</h4><p class='hint'>Pick the points the network learns from.</p>",
            stylesheets=[TEXT_STYLE],
        )
        data_column = self._bar(
            "data",
            pn.Column(sizing_mode="stretch_width", css_classes=["data-column"]),
            before=[data_heading],
            after=[self.regenerate_button, *([self.files] if self.files else [])],
        )
        # The output's checkboxes go right under the heatmap, inside the live view;
        # under the live view, the link editor below the diagram, the legend below the
        # output.
        self.live.below_plot = self._bar(
            "output", pn.Row(height=BELOW_PLOT, margin=0, styles={"gap": "16px"})
        )
        below = pn.Row(
            self.diagram.editor_row,
            legend(self.state),
            margin=0,
            sizing_mode="stretch_width",
            styles={"flex-wrap": "wrap", "column-gap": "24px"},
        )
        header = pn.pane.HTML(
            f"<div class='headline'><h1>{HEADLINE}</h1><p>{TAGLINE}</p></div>",
            css_classes=["header"],
            visible=not self.hide_text,
            sizing_mode="stretch_width",
            stylesheets=[TEXT_STYLE],
        )
        return pn.Column(
            header,
            top,
            settings,
            training,
            self.notes_pane,
            pn.Row(self.message, self.restore_button, css_classes=["message-row"]),
            data_column,
            pn.Column(
                self.live, below, margin=0, sizing_mode="stretch_width", css_classes=["live-block"]
            ),
            pn.Row(
                explainer(),
                visible=not self.hide_text,
                sizing_mode="stretch_width",
                css_classes=["explainer-row"],
            ),
            pn.Row(
                self.embed,
                visible=not self.hide_text,
                sizing_mode="stretch_width",
                css_classes=["embed-row"],
            ),
            css_classes=["playground", *filter(None, [self.view_class])],
            sizing_mode="stretch_width",
            stylesheets=[(ASSETS / "page.css").read_text()],
        )

    def _show_presenter(self, event=None) -> None:
        """Presenter mode: larger text everywhere (page.css) and larger plots (fit.js)."""
        self.presenter_toggle.value = self.presenter
        classes = [c for c in self._layout.css_classes if c != "presenter"]
        self._layout.css_classes = [*classes, "presenter"] if self.presenter else classes
        self.live.presenter = self.presenter

    def _on_playing(self, event) -> None:
        self.play_button.label = "❚❚" if event.new else "▶"

    def _show_message(self, event=None) -> None:
        # Divergence is an alarm; an early stop or a restore is news.
        self.message.alert_type = "danger" if self.state.trainer.diverged else "info"
        self.message.object = self.state.message
        self.message.visible = bool(self.state.message)

    def _show_notes(self, event=None) -> None:
        self.notes_pane.notes = list(self.notes)
        self.notes_pane.visible = bool(self.notes)

    def owns(self, widget) -> bool:
        """Whether ``widget`` is (or holds) one of this page's settings' controls."""
        return any(group.setting_of(widget) for group in self.groups.values())

    def refused_change(self, widget, name: str, value) -> None:
        """A control refused a value its browser sent (``pipe.library.refuse_bad_changes``):
        a setting's control takes it as a link's value is taken, clamped or kept, with
        the same note; any other control keeps its value, with a note that says so."""
        setting = next(
            (s for group in self.groups.values() if (s := group.setting_of(widget))), None
        )
        if setting is None:
            about = f"control {id(widget)}"
            note = refused_note(widget, value)
        else:
            about = setting.name
            use, note = read_refused(about, value, getattr(self.state, about))
            if use is not None:
                setattr(self.state, about, use)
        if note:
            # One note per control, the latest: a tab that sends a thousand bad values
            # does not get a thousand notes.
            notes = [n for n in self.notes if self._note_setting.get(n) != about] + [note]
            self._note_setting[note] = about
            self._note_setting = {n: self._note_setting.get(n) for n in notes[-MAX_NOTES:]}
            self.notes = notes[-MAX_NOTES:]

    def add_note(self, note: str) -> None:
        """A note about no one setting (a file that could not be opened)."""
        self.notes = [*self.notes, note][-MAX_NOTES:]

    def _drop_notes_of(self, *events) -> None:
        """A note about a setting says nothing once that setting has been changed."""
        changed = {event.name for event in events}
        kept = [note for note in self.notes if self._note_setting.get(note) not in changed]
        if len(kept) < len(self.notes):
            self.notes = kept

    def __panel__(self):
        return self._layout
