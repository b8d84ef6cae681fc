"""The overfitting lab's maths, state, link and CLI, against computations written here."""

import json
import subprocess
import sys
from urllib.parse import parse_qsl

import numpy as np
import pytest

from playground.cli import main
from playground.labs.overfitting.polyfit import error_curves, fit_polynomial, make_data, mse
from playground.labs.overfitting.state import OverfittingState
from playground.labs.scene import read_scene, scene_query


def lecture_data(n: int, sigma: float, seed: int, m: int | None = None):
    """The recipe as the issue states it, draws in the documented order: the training
    noise, then the test x, then the test noise."""
    m = n if m is None else m
    rng = np.random.default_rng(seed)
    x_train = np.linspace(0.05, 0.95, n)
    y_train = 2 * x_train + sigma * rng.standard_normal(n)
    x_test = rng.uniform(0, 1, m)
    y_test = 2 * x_test + sigma * rng.standard_normal(m)
    return x_train, y_train, x_test, y_test


def increasing_vandermonde(x, degree: int) -> np.ndarray:
    return np.column_stack([x**k for k in range(degree + 1)])


def polynomial_mse(coefficients, x, y) -> float:
    return float(np.mean((np.polynomial.polynomial.polyval(x, coefficients) - y) ** 2))


# -- data ------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "sigma", "seed", "m"), [(10, 1.0, 20, None), (3, 0.3, 7, 25)])
def test_data_follow_the_lecture_recipe(n, sigma, seed, m):
    data = make_data(n, sigma, seed, m)
    for got, expected in zip(data, lecture_data(n, sigma, seed, m), strict=True):
        np.testing.assert_array_equal(got, expected)
    assert data.x_test.min() >= 0
    assert data.x_test.max() <= 1


def test_training_set_ignores_the_test_count_and_noise_scales_the_same_draw():
    few, many = make_data(10, 1.0, 3, 5), make_data(10, 1.0, 3, 500)
    np.testing.assert_array_equal(few.y_train, many.y_train)
    loud = make_data(10, 2.0, 3)
    quiet = make_data(10, 1.0, 3)
    np.testing.assert_allclose(
        loud.y_train - 2 * loud.x_train, 2 * (quiet.y_train - 2 * quiet.x_train)
    )


def test_bad_data_and_fit_arguments_raise():
    with pytest.raises(ValueError, match="at least 1"):
        make_data(0, 1.0, 0)
    with pytest.raises(ValueError, match="noise"):
        make_data(5, -1.0, 0)
    with pytest.raises(ValueError, match="degree"):
        fit_polynomial(np.ones(3), np.ones(3), 16)
    with pytest.raises(ValueError, match="ridge"):
        fit_polynomial(np.ones(3), np.ones(3), 1, ridge=-0.1)


# -- fits ------------------------------------------------------------------------------


@pytest.mark.parametrize("degree", [0, 1, 3, 7, 9])
def test_fit_is_numpy_least_squares_on_the_increasing_vandermonde(degree):
    x, y, *_ = lecture_data(10, 1.0, 5)
    expected = np.linalg.lstsq(increasing_vandermonde(x, degree), y, rcond=None)[0]
    np.testing.assert_allclose(fit_polynomial(x, y, degree), expected, rtol=1e-10, atol=1e-10)


def test_a_straight_line_is_recovered_without_noise():
    x, y, *_ = lecture_data(8, 0.0, 1)
    np.testing.assert_allclose(fit_polynomial(x, y, 1), [0.0, 2.0], atol=1e-12)


@pytest.mark.parametrize(("n", "degree"), [(4, 5), (6, 9), (10, 10)])
def test_more_coefficients_than_points_give_the_minimum_norm_interpolant(n, degree):
    x, y, *_ = lecture_data(n, 1.0, 11)
    coefficients = fit_polynomial(x, y, degree)
    assert polynomial_mse(coefficients, x, y) < 1e-16  # through every point
    V = increasing_vandermonde(x, degree)
    by_pinv = np.linalg.pinv(V) @ y
    np.testing.assert_allclose(np.linalg.norm(coefficients), np.linalg.norm(by_pinv), rtol=1e-6)
    # Minimum norm: no component along V's null space, where it would only add length.
    null_space = np.linalg.svd(V)[2][n:]  # rows: an orthonormal basis of the null space
    assert np.abs(null_space @ coefficients).max() < 1e-6 * np.linalg.norm(coefficients)


