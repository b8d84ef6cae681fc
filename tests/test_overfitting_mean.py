"""The overfitting lab's errors averaged over many draws of the data: the expected
error, whose U-curve one draw hides; computed with one least-squares solve per degree."""

import numpy as np
import pytest

from playground.labs.overfitting.polyfit import (
    MAX_DEGREE,
    error_curves,
    make_data,
    mean_error_curves,
)
from playground.labs.overfitting.state import OverfittingState
from playground.labs.overfitting.view import EXPLANATION, OverfittingView, readout_html
from playground.labs.scene import LabScene, read_scene, scene_query

LECTURE_DRAWS = 200


def opened(query: dict[str, str]) -> tuple[OverfittingState, list[str]]:
    scene = read_scene(OverfittingState, query)
    return OverfittingState(**scene.values), scene.notes


@pytest.mark.parametrize(
    ("points", "noise", "seed", "draws", "test_points", "ridge"),
    [(10, 1.0, 20, 7, None, 0.0), (4, 0.5, 3, 5, 30, 0.0), (12, 2.0, 0, 6, 9, 1e-3)],
)
def test_the_mean_is_the_mean_of_each_draw_s_errors(points, noise, seed, draws, test_points, ridge):
    each = [
        error_curves(make_data(points, noise, seed + k, test_points), ridge) for k in range(draws)
    ]
    mean = mean_error_curves(points, noise, seed, draws, test_points, ridge)
    np.testing.assert_array_equal(mean.degrees, np.arange(MAX_DEGREE + 1))
    for name in ("train_mse", "test_mse"):
        expected = np.mean([getattr(curves, name) for curves in each], axis=0)
        np.testing.assert_allclose(getattr(mean, name), expected, rtol=1e-6, atol=1e-12)


def test_each_degree_is_one_solve_for_every_draw(monkeypatch):
    solves = []
    original = np.linalg.lstsq
    monkeypatch.setattr(np.linalg, "lstsq", lambda *a, **k: solves.append(1) or original(*a, **k))
    mean_error_curves(10, 1.0, 20, LECTURE_DRAWS)
    assert len(solves) == MAX_DEGREE + 1


def test_averaged_over_200_draws_the_test_error_at_the_default_n_is_a_u():
    state, notes = opened({"draws": str(LECTURE_DRAWS)})  # as a link asks for it
    assert notes == []
    n = state.points
    assert n == OverfittingState.param.points.default
    test = state.picture().mean_curves.test_mse
    best = int(np.argmin(test))
    assert 1 <= best <= 2, test  # the truth is a straight line
    assert test[0] > 1.1 * test[best]  # it falls …
    assert np.all(np.diff(test[best:n]) > 0), test  # … and climbs at every degree to N - 1
    assert test[n - 1] > 100 * test[best]  # as the page says
    train = state.picture().mean_curves.train_mse
    assert np.all(np.diff(train[:n]) < 0)  # the training error only falls


def test_one_draw_alone_is_what_the_chart_showed_before():
    state = OverfittingState()
    picture = state.picture()
    assert picture.mean_curves is None
    assert picture.shown_curves is picture.curves


def test_the_average_is_in_the_link_and_bad_counts_get_notes():
    state, _ = opened({"draws": "200", "points": "15"})
    query = scene_query(state)
    assert "draws=200" in query.split("&")
    again, _ = opened(dict(part.split("=") for part in query.split("&")))
    np.testing.assert_array_equal(
        again.picture().mean_curves.test_mse, state.picture().mean_curves.test_mse
    )
    for raw, note, used in (
        ("many", "draws=many is not a number", 1),
        ("100000", "draws=100000 is above the maximum of 200", 200),
        ("0", "draws=0 is below the minimum of 1", 1),
    ):
        state, notes = opened({"draws": raw})
        assert len(notes) == 1
        assert notes[0].startswith(note)
        assert state.draws == used
        state.picture()  # and it draws


def test_the_page_shows_the_mean_in_its_chart_and_both_errors_in_its_table():
    state = OverfittingState(draws=LECTURE_DRAWS)
    view = OverfittingView(state, LabScene({}, frozenset(), []))
    mean = state.picture().mean_curves
    shown = view.error_sources["test"].data["mse"]
    np.testing.assert_array_equal(shown, mean.test_mse)
    assert "mean of 200 draws" in view.error_figure.title.text
    table = view.readout.object
    assert "mean test MSE" in table
    assert f"<td>{mean.test_mse[10]:.3g}</td>" in table
    assert f"<td>{state.picture().curves.test_mse[10]:.3g}</td>" in table
    widget = next(w for w in view.controls if "ui-draws" in w.css_classes)
    assert widget.value == LECTURE_DRAWS
    widget.value = 1
    assert "this draw" in view.error_figure.title.text
    assert "mean test MSE" not in view.readout.object
    assert "mean test MSE" not in readout_html(state.picture())


def test_the_text_says_what_each_chart_shows_and_where_the_x_lie():
    text = EXPLANATION.replace("\N{MINUS SIGN}", "-")
    assert "evenly spaced from x = 0.05 to 0.95" in text
    assert "anywhere from x = 0 to 1" in text
    assert "The first chart shows one draw of the data" in text
    assert "the second, for every degree from 0 to 15, the mean squared error" in text
    assert "averaged over 200 draws" in text
    assert "Which degree would you trust" in text
