"""The perceptron lab's data: points on the playground's plane with labels of ±1.

``line``: points drawn uniformly, labelled by the side of a hidden straight line they
fall on, none closer to it than a margin (so a line separates them, and the rule's
updates are bounded by the margin); the others are the playground's own datasets of two
classes (``xor`` and ``circle``: no straight line separates them). Seeded.
"""

import numpy as np

from playground.datasets import SeedRandom, make_data
from playground.engine.perceptron import train_perceptron

DATASETS = ("line", "gauss", "xor", "circle", "spiral")
SPREAD = 5.0  # the points lie in [-5, 5]², inside the playground's plane
EXTENT = 6.0  # the plane shown, [-6, 6]²
MARGIN = 0.4


def perceptron_data(dataset: str, points: int, seed: int, noise: float = 0.0):
    """``points`` points (x, y) and their labels (±1)."""
    if dataset == "line":
        rng = np.random.default_rng(seed)
        angle = rng.uniform(0, np.pi)
        normal = np.array([np.cos(angle), np.sin(angle)])
        offset = rng.uniform(-2, 2)
        kept = np.empty((0, 2))
        while len(kept) < points:
            drawn = rng.uniform(-SPREAD, SPREAD, size=(2 * points, 2))
            kept = np.vstack([kept, drawn[np.abs(drawn @ normal - offset) > MARGIN]])
        X = kept[:points]
        return X, np.where(X @ normal - offset > 0, 1.0, -1.0)
    data = make_data(dataset, noise, 100, SeedRandom(str(seed)))
    return data.X_train[:points], data.y_train[:points]


def run(dataset: str, points: int, seed: int, rate: float, epochs: int, noise: float = 0.0):
    """The data and the rule's run on them: (X, y, PerceptronRun)."""
    X, y = perceptron_data(dataset, points, seed, noise)
    return X, y, train_perceptron(X, y, rate, epochs)


def line_ends(weights: np.ndarray) -> tuple[list[float], list[float]]:
    """Where w1·x + w2·y + b = 0 crosses the square [-6, 6]² (nothing while w = 0)."""
    w1, w2, b = weights
    if abs(w1) < 1e-12 and abs(w2) < 1e-12:
        return [], []
    if abs(w2) >= abs(w1):  # the steeper the line, the better x gives y
        xs = np.array([-EXTENT, EXTENT])
        return xs.tolist(), ((-b - w1 * xs) / w2).tolist()
    ys = np.array([-EXTENT, EXTENT])
    return ((-b - w2 * ys) / w1).tolist(), ys.tolist()
