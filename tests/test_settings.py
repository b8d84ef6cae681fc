"""Settings as data: a setting and an optimizer declared in a test, and nowhere else,
reach the URL, the controls, the hide flags, the embed builder, the trainer and the CLI."""

import json
from typing import ClassVar

import numpy as np
import pytest

from playground.cli import main
from playground.engine import OPTIMIZERS
from playground.run_config import RunConfig
from playground.settings import (
    LIVE,
    OPTIMIZER,
    SETTINGS,
    Rate,
    Setting,
    register,
    unregister,
)
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.url import parse_query, query_from_state, scene_from_query
from playground.views.embed import hide_choices
from playground.views.setting_bar import every_spec


class Shrunk:
    """Plain SGD whose steps are ``shrink`` times as long; records what it was given."""

    label = "Shrunk SGD"
    made: ClassVar[list["Shrunk"]] = []

    def __init__(self, size: int, shrink: float = 0.5) -> None:
        self.shrink = shrink
        self.steps = 0
        Shrunk.made.append(self)

    def step(self, params, grad_sum, count: int, lr: float) -> None:
        params -= (self.shrink * lr / count) * grad_sum
        self.steps += 1


SHRINK = Setting(
    "shrink_factor", "shrinkFactor", "Shrink factor",
    "How much shorter each step is than plain SGD's.",
    Rate((0.25, 0.5, 1.0)), 0.5, LIVE, OPTIMIZER, "shrinkFactor", "top",
    engine_name="shrink",
)  # fmt: skip


@pytest.fixture
def shrunk(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(OPTIMIZERS, "shrunk", Shrunk)
    Shrunk.made.clear()
    register(SHRINK)
    yield SHRINK
    unregister(SHRINK.name)


def test_a_new_setting_and_optimizer_round_trip_through_the_url(shrunk):
    state = PlaygroundState(seed="1", optimizer="shrunk", shrink_factor=0.25)
    query = query_from_state(state)
    assert query.endswith("&optimizer=shrunk&shrinkFactor=0.25")
    scene = scene_from_query(parse_query(query))
    assert scene.notes == []
    assert scene.settings["optimizer"] == "shrunk"
    assert scene.settings["shrink_factor"] == 0.25
    bad = scene_from_query({"shrinkFactor": "banana", "optimizer": "adamw"})
    assert bad.notes == [
        f"optimizer=adamw is not an optimizer ({', '.join(OPTIMIZERS)}); using sgd.",
        "shrinkFactor=banana is not a number; using 0.5.",
    ]
    # At their defaults, settings the original lacks stay out of the link.
    assert "shrinkFactor" not in query_from_state(PlaygroundState(seed="1"))


def test_a_new_setting_is_a_labelled_control_that_the_url_can_hide(shrunk):
    state = PlaygroundState(seed="1")
    controls = every_spec()
    assert controls["shrinkFactor"]["label"] == "Shrink factor"
    assert "Shrunk SGD" in [label for label, _ in controls["optimizer"]["options"]]
    app = PlaygroundApp(state, scene_from_query({}))
    assert app.page.bars["top"].hints["ui-shrinkFactor"] == SHRINK.hint
    assert {"optimizer", "shrinkFactor"} <= set(app.page.bars["top"].all_keys)
    hidden = scene_from_query(parse_query("shrinkFactor_hide=true"))
    assert hidden.hidden == {"shrinkFactor"}
    app = PlaygroundApp(PlaygroundState(seed="1"), hidden)
    assert "optimizer" in app.page.bars["top"].shown
    assert "shrinkFactor" not in app.page.bars["top"].all_keys
    assert hide_choices()["Shrink factor"] == "shrinkFactor"
    assert "shrinkFactor_hide=true" in query_from_state(state, hidden.hidden)


def test_a_new_setting_reaches_the_trainer_and_changes_live(shrunk):
    state = PlaygroundState(seed="1", optimizer="shrunk", shrink_factor=0.25)
    optimizer = state.trainer.optimizer
    assert isinstance(optimizer, Shrunk)
    assert optimizer.shrink == 0.25
    state.train(1)
    assert optimizer.steps == 25  # 250 training points, batches of 10
    state.shrink_factor = 1.0  # live: the same optimizer, the new factor
    assert state.trainer.optimizer is optimizer
    assert optimizer.shrink == 1.0
    assert state.epoch == 1
    state.optimizer = "sgd"  # live too: fresh optimizer, same weights
    assert state.epoch == 1
    assert type(state.trainer.optimizer).__name__ == "SGD"
    # Every optimizer's hyper-parameters travel together (each optimizer takes its own),
    # so a switch of optimizer finds the user's values for the new one.
    assert RunConfig(optimizer="shrunk").feeding(OPTIMIZER)["shrink"] == 0.5


def test_at_factor_one_the_new_optimizer_is_plain_sgd(shrunk):
    sgd = PlaygroundState(seed="1")
    full = PlaygroundState(seed="1", optimizer="shrunk", shrink_factor=1.0)
    sgd.train(2)
    full.train(2)
    np.testing.assert_allclose(full.net.params, sgd.net.params, rtol=1e-12)


def test_a_new_setting_is_a_flag_of_the_train_command(shrunk, capsys):
    args = ["train", "--epochs", "2", "--json", "--seed", "1"]
    assert main([*args, "--optimizer", "shrunk", "--shrink-factor", "0.25"]) == 0
    shrunk_losses = json.loads(capsys.readouterr().out)["train_loss"]
    assert Shrunk.made[-1].shrink == 0.25
    assert Shrunk.made[-1].steps == 50
    assert main(args) == 0
    sgd_losses = json.loads(capsys.readouterr().out)["train_loss"]
    assert shrunk_losses[0] == sgd_losses[0]  # same data and weights
    assert shrunk_losses[2] != sgd_losses[2]


def test_every_row_is_complete_and_every_url_key_unique():
    keys = [s.key for s in SETTINGS.values()]
    assert len(keys) == len(set(keys))
    for setting in SETTINGS.values():
        assert setting.label
        assert setting.hint.endswith(".")
        assert setting.change in {"live", "reset", "regenerate", "redraw", "view", "scene"}
