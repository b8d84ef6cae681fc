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
from playground.views.explain import explainer, legend
from playground.views.focus import ringed
from playground.views.names import ControlNames
from playground.views.notes import UrlNotes, refused_note
from playground.views.setting_bar import SettingBar
from playground.views.transport_bar import TransportBar

ASSETS = resources.files("playground.assets")
MAX_NOTES = 20  # notes kept at once; the oldest go first
# The buttons' hints: the original's tooltips, and ours for our buttons.
TRANSPORT_HINTS = {"play": "Run/Pause", "step": "Step", "reset": "Reset the network"}
PRESENTER_HINT = "Larger text and plots, for a projector (or add ?presenter=true to the link)"
BUTTON_HINTS = {  # by css class
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


def _same_type(value, current) -> bool:
    """Whether a browser's ``value`` is of the setting's type (a whole number where a
    float goes; never a flag for a number)."""
    if isinstance(current, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(current, bool)
    if isinstance(current, float):
        return isinstance(value, int | float)
    return type(value) is type(current)


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
        actions = {"reset": state.reset, "play": state.toggle_play, "step": state.step}
        self.transport = TransportBar(
            lambda name: actions[name](),
            lambda on: setattr(self, "presenter", on),
            buttons=[b for b in actions if f"{b}Button" not in self.hidden],
            presenter=self.presenter,
            view_id=self.live.view_id,
            scope=self.view_class if self.one_of_several else "",
            hints={**TRANSPORT_HINTS, "presenter": PRESENTER_HINT},
            css_classes=["top-bar"],
            # Without the title above it, room for the buttons' hints.
            margin=(TOOLTIP_ROOM if self.hide_text else 5, 0, 5, 0),
        )
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
        state.param.watch(self._show_message, ["can_restore"])
        self.message = pn.pane.Alert(
            "", alert_type="danger", visible=False, css_classes=["message"]
        )
        self.notes_pane = UrlNotes(visible=False, sizing_mode="stretch_width")
        # A note closed in the browser leaves the page's list too.
        self.notes_pane.param.watch(lambda event: setattr(self, "notes", event.new), ["notes"])
        state.param.watch(self._drop_notes_of, list(SETTINGS))
        self.bars = {
            group: self._bar(group, arrange, css)
            for group, arrange, css in (
                ("top", "row", "settings-bar"),
                ("training", "row", "training-bar"),
                ("data", "column", "data-settings"),
                ("output", "row", "output-settings"),
            )
        }
        state.param.watch(self._on_playing, ["playing"])
        state.param.watch(self._show_message, ["message"])
        self.param.watch(self._show_notes, ["notes"])

    def hints(self) -> dict[str, str]:
        """The buttons' hints by css class, as the original words them (each setting's
        control shows its own)."""
        return dict(BUTTON_HINTS)

    def _bar(self, group: str, arrange: str, css: str) -> SettingBar:
        """The group's controls that the URL did not hide (the dataset has its picker).
        The data's Classes keeps its room under the classification tiles while it does
        not apply, so that nothing moves when it does (under the regression tiles, which
        have no classes to count, it leaves no gap)."""
        settings = [
            s
            for s in in_group(group)
            if (s.hide_id or s.key) not in self.hidden and s.name != "dataset"
        ]
        return SettingBar(
            self.state,
            settings,
            self.take_value,
            held={"numClasses": _classifying},
            dropdowns=["num_classes"],
            arrange=arrange,
            css_classes=[css],
            sizing_mode="stretch_width",
        )

    def _build_layout(self):
        # Each holds its parts only while they show: a part that is not on the page is
        # no model built and sent for every tab that opens.
        self.notes_area = pn.Column(
            margin=0, css_classes=["notes-area"], sizing_mode="stretch_width"
        )
        self.message_row = pn.Row(margin=0, css_classes=["message-row"])
        self._show_message()
        self._show_notes()
        data_heading = pn.pane.HTML(
            "<h4>Data</h4><p class='hint'>Pick the points the network learns from.</p>",
            stylesheets=[TEXT_STYLE],
        )
        picker = [] if "dataset" in self.hidden else [self.picker]
        self.data_column = pn.Column(
            data_heading,
            *picker,
            self.bars["data"],
            self.regenerate_button,
            *([self.files] if self.files else []),
            ControlNames(hints=self.hints()),
            sizing_mode="stretch_width",
            css_classes=["data-column"],
        )
        # The output's checkboxes go right under the heatmap, inside the live view;
        # under the live view, the link editor below the diagram, the legend below the
        # output.
        self.bars["output"].margin = 0
        self.live.below_plot = self.bars["output"]
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
            self.transport,
            self.bars["top"],
            self.bars["training"],
            self.notes_area,
            self.message_row,
            self.data_column,
            pn.Column(
                self.live, below, margin=0, sizing_mode="stretch_width", css_classes=["live-block"]
            ),
            # Hidden text is left out: what is not on the page costs a tab nothing.
            *([] if self.hide_text else [explainer(), self.embed]),
            css_classes=["playground", *filter(None, [self.view_class])],
            sizing_mode="stretch_width",
            stylesheets=[(ASSETS / "page.css").read_text()],
        )

    def _show_presenter(self, event=None) -> None:
        """Presenter mode: larger text everywhere (page.css) and larger plots (fit.js)."""
        self.transport.draw(presenter=self.presenter)
        classes = [c for c in self._layout.css_classes if c != "presenter"]
        self._layout.css_classes = [*classes, "presenter"] if self.presenter else classes
        self.live.presenter = self.presenter

    def _on_playing(self, event) -> None:
        self.transport.draw(playing=event.new)

    def _show_message(self, event=None) -> None:
        # Divergence is an alarm; an early stop or a restore is news.
        self.message.alert_type = "danger" if self.state.trainer.diverged else "info"
        self.message.object = self.state.message
        self.message.visible = bool(self.state.message)
        self.restore_button.visible = self.state.can_restore
        shown = [part for part in (self.message, self.restore_button) if part.visible]
        if shown != self.message_row.objects:
            self.message_row.objects = shown

    def _show_notes(self, event=None) -> None:
        self.notes_pane.notes = list(self.notes)
        self.notes_pane.visible = bool(self.notes)
        shown = [self.notes_pane] if self.notes else []
        if shown != self.notes_area.objects:
            self.notes_area.objects = shown

    def owns(self, widget) -> bool:
        """Whether ``widget`` is one of this page's setting bars."""
        return any(widget is bar for bar in self.bars.values())

    def take_value(self, name: str, value) -> None:
        """A value for setting ``name`` from its control in the browser: taken as it is
        where the setting can hold it, else read as a link's value is, clamped or kept,
        with the same note."""
        current = getattr(self.state, name)
        if _same_type(value, current):
            try:
                setattr(self.state, name, value)
                return
            except (ValueError, TypeError):
                pass
        use, note = read_refused(name, value, current)
        if use is not None:
            setattr(self.state, name, use)
        self._note(name, note)

    def refused_change(self, widget, name: str, value) -> None:
        """A control refused a value its browser sent (``pipe.library.refuse_bad_changes``):
        it keeps its value, with a note that says so."""
        self._note(f"control {id(widget)}", refused_note(widget, value))

    def _note(self, about: str, note: str | None) -> None:
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
