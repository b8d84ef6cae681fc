"""A value a lab's control refuses (a browser sent 10**30 to a slider): read as a link's
value is, clamped, with the note a link would get, and one note per value at most."""

import panel as pn
from bokeh.document import Document
from panel.io.state import set_curdoc

from playground.labs.overfitting.state import OverfittingState
from playground.labs.page import refusal_notes
from playground.labs.scene import read_refused
from playground.pipe import library
from playground.views.notes import UrlNotes


def test_a_refused_value_is_read_as_a_link_s_value():
    assert read_refused(OverfittingState, "points", 1e30, 10) == (
        100,
        "points=1e+30 is above the maximum of 100; using 100.",
    )
    assert read_refused(OverfittingState, "noise", "x", 1.0) == (
        None,
        "noise=x is not a number; using 1.",
    )
    assert read_refused(OverfittingState, "noise", 2.5, 1.0) == (2.5, None)
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert read_refused(OverfittingState, "noise", deep, 1.0)[0] is None
    assert read_refused(OverfittingState, "noise", "9" * 500, 1.0)[0] is None


def test_a_lab_clamps_a_refused_value_with_a_note_through_panel():
    library.refuse_bad_changes()
    state = OverfittingState()
    slider = pn.widgets.IntSlider.from_param(state.param.points)
    other = pn.widgets.TextInput(label="Elsewhere")
    notes = UrlNotes()
    doc = Document()
    library.on_refused_change(doc, refusal_notes(state, {"points": pn.Column(slider)}, notes))
    with set_curdoc(doc):
        for _ in range(50):
            slider._process_events({"value": 10**30})  # as Bokeh hands a browser's change
    assert state.points == 100
    assert slider.value == 100
    assert notes.notes == ["points=1" + "0" * 30 + " is above the maximum of 100; using 100."]
    refused = refusal_notes(state, {"points": slider}, notes)
    refused(other, "value", "<b>x</b>")
    assert notes.notes[-1] == "Elsewhere: the value <b>x</b> was refused."