@pytest.mark.parametrize("ridge", [1e-4, 0.01, 1.0])
@pytest.mark.parametrize("degree", [3, 12])
def test_ridge_matches_the_closed_form(degree, ridge):
    x, y, *_ = lecture_data(10, 1.0, 2)
    V = increasing_vandermonde(x, degree)
    closed_form = np.linalg.solve(V.T @ V + ridge * np.eye(degree + 1), V.T @ y)
    np.testing.assert_allclose(fit_polynomial(x, y, degree, ridge), closed_form, rtol=1e-6)


def test_ridge_shrinks_the_coefficients():
    x, y, *_ = lecture_data(10, 1.0, 2)
    norms = [np.linalg.norm(fit_polynomial(x, y, 10, ridge)) for ridge in (0.0, 1e-3, 1.0)]
    assert norms[0] > norms[1] > norms[2]


# -- errors and the U-curve --------------------------------------------------------------


def test_error_curves_are_the_mean_squared_errors_of_each_degree():
    data = make_data(12, 0.5, 4, 30)
    curves = error_curves(data, ridge=0.01)
    np.testing.assert_array_equal(curves.degrees, np.arange(16))
    for degree in (0, 4, 15):
        c = fit_polynomial(data.x_train, data.y_train, degree, 0.01)
        assert curves.train_mse[degree] == pytest.approx(
            polynomial_mse(c, data.x_train, data.y_train)
        )
        assert curves.test_mse[degree] == pytest.approx(polynomial_mse(c, data.x_test, data.y_test))
        assert mse(c, data.x_test, data.y_test) == curves.test_mse[degree]


def test_training_error_never_rises_with_the_degree():
    curves = error_curves(make_data(10, 1.0, 20))
    assert np.all(np.diff(curves.train_mse) <= 1e-9)
    assert curves.train_mse[9:].max() < 1e-16  # ten coefficients pass through ten points


def test_more_data_tames_degree_ten():
    """The lecture's second question, over a few draws: ten times the data cuts the
    degree-10 fit's typical test error several times (the few test points beyond the
    training range still see it swing, so it stays above the noise's variance)."""

    def median_test_error(n: int) -> float:
        errors = [error_curves(make_data(n, 1.0, seed)).test_mse[10] for seed in range(10)]
        return float(np.median(errors))

    assert median_test_error(10) > 5 * median_test_error(100)


# -- the page's state and its link ------------------------------------------------------


def test_state_fits_the_chosen_degrees_of_its_data():
    state = OverfittingState(points=12, noise=0.5, degrees=[10, 2], ridge=0.1, seed=3)
    picture = state.picture()
    assert list(picture.fits) == [2, 10]
    x, y, *_ = lecture_data(12, 0.5, 3)
    np.testing.assert_allclose(picture.fits[10], fit_polynomial(x, y, 10, 0.1))
    assert len(picture.data.x_test) == 12
    assert len(OverfittingState(testPoints=40).picture().data.x_test) == 40


def test_regenerate_draws_a_new_seed():
    state = OverfittingState()
    before = state.picture().data.y_train
    state.regenerate()
    assert state.seed != OverfittingState.param.seed.default
    assert not np.array_equal(state.picture().data.y_train, before)


def test_a_link_round_trips_the_scene():
    state = OverfittingState(
        points=40, noise=0.25, degrees=[0, 15], ridge=0.001, seed=99, testPoints=7
    )
    query = dict(parse_qsl(scene_query(state)))
    scene = read_scene(OverfittingState, query)
    assert scene.notes == []
    reopened = OverfittingState(**scene.values)
    assert reopened.param.values() | {"name": ""} == state.param.values() | {"name": ""}
    assert scene_query(OverfittingState()) == ""  # the defaults write nothing


def test_bad_link_values_get_notes():
    query = {"points": "1000", "noise": "loud", "degrees": "3,99", "testPoints": "0"}
    scene = read_scene(OverfittingState, query)
    assert scene.values == {"points": 100, "degrees": [3], "testPoints": 1}
    assert len(scene.notes) == 4
    for key in query:
        assert any(note.startswith(f"{key}=") for note in scene.notes), key
    only_unknown = read_scene(OverfittingState, {"degrees": "16"})
    assert "degrees" not in only_unknown.values  # the default, not an empty choice
    assert "using the default" in only_unknown.notes[0]


# -- the command line ------------------------------------------------------------------


