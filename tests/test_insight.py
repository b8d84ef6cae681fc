"""Accuracy, confusion matrix and gradient sizes in the frame message (views/insight.py)."""

import json
import math

import numpy as np
import pytest

from playground.colors import class_colors, tint
from playground.engine import Trainer
from playground.pipe.wire import encode
from playground.state import PlaygroundState
from playground.views.compose import FrameComposer
from playground.views.insight import (
    INK,
    LIGHT_INK,
    NO_VALUE,
    RIGHT,
    STRONGEST,
    WRONG,
    bar_labels,
    confusion_view,
    format_accuracy,
    gradient_view,
    layer_names,
    power_of_ten,
)
from playground.views.network import NetworkDiagram

THREE_CLASSES = {"dataset": "blobs", "num_classes": 3}


def composer_for(**settings) -> FrameComposer:
    state = PlaygroundState(seed="1", **settings)
    return FrameComposer(state, NetworkDiagram(state))


@pytest.fixture
def gradient_passes(monkeypatch) -> list[int]:
    """One entry per forward/backward pass the trainer spends on gradient sizes."""
    calls: list[int] = []
    measure = Trainer.gradient_norms

    def counted(self):
        calls.append(1)
        return measure(self)

    monkeypatch.setattr(Trainer, "gradient_norms", counted)
    return calls


# -- accuracy ----------------------------------------------------------------------------


def test_accuracy_is_a_percentage_with_one_decimal():
    assert format_accuracy(0.976) == "97.6 %"
    assert format_accuracy(1.0) == "100.0 %"
    assert format_accuracy(1 / 3) == "33.3 %"
    assert format_accuracy(math.nan) == NO_VALUE  # no points to count


@pytest.mark.parametrize("settings", [{}, THREE_CLASSES])
def test_classification_frames_carry_test_and_training_accuracy(settings):
    composer = composer_for(**settings)
    composer.state.train(5)
    message, _ = composer.message(1)
    trainer = composer.state.trainer
    expected = [format_accuracy(trainer.test_accuracy), format_accuracy(trainer.train_accuracy)]
    assert message["accuracy"] == expected


def test_regression_frames_carry_no_accuracy_and_hide_the_confusion_matrix():
    composer = composer_for(problem="regression")
    first, _ = composer.message(1)
    assert "accuracy" not in first
    assert first["confusion"] is None  # the browser hides it (it may show an older one)
    composer.state.train(1)
    second, _ = composer.message(2)
    assert "accuracy" not in second
    assert "confusion" not in second  # already hidden
    assert "gradients" in second  # gradients apply to regression too


# -- the confusion matrix ----------------------------------------------------------------


def test_the_confusion_matrix_is_sent_only_when_it_changed_and_again_after_restart():
    composer = composer_for()
    trainer = composer.state.trainer
    first, _ = composer.message(1)
    assert first["confusion"]["counts"] == trainer.confusion_matrix("test").tolist()
    sent = first["confusion"]["counts"]
    changes = 0
    for frame in range(2, 40):
        composer.state.train(1)
        message, _ = composer.message(frame)
        counts = composer.state.trainer.confusion_matrix("test").tolist()
        assert ("confusion" in message) == (counts != sent), frame
        if counts != sent:
            assert message["confusion"]["counts"] == counts
            sent, changes = counts, changes + 1
    assert changes > 0  # training did move some test points across the boundary
    unchanged, _ = composer.message(40)
    assert "confusion" not in unchanged
    composer.restart()
    again, _ = composer.message(41)
    assert again["confusion"]["counts"] == sent


def test_a_three_class_matrix_has_class_coloured_headers_and_every_test_point():
    composer = composer_for(**THREE_CLASSES)
    message, _ = composer.message(1)
    confusion = message["confusion"]
    assert confusion["names"] == ["0", "1", "2"]
    assert confusion["colors"] == class_colors(3)
    counts = np.array(confusion["counts"])
    assert counts.shape == (3, 3)
    assert counts.sum() == len(composer.state.data.y_test)
    np.testing.assert_array_equal(
        counts.sum(axis=1), np.bincount(composer.state.data.y_test.astype(int), minlength=3)
    )


def test_cells_are_tinted_by_their_share_of_the_row_right_on_the_diagonal():
    view = confusion_view(np.array([[8, 2], [0, 0]]))
    assert view["names"] == ["\u22121", "+1"]  # labels -1 and +1
    assert view["colors"] == class_colors(2)
    # Row 0: 8 of 10 right, 2 of 10 wrong; row 1 has no points: white, dark ink.
    assert view["fills"][0] == [tint(RIGHT, STRONGEST * 0.8), tint(WRONG, STRONGEST * 0.2)]
    assert view["fills"][1] == [tint(WRONG, 0.0), tint(RIGHT, 0.0)] == ["#ffffff"] * 2
    assert view["inks"] == [[LIGHT_INK, INK], [INK, INK]]


