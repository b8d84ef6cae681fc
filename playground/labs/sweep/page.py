"""The sweep lab's page (served at /sweep): one tab per run of this script."""

from playground.labs.page import serve_lab
from playground.labs.sweep.state import SweepState
from playground.labs.sweep.view import build_view

serve_lab(SweepState, build_view, title="A sweep of settings", hidable=("runButton",))