def run_json(capsys, *args: str) -> dict:
    assert main(["overfit", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("degree", "n", "m"), [(3, 10, None), (10, 6, 40)])
def test_cli_json_matches_an_independent_fit(capsys, degree, n, m):
    args = ["--degree", str(degree), "--points", str(n), "--noise", "0.7", "--seed", "8"]
    if m is not None:
        args += ["--test-points", str(m)]
    out = run_json(capsys, *args)
    assert set(out) == {
        "x_train",
        "y_train",
        "x_test",
        "y_test",
        "coefficients",
        "train_mse",
        "test_mse",
    }
    x, y, x_test, y_test = lecture_data(n, 0.7, 8, m)
    for key, expected in zip(
        ("x_train", "y_train", "x_test", "y_test"), (x, y, x_test, y_test), strict=True
    ):
        np.testing.assert_array_equal(out[key], expected)
    expected = np.linalg.lstsq(increasing_vandermonde(x, degree), y, rcond=None)[0]
    np.testing.assert_allclose(out["coefficients"], expected, rtol=1e-10, atol=1e-10)
    assert out["train_mse"] == pytest.approx(polynomial_mse(expected, x, y), rel=1e-6, abs=1e-20)
    assert out["test_mse"] == pytest.approx(polynomial_mse(expected, x_test, y_test), rel=1e-6)


def test_cli_ridge_and_table(capsys):
    out = run_json(capsys, "--degree", "5", "--points", "10", "--ridge", "0.01")
    x, y, *_ = lecture_data(10, 1.0, 20)
    V = increasing_vandermonde(x, 5)
    closed_form = np.linalg.solve(V.T @ V + 0.01 * np.eye(6), V.T @ y)
    np.testing.assert_allclose(out["coefficients"], closed_form, rtol=1e-6)
    assert main(["overfit", "--degree", "2"]) == 0
    text = capsys.readouterr().out
    assert "c2" in text
    assert "test MSE" in text


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--degree", "16"], "argument --degree: must be from 0 to 15"),
        (["--degree", "two"], "argument --degree: expected a whole number"),
        (["--degree", "1", "--points", "0"], "argument --points: must be from 1"),
        (
            ["--degree", "1", "--noise", "-1"],
            "argument --noise: must be a finite number, 0 or more",
        ),
        (["--degree", "1", "--noise", "nan"], "argument --noise"),
        (["--degree", "1", "--ridge", "inf"], "argument --ridge"),
        (["--degree", "1", "--test-points", "-3"], "argument --test-points"),
        (["--points", "5"], "--degree"),
    ],
)
def test_cli_refuses_bad_input_clearly(capsys, args, complaint):
    with pytest.raises(SystemExit) as exit_info:
        main(["overfit", *args])
    assert exit_info.value.code == 2
    assert complaint in capsys.readouterr().err


def test_python_dash_m_playground_overfit():
    command = [sys.executable, "-m", "playground", "overfit", "--degree", "1", "--points", "4"]
    out = subprocess.run([*command, "--json"], capture_output=True, text=True, check=True)
    assert len(json.loads(out.stdout)["coefficients"]) == 2


# -- the view, without a browser ---------------------------------------------------------


def test_view_draws_the_chosen_degrees_in_distinct_colours_inside_a_fixed_window():
    from playground.labs.overfitting.view import OverfittingView
    from playground.labs.scene import LabScene

    state = OverfittingState(degrees=[15, 1, 3, 10])
    view = OverfittingView(state, LabScene({}, frozenset(), []))
    shown = [r for r in view.curve_renderers if r.visible]
    assert [item.label["value"] for item in view.fit_legend.items[3:]] == [
        "degree 1",
        "degree 3",
        "degree 10",
        "degree 15",
    ]
    assert len({r.glyph.line_color for r in shown}) == 4
    data = state.picture().data
    window = view.fit_figure.y_range
    for ys in (data.y_train, data.y_test):
        assert window.start < ys.min()
        assert ys.max() < window.end
    # The degree-15 curve (the fourth chosen) leaves the window but stays a bounded number.
    wild = view.fit_sources[3].data["y"]
    assert wild.max() > window.end or wild.min() < window.start
    assert np.abs(wild).max() <= 11 * (window.end - window.start) + abs(window.start)

    state.points = 40  # a param change redraws
    np.testing.assert_array_equal(view.fit_sources["train"].data["x"], np.linspace(0.05, 0.95, 40))
    assert "40 training and 40 test points" in view.readout.object
