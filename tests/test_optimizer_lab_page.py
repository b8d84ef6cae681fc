"""The optimizer lab's state and view without a browser: links, notes, what is sent."""

import base64

import numpy as np
import pytest

from playground.labs.optimizers.race import run_racer
from playground.labs.optimizers.racers import racers
from playground.labs.optimizers.state import DEFAULT_SURFACE, OptimizerLabState
from playground.labs.optimizers.surfaces import SURFACES
from playground.labs.optimizers.view import GRID, OptimizerLabView, racer_record, surface_record
from playground.labs.scene import read_scene, scene_query


def opened(query: str) -> tuple[OptimizerLabState, list[str]]:
    pairs = dict(part.split("=", 1) for part in query.split("&") if part)
    scene = read_scene(OptimizerLabState, pairs)
    return OptimizerLabState(**scene.values), scene.notes


def test_a_link_naming_a_surface_starts_at_that_surface_s_start():
    state, notes = opened("surface=beale")
    assert notes == []
    assert (state.startX, state.startY) == SURFACES["beale"].start
    state, _ = opened("surface=beale&startX=2&startY=-1")
    assert (state.startX, state.startY) == (2.0, -1.0)


def test_choosing_another_surface_moves_the_start_there():
    state = OptimizerLabState()
    state.surface = "saddle"
    assert (state.startX, state.startY) == SURFACES["saddle"].start


def test_a_scene_round_trips_through_its_link():
    state, _ = opened(
        "surface=rosenbrock&racers=adam,sgd&adamLr=0.05&momentum=0.5&rho=0.9&beta2=0.99"
        "&startX=0.5&startY=-0.25&steps=77&speed=2.5&showSquares=true&showPath=false"
    )
    again, notes = opened(scene_query(state))
    assert notes == []
    for name in OptimizerLabState.param:
        if name != "name":
            assert getattr(again, name) == getattr(state, name), name
    assert scene_query(OptimizerLabState()) == ""  # the defaults need no link


def test_bad_values_are_noted_and_clamped():
    state, notes = opened("surface=moon&adamLr=99&steps=abc&beta1=1.5&racers=sgd,lbfgs")
    text = " ".join(notes)
    for key in ("surface=moon", "adamLr=99", "steps=abc", "beta1=1.5", "lbfgs"):
        assert key in text
    assert state.surface == DEFAULT_SURFACE
    assert state.adamLr == 10.0
    assert state.beta1 == 0.999
    assert state.racers == ["sgd"]


def test_the_racers_use_their_own_rates_and_hyper_parameters():
    state, _ = opened("racers=momentum,sgd&momentumLr=0.002&momentum=0.5&sgdLr=0.03&steps=5")
    paths = state.paths()
    assert list(paths) == ["sgd", "momentum"]
    g = paths["momentum"].grad
    # v1 = g0, v2 = 0.5 v1 + g1; each move is -lr v.
    np.testing.assert_allclose(paths["momentum"].momentum[1], 0.5 * g[0] + g[1])
    np.testing.assert_allclose(paths["momentum"].step[0], -0.002 * g[0])
    np.testing.assert_allclose(paths["sgd"].step[0], -0.03 * paths["sgd"].grad[0])


def decoded(text: str, dtype) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def test_a_racer_is_sent_compactly_and_whole():
    path = run_racer("rmsprop", "himmelblau", (0.0, -0.5), 50, lr=0.01)
    record = racer_record(path, 50, 0.01, {"rho": 0.99})
    assert record["count"] == 51
    assert record["settings"] == "lr 0.01, ρ 0.99"
    np.testing.assert_array_equal(
        decoded(record["points"], "<f4"), path.points.ravel().astype("f4")
    )
    np.testing.assert_array_equal(decoded(record["loss"], "<f8"), path.loss)
    np.testing.assert_array_equal(
        decoded(record["squares"], "<f4"), path.root_sum_squares.ravel().astype("f4")
    )
    assert record["momentum"] == ""  # RMSprop keeps none


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_the_surface_picture_is_one_byte_per_cell(name):
    record = surface_record(name)
    levels = decoded(record["levels"], np.uint8)
    assert levels.size == GRID * GRID
    assert levels.min() == 0
    assert levels.max() == 255
    assert "-" not in record["formula"]  # minus signs, as the page writes them


def test_a_click_moves_the_start_and_odd_messages_are_ignored():
    state = OptimizerLabState()
    view = OptimizerLabView(state)
    sent = view.race.racers
    for odd in ({"start": ["a", 1]}, {"start": [1]}, {"other": 1}, [1, 2], {"start": [1e400, 0]}):
        view.race.browser_message(odd)
    assert (state.startX, state.startY) == SURFACES[DEFAULT_SURFACE].start
    view.race.browser_message({"start": [1.23456, -2]})
    assert (state.startX, state.startY) == (1.235, -2.0)
    assert view.race.racers != sent
    assert decoded(view.race.racers[0]["points"], "<f4")[:2].tolist() == pytest.approx([1.235, -2])
    view.race.browser_message({"start": [50, -50]})  # outside the bounds: the edge
    assert (state.startX, state.startY) == (10.0, -10.0)
    assert [r["name"] for r in view.race.racers] == list(racers())


def test_a_new_surface_sends_one_race_from_its_own_start():
    state = OptimizerLabState()
    view = OptimizerLabView(state)
    sent = []
    view.race.param.watch(lambda event: sent.append(event.new), ["racers"])
    state.surface = "bowl"
    assert len(sent) == 1
    assert view.race.surface["name"] == "bowl"
    first = decoded(sent[0][0]["points"], "<f4")[:2]
    assert first.tolist() == list(SURFACES["bowl"].start)
    state.showMomentum = True  # drawn in the browser: no new race
    assert len(sent) == 1
    assert view.race.showMomentum
