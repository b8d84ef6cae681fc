"""The page's layout without a browser: presenter mode from the URL and back, a tooltip
on every control, the headings, and room for deep nets (tests/e2e/test_layout.py looks
at the page itself)."""

import itertools

import pytest

from playground.settings import SETTINGS
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.url import parse_query, query_from_state, scene_from_query
from playground.views.checkbox import LabelledCheckbox
from playground.views.live import HEADINGS
from playground.views.network import LAYER_ROOM, NODE, NetworkDiagram, hidden_lefts


def app_for(query: str) -> PlaygroundApp:
    return PlaygroundApp(PlaygroundState(seed="1"), scene_from_query(parse_query(query)))


@pytest.mark.parametrize(("text", "on"), [("presenter=true", True), ("presenter=false", False)])
def test_presenter_mode_comes_from_the_url(text, on):
    app = app_for(text)
    assert app.page.presenter is on
    assert app.live.presenter is on
    assert ("presenter" in app.page.__panel__().css_classes) is on
    assert app.page.transport.presenter is on


def test_a_link_without_presenter_is_not_presenting():
    assert not scene_from_query(parse_query("activation=relu")).presenter
    assert not app_for("").page.presenter


def test_presenter_mode_is_written_only_when_on_and_round_trips():
    state = PlaygroundState(seed="1")
    plain = query_from_state(state)
    assert "presenter" not in plain
    presenting = query_from_state(state, presenter=True)
    assert presenting == plain + "&presenter=true"
    assert scene_from_query(parse_query(presenting)).presenter


def test_the_checkbox_switches_presenter_mode_both_ways():
    app = app_for("")
    page = app.page
    page.transport.browser_message({"presenter": True})
    assert page.presenter
    assert app.live.presenter
    assert "presenter" in page.__panel__().css_classes
    page.presenter = False
    assert not page.transport.presenter
    assert "presenter" not in page.__panel__().css_classes


def _tooltip(app, control) -> str:
    """The hint a control shows on hover: a checkbox of ours itself, a button by its css
    class in the page's hints."""
    if isinstance(control, LabelledCheckbox):
        return control.hint
    hints = app.page.hints()
    return next((hints[name] for name in control.css_classes if name in hints), "")


def test_every_control_on_the_page_has_its_rows_hint_as_tooltip():
    app = app_for("optimizer=adam")
    by_id = {s.hide_id or s.key: s for s in SETTINGS.values()}
    checked = 0
    for group in ("top", "training", "output", "data"):
        bar = app.page.bars[group]
        for key in bar.all_keys:
            spec = bar.spec(key)
            assert spec["hint"] == by_id[key].hint, key
            assert spec["css"] == f"ui-{key}"
            checked += 1
    assert checked >= 20
    hints = app.page.transport.hints
    assert set(hints) == {"play", "step", "reset", "presenter"}
    assert all(hints.values())
    assert _tooltip(app, app.page.regenerate_button)


def test_features_hidden_layers_and_output_have_a_heading_and_a_hint():
    app = app_for("")
    assert set(app.live.headings) == {"features", "hidden", "output"}
    for heading, hint in HEADINGS.values():
        assert heading
        assert hint.endswith(".")


@pytest.mark.parametrize("n_hidden", [1, 2, 4, 5, 6])
def test_deep_nets_get_room_and_shallow_ones_keep_the_original_width(n_hidden):
    state = PlaygroundState(seed="1", network_shape=[8] * n_hidden)
    diagram = NetworkDiagram(state)
    width = diagram.drawn_width
    lefts = hidden_lefts(n_hidden, width)
    gaps = [b - a for a, b in itertools.pairwise(lefts)]
    assert all(gap >= LAYER_ROOM - 1e-9 for gap in gaps)  # the buttons never touch
    assert width == diagram.network_width or n_hidden > 4
    assert diagram.canvas_size[0] > width + NODE


@pytest.mark.parametrize(
    "data", [None, {}, {"press": "fly"}, {"press": "play", "presenter": True}, {"presenter": 1}]
)
def test_the_transport_bar_acts_on_its_own_messages_only(data):
    app = app_for("")
    app.page.transport.browser_message(data)
    assert (app.state.playing, app.page.presenter) == (False, False)


def test_the_transport_bar_presses_its_buttons_and_plays_on_the_space_bar():
    app = app_for("resetButton_hide=true")
    transport = app.page.transport
    assert transport.buttons == ["play", "step"]
    transport.browser_message({"press": "step"})
    assert app.state.epoch == 1
    transport.browser_message({"press": "reset"})  # hidden: no reset
    assert app.state.epoch == 1
    transport.browser_message({"press": "play"})
    assert app.state.playing
    assert transport.playing
    transport.browser_message({"press": "play"})
    assert not transport.playing
