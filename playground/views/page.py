"""The page around the live view: the controls, their layout, the notes and messages.

Each control carries the css class ``ui-<id>`` of the original, so ``<id>_hide=true``
removes it and the browser tests can find it.
"""

from collections.abc import Sequence

import panel as pn
import param
from bokeh.models import Tooltip

from playground.settings import SETTINGS, in_group
from playground.state import PlaygroundState
from playground.views.checkbox import setting_checkbox
from playground.views.controls import EpochCounter, controls, show_what_applies
from playground.views.explain import explainer, legend
from playground.views.keyboard import SpaceToPlay
from playground.views.live import BELOW_PLOT
from playground.views.notes import UrlNotes

TOOLTIP_ROOM = 36  # px above the top bar: a one-line tooltip and its arrow
TITLE = "Neural Network Playground for the Classroom"
HEADLINE = "Watch a small <b>neural network</b> learn, and change it while it does."
TAGLINE = "Every setting is live; nothing you try can harm it, and Reset starts over."


class Page(pn.viewable.Viewer):
    notes = param.List(default=[], doc="what was wrong with the URL, shown to the user")

    def __init__(
        self,
        state: PlaygroundState,
        *,
        live,
        diagram,
        picker,
        embed,
        hidden: frozenset[str] = frozenset(),
        hide_text: bool = False,
        notes: list[str] | None = None,
        note_settings: Sequence[str | None] = (),
    ) -> None:
        """``note_settings``: the setting each note is about (by name, in the notes'
        order); a note goes away once its setting changes."""
        super().__init__(notes=list(notes or []))
        self._note_setting = {
            note: name for name, note in zip(note_settings, self.notes, strict=False) if name
        }
        self.state = state
        self.hidden = hidden
        self.hide_text = hide_text
        self.live, self.diagram, self.picker, self.embed = live, diagram, picker, embed
        self._build_widgets()
        self._layout = self._build_layout()

    @staticmethod
    def _tip(text: str, side: str = "above") -> Tooltip:
        """A button's tooltip on the side where no control is: above the top bar's buttons
        (Panel's own, on the right, sat over the next button and took its clicks), under
        Regenerate. It never takes a click either."""
        return Tooltip(
            content=text,
            position="top_center" if side == "above" else "bottom_center",
            attachment=side,
            interactive=False,
        )

    def _build_widgets(self) -> None:
        state = self.state
        self.play_button = pn.widgets.Button(
            label="▶",
            description=self._tip("Run/Pause"),
            color="primary",
            width=56,
            height=56,
            css_classes=["ui-playButton", "play-button"],
        )
        self.play_button.on_click(lambda _: state.toggle_play())
        self.step_button = pn.widgets.Button(
            label="Step", description=self._tip("Step"), width=60, css_classes=["ui-stepButton"]
        )
        self.step_button.on_click(lambda _: state.step())
        self.reset_button = pn.widgets.Button(
            label="Reset",
            description=self._tip("Reset the network"),
            width=60,
            css_classes=["ui-resetButton"],
        )
        self.reset_button.on_click(lambda _: state.reset())
        self.regenerate_button = pn.widgets.Button(
            label="Regenerate",
            description=self._tip("Regenerate data", "below"),
            width=110,
            css_classes=["regenerate"],
        )
        self.regenerate_button.on_click(lambda _: state.regenerate(reset=False))
        self.restore_button = pn.widgets.Button(
            label="Restore best weights",
            description="Puts back the weights of the epoch with the lowest test loss",
            visible=False,
            css_classes=["restore-best"],
        )
        self.restore_button.on_click(lambda _: state.restore_best())
        state.param.watch(
            lambda event: setattr(self.restore_button, "visible", event.new), ["can_restore"]
        )
        self.epoch_counter = EpochCounter(width=110, css_classes=["epoch"])
        self.message = pn.pane.Alert(
            "", alert_type="danger", visible=False, css_classes=["message"]
        )
        self.notes_pane = UrlNotes(visible=False, sizing_mode="stretch_width")
        # A note closed in the browser leaves the page's list too.
        self.notes_pane.param.watch(lambda event: setattr(self, "notes", event.new), ["notes"])
        state.param.watch(self._drop_notes_of, list(SETTINGS))
        self.keyboard = SpaceToPlay()
        self.keyboard.param.watch(lambda _: state.toggle_play(), ["presses"])
        self.groups = {
            "top": controls(state, "top"),
            "data": controls(state, "data", custom={"dataset": self.picker}),
            "output": controls(
                state,
                "output",
                custom={
                    s.name: setting_checkbox(state, s, [f"ui-{s.hide_id}"])
                    for s in in_group("output")
                },
            ),
            "training": controls(state, "training"),
        }
        for group in self.groups.values():
            show_what_applies(state, group)
        state.param.watch(self._on_playing, ["playing"])
        state.param.watch(self._show_message, ["message"])
        self.param.watch(self._show_notes, ["notes"])
        self._show_notes()

    def _shown(self, *pairs) -> list:
        """The components whose hide id the URL did not hide."""
        return [component for hide_id, component in pairs if hide_id not in self.hidden]

    def _group(self, name: str) -> list:
        return self._shown(*self.groups[name].items())

    def _build_layout(self):
        top = pn.Row(
            *self._shown(
                ("resetButton", self.reset_button),
                ("playButton", self.play_button),
                ("stepButton", self.step_button),
            ),
            self.epoch_counter,
            *self._group("top"),
            self.keyboard,
            css_classes=["top-bar"],
            # Without the title above it, room for the buttons' tooltips.
            margin=(TOOLTIP_ROOM if self.hide_text else 5, 5, 5, 5),
            align="center",
        )
        training = pn.FlexBox(
            *self._group("training"),
            css_classes=["training-bar"],
            sizing_mode="stretch_width",
        )
        data_column = pn.Column(
            pn.pane.HTML(
                "<h4>Data</h4><p class='hint'>Pick the points the network learns from.</p>"
            ),
            *self._group("data"),
            self.regenerate_button,
            width=200,
            css_classes=["data-column"],
        )
        # The output's checkboxes go right under the heatmap, inside the live view;
        # under the live view, the link editor below the diagram, the legend below the
        # output.
        self.live.below_plot = pn.Row(
            *self._group("output"), height=BELOW_PLOT, margin=0, styles={"gap": "16px"}
        )
        editor_width = self.diagram.canvas_size[0] + 24
        below = pn.Row(
            pn.Column(self.diagram.editor_row, width=editor_width, margin=0),
            pn.Column(legend(self.state), margin=0),
            margin=0,
        )
        header = pn.pane.HTML(
            f"<h1>{HEADLINE}</h1><p>{TAGLINE}</p>",
            css_classes=["header"],
            visible=not self.hide_text,
            sizing_mode="stretch_width",
        )
        return pn.Column(
            header,
            top,
            training,
            self.notes_pane,
            pn.Row(self.message, self.restore_button),
            pn.Row(data_column, pn.Column(self.live, below, margin=(0, 10))),
            pn.Row(explainer(), visible=not self.hide_text, sizing_mode="stretch_width"),
            pn.Row(self.embed, visible=not self.hide_text, sizing_mode="stretch_width"),
            css_classes=["playground"],
            sizing_mode="stretch_width",
        )

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

    def _drop_notes_of(self, *events) -> None:
        """A note about a setting says nothing once that setting has been changed."""
        changed = {event.name for event in events}
        kept = [note for note in self.notes if self._note_setting.get(note) not in changed]
        if len(kept) < len(self.notes):
            self.notes = kept

    def __panel__(self):
        return self._layout
