"""A Hopfield memory at temperature T: the maths of the Hopfield lab, without a UI.

N = side² neurons with spins S_i = ±1. Patterns ξ^μ (rows of a (p, N) array of ±1) are
stored by Hebb's rule, J = (1/N) Σ_μ ξ^μ ξ^μᵀ with J_ii = 0. A sweep visits every neuron
once, in a fresh random order; neuron i sees the local field h_i = Σ_j J_ij S_j and
becomes +1 with probability 1 / (1 + exp(-2 h_i / T)), else -1; at T = 0 it takes the
sign of h_i and stays as it is when h_i = 0. Energy E = -½ SᵀJS; overlap
m_μ = (1/N) Σ_i ξ_i^μ S_i.

Imports NumPy and the standard library only.
"""

from typing import NamedTuple

import numpy as np

Array = np.ndarray

# Built-in pictures on an 8 x 8 grid ('#' = +1), scaled to the side by repeating cells.
# Shapes chosen to differ a lot from one another, so that a few of them can be stored
# together: their mutual overlaps are printed by benchmarks/hopfield.py.
PICTURES: dict[str, tuple[str, ...]] = {
    "A": ("..####..", ".##..##.", "##....##", "##....##", "########", "##....##", "##....##", "##....##"),
    "T": ("########", "########", "...##...", "...##...", "...##...", "...##...", "...##...", "...##..."),
    "X": ("##....##", ".##..##.", "..####..", "...##...", "...##...", "..####..", ".##..##.", "##....##"),
    "L": ("##......", "##......", "##......", "##......", "##......", "##......", "########", "########"),
    "O": (".######.", "##....##", "##....##", "##....##", "##....##", "##....##", "##....##", ".######."),
    "Z": ("########", "#....##.", ".....##.", "....##..", "...##...", "..##....", ".##....#", "########"),
    "2": (".######.", "##....##", "......##", ".....##.", "...##...", ".##.....", "##......", "########"),
    "7": ("########", "......##", ".....##.", "....##..", "...##...", "..##....", "..##....", "..##...."),
}  # fmt: skip
MAX_SIDE = 48  # N = 2304: J takes 21 MB per tab


def picture(name: str, side: int) -> Array:
    """The built-in picture ``name`` as (side², ) spins ±1 (int8), row by row."""
    if name not in PICTURES:
        raise ValueError(f"no picture named {name!r}; choose from {', '.join(PICTURES)}")
    cells = np.array([[c == "#" for c in row] for row in PICTURES[name]])
    index = (np.arange(side) * len(cells)) // side  # nearest cell of the 8 x 8 drawing
    return np.where(cells[np.ix_(index, index)], 1, -1).astype(np.int8).ravel()


def random_patterns(count: int, n: int, rng: np.random.Generator) -> Array:
    """(count, n) independent spins, +1 or -1 with probability ½ each (int8)."""
    return rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, n))


def hebbian(patterns: Array) -> Array:
    """J = (1/N) Σ_μ ξ^μ ξ^μᵀ with a zero diagonal; ``patterns`` is (p, N)."""
    xi = np.asarray(patterns, dtype=np.float64)
    J = xi.T @ xi / xi.shape[1]
    np.fill_diagonal(J, 0.0)
    return J


def energy(J: Array, S: Array) -> float:
    """E = -½ SᵀJS."""
    S = np.asarray(S, dtype=np.float64)
    return -0.5 * float(S @ J @ S)


def overlaps(patterns: Array, S: Array) -> Array:
    """m_μ = (1/N) Σ_i ξ_i^μ S_i, one per pattern."""
    xi = np.asarray(patterns, dtype=np.float64)
    return xi @ np.asarray(S, dtype=np.float64) / xi.shape[1]


