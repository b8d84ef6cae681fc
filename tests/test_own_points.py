"""Drawn points: the compact link form, Draw mode's clicks, the link round trip and the
limit, and training on them as they change."""

import numpy as np
import pytest

from playground.datasets.own import (
    CHARS_PER_POINT,
    MAX_DRAWN,
    MAX_LINK_POINTS,
    at_level,
    decode_points,
    drawn_arrays,
    drawn_point,
    encode_points,
)
from playground.state import PlaygroundState
from playground.url import parse_query, query_from_state, scene_from_query
from playground.views.draw import DrawHandlers, draw_view


def drawing_state(**settings) -> PlaygroundState:
    state = PlaygroundState(seed="draw", **settings)
    DrawHandlers(state).drawing(True)
    assert state.drawing
    return state


def two_groups(state: PlaygroundState, per_class: int = 10) -> None:
    """Class 0 on the left, class 1 on the right: a line tells them apart."""
    draw = DrawHandlers(state)
    for k in range(per_class):
        draw.draw([-4.0 + 0.2 * k, -3.0 + 0.6 * k, 0])
        draw.draw([2.0 + 0.2 * k, -3.0 + 0.6 * k, 1])


def test_a_point_is_three_twelve_bit_numbers_and_six_characters():
    points = [drawn_point(1.2, -3.0, 1, "classification"), drawn_point(-6, 6, 0, "classification")]
    text = encode_points(points)
    assert len(text) == 2 * CHARS_PER_POINT
    assert decode_points(text) == tuple(points)
    X, y = drawn_arrays(points, "classification", 2)
    np.testing.assert_allclose(X, [[1.2, at_level(points[0][1], -6, 6)], [-6, 6]], atol=1e-12)
    np.testing.assert_array_equal(y, [1.0, -1.0])  # class 1 is +1, class 0 is -1
    value = drawn_point(0.0, 0.0, -0.5, "regression")
    assert drawn_arrays([value], "regression", 1)[1][0] == pytest.approx(-0.5, abs=1e-3)
    for bad, problem in (("abcde", "no whole number"), ("AAAAA!", "'!'"), ("é" * 6, "'é'")):
        with pytest.raises(ValueError, match=problem):
            decode_points(bad)


def test_a_class_the_set_does_not_have_is_left_out():
    points = [drawn_point(0, 0, k, "classification") for k in range(4)]
    X, y = drawn_arrays(points, "classification", 3)
    assert len(X) == 3
    np.testing.assert_array_equal(y, [0.0, 1.0, 2.0])


def test_clicks_add_points_and_a_click_on_a_point_removes_it():
    state = drawing_state()
    draw = DrawHandlers(state)
    draw.draw([1.0, 1.0, 1])
    draw.draw([-2.0, 3.0, 0])
    assert len(state.points) == 2
    assert len(state.data.X_train) + len(state.data.X_test) == 2
    draw.draw([1.1, 0.9, 0])  # within reach of the first: it goes
    assert len(state.points) == 1
    assert drawn_arrays(state.points, "classification", 2)[1].tolist() == [-1.0]
    draw.clear(True)
    assert state.points == ()


@pytest.mark.parametrize(
    "message",
    [[7.0, 0.0, 0], [0.0, 0.0, 2], [0.0, 0.0, 0.5], [0.0, 0.0, -1], [float("nan"), 0.0, 0]],
)
def test_a_click_the_scene_cannot_take_changes_nothing(message):
    state = drawing_state()
    DrawHandlers(state).draw(message)
    assert state.points == ()


def test_no_point_is_drawn_unless_in_draw_mode():
    state = PlaygroundState(seed="s")
    DrawHandlers(state).draw([0.0, 0.0, 0])
    DrawHandlers(state).clear(True)
    assert state.points == ()
    assert state.current_dataset == "circle"


def test_draw_mode_goes_back_to_the_set_before():
    state = PlaygroundState(seed="s", dataset="xor")
    draw = DrawHandlers(state)
    draw.drawing(True)
    assert state.dataset == "drawn"
    draw.drawing(False)
    assert state.dataset == "xor"
    regression = PlaygroundState(seed="s", problem="regression")
    draw = DrawHandlers(regression)
    draw.drawing(True)
    assert regression.reg_dataset == "reg-drawn"
    draw.draw([0.0, 0.0, 0.5])
    assert drawn_arrays(regression.points, "regression", 1)[1][0] == pytest.approx(0.5, abs=1e-3)


