"""The frame the lab pages share (grid, presenter mode, names) and the parts of the
labs' pictures that the browser tests cannot read off a canvas: the capacity charts'
words before a run and their legend's place, the overfitting figures' missing toolbar."""

import numpy as np
import panel as pn

from playground.labs.hopfield.capacity import CapacityExperiment
from playground.labs.hopfield.model import CapacityCurves
from playground.labs.hopfield.state import HopfieldState
from playground.labs.overfitting.state import OverfittingState
from playground.labs.overfitting.view import OverfittingView
from playground.labs.page import LabView, frame, presenter_toggle, show_presenter
from playground.labs.scene import LabScene
from playground.views.names import ControlNames
from playground.views.notes import UrlNotes


def _kinds(layout) -> list[type]:
    found, todo = [], [layout]
    while todo:
        item = todo.pop()
        found.append(type(item))
        todo += getattr(item, "objects", [])
    return found


def test_the_frame_puts_the_paragraph_after_the_picture_and_names_the_controls():
    view = LabView([pn.widgets.IntSlider(label="N")], pn.pane.HTML("picture"), "Words.")
    toggle = presenter_toggle(False)
    page = frame("A lab", view, UrlNotes(), toggle=toggle)
    order = [c for item in page.objects for c in item.css_classes if c.startswith("lab-")]
    assert order == ["lab-header", "lab-tools", "lab-notes", "lab-controls", "lab-main",
                     "lab-explain"]  # fmt: skip
    assert "Words." in page.objects[5].object
    assert "Words." not in page.objects[0].object  # the title alone above the picture
    assert ControlNames in _kinds(page)
    assert any("grid-template-areas" in sheet for sheet in page.stylesheets)
    show_presenter(page, True)
    assert "presenter" in page.css_classes
    show_presenter(page, False)
    assert "presenter" not in page.css_classes


def test_the_frame_shows_the_controls_hints_itself_not_as_tooltip_models():
    hinted = pn.widgets.FloatInput(label="N", description="How many.", css_classes=["ui-n"])
    unnamed = pn.widgets.FloatInput(label="M", description="Kept.")  # no ui- class to find it by
    view = LabView([pn.Column(hinted), unnamed], pn.pane.HTML("picture"), "Words.")
    page = frame("A lab", view, UrlNotes())
    (names,) = [item for item in page.select(ControlNames)]
    assert names.hints == {"ui-n": "How many."}
    assert hinted.description is None
    assert unnamed.description == "Kept."


def test_the_capacity_charts_say_what_to_do_until_they_have_data():
    experiment = CapacityExperiment(HopfieldState(), job=None)
    load, heat = experiment.figures
    assert all(label.visible for label in experiment.empty_labels)
    assert "Run the capacity experiment" in experiment.heading.object
    # The legend sits under the chart, clear of the curves; no Bokeh logo or toolbar.
    assert any(type(item).__name__ == "Legend" for item in heat.below)
    assert not heat.center or all(type(item).__name__ != "Legend" for item in heat.center)
    assert all(fig.toolbar_location is None for fig in (load, heat))
    grid = np.linspace(0, 1, 3)
    experiment.show(CapacityCurves(grid, grid, grid, grid, grid, 100, 1, 1))
    assert not any(label.visible for label in experiment.empty_labels)
    assert "Run the capacity experiment" not in experiment.heading.object


def test_the_overfitting_figures_have_no_toolbar_and_grow_with_the_page():
    view = OverfittingView(OverfittingState(), LabScene({}, frozenset(), []))
    for figure in (view.fit_figure, view.error_figure):
        assert figure.toolbar_location is None
        assert figure.sizing_mode == "stretch_width"
    # The hover that tells an error beyond the chart's range stays.
    assert [type(tool).__name__ for tool in view.error_figure.tools] == ["HoverTool"]
    assert view.fit_figure.tools == []
