"""Small SVG pictures of the labs for the home page's cards.

Each is drawn from a little real computation (the engine's optimizers on Rosenbrock's
valley, a stored letter with spins flipped, least-squares polynomials through noisy
points, a small sweep of the playground's runs), so the picture is what the lab shows,
in miniature. Each returns SVG text of a 100 x 100 view; NumPy, the engine and its
headless runs only.
"""

import numpy as np

from playground.colors import CLASS_COLORS, SCALE
from playground.engine import OPTIMIZERS
from playground.labs.compare.model import Comparison
from playground.labs.perceptron.model import line_ends
from playground.labs.perceptron.model import run as perceptron_run
from playground.model import RunConfig
from playground.sweep import cell_values, configure, parse_axis, run_cell

ORANGE, GREY, BLUE = SCALE
HEAD = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100' width='100' height='100'>"
    "<rect width='100' height='100' fill='#ffffff'/>"
)


def _polyline(points: np.ndarray, colour: str, width: float = 1.5, most: int = 60) -> str:
    """At most ``most`` points, evenly picked, the first and last kept: enough for 100 px."""
    if len(points) > most:
        points = points[np.linspace(0, len(points) - 1, most).round().astype(int)]
    text = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (
        f"<polyline points='{text}' fill='none' stroke='{colour}' "
        f"stroke-width='{width}' stroke-linejoin='round'/>"
    )


# -- Rosenbrock ---------------------------------------------------------------------

# The view: x in [-2, 2], y in [-1, 3]; the valley's floor is y = x², the minimum (1, 1).
RACE = {  # racer -> learning rate that keeps it on the picture
    "sgd": 0.001,
    "momentum": 0.001,
    "rmsprop": 0.03,
    "adam": 0.1,
}
RACE_START = (-1.5, 2.5)
RACE_STEPS = 400


