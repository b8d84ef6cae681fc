"""The optimizer race: each racer's whole path on a surface, computed at once.

A racer is one of the engine's optimizers (``playground.engine.OPTIMIZERS``, the code
that trains the network; ``racers.py``) stepping a two-entry parameter buffer (x, y) with the
surface's analytic gradient. Besides the positions the page draws what the optimizer
holds: its momentum (the velocity of momentum and Nesterov, Adam's first moment) and
√s per coordinate, s being Adagrad's sum or RMSprop's average of g², read from the
optimizer's own state after each step.

A racer that diverges stops at its first non-finite position, gradient or loss:
``diverged_at`` is that step, and its arrays end just before it.
"""

from dataclasses import dataclass

import numpy as np

from playground.engine import OPTIMIZERS, hyper_defaults
from playground.labs.optimizers.racers import LECTURE_LR, lecture_hyper
from playground.labs.optimizers.surfaces import SURFACES

Array = np.ndarray


@dataclass
class RacerPath:
    """n + 1 positions for n steps taken (row i: after step i; row 0: the start)."""

    name: str
    points: Array  # (n + 1, 2)
    loss: Array  # (n + 1,)
    grad: Array  # (n + 1, 2): the gradient at each position
    step: Array  # (n, 2): points[i + 1] - points[i], the move the optimizer made
    momentum: Array | None  # (n, 2) after each step, for optimizers that keep one
    root_sum_squares: Array | None  # (n, 2) √s after each step (Adagrad, RMSprop)
    diverged_at: int | None  # the first step whose result was not finite, if any

    @property
    def steps_taken(self) -> int:
        return len(self.points) - 1


def hyper_parameters(name: str, given: dict[str, float] | None = None) -> dict[str, float]:
    """The lecture's settings for optimizer ``name``, overridden by ``given``."""
    hyper = {**lecture_hyper(name), **(given or {})}
    unknown = set(hyper) - set(hyper_defaults(OPTIMIZERS[name]))
    if unknown:
        raise ValueError(f"{name} takes no {', '.join(sorted(unknown))}")
    return hyper


def _momentum_of(optimizer) -> Array | None:
    """The optimizer's momentum buffer, by the engine's attribute names."""
    for attribute in ("velocity", "m"):
        if hasattr(optimizer, attribute):
            return getattr(optimizer, attribute)
    return None


def _square_sum_of(optimizer) -> Array | None:
    """Adagrad's sum or RMSprop's average of g² (Adam's v is neither, and not drawn)."""
    return getattr(optimizer, "square_avg", None)


def run_racer(
    name: str,
    surface: str,
    start: tuple[float, float],
    steps: int,
    lr: float = LECTURE_LR,
    hyper: dict[str, float] | None = None,
) -> RacerPath:
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose from {', '.join(OPTIMIZERS)}")
    if surface not in SURFACES:
        raise ValueError(f"unknown surface {surface!r}; choose from {', '.join(SURFACES)}")
    if steps < 0:
        raise ValueError("steps must be 0 or more")
    field = SURFACES[surface]
    optimizer = OPTIMIZERS[name](2, **hyper_parameters(name, hyper))
    has_momentum = _momentum_of(optimizer) is not None
    has_squares = _square_sum_of(optimizer) is not None
    points = np.full((steps + 1, 2), np.nan)
    grads = np.full((steps + 1, 2), np.nan)
    momentum = np.full((steps, 2), np.nan) if has_momentum else None
    squares = np.full((steps, 2), np.nan) if has_squares else None
    params = np.array(start, dtype=float)
    kept, diverged_at = 0, None
    # A diverging racer overflows on its way out; that is a result here, not a warning.
    with np.errstate(all="ignore"):
        for i in range(steps + 1):
            grad = np.array(field.grad(params[0], params[1]), dtype=float)
            loss = field.value(params[0], params[1])
            if not (np.isfinite(params).all() and np.isfinite(grad).all() and np.isfinite(loss)):
                diverged_at = i
                break
            points[i], grads[i] = params, grad
            kept = i + 1
            if i == steps:
                break
            optimizer.step(params, grad, 1, lr)  # count 1: grad_sum is the gradient
            if momentum is not None:
                momentum[i] = _momentum_of(optimizer)
            if squares is not None:
                squares[i] = np.sqrt(_square_sum_of(optimizer))
        points, grads = points[:kept], grads[:kept]
        loss = field.value(points[:, 0], points[:, 1])
    moved = np.diff(points, axis=0)
    return RacerPath(
        name=name,
        points=points,
        loss=loss,
        grad=grads,
        step=moved,
        momentum=None if momentum is None else momentum[: len(moved)],
        root_sum_squares=None if squares is None else squares[: len(moved)],
        diverged_at=diverged_at,
    )


def race(
    surface: str,
    start: tuple[float, float],
    steps: int,
    racers: dict[str, tuple[float, dict[str, float]]],
) -> dict[str, RacerPath]:
    """Every racer's path: ``racers`` maps an optimizer's name to (lr, hyper-parameters)."""
    return {
        name: run_racer(name, surface, start, steps, lr, hyper)
        for name, (lr, hyper) in racers.items()
    }
