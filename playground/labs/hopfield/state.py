"""One tab of the Hopfield lab: its scene (the URL's params) and its running network.

No Panel here: the page (``hopfield/view.py``) drives ``step`` from a session's periodic
callback and sends what changed to the browser; tests drive it directly.
"""

import numpy as np
import param

from playground.labs.hopfield.model import (
    MAX_SIDE,
    PICTURES,
    CapacityCurves,
    Hopfield,
    capacity_curves,
    corrupted,
    picture,
    random_patterns,
)

HISTORY = 2000  # sweeps kept for the charts; older ones scroll away
MAX_SWEEPS_PER_STEP = 20  # a slow tick catches up at most this far
TRACKED = 8  # patterns whose overlap is charted: the start's and the first others
CAPACITY = {"n": 400, "trials": 3, "sweeps": 12}  # ~0.4 s on one core: quick for a click


class HopfieldState(param.Parameterized):
    side = param.Integer(default=32, bounds=(8, MAX_SIDE), doc="the picture's side: N = side²")
    patterns = param.ListSelector(default=["A", "T", "X"], objects=list(PICTURES))
    random = param.Integer(default=0, bounds=(0, 400), doc="random patterns stored too")
    temperature = param.Number(default=0.0, bounds=(0.0, 3.0), step=0.05)
    flip = param.Number(default=0.2, bounds=(0.0, 1.0), step=0.01, doc="fraction flipped")
    speed = param.Integer(default=10, bounds=(1, 120), doc="sweeps per second")
    seed = param.Integer(default=1, bounds=(0, 2**31 - 1))

    # Not in the URL (precedence < 0): what the tab is doing.
    playing = param.Boolean(default=False, precedence=-1)
    sweep = param.Integer(default=0, precedence=-1)
    cue = param.Integer(default=0, precedence=-1, doc="the stored pattern the start came from")
    restarts = param.Integer(default=0, precedence=-1, doc="bumped by every new start")

    def __init__(self, **params) -> None:
        super().__init__(**params)
        self.net: Hopfield
        self.names: list[str] = []
        self.energies: list[float] = []
        self.tracked: list[int] = []  # the stored patterns whose overlaps are kept
        self.overlap_history: list[list[float]] = []  # per sweep, one per tracked pattern
        self.capacity: CapacityCurves | None = None
        self._rebuild()

    @property
    def n(self) -> int:
        return self.side * self.side

    def stored(self) -> tuple[list[str], np.ndarray]:
        """The stored patterns' names and (p, N) spins: the pictures picked, then the
        random ones ("r1", "r2", ...), drawn from the seed."""
        rng = np.random.default_rng(self.seed)
        pictures = [picture(name, self.side) for name in self.patterns]
        extra = random_patterns(self.random, self.n, rng)
        names = [*self.patterns, *(f"r{k + 1}" for k in range(self.random))]
        spins = np.vstack([*pictures, extra]) if pictures else extra
        return names, spins.reshape(len(names), self.n)

    @param.depends("side", "patterns", "random", "seed", watch=True)
    def _rebuild(self) -> None:
        self.names, spins = self.stored()
        self.restart(min(self.cue, max(0, len(self.names) - 1)), spins)

    @param.depends("flip", watch=True)
    def _flip_changed(self) -> None:
        self.restart(self.cue)  # the same memories, a new start

    def restart(self, cue: int = 0, spins: np.ndarray | None = None) -> None:
        """Starts again from stored pattern ``cue`` with a fraction ``flip`` flipped (from
        random spins when nothing is stored); the same seed gives the same start."""
        fresh = spins is not None  # else the same memories: their couplings are kept
        spins = self.net.patterns if spins is None else spins
        rng = np.random.default_rng([self.seed, 1])  # not the patterns' stream
        if len(spins):
            start = corrupted(spins[cue], self.flip, rng)
        else:
            start = random_patterns(1, self.n, rng)[0]
        self.net = Hopfield(spins, start, rng) if fresh else self.net.restarted(start, rng)
        self.energies, self.overlap_history = [], []
        # A few hundred random patterns would make the history of every overlap large.
        others = [k for k in range(len(spins)) if k != cue][: TRACKED - 1]
        self.tracked = sorted({cue, *others}) if len(spins) else []
        self.cue = cue
        self.sweep = 0
        self.restarts += 1

    def step(self, sweeps: int = 1) -> None:
        """Runs ``sweeps`` sweeps at the current temperature and records each one."""
        for _ in range(min(sweeps, MAX_SWEEPS_PER_STEP)):
            self.net.sweep(self.temperature)
            self.energies.append(self.net.energy())
            self.overlap_history.append(self.net.overlaps()[self.tracked].tolist())
        del self.energies[:-HISTORY], self.overlap_history[:-HISTORY]
        self.sweep += min(sweeps, MAX_SWEEPS_PER_STEP)

    def draw(self, indices, value: int) -> None:
        """Sets the neurons under a stroke of the pen. From the browser: anything but a
        whole number inside the picture is ignored (10**24, -1, 2.5, "x", NaN, [1])."""
        cells = [c for c in indices if type(c) is int and 0 <= c < self.n]
        self.net.set_spins(np.array(cells, dtype=np.intp), 1 if value > 0 else -1)

    def toggle_play(self) -> None:
        self.playing = not self.playing

    def capacity_arguments(self) -> dict:
        """The capacity experiment's arguments (``capacity_curves``) for this scene."""
        return {**CAPACITY, "seed": self.seed}

    def run_capacity(self) -> CapacityCurves:
        """The experiment here and now (the page runs it in a worker process instead)."""
        self.capacity = capacity_curves(**self.capacity_arguments())
        return self.capacity