def test_training_goes_on_while_points_come_and_go():
    state = drawing_state()
    two_groups(state, 3)
    state.train(5)
    version, weights = state.network_version, state.net.params.copy()
    DrawHandlers(state).draw([0.0, 5.0, 1])
    assert state.epoch == 5  # no reset: the same network trains on
    assert state.network_version == version
    np.testing.assert_array_equal(state.net.params, weights)
    assert len(state.data.X_train) + len(state.data.X_test) == 7


def test_an_empty_drawing_has_no_losses_and_has_not_diverged():
    state = drawing_state()
    state.toggle_play()
    assert state.playing
    state.train(3)
    assert state.message == ""
    assert not state.trainer.diverged


def test_twenty_drawn_points_of_two_classes_are_learnt():
    state = drawing_state(network_shape=[4], learning_rate=0.1)
    two_groups(state)
    for _ in range(40):
        state.train(10)
        if state.trainer.train_accuracy == 1.0 and state.trainer.test_accuracy == 1.0:
            break
    assert state.trainer.train_accuracy == state.trainer.test_accuracy == 1.0
    assert state.epoch <= 400


def test_the_link_gives_back_the_very_points():
    state = drawing_state(num_classes=3)
    two_groups(state, 4)
    DrawHandlers(state).draw([0.5, 5.5, 2])
    query = query_from_state(state)
    assert f"points={encode_points(state.points)}" in query
    scene = scene_from_query(parse_query(query))
    assert scene.notes == []
    again = PlaygroundState(**scene.settings)
    assert again.points == state.points
    assert again.dataset == "drawn"
    np.testing.assert_array_equal(again.data.X_train, state.data.X_train)
    np.testing.assert_array_equal(again.data.y_test, state.data.y_test)


def test_beyond_the_limit_the_link_carries_none_and_the_page_says_so():
    state = drawing_state()
    many = tuple(drawn_point(-6 + 0.03 * k, 0.0, k % 2, "classification") for k in range(301))
    state.points = many
    assert "points=" not in query_from_state(state)
    view = draw_view(state)
    assert view["count"] == 301 > view["limit"] == MAX_LINK_POINTS
    state.points = many[:MAX_LINK_POINTS]
    assert "points=" in query_from_state(state)


def test_a_full_drawing_takes_no_more():
    state = drawing_state()
    state.points = tuple(drawn_point(0, 0, 0, "classification") for _ in range(MAX_DRAWN))
    DrawHandlers(state).draw([3.0, 3.0, 1])
    assert len(state.points) == MAX_DRAWN
    assert "full" in state.message


@pytest.mark.parametrize("value", ["AAA", "A!AAAA", "AAAAAA" * 301])
def test_bad_points_in_a_link_get_a_note(value):
    scene = scene_from_query(parse_query(f"dataset=drawn&points={value}"))
    assert "points" not in scene.settings
    assert len(scene.notes) == 1
    assert scene.notes[0].startswith("points=")
    assert scene.notes[0].endswith("using no drawn points.")


def test_a_drawing_smaller_than_a_batch_trains_as_one_batch():
    state = drawing_state(batch_size=10)
    two_groups(state, 4)  # 8 points: 4 train, fewer than a batch
    assert len(state.data.y_train) == 4
    assert state.trainer.batch_size == 4
    before = state.net.params.copy()
    state.train(1)
    assert not np.array_equal(state.net.params, before)  # an update, not the original's none
    for k in range(20):  # 28 points: 14 train, a batch of 10 and 4 carried over
        DrawHandlers(state).draw([-5.5 + 0.5 * k, 5.0, k % 2])
    assert len(state.data.y_train) == 14
    assert state.trainer.batch_size == 10
    state.reset()
    assert state.trainer.batch_size == 10
    generated = PlaygroundState(seed="s", batch_size=30)
    assert generated.trainer.batch_size == 30
