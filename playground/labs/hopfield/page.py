"""The Hopfield lab's page, one tab per Bokeh session (served by ``playground serve``)."""

from playground.labs.hopfield.state import HopfieldState
from playground.labs.hopfield.view import BUTTONS, build_view
from playground.labs.page import serve_lab

serve_lab(
    HopfieldState,
    build_view,
    title="A Hopfield memory at temperature T",
    hidable=(*BUTTONS, "startFrom"),
)
