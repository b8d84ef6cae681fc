"""The perceptron lab's page (served at /perceptron): one tab per run of this script."""

from playground.labs.page import serve_lab
from playground.labs.perceptron.state import PerceptronState
from playground.labs.perceptron.view import build_view

serve_lab(
    PerceptronState,
    build_view,
    title="The perceptron rule",
    hidable=("playButton", "stepButton", "resetButton"),
)
