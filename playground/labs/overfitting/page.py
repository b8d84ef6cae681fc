"""The overfitting lab's page (served at /overfitting): one tab per run of this script."""

from playground.labs.overfitting.state import OverfittingState
from playground.labs.overfitting.view import build_view
from playground.labs.page import serve_lab

serve_lab(
    OverfittingState,
    build_view,
    title="Overfitting with polynomials",
    hidable=("regenerateButton",),
)
