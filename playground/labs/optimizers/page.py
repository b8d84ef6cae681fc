"""The optimizer lab's page (``/optimizers``): one tab of it per Bokeh session, its
racers the engine's optimizers as registered when the tab opens."""

from playground.labs.optimizers.state import lab_state_class
from playground.labs.optimizers.view import TITLE, build_view
from playground.labs.page import serve_lab

serve_lab(lab_state_class(), build_view, title=TITLE)