# -- gradient sizes ----------------------------------------------------------------------


def test_gradient_sizes_are_measured_once_per_epoch_not_per_frame(gradient_passes):
    composer = composer_for()
    for frame in range(1, 4):  # e.g. hovering a paused network: frames, no training
        composer.message(frame)
    assert len(gradient_passes) == 1
    composer.state.train(1)
    composer.diagram.hover(1)
    for frame in range(4, 7):
        message, _ = composer.message(frame)
        assert ("gradients" in message) == (frame == 4)
    assert len(gradient_passes) == 2
    composer.state.train(3)  # three epochs between two frames: one pass
    composer.message(7)
    assert len(gradient_passes) == 3
    composer.state.reset()  # new weights at epoch 0 again
    composer.message(8)
    assert len(gradient_passes) == 4


def test_a_restarted_view_gets_the_gradients_again_without_a_new_pass(gradient_passes):
    composer = composer_for()
    first, _ = composer.message(1)
    composer.restart()
    again, _ = composer.message(2)
    assert again["gradients"] == first["gradients"]
    assert len(gradient_passes) == 1


def exponent(tick_text: str) -> int:
    """``"10⁻³"`` -> -3."""
    return int(tick_text[2:].translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))


def test_sigmoid_gradients_vanish_towards_the_input_by_decades():
    composer = composer_for(activation="sigmoid", network_shape=[6] * 6)
    composer.state.train(2)
    message, _ = composer.message(1)
    gradients = message["gradients"]
    norms = composer.state.trainer.gradient_norms()
    assert gradients["labels"] == [
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "out",
    ]  # too many for "in→h1"
    assert gradients["tooltips"][0] == f"in→h1: {norms[0]:.2e}"
    assert math.log10(norms[-1] / norms[0]) > 2  # the output side's is over 100 times
    # Heights are linear in log10 between the bottom and the top tick.
    bottom, top = exponent(gradients["ticks"][0][1]), exponent(gradients["ticks"][-1][1])
    for height, norm in zip(gradients["heights"], norms, strict=True):
        assert bottom + height * (top - bottom) == pytest.approx(
            math.log10(norm), abs=0.05 * (top - bottom)
        )


def test_zero_and_non_finite_gradients_get_an_empty_bar_with_a_note():
    norms = [0.0, math.nan, 1e-3, math.inf, 2.0]
    view = gradient_view(norms, [2, 3, 3, 3, 3, 1])
    assert view["heights"][0] is None
    assert view["heights"][1] is None
    assert view["heights"][3] is None
    assert view["notes"] == ["0", "NaN", "", "∞", ""]
    assert view["tooltips"][1] == "h1→h2: NaN"
    assert 0 < view["heights"][2] < view["heights"][4] <= 1
    encode(view, b"")  # no NaN or inf reaches the JSON, which would refuse them
    nothing = gradient_view([math.nan, math.nan], [2, 2, 1])  # a diverged network
    assert nothing["heights"] == [None, None]
    assert json.loads(json.dumps(nothing, allow_nan=False)) == nothing


def test_ticks_are_whole_decades_spanning_every_bar():
    view = gradient_view([2e-7, 3e-5, 0.04], [2, 4, 4, 1])
    exponents = [exponent(text) for _, text in view["ticks"]]
    assert exponents[0] <= -7
    assert exponents[-1] >= -2  # 0.04 < 10^-1: under the top tick
    assert view["ticks"][0][0] == 0
    assert view["ticks"][-1][0] == 1
    assert len(view["ticks"]) <= 5
    assert all(0 < h <= 1 for h in view["heights"])


def test_layer_names_and_powers_of_ten():
    assert layer_names([2, 4, 2, 1]) == ["in→h1", "h1→h2", "h2→out"]
    assert layer_names([5, 1]) == ["in→out"]
    assert bar_labels([2, 4, 2, 1]) == layer_names([2, 4, 2, 1])
    assert bar_labels([2, 3, 3, 3, 3, 1]) == ["h1", "h2", "h3", "h4", "out"]
    assert power_of_ten(-3) == "10⁻³"
    assert power_of_ten(12) == "10¹²"


def test_while_playing_gradient_sizes_are_measured_at_most_four_times_a_second(gradient_passes):
    composer = composer_for()
    now = [0.0]
    composer.insight.clock = lambda: now[0]
    composer.message(1)
    composer.state.playing = True
    sent = []
    for frame in range(2, 32):  # 30 frames at 57 a second, an epoch each: about 0.5 s
        now[0] += 1 / 57
        composer.state.train(1)
        message, _ = composer.message(frame)
        sent.append("gradients" in message)
    assert len(gradient_passes) == 1 + 2  # the first, then one each 0.25 s
    assert sum(sent) == 2
    composer.state.playing = False  # paused: the latest weights' sizes at once
    composer.state.train(1)
    message, _ = composer.message(40)
    assert "gradients" in message
    assert len(gradient_passes) == 4