def _view(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.column_stack([(x + 2) * 25, (3 - y) * 25])


def rosenbrock_gradient(p: np.ndarray) -> np.ndarray:
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def race_path(name: str, lr: float) -> np.ndarray:
    """(RACE_STEPS + 1, 2): the engine's optimizer ``name`` on Rosenbrock's surface."""
    p = np.array(RACE_START, dtype=float)
    optimizer = OPTIMIZERS[name](2)
    path = [p.copy()]
    with np.errstate(all="ignore"):
        for _ in range(RACE_STEPS):
            optimizer.step(p, rosenbrock_gradient(p), 1, lr)
            if not np.isfinite(p).all():
                break
            path.append(p.copy())
    return np.array(path)


def rosenbrock() -> str:
    x = np.linspace(-2, 2, 41)
    # Curves of the valley's walls, |y - x²| = d: where the loss is about (10 d)².
    walls = [_polyline(_view(x, x * x + d), "#c9d3dc", 1) for d in (-1.2, -0.5, 0.5, 1.2)]
    floor = _polyline(_view(x, x * x), "#9fb3c4", 1.2)
    colours = [ORANGE, BLUE, *CLASS_COLORS[2:]]
    # The racers share the valley's floor: each is drawn thinner than the one before,
    # so that all show where they overlap, and ends in a dot.
    paths = []
    for k, ((name, lr), colour) in enumerate(zip(RACE.items(), colours, strict=False)):
        path = np.clip(_view(*race_path(name, lr).T), -5, 105)
        x, y = path[-1]
        paths.append(_polyline(path, colour, 3.5 - 0.8 * k))
        paths.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='2.5' fill='{colour}'/>")
    goal = "<circle cx='75' cy='50' r='3' fill='#333'/>"
    return HEAD + "".join([*walls, floor, *paths, goal]) + "</svg>"


# -- Hopfield ---------------------------------------------------------------------

LETTER = (  # a stored pattern: +1 where '#'
    "..........",
    "...####...",
    "..##..##..",
    ".##....##.",
    ".##....##.",
    ".########.",
    ".##....##.",
    ".##....##.",
    ".##....##.",
    "..........",
)


def letter_spins() -> np.ndarray:
    return np.array([[1 if ch == "#" else -1 for ch in row] for row in LETTER])


def mean_field_overlap(temperature: float, iterations: int = 200) -> float:
    """The stable overlap m of m = tanh(m / T) at low loading, from m = 1: 1 at T = 0,
    0 from T = 1 up (the memory is lost)."""
    m = 1.0
    if temperature <= 0:
        return m
    for _ in range(iterations):
        m = float(np.tanh(m / temperature))
    return m


def hopfield(temperature: float, seed: int = 3) -> str:
    """The stored letter as the network holds it at ``temperature``: each spin flipped
    with chance (1 - m) / 2, m the mean-field overlap, so a cold network shows the
    letter and a network above T = 1 shows noise."""
    spins = letter_spins()
    flip_chance = (1 - mean_field_overlap(temperature)) / 2
    rng = np.random.default_rng(seed)
    spins = np.where(rng.random(spins.shape) < flip_chance, -spins, spins)
    cell = 100 / spins.shape[0]
    squares = [
        f"<rect x='{c * cell:.0f}' y='{r * cell:.0f}' width='{cell:.0f}' height='{cell:.0f}'/>"
        for r, c in zip(*np.nonzero(spins > 0), strict=True)
    ]
    return HEAD + f"<g fill='{BLUE}'>" + "".join(squares) + "</g></svg>"


# -- polynomials ------------------------------------------------------------------


def polynomials(points: int = 10, noise: float = 0.35, seed: int = 1) -> str:
    """Noisy points on y = 2x, the straight fit and the degree 9 curve through them all."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0.05, 0.95, points)
    y = 2 * x + noise * rng.standard_normal(points)
    grid = np.linspace(0, 1, 101)

    def view(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        return np.column_stack([5 + 90 * xs, np.clip(80 - 30 * ys, -5, 105)])

    fits = [
        _polyline(view(grid, np.polynomial.polynomial.polyval(grid, coef)), colour)
        for coef, colour in (
            (np.polynomial.polynomial.polyfit(x, y, 1), BLUE),
            (np.polynomial.polynomial.polyfit(x, y, points - 1), ORANGE),
        )
    ]
    dots = "".join(
        f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='2.5' fill='#333'/>" for cx, cy in view(x, y)
    )
    return HEAD + "".join(fits) + dots + "</svg>"


# -- a sweep ----------------------------------------------------------------------


def sweep(epochs: int = 10) -> str:
    """The sweep lab's default grid in small (learning rate across, batch size down),
    each square the test loss its run of the default scene ends with: dark is low."""
    x, y = parse_axis("learningRate=0.003,0.03,0.3"), parse_axis("batchSize=10,20,30")
    cells = cell_values(x, y)
    base = RunConfig(dataset="xor")
    losses = np.array([run_cell(configure(base, c), epochs)["test_loss"] for c in cells])
    shade = (losses - losses.min()) / max(np.ptp(losses), 1e-12)
    squares = []
    for n, value in enumerate(shade):
        column, row = n % 3, 2 - n // 3
        grey = int(40 + 200 * value)
        squares.append(
            f"<rect x='{8 + 28 * column}' y='{8 + 28 * row}' width='26' height='26' "
            f"fill='rgb({grey // 3},{grey // 2},{grey})'/>"
        )
    best = int(np.argmin(losses))
    ring = f"<rect x='{8 + 28 * (best % 3)}' y='{8 + 28 * (2 - best // 3)}' width='26' height='26' "
    ring += f"fill='none' stroke='{ORANGE}' stroke-width='3'/>"
    return HEAD + "".join(squares) + ring + "</svg>"


# -- the perceptron ---------------------------------------------------------------


def perceptron(dataset: str = "line", seed: int = 1) -> str:
    """The perceptron lab's points and the line its rule ends with (after 100 epochs on
    a set no line separates)."""
    X, y, result = perceptron_run(dataset, 40, seed, 0.1, 100)

    def view(points: np.ndarray) -> np.ndarray:
        return np.column_stack([50 + 8 * points[:, 0], 50 - 8 * points[:, 1]])

    dots = "".join(
        f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='2.5' fill='{BLUE if label > 0 else ORANGE}'/>"
        for (cx, cy), label in zip(view(X), y, strict=True)
    )
    xs, ys = line_ends(result.weights[-1])
    line = _polyline(view(np.column_stack([xs, ys])), "#222", 2) if xs else ""
    return HEAD + dots + line + "</svg>"


# -- two runs compared --------------------------------------------------------------


def compare(epochs: int = 40, **differences: str) -> str:
    """The compare lab's chart in small: the test losses of two runs of XOR from the same
    first weights, A (orange) differing from B (blue) in ``differences``: side ->
    {setting: value}, e.g. ``a={"optimizer": "sgd"}, b={"optimizer": "adam"}``."""
    configs = (RunConfig(dataset="xor", **differences.get(side, {})) for side in "ab")
    comparison = Comparison(*configs)
    for _ in range(epochs):
        comparison.train(1)
    curves = [np.array(run.losses["test"]) for run in comparison.runs]
    top = max(float(np.nanmax(curve)) for curve in curves) or 1.0
    lines = ""
    for curve, colour in zip(curves, (ORANGE, BLUE), strict=True):
        xs = 8 + 84 * np.arange(len(curve)) / max(len(curve) - 1, 1)
        ys = 92 - 84 * np.nan_to_num(curve, nan=top) / top
        lines += _polyline(np.column_stack([xs, ys]), colour, 2.5)
    axes = "<polyline points='8,8 8,92 92,92' fill='none' stroke='#999999' stroke-width='1.5'/>"
    return HEAD + axes + lines + "</svg>"
