"""Optimizers update the flat parameter buffer in place from accumulated gradients.

``step(params, grad_sum, count, lr, frozen=None)`` receives the SUM of ``count``
per-example gradients, as the original accumulates them, so g = grad_sum / count. The
formulas are PyTorch's (see ``tests/reference/extended/README.md``); the state is one
flat buffer per moment, laid out like ``params``, starting at zero, and ``t`` counts the
updates since the optimizer was built.

Hyper-parameters are plain attributes named as in ``defaults``: the trainer changes one
live by ``setattr`` and the state stays. Each step reads them afresh, so nothing derived
from them is cached.

``frozen`` (bool, laid out like ``params``) marks links the L1 rule has killed: neither
they nor their state may change. The trainer passes it only while some link is dead;
the step then runs as usual over the whole buffer and the frozen entries are put back,
which keeps the common case at its fewest NumPy calls.

Every step works in preallocated buffers: an update allocates nothing.

Each hyper-parameter has a symbol (``symbols``: μ, ρ, β1, as the formulas write it; its
name otherwise) and a range where its formula makes sense (``ranges``: a fading
average's factor is in [0, 1); anything else, by default, above 0). Whoever offers a
hyper-parameter to a user (the optimizer race's links, controls and command) reads them
here.
"""

import inspect
import math
from typing import ClassVar, NamedTuple

import numpy as np

Array = np.ndarray


def hyper_defaults(optimizer: type) -> dict[str, float]:
    """The hyper-parameters an optimizer class takes, with its defaults (Adagrad's ε is
    not Adam's), read from its constructor: every caller asks this one question here."""
    return {
        name: spec.default
        for name, spec in inspect.signature(optimizer).parameters.items()
        if spec.default is not inspect.Parameter.empty
    }


def hyper_symbol(optimizer: type, name: str) -> str:
    """How hyper-parameter ``name`` of ``optimizer`` is written (μ), or its name."""
    return getattr(optimizer, "symbols", {}).get(name, name)


def hyper_range(optimizer: type, name: str) -> "Range":
    """Where hyper-parameter ``name`` of ``optimizer`` makes sense."""
    return getattr(optimizer, "ranges", {}).get(name, POSITIVE)


class Range(NamedTuple):
    """The values a hyper-parameter may take: from ``low`` to ``high``, each end included
    unless it is open."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int | float) or math.isnan(value):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below


FADING = Range(0.0, 1.0, high_open=True)  # a fading average's factor: 0 ≤ β < 1
POSITIVE = Range(0.0, math.inf, low_open=True)  # ε, and any hyper-parameter not told


class Optimizer:
    label: ClassVar[str]
    defaults: ClassVar[dict[str, float]] = {}
    symbols: ClassVar[dict[str, str]] = {}  # hyper-parameter -> its symbol, where it has one
    ranges: ClassVar[dict[str, Range]] = {}  # hyper-parameter -> its range, where not POSITIVE
    state_names: ClassVar[tuple[str, ...]] = ()  # per-parameter buffers, zero at the start
    state_rows: ClassVar[tuple[int, ...]] = ()  # leading shape of each: (2,) holds two

    def __init_subclass__(cls, **kwargs: object) -> None:
        """Gives each optimizer the signature ``(size, *, <defaults>)``, so that callers
        who read keywords and defaults from ``inspect.signature`` see its own."""
        super().__init_subclass__(**kwargs)
        size = inspect.Parameter("size", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=int)
        keywords = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=value, annotation=float)
            for name, value in cls.defaults.items()
        ]
        cls.__signature__ = inspect.Signature([size, *keywords], return_annotation=None)

    def __init__(self, size: int, **hyper: float) -> None:
        unknown = set(hyper) - set(self.defaults)
        if unknown:
            raise TypeError(f"{type(self).__name__} takes no {', '.join(sorted(unknown))}")
        for name, default in self.defaults.items():
            setattr(self, name, float(hyper.get(name, default)))
        for name in self.state_names:
            setattr(self, name, np.zeros((*self.state_rows, size)))
        self.t = 0  # updates so far
        self._step = np.empty(size)
        self._kept: list[Array] | None = None  # params and state of frozen links, in a step

    def step(
        self, params: Array, grad_sum: Array, count: int, lr: float, frozen: Array | None = None
    ) -> None:
        self.t += 1
        if frozen is None:
            self._update(params, grad_sum, count, lr)
            return
        buffers = [params, *(getattr(self, name) for name in self.state_names)]
        if self._kept is None:
            self._kept = [np.empty_like(buf) for buf in buffers]
        for kept, buf in zip(self._kept, buffers, strict=True):
            np.copyto(kept, buf, where=frozen)
        self._update(params, grad_sum, count, lr)
        for kept, buf in zip(self._kept, buffers, strict=True):
            np.copyto(buf, kept, where=frozen)

    def _update(self, params: Array, grad_sum: Array, count: int, lr: float) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """The original's plain step: w <- w - (lr / n) * sum of gradients."""

    label = "SGD"

    def _update(self, params: Array, grad_sum: Array, count: int, lr: float) -> None:
        # This exact order of operations is the classic parity tests' last bit.
        np.multiply(grad_sum, lr / count, out=self._step)
        np.subtract(params, self._step, out=params)


