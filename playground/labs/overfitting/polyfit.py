"""Overfitting with polynomials: the lecture's data, least-squares fits, and the U-curve.

The data (``make_data``), as the lecture makes it:

* N training points at x = linspace(0.05, 0.95, N), M test points (M = N unless given)
  with x uniform in [0, 1); every y = 2x + σ·ε with ε standard normal.
* One ``numpy.random.default_rng(seed)`` draws, in this order: the N training ε, then
  the M test x, then the M test ε. So the training set does not depend on M, and
  changing σ scales the same ε (the points move, they are not redrawn).

A fit of degree d has coefficients c = (c_0, …, c_d), lowest power first, in the
monomial basis 1, x, …, x^d: ``numpy.linalg.lstsq`` (default ``rcond``) on the
increasing Vandermonde matrix V (V[i, k] = x_i^k). Where d + 1 > N the system is
under-determined and lstsq returns the minimum-norm solution, which passes through
the points. With a ridge penalty λ > 0 the fit minimises ‖Vc - y‖² + λ‖c‖², every
coefficient penalised (the constant too), solved as the least-squares problem of the
augmented system [V; √λ·I] c ≈ [y; 0], the same minimiser as (VᵀV + λI)⁻¹Vᵀy
without forming VᵀV (which squares V's already poor conditioning).

Errors are mean squared errors, (1/n)·Σ (p(x_i) - y_i)². One draw's errors are noisy;
the lecture's U-curve is the expected error, estimated by ``mean_error_curves`` as the
mean over many draws (seeds s, s + 1, …). Every draw has the same training x, so each
degree's fits to all the draws are one least-squares solve with a column per draw.
Imports NumPy only.
"""

from typing import NamedTuple

import numpy as np

Array = np.ndarray
MAX_DEGREE = 15
TRAIN_LOW, TRAIN_HIGH = 0.05, 0.95
SLOPE = 2.0  # the truth the noise hides: y = 2x


class PolyData(NamedTuple):
    x_train: Array  # (N,)
    y_train: Array  # (N,)
    x_test: Array  # (M,)
    y_test: Array  # (M,)


class ErrorCurves(NamedTuple):
    degrees: Array  # (D,) the degrees fitted, 0 … MAX_DEGREE by default
    train_mse: Array  # (D,)
    test_mse: Array  # (D,)


def check_degree(degree: int) -> None:
    if not 0 <= degree <= MAX_DEGREE:
        raise ValueError(f"the degree must be from 0 to {MAX_DEGREE}, got {degree}")


def make_data(points: int, noise: float, seed: int, test_points: int | None = None) -> PolyData:
    """The lecture's train and test sets; the draw order is in the module's docstring."""
    test_points = points if test_points is None else test_points
    if points < 1 or test_points < 1:
        raise ValueError("there must be at least 1 training point and 1 test point")
    if not noise >= 0:  # NaN too
        raise ValueError(f"the noise must be 0 or more, got {noise}")
    rng = np.random.default_rng(seed)
    x_train = np.linspace(TRAIN_LOW, TRAIN_HIGH, points)
    train_eps = rng.standard_normal(points)
    x_test = rng.uniform(0.0, 1.0, test_points)
    test_eps = rng.standard_normal(test_points)
    return PolyData(
        x_train,
        SLOPE * x_train + noise * train_eps,
        x_test,
        SLOPE * x_test + noise * test_eps,
    )


def vandermonde(x: Array, degree: int) -> Array:
    """(n, degree + 1): column k is x**k."""
    return np.vander(np.asarray(x, dtype=float), degree + 1, increasing=True)


def fit_polynomial(x: Array, y: Array, degree: int, ridge: float = 0.0) -> Array:
    """Coefficients (degree + 1,), lowest power first; see the module's docstring. ``y``
    may be (n, draws): then one column of coefficients per draw, (degree + 1, draws)."""
    check_degree(degree)
    if not ridge >= 0:
        raise ValueError(f"the ridge penalty must be 0 or more, got {ridge}")
    V = vandermonde(x, degree)
    target = np.asarray(y, dtype=float)
    if ridge > 0:
        V = np.vstack([V, np.sqrt(ridge) * np.eye(degree + 1)])
        target = np.concatenate([target, np.zeros((degree + 1, *target.shape[1:]))])
    coefficients, *_ = np.linalg.lstsq(V, target, rcond=None)
    return coefficients


def evaluate(coefficients: Array, x: Array) -> Array:
    """p(x) = Σ_k c_k x^k, as the Vandermonde product the fit used."""
    return vandermonde(x, len(coefficients) - 1) @ coefficients


def mse(coefficients: Array, x: Array, y: Array) -> float:
    return float(np.mean((evaluate(coefficients, x) - y) ** 2))


def error_curves(
    data: PolyData, ridge: float = 0.0, degrees: range = range(MAX_DEGREE + 1)
) -> ErrorCurves:
    """Train and test MSE of the fit of each degree (the U-curve)."""
    fits = [fit_polynomial(data.x_train, data.y_train, d, ridge) for d in degrees]
    return ErrorCurves(
        np.array(degrees),
        np.array([mse(c, data.x_train, data.y_train) for c in fits]),
        np.array([mse(c, data.x_test, data.y_test) for c in fits]),
    )


def mean_error_curves(
    points: int,
    noise: float,
    seed: int,
    draws: int,
    test_points: int | None = None,
    ridge: float = 0.0,
    degrees: range = range(MAX_DEGREE + 1),
) -> ErrorCurves:
    """Train and test MSE of each degree, each the mean over ``draws`` draws of the data,
    those of seeds ``seed`` … ``seed + draws - 1``: the expected errors the U-curve is
    about, where one draw's test error jumps with its points."""
    if draws < 1:
        raise ValueError(f"there must be at least 1 draw, got {draws}")
    sets = [make_data(points, noise, seed + k, test_points) for k in range(draws)]
    x_train = sets[0].x_train
    y_train = np.stack([data.y_train for data in sets], axis=1)  # (N, draws)
    x_test = np.stack([data.x_test for data in sets], axis=1)  # (M, draws)
    y_test = np.stack([data.y_test for data in sets], axis=1)
    train, test = [], []
    for degree in degrees:
        c = fit_polynomial(x_train, y_train, degree, ridge)  # (degree + 1, draws)
        train.append(np.mean((vandermonde(x_train, degree) @ c - y_train) ** 2))
        test.append(np.mean((_horner(c, x_test) - y_test) ** 2))
    return ErrorCurves(np.array(degrees), np.array(train), np.array(test))


def _horner(c: Array, x: Array) -> Array:
    """Each draw's polynomial (a column of ``c``) at its own points (a column of ``x``),
    without an (M, draws, degree + 1) array of powers."""
    p = np.broadcast_to(c[-1], x.shape).copy()
    for coefficient in c[-2::-1]:
        p = p * x + coefficient
    return p