def corrupted(S: Array, fraction: float, rng: np.random.Generator) -> Array:
    """A copy of ``S`` with round(fraction · N) distinct neurons, chosen by ``rng``, flipped."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"the fraction to flip must be from 0 to 1, got {fraction}")
    S = np.array(S, dtype=np.int8)
    flipped = rng.choice(S.size, size=round(fraction * S.size), replace=False)
    S[flipped] *= -1
    return S


class Hopfield:
    """A network of stored ``patterns`` (p, N) in state ``S`` (N,), run by ``rng``.
    With p = 0 nothing is stored: J = 0.

    The local fields h are kept up to date as spins flip (h += 2 S_i J[:, i]), so a
    sweep costs one vector addition per flip, not one dot product per neuron. They are
    kept as N·h in whole numbers (N·J_ij = Σ_μ ξ_i^μ ξ_j^μ is one): no rounding piles up
    over a long run, and h_i = 0 is seen as exactly 0. N·J is float32 (whole numbers up
    to p, exact), half the memory of float64, which matters with a lecture hall of tabs
    on one server, and a BLAS product away from the fields.
    """

    def __init__(
        self, patterns: Array, S: Array, rng: np.random.Generator, *, couplings: Array | None = None
    ) -> None:
        self.patterns = np.array(patterns, dtype=np.int8, ndmin=2)
        n = self.patterns.shape[1]
        if n < 1:
            raise ValueError("a Hopfield network needs at least one neuron")
        S = np.asarray(S)
        if S.shape != (n,) or not np.all(np.abs(S) == 1):
            raise ValueError(f"the state must be {n} spins of +1 or -1")
        self.n = n
        self.rng = rng
        self._xi = self.patterns.astype(np.float64)
        self._NJ = self._couplings_times_n() if couplings is None else couplings
        self.S = S.astype(np.int8)
        self._Nh = self._fields_times_n()

    def _couplings_times_n(self) -> Array:
        xi = self.patterns.astype(np.float32)
        NJ = xi.T @ xi  # whole numbers, |N·J_ij| <= p: exact in float32
        np.fill_diagonal(NJ, 0)
        return NJ

    def restarted(self, S: Array, rng: np.random.Generator) -> "Hopfield":
        """The same memories in state ``S``: the couplings are shared (never changed in
        place), not computed again."""
        return Hopfield(self.patterns, S, rng, couplings=self._NJ)

    def _fields_times_n(self) -> Array:
        # Whole numbers, |N·h_i| <= N·p: exact in float32 (BLAS) below 2**24, which the
        # lab never reaches (921,600 at most); an integer product took 0.14 s at N = 2304,
        # for every stroke drawn.
        exact = np.float32 if self.n * len(self.patterns) < 2**24 else np.float64
        return (self._NJ @ self.S.astype(exact)).astype(np.float64)

    @property
    def J(self) -> Array:
        return self._NJ.astype(np.float64) / self.n

    @property
    def fields(self) -> Array:
        """h_i = Σ_j J_ij S_j."""
        return self._Nh / self.n

    def energy(self) -> float:
        return -0.5 * float(self.S @ self._Nh) / self.n

    def overlaps(self) -> Array:
        return self._xi @ self.S / self.n

    def set_spins(self, indices, value: int) -> None:
        """Sets the neurons ``indices`` to ``value`` (±1), as drawing on the picture does."""
        if value not in (1, -1):
            raise ValueError("a spin is +1 or -1")
        self.S[np.asarray(indices, dtype=np.intp)] = value
        self._Nh = self._fields_times_n()

    def sweep(self, temperature: float) -> None:
        """One asynchronous sweep at ``temperature``: all neurons once, in a fresh order.

        Draws ``rng.permutation(N)``, then (only at T > 0) ``rng.random(N)``: u_k for the
        k-th neuron visited, which becomes +1 when u_k < 1 / (1 + exp(-2 h / T)). That is
        h > (T/2) ln(u_k / (1 - u_k)), a threshold computed for all at once and without
        overflow at small T.
        """
        if not temperature >= 0.0:
            raise ValueError(f"the temperature must be 0 or more, got {temperature}")
        order = self.rng.permutation(self.n)
        if temperature > 0.0:
            u = self.rng.random(self.n)
            with np.errstate(divide="ignore"):  # u = 0: threshold -inf, always +1
                thresholds = 0.5 * temperature * self.n * np.log(u / (1.0 - u))
        else:
            thresholds = np.zeros(self.n)
        keep_ties = temperature == 0.0
        S, Nh, NJ = self.S, self._Nh, self._NJ
        for i, threshold in zip(order.tolist(), thresholds.tolist(), strict=True):
            field = Nh[i]
            if field > threshold:
                new = 1
            elif field < threshold or not keep_ties:
                new = -1
            else:
                continue  # T = 0 and h_i = 0: unchanged
            if new != S[i]:
                S[i] = new
                Nh += (2 * new) * NJ[i]  # J is symmetric: row i is column i

    def run(self, sweeps: int, temperature: float) -> tuple[Array, Array]:
        """``sweeps`` sweeps; returns the overlaps (sweeps, p) and energies (sweeps,)
        after each."""
        m = np.empty((sweeps, len(self.patterns)))
        E = np.empty(sweeps)
        for k in range(sweeps):
            self.sweep(temperature)
            m[k], E[k] = self.overlaps(), self.energy()
        return m, E


def recall(
    n: int, p: int, temperature: float, sweeps: int, flip: float, seed: int
) -> tuple[Array, Array]:
    """The command line's run: p random patterns of n neurons, the start pattern 1 with a
    fraction ``flip`` of its neurons flipped; overlap with pattern 1 and energy after
    each sweep. One seeded generator draws the patterns, the flips, then the sweeps."""
    if n < 1 or p < 1 or sweeps < 0:
        raise ValueError("need at least 1 neuron, 1 pattern and 0 sweeps")
    rng = np.random.default_rng(seed)
    patterns = random_patterns(p, n, rng)
    net = Hopfield(patterns, corrupted(patterns[0], flip, rng), rng)
    m, E = net.run(sweeps, temperature)
    return m[:, 0], E


def mean_field_overlap(temperature: float) -> float:
    """The largest solution of m = tanh(m / T) (one stored pattern, N → ∞): 1 at T = 0,
    0 from T = 1 on. Found by bisection, which, unlike iterating the equation, does not
    slow down near T = 1."""
    if temperature <= 0.0:
        return 1.0
    if temperature >= 1.0:
        return 0.0
    low, high = 1e-12, 1.0  # m - tanh(m/T) is < 0 just above 0 and > 0 at 1
    for _ in range(100):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if middle < np.tanh(middle / temperature) else (low, middle)
    return 0.5 * (low + high)


class CapacityCurves(NamedTuple):
    alphas: Array  # alpha = p / N
    overlap_by_alpha: Array  # mean overlap after relaxation at T = 0
    temperatures: Array
    overlap_by_temperature: Array  # at the low load of ``patterns_for_t`` patterns
    mean_field: Array  # m = tanh(m / T) at those temperatures
    n: int
    trials: int
    sweeps: int


def relaxed_overlap(
    n: int, p: int, temperature: float, sweeps: int, rng: np.random.Generator
) -> float:
    """Overlap with pattern 1 after starting there: the mean over the last half of
    ``sweeps`` (at T > 0 the overlap jitters from sweep to sweep)."""
    patterns = random_patterns(p, n, rng)
    m, _ = Hopfield(patterns, patterns[0], rng).run(sweeps, temperature)
    return float(m[sweeps // 2 :, 0].mean())


def capacity_curves(
    n: int = 400,
    alphas: Array | None = None,
    temperatures: Array | None = None,
    patterns_for_t: int = 2,
    trials: int = 3,
    sweeps: int = 12,
    seed: int = 0,
) -> CapacityCurves:
    """The capacity experiment: from each stored pattern's own picture, how much of it
    survives ``sweeps`` sweeps, averaged over ``trials`` networks: against alpha = p/N at
    T = 0 (recall breaks down near alpha ≈ 0.14 for large N), and against T at low load."""
    alphas = np.linspace(0.02, 0.3, 15) if alphas is None else np.asarray(alphas)
    temperatures = np.linspace(0.0, 1.5, 16) if temperatures is None else np.asarray(temperatures)
    rng = np.random.default_rng(seed)
    by_alpha = [
        np.mean([relaxed_overlap(n, max(1, round(a * n)), 0.0, sweeps, rng) for _ in range(trials)])
        for a in alphas
    ]
    by_t = [
        np.mean([relaxed_overlap(n, patterns_for_t, t, sweeps, rng) for _ in range(trials)])
        for t in temperatures
    ]
    mean_field = [mean_field_overlap(t) for t in temperatures]
    return CapacityCurves(
        alphas, np.array(by_alpha), temperatures, np.array(by_t), np.array(mean_field),
        n, trials, sweeps,
    )  # fmt: skip
