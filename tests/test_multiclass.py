"""Multi-class data sets: K-arm spirals and K Gaussian blobs, 2 to 6 classes."""

from __future__ import annotations

import numpy as np
import pytest

from playground.datasets import (
    DATASETS,
    MAX_CLASSES,
    MIN_CLASSES,
    SeedRandom,
    blob_centres,
    class_index,
    class_labels,
    make_data,
    shuffle,
    split,
)
from playground.datasets.multiclass import (
    ARM_LENGTH,
    ARM_TURNS_TIMES_CLASSES,
    BLOB_SPACING,
    BLOB_SPREAD,
)

MULTICLASS = ["blobs", "spirals"]
CLASS_COUNTS = list(range(MIN_CLASSES, MAX_CLASSES + 1))
SEEDS = ["0.31415", "lecture", "7"]


def generate(name: str, classes: int, noise: float = 0.0, seed: str = "0.31415", n: int = 500):
    return DATASETS[name].fn(n, noise, SeedRandom(seed).random, classes)


def test_registered_as_classification_sets_of_up_to_six_classes():
    for name, label in [("spirals", "Spirals"), ("blobs", "Blobs")]:
        assert DATASETS[name].problem == "classification"
        assert DATASETS[name].label == label
        assert DATASETS[name].max_classes == MAX_CLASSES == 6
    assert MIN_CLASSES == 2


