"""The optimizer race is built from the engine's registry: an optimizer registered there
in a fixture, and nowhere else, races, gets its link's keys, its controls, its colour and
marker, and its command-line flags, with no lab file changed."""

import json
import math
from typing import ClassVar

import numpy as np
import pytest

from playground.cli import main
from playground.engine import OPTIMIZERS, Optimizer
from playground.engine.optimizers import FADING, Range
from playground.labs.optimizers import view as race_view
from playground.labs.optimizers.racers import COLOURS, MARKS, race_hyper_parameters, racers
from playground.labs.optimizers.state import OptimizerLabState, lab_state_class
from playground.labs.optimizers.surfaces import SURFACES
from playground.labs.scene import LabScene, read_scene, scene_query


class SignDescent(Optimizer):
    """a <- γ a + (1 - γ) g; w <- w - lr sign(a). A fixture: the engine ships no such thing."""

    label = "Sign descent"
    defaults: ClassVar[dict[str, float]] = {"smoothing": 0.5}
    symbols: ClassVar[dict[str, str]] = {"smoothing": "γ"}
    ranges: ClassVar[dict[str, Range]] = {"smoothing": FADING}
    state_names = ("average",)
    smoothing: float
    average: np.ndarray

    def _update(self, params, grad_sum, count, lr) -> None:
        self.average *= self.smoothing
        self.average += (1.0 - self.smoothing) * grad_sum / count
        params -= lr * np.sign(self.average)


@pytest.fixture
def sign(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(OPTIMIZERS, "sign", SignDescent)
    return "sign"


def sign_path(surface: str, start, lr: float, smoothing: float, steps: int) -> list:
    """The racer's path, written out again."""
    field = SURFACES[surface]
    (x, y), average, path = start, np.zeros(2), [list(start)]
    for _ in range(steps):
        average = smoothing * average + (1 - smoothing) * np.array(field.grad(x, y))
        x, y = x - lr * np.sign(average[0]), y - lr * np.sign(average[1])
        path.append([x, y])
    return path


def test_a_registered_optimizer_races_with_its_own_settings(sign):
    assert racers()[-1] == sign
    state_cls = lab_state_class()
    assert state_cls is not OptimizerLabState  # made for the registry as it is now
    state = state_cls(surface="bowl", steps=20, signLr=0.2, smoothing=0.25, racers=[sign])
    assert state_cls.param.smoothing.label == "Sign descent γ"
    assert state_cls.param.smoothing.bounds == (0.0, 1 - 0.5 / 100)
    assert state_cls.param.signLr.default == 0.01
    assert "sign" in state_cls().racers  # every racer races unless the link says otherwise
    path = state.paths()[sign]
    expected = sign_path("bowl", SURFACES["bowl"].start, 0.2, 0.25, 20)
    np.testing.assert_allclose(path.points, expected, rtol=1e-12)
    assert path.momentum is None  # its state is neither a velocity nor Adam's m


def test_a_registered_optimizer_is_drawn_with_its_own_colour_mark_and_settings(sign):
    state = lab_state_class()(steps=10)
    view = race_view.OptimizerLabView(state)
    records = {record["name"]: record for record in view.race.racers}
    assert list(records) == list(racers())
    record = records[sign]
    assert record["label"] == "Sign descent"
    assert record["color"] == COLOURS[6]
    assert record["mark"] == list(MARKS[6])
    assert record["settings"] == "lr 0.01, γ 0.5"
    # The six shipped racers keep their colours and marks.
    assert records["adam"]["color"] == "#D55E00"
    assert records["sgd"]["mark"] == [0, 0.0]
    assert len({tuple(r["mark"]) for r in records.values()}) == len(records)
    assert race_view.explanation().startswith("Seven optimizers start")
    state.smoothing = 0.75  # a change of its hyper-parameter races again
    assert {r["name"]: r for r in view.race.racers}[sign]["settings"] == "lr 0.01, γ 0.75"


def test_a_registered_optimizer_has_controls(sign):
    state = lab_state_class()()
    view = race_view.build_view(state, LabScene({}, frozenset(), []))
    classes = {c for widget in view.controls for c in _css_classes(widget)}
    assert {"ui-signLr", "ui-smoothing", "ui-adamLr", "ui-beta2"} <= classes


def _css_classes(widget):
    yield from getattr(widget, "css_classes", [])
    for child in getattr(widget, "objects", []):
        yield from _css_classes(child)


def test_a_registered_optimizer_is_in_the_link(sign):
    state_cls = lab_state_class()
    scene = read_scene(
        state_cls, {"racers": "sign,adam", "signLr": "0.2", "smoothing": "1.5", "beta1": "0.5"}
    )
    assert scene.notes == ["smoothing=1.5 is above the maximum of 0.995; using 0.995."]
    state = state_cls(**scene.values)
    assert state.racers == ["sign", "adam"]
    assert (state.signLr, state.smoothing, state.beta1) == (0.2, 0.995, 0.5)
    link = scene_query(state)
    assert link == "racers=sign,adam&signLr=0.2&beta1=0.5&smoothing=0.995"
    again = state_cls(**read_scene(state_cls, dict(p.split("=") for p in link.split("&"))).values)
    assert scene_query(again) == link
    assert scene_query(state_cls()) == ""  # the defaults still need no link


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["optimize", *args])
    except SystemExit as exit_:  # argparse refuses a value
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_a_registered_optimizer_has_its_command_line(sign, capsys):
    code, out, _ = run_cli(
        capsys,
        *("--surface", "bowl", "--optimizer", sign, "--lr", "0.2", "--steps", "20"),
        *("--start", "-8,3", "--smoothing", "0.25", "--json"),
    )
    assert code == 0
    expected = sign_path("bowl", (-8.0, 3.0), 0.2, 0.25, 20)
    np.testing.assert_allclose(json.loads(out)["path"], expected, rtol=1e-12)
    code, _, err = run_cli(
        capsys, "--surface", "bowl", "--optimizer", sign, "--steps", "2", "--start", "0,1",
        "--smoothing", "1",
    )  # fmt: skip
    assert code == 2
    assert "--smoothing: must be in [0, 1)" in err
    code, _, err = run_cli(
        capsys, "--surface", "bowl", "--optimizer", "adam", "--steps", "2", "--start", "0,1",
        "--smoothing", "0.5",
    )  # fmt: skip
    assert code == 2
    assert "--smoothing does not apply to adam" in err
    main_help = _help(capsys)
    assert "--smoothing SMOOTHING" in main_help
    assert "Sign descent γ (0.5)" in main_help


def _help(capsys) -> str:
    with pytest.raises(SystemExit):
        main(["optimize", "--help"])
    return capsys.readouterr().out


def test_without_it_the_race_is_the_engine_s_six():
    assert racers() == ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
    assert list(race_hyper_parameters()) == ["momentum", "rho", "beta1", "beta2"]
    assert lab_state_class() is OptimizerLabState
    assert not math.isnan(race_hyper_parameters()["momentum"].default)
