"""The original's "Can I repurpose it?" section: choose what to hide, get the link.

A lecturer ticks the controls students should not see and copies the link, for a
projector or an iframe on the course site. The link always reflects the current scene.
"""

import panel as pn

from playground.engine import FEATURES
from playground.room_address import room_advice
from playground.settings import SETTINGS, hidable
from playground.state import PlaygroundState
from playground.url import query_from_state
from playground.views.cards import card_filled_when_opened
from playground.views.checkbox import LabelledCheckbox
from playground.views.focus import ringed
from playground.views.network import pretty_label
from playground.views.setting_bar import has_control
from playground.views.share import SceneLink

# Bokeh lays an inline group out in one row that never wraps: dozens of choices made
# the page about 2,000 px wide.
CHOICES_WRAP = ".bk-input-group { flex-wrap: wrap; gap: 4px 14px; } label { cursor: pointer; }"


def hide_choices() -> dict[str, str]:
    """{label: hide id} of everything a lecturer can hide: the controls on the page,
    then the input features."""
    by_hide_id = {s.hide_id: s for s in SETTINGS.values() if s.hide_id}
    controls = {
        label: key
        for key, label in hidable().items()
        if key not in by_hide_id or has_control(by_hide_id[key])
    }
    features = {f"Feature {pretty_label(spec.label)}": name for name, spec in FEATURES.items()}
    return controls | features


class EmbedPanel(pn.viewable.Viewer):
    def __init__(
        self, state: PlaygroundState, hidden: frozenset[str], hide_text: bool, page: str = ""
    ) -> None:
        """``page``: the page its link opens, relative to this one (``""``: this page)."""
        super().__init__()
        self.state = state
        options = hide_choices()
        self.choices = pn.widgets.CheckBoxGroup(
            options=options,
            value=[key for key in options.values() if key in hidden],
            inline=True,
            css_classes=["embed-choices"],
            sizing_mode="stretch_width",
            **ringed(stylesheets=[CHOICES_WRAP]),
        )
        self.hide_text = LabelledCheckbox(label="Hide the title", value=hide_text, margin=(5, 10))
        self.link = SceneLink(
            page=page, css_classes=["embed-link"], sizing_mode="stretch_width", margin=(5, 10)
        )
        self._card = card_filled_when_opened(
            pn.pane.HTML(
                "<p>Tick what students should not see, then share the link below or paste "
                "the embed code into the course page. The link opens this exact scene: same "
                "data, same starting weights.</p>",
                sizing_mode="stretch_width",
            ),
            self.choices,
            self.hide_text,
            self.link,
            title="Use it in class: hide controls and share a link",
            sizing_mode="stretch_width",
            **ringed(css_classes=["embed"]),
        )
        # Only an open card shows the link: a closed one is brought up to date when
        # opened, so playing with settings costs the browser no re-layout for it.
        for widget in (self.choices, self.hide_text):
            widget.param.watch(lambda _: self.update(), ["value"])
        state.param.watch(lambda *_: self.update(), list(SETTINGS))
        self._card.param.watch(self._opened, ["collapsed"])

    def _opened(self, event) -> None:
        """Opened: the link, and what to know about the address the page was opened at
        (found afresh: the computer may have joined the room's network meanwhile)."""
        if not event.new:
            advice = room_advice(opened_at())
            self.link.param.update(
                room_host=advice.host if advice else "", room_note=advice.note if advice else ""
            )
        self.update()

    def update(self) -> None:
        if self._card.collapsed:
            return
        self.link.query = query_from_state(
            self.state, frozenset(self.choices.value), self.hide_text.value
        )

    def __panel__(self):
        return self._card


def opened_at() -> str:
    """The host (and port) this tab's page was asked for: its request's Host ("" when
    the page is not served)."""
    try:
        host = pn.state.headers.get("Host", "")
    except AttributeError:  # a session without a request
        return ""
    return host if isinstance(host, str) else ""