@pytest.mark.parametrize("name", MULTICLASS)
@pytest.mark.parametrize("classes", CLASS_COUNTS)
def test_same_seed_same_points_other_seed_other_points(name, classes):
    X, y = generate(name, classes, noise=0.3)
    assert X.shape == (500, 2)
    assert y.shape == (500,)
    assert X.dtype == y.dtype == np.float64
    X2, y2 = generate(name, classes, noise=0.3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = generate(name, classes, noise=0.3, seed="another seed")
    assert not np.array_equal(X, X3)


@pytest.mark.parametrize("name", MULTICLASS)
@pytest.mark.parametrize("classes", CLASS_COUNTS)
@pytest.mark.parametrize("n", [500, 7, 1201])
def test_labels_are_the_k_classes_in_balanced_numbers(name, classes, n):
    _, y = generate(name, classes, noise=0.5, n=n)
    labels, counts = np.unique(y, return_counts=True)
    expected = [-1.0, 1.0] if classes == 2 else list(range(classes))
    np.testing.assert_array_equal(labels, expected)
    assert counts.sum() == n
    assert counts.max() - counts.min() <= 1


def test_class_index_inverts_class_labels():
    for classes in CLASS_COUNTS:
        labels = class_labels(classes)
        np.testing.assert_array_equal(class_index(labels, classes), np.arange(classes))
    np.testing.assert_array_equal(class_index(np.array([1.0, -1.0, 1.0]), 2), [1, 0, 1])
    with pytest.raises(ValueError, match="must be among"):
        class_index(np.array([0.0, 1.0]), 2)  # 0 is no 2-class label
    with pytest.raises(ValueError, match="must be among"):
        class_index(np.array([3.0]), 3)


@pytest.mark.parametrize("name", MULTICLASS)
@pytest.mark.parametrize("classes", [1, 7, 0, -2, 2.5, "3"])
def test_a_class_count_outside_two_to_six_is_refused(name, classes):
    with pytest.raises(ValueError, match="from 2 to 6"):
        generate(name, classes)
    with pytest.raises(ValueError, match="from 2 to 6"):
        make_data(name, 0, 50, SeedRandom("s"), classes=classes)


@pytest.mark.parametrize("classes", CLASS_COUNTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_points_stay_within_the_plot(classes, seed):
    for noise in (0.0, 0.5):
        X, _ = generate("spirals", classes, noise, seed)
        assert np.abs(X).max() <= 6.0
    X, _ = generate("blobs", classes, 0.0, seed)
    assert np.abs(X).max() <= 6.0
    # Gaussian tails have no end: at full noise nearly all, not all, fall inside.
    X, _ = generate("blobs", classes, 0.5, seed)
    assert (np.abs(X) <= 6.0).all(axis=1).mean() > 0.95


@pytest.mark.parametrize("classes", CLASS_COUNTS)
def test_blob_centres_are_evenly_spread_on_a_circle(classes):
    centres = blob_centres(classes)
    assert centres.shape == (classes, 2)
    radii = np.hypot(centres[:, 0], centres[:, 1])
    np.testing.assert_allclose(radii, radii[0])
    neighbours = np.linalg.norm(centres - np.roll(centres, 1, axis=0), axis=1)
    np.testing.assert_allclose(neighbours, BLOB_SPACING)


def nearest_centre(X: np.ndarray, classes: int) -> np.ndarray:
    distances = np.linalg.norm(X[:, None, :] - blob_centres(classes)[None], axis=2)
    return class_labels(classes)[distances.argmin(axis=1)]


@pytest.mark.parametrize("classes", CLASS_COUNTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_blobs_without_noise_are_separable_and_noise_mixes_them(classes, seed):
    X, y = generate("blobs", classes, 0.0, seed)
    np.testing.assert_array_equal(nearest_centre(X, classes), y)
    X, y = generate("blobs", classes, 0.5, seed)
    assert (nearest_centre(X, classes) != y).mean() > 0.02


def test_two_blobs_sit_like_gauss_negative_lower_left():
    X, y = generate("blobs", 2)
    assert (X[y == -1].mean(axis=0) < 0).all()
    assert (X[y == 1].mean(axis=0) > 0).all()


def test_blob_spread_grows_with_noise():
    classes = 4
    low, high = BLOB_SPREAD
    for noise, spread in [(0.0, low), (0.25, (low + high) / 2), (0.5, high)]:
        X, y = generate("blobs", classes, noise, n=2000)
        offsets = X - blob_centres(classes)[class_index(y, classes)]
        assert offsets.std() == pytest.approx(spread, rel=0.1)


def linear_fit_accuracy(X: np.ndarray, y: np.ndarray, classes: int) -> float:
    """Training accuracy of a least-squares linear classifier (one-vs-rest for K > 2)."""
    A = np.column_stack([X, np.ones(len(X))])
    targets = np.eye(classes)[class_index(y, classes)]  # one-hot
    W, *_ = np.linalg.lstsq(A, targets, rcond=None)
    return float((np.argmax(A @ W, axis=1) == class_index(y, classes)).mean())


@pytest.mark.parametrize("classes", CLASS_COUNTS)
def test_spiral_arms_interleave_where_blobs_do_not(classes):
    X, y = generate("spirals", classes)
    assert linear_fit_accuracy(X, y, classes) < 0.8
    # The same classifier does separate the blobs: the test can tell the two apart.
    X, y = generate("blobs", classes)
    assert linear_fit_accuracy(X, y, classes) == 1.0


@pytest.mark.parametrize("classes", CLASS_COUNTS)
def test_spiral_arms_are_turned_copies_winding_outwards(classes):
    X, y = generate("spirals", classes, n=120 * classes)
    arms = [X[y == label] for label in class_labels(classes)]
    for k, arm in enumerate(arms):
        radius = np.hypot(arm[:, 0], arm[:, 1])
        assert (np.diff(radius) > 0).all()
        assert radius.max() < ARM_LENGTH
        turn = 2 * np.pi * k / classes  # arm k is arm 0 turned by k / K of a circle
        rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
        np.testing.assert_allclose(arms[0] @ rotation, arm, atol=1e-12)


@pytest.mark.parametrize("classes", CLASS_COUNTS)
def test_spiral_noise_moves_points_up_to_half_the_gap_between_arms(classes):
    X0, y0 = generate("spirals", classes, 0.0)
    X1, y1 = generate("spirals", classes, 0.5)
    np.testing.assert_array_equal(y0, y1)
    shift = np.abs(X1 - X0)
    half_gap = 0.5 * ARM_LENGTH / ARM_TURNS_TIMES_CLASSES
    assert shift.max() <= half_gap
    assert shift.mean() > 0.4 * half_gap  # uniform on ±half_gap averages half_gap / 2


def test_make_data_passes_the_class_count_on():
    rng = SeedRandom("s")
    X, y = DATASETS["spirals"].fn(500, 0.2, rng.random, 5)
    expected = split(*shuffle(X, y, rng.random), 70)
    got = make_data("spirals", 20, 70, SeedRandom("s"), classes=5)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)
    data = make_data("blobs", 0, 50, SeedRandom("s"), classes=4)
    assert set(np.concatenate([data.y_train, data.y_test])) == {0.0, 1.0, 2.0, 3.0}


@pytest.mark.parametrize("name", ["circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss"])
def test_the_original_sets_ignore_the_class_count(name):
    default = make_data(name, 25, 50, SeedRandom("s"))
    for a, b in zip(default, make_data(name, 25, 50, SeedRandom("s"), classes=5), strict=True):
        np.testing.assert_array_equal(a, b)