class Momentum(Optimizer):
    """v <- μ v + g; w <- w - lr v."""

    label = "Momentum"
    defaults: ClassVar[dict[str, float]] = {"momentum": 0.9}
    symbols: ClassVar[dict[str, str]] = {"momentum": "μ"}
    ranges: ClassVar[dict[str, Range]] = {"momentum": FADING}
    state_names = ("velocity",)
    momentum: float
    velocity: Array

    def _update(self, params: Array, grad_sum: Array, count: int, lr: float) -> None:
        v, step = self.velocity, self._step
        np.multiply(v, self.momentum, out=v)
        np.divide(grad_sum, count, out=step)  # g
        np.add(v, step, out=v)
        np.multiply(v, lr, out=step)
        np.subtract(params, step, out=params)


class Nesterov(Momentum):
    """v <- μ v + g; w <- w - lr (g + μ v)."""

    label = "Nesterov"

    def _update(self, params: Array, grad_sum: Array, count: int, lr: float) -> None:
        v, step, mu = self.velocity, self._step, self.momentum
        np.multiply(v, mu, out=v)
        np.divide(grad_sum, count, out=step)  # g
        np.add(v, step, out=v)
        # w - lr (g + μ v) = w - lr g - (lr μ) v
        np.multiply(step, lr, out=step)
        np.subtract(params, step, out=params)
        np.multiply(v, lr * mu, out=step)
        np.subtract(params, step, out=params)


class _SquareScaled(Optimizer):
    """Adagrad and RMSprop: s accumulates g² (each its own way); w <- w - lr g / (√s + ε)."""

    state_names = ("square_avg",)
    symbols: ClassVar[dict[str, str]] = {"epsilon": "ε"}
    epsilon: float
    square_avg: Array

    def _accumulate(self, square: Array) -> None:
        """s from g² (in ``square``, which may be overwritten)."""
        raise NotImplementedError

    def _update(self, params: Array, grad_sum: Array, count: int, lr: float) -> None:
        s, step = self.square_avg, self._step
        np.multiply(grad_sum, grad_sum, out=step)
        np.multiply(step, 1.0 / (count * count), out=step)  # g²
        self._accumulate(step)
        np.sqrt(s, out=step)
        np.add(step, self.epsilon, out=step)
        # lr g / (√s + ε) = (lr / count) grad_sum / (√s + ε)
        np.divide(grad_sum, step, out=step)
        np.multiply(step, lr / count, out=step)
        np.subtract(params, step, out=params)


class Adagrad(_SquareScaled):
    """s <- s + g²."""

    label = "Adagrad"
    defaults: ClassVar[dict[str, float]] = {"epsilon": 1e-10}

    def _accumulate(self, square: Array) -> None:
        np.add(self.square_avg, square, out=self.square_avg)


