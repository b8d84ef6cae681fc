"""The optimizer lab's defaults work: on every surface, from its own start and with its
own learning rates, no racer diverges or flies off in its first 100 steps, every racer
gets somewhere, and each shows its character; a rate the student set stays when the
surface changes, the others follow it."""

import numpy as np
import pytest

from playground.labs.optimizers.race import RacerPath
from playground.labs.optimizers.racers import default_rate, racers, rate_key
from playground.labs.optimizers.state import DEFAULT_SURFACE, OptimizerLabState
from playground.labs.optimizers.surfaces import SURFACES
from playground.labs.scene import read_scene, scene_query

STEPS = 100
OFF_THE_PICTURE = 2  # window widths from the window's middle: the racer is out of sight


def default_race(surface: str) -> dict[str, RacerPath]:
    """Every racer's first 100 steps on ``surface``, as a link naming only it opens."""
    scene = read_scene(OptimizerLabState, {"surface": surface, "steps": str(STEPS)})
    assert scene.notes == []
    return OptimizerLabState(**scene.values).paths()


@pytest.fixture(scope="module")
def races() -> dict[str, dict[str, RacerPath]]:
    return {surface: default_race(surface) for surface in SURFACES}


def window_span(surface: str) -> tuple[np.ndarray, float]:
    x0, x1, y0, y1 = SURFACES[surface].window
    return np.array([(x0 + x1) / 2, (y0 + y1) / 2]), max(x1 - x0, y1 - y0)


@pytest.mark.parametrize("racer", racers())
@pytest.mark.parametrize("surface", SURFACES)
def test_no_default_racer_diverges_and_every_one_gets_somewhere(races, surface, racer):
    path = races[surface][racer]
    assert path.diverged_at is None
    assert path.steps_taken == STEPS
    middle, span = window_span(surface)
    farthest = np.abs(path.points - middle).max()
    assert farthest <= OFF_THE_PICTURE * span, f"{racer} flew {farthest:.3g} from the middle"
    assert path.loss[-1] < path.loss[0], f"{racer} ends higher than it started"
    travelled = np.linalg.norm(path.points[-1] - path.points[0])
    assert travelled > 0.05 * span, f"{racer} moved only {travelled:.3g}"


def step_lengths(path: RacerPath) -> np.ndarray:
    return np.linalg.norm(path.step, axis=1)


def test_on_the_bowl_sgd_zig_zags_and_momentum_overshoots(races):
    bowl = races["bowl"]
    sgd_y = bowl["sgd"].points[:8, 1]
    assert np.all(np.sign(sgd_y[1:]) != np.sign(sgd_y[:-1]))  # across the valley and back
    for racer in ("momentum", "nesterov"):
        assert bowl[racer].points[:, 0].max() > 0  # past the minimum at x = 0, then back


def test_adagrad_slows_down_for_good(races):
    for surface in SURFACES:
        lengths = step_lengths(races[surface]["adagrad"])
        assert lengths[-10:].mean() < lengths[:10].mean() / 2, surface


def test_on_rosenbrock_every_racer_reaches_the_valley_floor(races):
    """The valley's walls, 100 (y - x²)², are most of the start's loss; by step 100
    every racer is down on the floor, on its way to (1, 1)."""
    for racer, path in races["rosenbrock"].items():
        x, y = path.points.T
        walls = 100 * (y - x**2) ** 2
        assert walls[-1] < walls[0] / 10, racer


def test_on_the_saddle_the_adaptive_racers_escape_first(races):
    saddle = races["saddle"]
    away = {racer: abs(path.points[-1, 1]) for racer, path in saddle.items()}
    assert min(away["rmsprop"], away["adam"]) > away["sgd"]


def test_a_new_surface_brings_its_start_and_rates_and_keeps_a_rate_the_student_set():
    state = OptimizerLabState()
    state.sgdLr = 0.123
    state.surface = "rosenbrock"
    assert (state.startX, state.startY) == SURFACES["rosenbrock"].start
    assert state.sgdLr == 0.123
    for racer in racers():
        if racer != "sgd":
            assert state.learning_rate(racer) == default_rate("rosenbrock", racer), racer
    state.surface = "bowl"
    assert state.sgdLr == 0.123
    assert state.adamLr == default_rate("bowl", "adam")


def test_a_rate_a_link_sets_stays_on_another_surface():
    scene = read_scene(OptimizerLabState, {"surface": "bowl", "momentumLr": "0.0042"})
    state = OptimizerLabState(**scene.values)
    assert state.nesterovLr == default_rate("bowl", "nesterov")
    state.surface = "beale"
    assert state.momentumLr == 0.0042
    assert state.nesterovLr == default_rate("beale", "nesterov")


def test_a_link_leaves_out_the_surface_s_own_rates_and_reopens_them():
    for surface in SURFACES:
        state = OptimizerLabState(surface=surface)
        query = scene_query(state)
        assert "Lr=" not in query, query
        state.adamLr = 0.0123
        query = scene_query(state)
        assert "adamLr=0.0123" in query
        pairs = dict(part.split("=") for part in query.split("&"))
        again = OptimizerLabState(**read_scene(OptimizerLabState, pairs).values)
        for racer in racers():
            assert again.learning_rate(racer) == state.learning_rate(racer)
    assert scene_query(OptimizerLabState()) == ""
    assert OptimizerLabState().surface == DEFAULT_SURFACE


def test_every_racer_has_a_rate_of_its_own_on_every_surface():
    for surface in SURFACES.values():
        assert set(surface.rates) == set(racers())
        assert all(rate > 0 for rate in surface.rates.values())
    assert OptimizerLabState.param[rate_key("adam")].default == default_rate(
        DEFAULT_SURFACE, "adam"
    )
