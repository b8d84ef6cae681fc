"""The optimizer lab's page (``/optimizers``): one tab of it per Bokeh session."""

from playground.labs.optimizers.state import OptimizerLabState
from playground.labs.optimizers.view import TITLE, build_view
from playground.labs.page import serve_lab

serve_lab(OptimizerLabState, build_view, title=TITLE)