class RMSprop(_SquareScaled):
    """s <- rho s + (1 - rho) g²."""

    label = "RMSprop"
    defaults: ClassVar[dict[str, float]] = {"rho": 0.99, "epsilon": 1e-8}
    symbols: ClassVar[dict[str, str]] = {"rho": "ρ", "epsilon": "ε"}
    ranges: ClassVar[dict[str, Range]] = {"rho": FADING}
    rho: float

    def _accumulate(self, square: Array) -> None:
        s, rho = self.square_avg, self.rho
        np.multiply(s, rho, out=s)
        np.multiply(square, 1.0 - rho, out=square)
        np.add(s, square, out=s)


class Adam(Optimizer):
    """m <- β1 m + (1 - β1) g; v <- β2 v + (1 - β2) g²;
    w <- w - lr (m / (1 - β1ᵗ)) / (√(v / (1 - β2ᵗ)) + ε)."""

    label = "Adam"
    defaults: ClassVar[dict[str, float]] = {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    symbols: ClassVar[dict[str, str]] = {"beta1": "β1", "beta2": "β2", "epsilon": "ε"}
    ranges: ClassVar[dict[str, Range]] = {"beta1": FADING, "beta2": FADING}
    # m and v side by side, so that both decay, and both take their new term, in one
    # call each: on a small network the number of NumPy calls is the cost.
    state_names = ("moments",)
    state_rows = (2,)
    beta1: float
    beta2: float
    epsilon: float
    moments: Array

    def __init__(self, size: int, **hyper: float) -> None:
        super().__init__(size, **hyper)
        self._terms = np.empty((2, size))
        # Column factors (β1, β2) and ((1 - β1) / n, (1 - β2) / n²), remade only when a
        # β or the example count n changes.
        self._decay = np.empty((2, 1))
        self._gain = np.empty((2, 1))
        self._factors_for: tuple[float, float, int] | None = None
        # Rows cut once: a slice costs about as much as a ufunc call on arrays this small.
        self._rows = self.moments[0], self.moments[1], self._terms[1]

    @property
    def m(self) -> Array:
        """First-moment estimate (a view)."""
        return self._rows[0]

    @property
    def v(self) -> Array:
        """Second-moment estimate (a view)."""
        return self._rows[1]

    def _update(self, params: Array, grad_sum: Array, count: int, lr: float) -> None:
        b1, b2, t = self.beta1, self.beta2, self.t
        if self._factors_for != (b1, b2, count):
            self._decay[:, 0] = b1, b2
            self._gain[:, 0] = (1.0 - b1) / count, (1.0 - b2) / (count * count)
            self._factors_for = (b1, b2, count)
        moments, terms, step = self.moments, self._terms, self._step
        m, v, square_term = self._rows
        # (1 - β1) g and (1 - β2) g², with g = grad_sum / count folded into the factors.
        np.multiply(grad_sum, self._gain, out=terms)
        np.multiply(square_term, grad_sum, out=square_term)
        np.multiply(moments, self._decay, out=moments)
        np.add(moments, terms, out=moments)
        # (m / c1) / (√(v / c2) + ε) = m / (√v + ε √c2) * (√c2 / c1), c = 1 - βᵗ.
        root_c2 = math.sqrt(1.0 - b2**t)
        np.sqrt(v, out=step)
        np.add(step, self.epsilon * root_c2, out=step)
        np.divide(m, step, out=step)
        np.multiply(step, lr * root_c2 / (1.0 - b1**t), out=step)
        np.subtract(params, step, out=params)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": Adagrad,
    "rmsprop": RMSprop,
    "adam": Adam,
}


def check_decay(gamma: float) -> float:
    """The learning rate's decay per epoch (lr·γ^epoch): γ in (0, 1]."""
    gamma = float(gamma)
    if not 0.0 < gamma <= 1.0:
        raise ValueError(f"lr_decay must be in (0, 1], got {gamma}")
    return gamma
