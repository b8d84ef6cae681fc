"""The perceptron lab (/perceptron) without a browser: the line its weights draw, the
ringed point, the steps and what the readout says on a separable set and on XOR."""

import numpy as np
import pytest

from playground.labs.perceptron.model import line_ends
from playground.labs.perceptron.state import MAX_EPOCHS, PerceptronState
from playground.labs.perceptron.view import PerceptronView


@pytest.mark.parametrize(
    "weights", [(1.0, 2.0, -1.0), (3.0, 0.5, 2.0), (0.0, 1.0, 0.5), (2.0, 0.0, 1.0)]
)
def test_the_line_s_ends_lie_on_it_and_on_the_square_s_edge(weights):
    xs, ys = line_ends(np.array(weights))
    w1, w2, b = weights
    for x, y in zip(xs, ys, strict=True):
        assert w1 * x + w2 * y + b == pytest.approx(0, abs=1e-9)
        assert pytest.approx(6) in (abs(x), abs(y))  # on an edge of the square
    assert line_ends(np.zeros(3)) == ([], [])


def test_steps_draw_each_update_s_line_and_ring_its_point():
    state = PerceptronState(dataset="line", seed=2)
    view = PerceptronView(state, doc=None)
    X, _, result = state.run()
    assert view.line.data == {"x": [], "y": []}
    assert "w = 0" in view.readout.object
    for shown in range(1, len(result.updates) + 1):
        state.step()
        update = result.updates[shown - 1]
        assert view.ring.data == {"x": [X[update.index, 0]], "y": [X[update.index, 1]]}
        assert (view.line.data["x"], view.line.data["y"]) == line_ends(update.weights)
        assert f"Update {shown} of {len(result.updates)}" in view.readout.object
    assert state.finished
    assert "no point was wrong" in view.readout.object
    state.step()  # nothing more
    assert state.shown == len(result.updates)


def test_on_xor_the_readout_says_why_it_never_stops():
    state = PerceptronState(dataset="xor")
    view = PerceptronView(state, doc=None)
    state.step(len(state.result.updates))
    assert not state.result.converged
    assert f"After {MAX_EPOCHS} epochs" in view.readout.object
    assert "no straight line separates these colours" in view.readout.object


def test_a_new_setting_starts_again_from_w_zero():
    state = PerceptronState()
    view = PerceptronView(state, doc=None)
    state.step(3)
    before = view.points.data["x"]
    state.seed = 5
    assert state.shown == 0
    assert view.line.data == {"x": [], "y": []}
    assert view.points.data["x"] != before
    state.playing = True
    state.step(10_000)  # to the end: playing stops by itself
    assert not state.playing
