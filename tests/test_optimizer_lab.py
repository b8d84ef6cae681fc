"""The optimizer lab's maths and command line, against computations written out here."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from playground.cli import main
from playground.labs.optimizers.race import race, run_racer
from playground.labs.optimizers.racers import racers
from playground.labs.optimizers.surfaces import SURFACES, shading

RACERS = racers()  # the engine's optimizers: each is written out below

# -- the surfaces, written out again ------------------------------------------------------

FORMULAS = {
    "bowl": lambda x, y: x * x / 20 + y * y,
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    "saddle": lambda x, y: x * x - y * y,
    "himmelblau": lambda x, y: (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    "beale": lambda x, y: (
        (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y * y * y) ** 2
    ),
}


def central_difference(f, x: float, y: float, h: float = 1e-6) -> tuple[float, float]:
    return (f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_values_are_the_formulas_of_the_issue(name):
    rng = np.random.default_rng(1)
    x, y = rng.uniform(-3, 3, (2, 50))
    expected = [FORMULAS[name](a, b) for a, b in zip(x, y, strict=True)]
    np.testing.assert_allclose(SURFACES[name].value(x, y), expected, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_gradients_match_finite_differences(name):
    surface = SURFACES[name]
    rng = np.random.default_rng(2)
    x0, x1, y0, y1 = surface.window
    xs, ys = rng.uniform(x0, x1, 20), rng.uniform(y0, y1, 20)
    dx, dy = surface.grad(xs, ys)  # vectorised over the points
    for i in range(len(xs)):
        numeric = central_difference(FORMULAS[name], xs[i], ys[i])
        np.testing.assert_allclose((dx[i], dy[i]), numeric, rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_known_minima_are_zero_flat_and_lowest_nearby(name):
    surface = SURFACES[name]
    for x, y in surface.minima:
        assert abs(FORMULAS[name](x, y)) < 1e-12
        assert np.hypot(*surface.grad(np.float64(x), np.float64(y))) < 1e-6
        angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
        ring = FORMULAS[name](x + 1e-3 * np.cos(angles), y + 1e-3 * np.sin(angles))
        assert (ring > FORMULAS[name](x, y)).all()
        x0, x1, y0, y1 = surface.window
        assert x0 < x < x1, "the picture shows every minimum"
        assert y0 < y < y1, "the picture shows every minimum"


def test_the_saddle_has_no_minimum_but_a_flat_point_that_is_not_one():
    surface = SURFACES["saddle"]
    assert surface.minima == ()
    ((x, y),) = surface.saddle_points
    assert surface.grad(x, y) == (0, 0)
    assert FORMULAS["saddle"](x, y + 1e-3) < 0 < FORMULAS["saddle"](x + 1e-3, y)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_shading_spans_zero_to_one_and_is_lowest_at_the_minimum(name):
    surface = SURFACES[name]
    levels = shading(surface, 64)
    assert levels.shape == (64, 64)
    assert levels.min() == 0
    assert levels.max() == 1
    if surface.minima:
        x0, x1, y0, y1 = surface.window
        mx, my = surface.minima[0]
        row, col = int((y1 - my) / (y1 - y0) * 64), int((mx - x0) / (x1 - x0) * 64)
        assert levels[row, col] < 0.2


# -- the update rules, written out (tests/reference/extended/README.md) ----------------


def literal_path(
    surface, optimizer, lr, steps, start, mu=0.8, rho=0.99, b1=0.9, b2=0.999, eps=None
):
    """Positions by the textbook rules, one coordinate pair at a time, in plain floats."""
    if eps is None:
        eps = 1e-10 if optimizer == "adagrad" else 1e-8
    f = SURFACES[surface]  # only its gradient, checked above against finite differences
    x, y = start
    path = [[x, y]]
    v = [0.0, 0.0]  # momentum's velocity / Adam's m
    s = [0.0, 0.0]  # Adagrad's sum, RMSprop's average, Adam's v
    for t in range(1, steps + 1):
        # NumPy floats: a diverging run gives inf where Python floats would raise.
        g = [float(d) for d in f.grad(np.float64(x), np.float64(y))]
        step = [0.0, 0.0]
        for k in range(2):
            if optimizer == "sgd":
                step[k] = g[k]
            elif optimizer in ("momentum", "nesterov"):
                v[k] = mu * v[k] + g[k]
                step[k] = v[k] if optimizer == "momentum" else g[k] + mu * v[k]
            elif optimizer == "adagrad":
                s[k] = s[k] + g[k] ** 2
                step[k] = g[k] / (math.sqrt(s[k]) + eps)
            elif optimizer == "rmsprop":
                s[k] = rho * s[k] + (1 - rho) * g[k] ** 2
                step[k] = g[k] / (math.sqrt(s[k]) + eps)
            elif optimizer == "adam":
                v[k] = b1 * v[k] + (1 - b1) * g[k]
                s[k] = b2 * s[k] + (1 - b2) * g[k] ** 2
                m_hat, v_hat = v[k] / (1 - b1**t), s[k] / (1 - b2**t)
                step[k] = m_hat / (math.sqrt(v_hat) + eps)
        x, y = x - lr * step[0], y - lr * step[1]
        path.append([x, y])
    return path


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["optimize", *args])
    out, err = capsys.readouterr()
    return code, out, err


CASES = [  # surface, start, lr, steps: each converges or wanders without overflowing
    ("himmelblau", (0.0, -0.5), 0.01, 60),
    ("beale", (1.0, 1.4), 0.01, 60),
    ("bowl", (-8.0, 3.0), 0.3, 60),
]


@pytest.mark.parametrize("optimizer", RACERS)
@pytest.mark.parametrize(("surface", "start", "lr", "steps"), CASES)
def test_cli_path_follows_the_update_rules_with_the_lecture_defaults(
    capsys, optimizer, surface, start, lr, steps
):
    code, out, _ = run_cli(
        capsys,
        *("--surface", surface, "--optimizer", optimizer, "--lr", str(lr)),
        *("--steps", str(steps), "--start", f"{start[0]},{start[1]}", "--json"),
    )
    assert code == 0
    path = json.loads(out)["path"]
    assert len(path) == steps + 1
    assert path[0] == list(start)
    np.testing.assert_allclose(
        path, literal_path(surface, optimizer, lr, steps, start), rtol=1e-9, atol=1e-12
    )


HYPER_FLAGS = {
    "sgd": {},
    "momentum": {"momentum": 0.5},
    "nesterov": {"momentum": 0.95},
    "adagrad": {"epsilon": 0.1},
    "rmsprop": {"rho": 0.9, "epsilon": 1e-3},
    "adam": {"beta1": 0.7, "beta2": 0.99, "epsilon": 1e-4},
}
LITERAL_NAMES = {"momentum": "mu", "rho": "rho", "beta1": "b1", "beta2": "b2", "epsilon": "eps"}


@pytest.mark.parametrize("optimizer", RACERS)
@pytest.mark.parametrize("surface", ["rosenbrock", "saddle"])
def test_cli_hyper_parameters_reach_the_update(capsys, optimizer, surface):
    start, lr, steps = (-1.2, 1.0), 1e-3, 40
    hyper = HYPER_FLAGS[optimizer]
    flags = [part for name, value in hyper.items() for part in (f"--{name}", str(value))]
    code, out, _ = run_cli(
        capsys,
        *("--surface", surface, "--optimizer", optimizer, "--lr", str(lr), "--steps", str(steps)),
        *("--start", "-1.2,1", *flags, "--json"),
    )
    assert code == 0
    literal = literal_path(
        surface, optimizer, lr, steps, start, **{LITERAL_NAMES[k]: v for k, v in hyper.items()}
    )
    np.testing.assert_allclose(json.loads(out)["path"], literal, rtol=1e-9, atol=1e-12)


def test_a_diverging_path_stops_at_its_last_finite_point(capsys):
    code, out, err = run_cli(
        capsys,
        *("--surface", "rosenbrock", "--optimizer", "sgd", "--lr", "0.01", "--steps", "50"),
        *("--start", "-1.5,2.5", "--json"),
    )
    assert code == 1
    assert "diverged" in err
    result = json.loads(out)
    path, stop = result["path"], result["diverged_at"]
    assert len(path) == stop < 50
    assert np.isfinite(path).all()
    with np.errstate(all="ignore"):
        literal = literal_path("rosenbrock", "sgd", 0.01, stop, (-1.5, 2.5))
        np.testing.assert_allclose(path, literal[:stop], rtol=1e-9)
        x, y = literal[-1]
        gradient = SURFACES["rosenbrock"].grad(np.float64(x), np.float64(y))
        assert not np.isfinite([x, y, *gradient]).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--surface", "moon"], "invalid choice: 'moon'"),
        (["--optimizer", "lbfgs"], "invalid choice: 'lbfgs'"),
        (["--start", "1"], "expected two numbers as X,Y"),
        (["--start", "1,nan"], "the start must be finite"),
        (["--lr", "0"], "--lr: must be a finite number above 0"),
        (["--lr", "fast"], "expected a number, got 'fast'"),
        (["--steps", "-3"], "--steps: must be from 0"),
        (["--steps", "2.5"], "expected a whole number"),
        (["--beta2", "1"], "--beta2: must be in [0, 1)"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(capsys, args, message):
    good = {"--surface": "bowl", "--optimizer": "adam", "--steps": "5", "--start": "1,1"}
    good.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = ["optimize", *(part for pair in good.items() for part in pair)]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_hyper_parameter_the_optimizer_lacks_is_refused(capsys):
    code, out, err = run_cli(
        capsys,
        "--surface",
        "bowl",
        "--optimizer",
        "sgd",
        "--steps",
        "3",
        "--start",
        "1,1",
        "--rho",
        "0.9",
    )
    assert code == 2
    assert out == ""
    assert "--rho does not apply to sgd" in err


def test_the_module_runs_as_a_command():
    command = [sys.executable, "-m", "playground", "optimize", "--surface", "beale"]
    result = subprocess.run(
        [*command, "--optimizer", "adam", "--steps", "4", "--start", "-1,-1", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    np.testing.assert_allclose(
        json.loads(result.stdout)["path"],
        literal_path("beale", "adam", 0.01, 4, (-1, -1)),
        rtol=1e-9,
    )


# -- what the page draws besides the positions ------------------------------------------


def test_race_reports_each_optimizer_s_state_along_the_path():
    paths = race("beale", (1.0, 1.4), 30, {name: (0.01, {}) for name in RACERS})
    for path in paths.values():
        assert path.points.shape == (31, 2)
        assert path.loss.shape == (31,)
        np.testing.assert_allclose(path.step, np.diff(path.points, axis=0))
        np.testing.assert_allclose(path.loss, FORMULAS["beale"](*path.points.T))
    g = paths["adagrad"].grad[:-1]  # the gradient each step used
    np.testing.assert_allclose(paths["adagrad"].root_sum_squares, np.sqrt(np.cumsum(g**2, axis=0)))
    g = paths["rmsprop"].grad[:-1]
    average = np.zeros(2)
    for i, gi in enumerate(g):
        average = 0.99 * average + 0.01 * gi**2
        np.testing.assert_allclose(paths["rmsprop"].root_sum_squares[i], np.sqrt(average))
    g = paths["momentum"].grad[:-1]
    velocity = np.zeros(2)
    for i, gi in enumerate(g):
        velocity = 0.8 * velocity + gi
        np.testing.assert_allclose(paths["momentum"].momentum[i], velocity)
    g = paths["adam"].grad[:-1]
    m = np.zeros(2)
    for i, gi in enumerate(g):
        m = 0.9 * m + 0.1 * gi
        np.testing.assert_allclose(paths["adam"].momentum[i], m)
    assert paths["sgd"].momentum is None
    assert paths["sgd"].root_sum_squares is None
    assert paths["adam"].root_sum_squares is None


def test_a_racer_that_diverges_keeps_only_finite_values_and_says_where():
    path = run_racer("momentum", "rosenbrock", (-1.5, 2.5), 100, lr=0.01)
    assert path.diverged_at == len(path.points)
    for values in (path.points, path.loss, path.grad, path.step, path.momentum):
        assert np.isfinite(values).all()
    assert len(path.momentum) == len(path.step) == len(path.points) - 1
