"""Data sets: parity with TensorFlow Playground's recorded runs, and each generator's shape."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from playground.datasets import (
    DATASETS,
    NUM_SAMPLES,
    DataSplit,
    SeedRandom,
    make_data,
    shuffle,
    split,
)
from playground.datasets.own import OWN_DATASETS

REFERENCE_FILES = sorted((Path(__file__).parent / "reference").glob("*.json"))
# The generated planes (tests/test_digits.py has the digits, test_own_points.py the
# sets a session draws or uploads).
GENERATED = sorted(set(DATASETS) - {"digits"} - set(OWN_DATASETS))
CLASSIFICATION = [k for k in GENERATED if DATASETS[k].problem == "classification"]
REGRESSION = [k for k in GENERATED if DATASETS[k].problem == "regression"]


def generate(name: str, noise: float, seed: str = "0.31415", n: int = 500):
    return DATASETS[name].fn(n, noise, SeedRandom(seed).random)


@pytest.fixture(params=REFERENCE_FILES, ids=lambda p: p.stem)
def reference(request):
    return json.loads(request.param.read_text())


def test_make_data_reproduces_the_reference_points(reference):
    config = reference["config"]
    rng = SeedRandom(config["seed"])
    data = make_data(config["dataset"], config["noise"], config["percTrainData"], rng)
    for X, y, points in [
        (data.X_train, data.y_train, reference["train_points"]),
        (data.X_test, data.y_test, reference["test_points"]),
    ]:
        expected = np.array(points)
        # Every draw and label is bit-exact; sin, cos and log may differ from V8's in the
        # last bit (circle, gauss), hence the tolerance on the coordinates.
        np.testing.assert_array_equal(y, expected[:, 2])
        np.testing.assert_allclose(X, expected[:, :2], rtol=1e-15, atol=1e-15)
    assert len(data.y_train) + len(data.y_test) == config["num_samples"]


def test_stream_continues_into_the_reference_weights(reference):
    config = reference["config"]
    rng = SeedRandom(config["seed"])
    make_data(config["dataset"], config["noise"], config["percTrainData"], rng)
    shape = config["network_shape"]
    for k, layer in enumerate(reference["initial_network"]["layers"]):
        # Layer by layer, destination node i, source node j, as the original builds links.
        W = [[rng.random() - 0.5 for _ in range(shape[k])] for _ in range(shape[k + 1])]
        np.testing.assert_array_equal(np.array(W), np.array(layer["W"]))


def test_registry_records():
    classic = {"circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss"}
    assert set(GENERATED) == classic | {"spirals", "blobs"}
    assert set(DATASETS) == {*GENERATED, "digits", *OWN_DATASETS}
    assert NUM_SAMPLES == {"classification": 500, "regression": 1200}
    labels = {name: d.label for name, d in DATASETS.items()}
    assert labels["xor"] == "Exclusive or"
    assert labels["reg-gauss"] == "Multi gaussian"
    assert {d.problem for d in DATASETS.values()} == {"classification", "regression"}
    max_classes = {name: DATASETS[name].max_classes for name in GENERATED}
    assert max_classes == {
        **dict.fromkeys(["circle", "xor", "gauss", "spiral"], 2),
        **dict.fromkeys(["spirals", "blobs"], 6),
        **dict.fromkeys(["reg-plane", "reg-gauss"], 1),
    }


@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize("n", [200, 500, 7])
def test_shapes_and_determinism(name, n):
    X, y = generate(name, 0.25, n=n)
    assert X.shape == (n, 2)
    assert y.shape == (n,)
    assert X.dtype == y.dtype == np.float64
    assert np.isfinite(X).all()
    assert np.isfinite(y).all()
    X2, y2 = generate(name, 0.25, n=n)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = generate(name, 0.25, seed="another seed", n=n)
    assert not np.array_equal(X, X3)


@pytest.mark.parametrize("name", CLASSIFICATION)
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_classification_labels_are_balanced_signs(name, noise):
    _, y = generate(name, noise)
    assert set(np.unique(y)) == {-1.0, 1.0}
    if name in ("gauss", "spiral"):  # labels come from the half, not the position
        np.testing.assert_array_equal(y, np.repeat([1.0, -1.0], 250))


def test_regression_label_ranges():
    X, y = generate("reg-plane", 0.0, n=1200)
    np.testing.assert_allclose(y, X.sum(axis=1) / 10, atol=1e-15)  # no noise: (x + y) / 10
    _, y = generate("reg-plane", 0.5, n=1200)
    # Unclamped: |x + y| <= 12 plus noise up to 2 * 6 * 0.5, so |label| <= 1.8.
    assert np.abs(y).max() <= 1.8
    assert np.abs(y).max() > 1.0
    _, y = generate("reg-gauss", 0.5, n=1200)
    assert np.abs(y).max() <= 1.0
    assert (y > 0).any()
    assert (y < 0).any()
    assert (y == 0).any()  # far from every bump
    # Only a strictly larger |value| replaces the start value 0, so no label is -0.0.
    assert not np.signbit(y[y == 0]).any()


@pytest.mark.parametrize("name", ["reg-plane", "reg-gauss"])
def test_regression_noise_moves_labels_not_coordinates(name):
    X0, y0 = generate(name, 0.0, n=1200)
    X1, y1 = generate(name, 0.3, n=1200)
    np.testing.assert_array_equal(X0, X1)  # the noise draws happen either way
    assert not np.array_equal(y0, y1)


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_noise_flips_labels_but_not_coordinates(name):
    X0, y0 = generate(name, 0.0)
    X1, y1 = generate(name, 0.5)
    np.testing.assert_array_equal(X0, X1)
    assert 0 < (y0 != y1).sum() < 250


def test_circle_without_noise_is_separated_by_radius():
    X, y = generate("circle", 0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert (r[y == 1] < 2.5).all()
    assert (r[y == -1] >= 3.5 - 1e-12).all()
    assert (r <= 5.0).all()


def test_xor_without_noise_keeps_off_the_axes():
    X, y = generate("xor", 0.0)
    assert (np.abs(X) >= 0.3).all()
    np.testing.assert_array_equal(y, np.where(X[:, 0] * X[:, 1] >= 0, 1.0, -1.0))


def test_gauss_spread_grows_with_noise():
    X0, _ = generate("gauss", 0.0)
    X1, _ = generate("gauss", 0.5)
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], 250, axis=0)
    std0, std1 = (X0 - centres).std(), (X1 - centres).std()
    # Variance 0.5 at noise 0 and 4 at noise 0.5 (the original's d3 scale).
    assert std0 == pytest.approx(np.sqrt(0.5), rel=0.1)
    assert std1 == pytest.approx(2.0, rel=0.1)


def test_spiral_noise_displaces_coordinates():
    X0, y0 = generate("spiral", 0.0)
    X1, y1 = generate("spiral", 0.5)
    np.testing.assert_array_equal(y0, y1)
    shift = np.abs(X1 - X0)
    assert shift.max() <= 0.5
    assert shift.mean() > 0.1
    assert (X0[0] == 0.0).all()  # both arms start at the origin
    assert (X0[250] == 0.0).all()


def test_shuffle_is_fisher_yates_in_the_original_order():
    X = np.arange(8.0).reshape(4, 2)
    y = np.arange(4.0)
    draws = iter([0.0, 0.99, 0.5, 0.2])
    # counter 4: index 0, swap a[3]<->a[0] -> 3 1 2 0; counter 3: index 2, swap a[2]<->a[2];
    # counter 2: index 1, swap a[1]<->a[1]; counter 1: index 0, swap a[0]<->a[0].
    Xs, ys = shuffle(X, y, lambda: next(draws))
    np.testing.assert_array_equal(ys, [3.0, 1.0, 2.0, 0.0])
    np.testing.assert_array_equal(Xs, X[[3, 1, 2, 0]])
    np.testing.assert_array_equal(y, np.arange(4.0))  # inputs untouched


@pytest.mark.parametrize(("perc", "n_train"), [(50, 250), (10, 50), (90, 450), (33, 165)])
def test_split_takes_the_first_floor_share(perc, n_train):
    X, y = generate("circle", 0.0)
    data = split(X, y, perc)
    assert isinstance(data, DataSplit)
    assert len(data.y_train) == len(data.X_train) == n_train
    np.testing.assert_array_equal(np.concatenate([data.X_train, data.X_test]), X)
    np.testing.assert_array_equal(np.concatenate([data.y_train, data.y_test]), y)


def test_make_data_uses_the_problem_size_and_noise_percent():
    data = make_data("reg-gauss", 25, 30, SeedRandom("s"))
    assert (len(data.y_train), len(data.y_test)) == (360, 840)
    rng = SeedRandom("s")
    X, y = DATASETS["xor"].fn(500, 0.25, rng.random)
    X, y = shuffle(X, y, rng.random)
    expected = split(X, y, 70)
    got = make_data("xor", 25, 70, SeedRandom("s"))
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)
