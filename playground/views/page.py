"""The page around the live view: the controls, their layout, the notes and messages.

Each control carries the css class ``ui-<id>`` of the original, so ``<id>_hide=true``
removes it and the browser tests can find it.
"""

import html

import panel as pn
import param

from playground.state import PlaygroundState
from playground.views.controls import EpochCounter, controls, show_what_applies
from playground.views.explain import explainer, legend
from playground.views.keyboard import SpaceToPlay

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
    ) -> None:
        super().__init__(notes=list(notes or []))
        self.state = state
        self.hidden = hidden
        self.hide_text = hide_text
        self.live, self.diagram, self.picker, self.embed = live, diagram, picker, embed
        self._build_widgets()
        self._layout = self._build_layout()

    def _build_widgets(self) -> None:
        state = self.state
        self.play_button = pn.widgets.Button(
            label="▶",
            description="Run/Pause",
            color="primary",
            width=56,
            height=56,
            css_classes=["ui-playButton", "play-button"],
        )
        self.play_button.on_click(lambda _: state.toggle_play())
        self.step_button = pn.widgets.Button(
            label="Step", description="Step", width=60, css_classes=["ui-stepButton"]
        )
        self.step_button.on_click(lambda _: state.step())
        self.reset_button = pn.widgets.Button(
            label="Reset", description="Reset the network", width=60, css_classes=["ui-resetButton"]
        )
        self.reset_button.on_click(lambda _: state.reset())
        self.regenerate_button = pn.widgets.Button(
            label="Regenerate", description="Regenerate data", width=110, css_classes=["regenerate"]
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
        self.notes_pane = pn.pane.Alert(
            "", alert_type="warning", visible=False, css_classes=["url-notes"]
        )
        self.keyboard = SpaceToPlay()
        self.keyboard.param.watch(lambda _: state.toggle_play(), ["presses"])
        self.groups = {
            "top": controls(state, "top"),
            "data": controls(state, "data", custom={"dataset": self.picker}),
            "output": controls(state, "output"),
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
        # Under the live view: the link editor below the diagram, the output's
        # checkboxes below the heatmap.
        editor_width = self.diagram.canvas_size[0] + 24
        below = pn.Row(
            pn.Column(self.diagram.editor_row, width=editor_width, margin=0),
            pn.Column(legend(), *self._group("output"), margin=0),
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
        # One raw HTML block: Markdown (the Alert pane's) would turn a URL value quoted in
        # a note, like [x](http://...) or a bare address, into a live link.
        notes = "<br>".join(html.escape(note) for note in self.notes)
        self.notes_pane.object = f"<div>{notes}</div>"
        self.notes_pane.visible = bool(self.notes)

    def __panel__(self):
        return self._layout
