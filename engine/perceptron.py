"""Rosenblatt's perceptron rule: one example at a time, a step output, labels of ±1.

For an input x (with a constant 1 appended, whose weight is the bias b) the output is
ŷ = +1 if w·x ≥ 0, else -1, and each example, in turn, changes the weights by
    w ← w + η·(y - ŷ)·x,
nothing when it is right, 2η·y·x when it is wrong. The examples go in their given order,
epoch after epoch, from w = 0. On a set a straight line separates, an epoch comes with
no mistake, and the rule has stopped for good (the convergence theorem: the number of
updates is bounded); on one no line separates (XOR), every epoch has a mistake.

NumPy only: the examples are visited one by one, as the rule is.
"""

from typing import NamedTuple

import numpy as np

Array = np.ndarray


class Update(NamedTuple):
    epoch: int  # counted from 1
    index: int  # the example that was wrong
    weights: Array  # w1, w2, …, b after the update


class PerceptronRun(NamedTuple):
    updates: list[Update]  # every change of the weights, in order
    weights: Array  # (epochs run, inputs + 1): the weights at the end of each epoch
    mistakes: list[int]  # examples that were wrong, per epoch
    converged: bool  # an epoch had no mistake (the run stopped there)


def predict(weights: Array, X: Array) -> Array:
    """The step output, ±1, for each row of ``X``."""
    return np.where(X @ weights[:-1] + weights[-1] >= 0, 1.0, -1.0)


def train_perceptron(X: Array, y: Array, rate: float, epochs: int) -> PerceptronRun:
    """Up to ``epochs`` epochs of the rule over ``X`` (n, d) and ``y`` (n,) of ±1,
    stopping after the first epoch without a mistake."""
    inputs = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(inputs.shape[1])
    updates: list[Update] = []
    per_epoch, mistakes = [], []
    for epoch in range(1, epochs + 1):
        wrong = 0
        for index, (x, target) in enumerate(zip(inputs, y, strict=True)):
            output = 1.0 if x @ w >= 0 else -1.0
            if output != target:
                w = w + rate * (target - output) * x
                wrong += 1
                updates.append(Update(epoch, index, w.copy()))
        per_epoch.append(w.copy())
        mistakes.append(wrong)
        if wrong == 0:
            break
    weights = np.array(per_epoch).reshape(len(per_epoch), inputs.shape[1])
    return PerceptronRun(
        updates, weights, mistakes, converged=mistakes[-1] == 0 if mistakes else False
    )
