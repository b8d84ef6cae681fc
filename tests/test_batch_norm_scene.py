"""Batch normalization as a setting: its link key, its control's row, the ``train`` flag,
a stored run that replays to the same losses, and the home page's deep sigmoid scene,
which trains with it and stalls without it."""

import json

import numpy as np
import pytest

from playground import reference
from playground.cli import main
from playground.labs.home.pictures import run_config
from playground.labs.home.scenes import CARDS
from playground.model import start_run
from playground.settings import NETWORK, RESET, SETTINGS, Flag
from playground.state import PlaygroundState
from playground.url import parse_query, query_from_state, scene_from_query


def test_the_setting_is_one_row_with_a_hint():
    row = SETTINGS["batch_norm"]
    assert (row.key, row.hide_id, row.group) == ("batchNorm", "batchNorm", "training")
    assert isinstance(row.kind, Flag)
    assert row.default is False
    assert (row.change, row.feeds) == (RESET, NETWORK)
    assert row.hint.endswith(".")
    assert len(row.hint) > 40
    assert row.flag == "--batch-norm"


def test_the_link_carries_it_only_when_on():
    assert "batchNorm" not in query_from_state(PlaygroundState())
    state = PlaygroundState(batch_norm=True)
    assert state.net.normalization == "batchNorm"
    query = query_from_state(state)
    assert "batchNorm=true" in query
    scene = scene_from_query(parse_query("#" + query))
    assert scene.notes == []
    assert scene.settings["batch_norm"] is True
    assert PlaygroundState(**scene.settings).net.normalization == "batchNorm"


def test_switching_it_rebuilds_the_network():
    state = PlaygroundState()
    assert state.net.normalization == "none"
    state.batch_norm = True
    assert state.net.normalization == "batchNorm"
    assert state.trainer.net is state.net
    assert state.epoch == 0


def test_the_train_flag_trains_with_it(capsys):
    args = ["train", "--epochs", "3", "--json", "--activation", "sigmoid"]
    assert main(args) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main([*args, "--batch-norm"]) == 0
    normalized = json.loads(capsys.readouterr().out)
    assert normalized["train_loss"] != plain["train_loss"]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_saved_run_replays_to_the_same_losses(tmp_path, capsys, optimizer):
    """Batches of 7 over 250 points leave 5 to join the next epoch's first batch."""
    path = tmp_path / "run.json"
    args = ["--batch-norm", "--batch-size", "7", "--optimizer", optimizer, "--epochs", "12"]
    assert main(["train", *args, "--save", str(path), "--json", "--learning-rate", "0.1"]) == 0
    trained = json.loads(capsys.readouterr().out)
    stored = json.loads(path.read_text())
    assert stored["config"]["batchNorm"] is True
    hidden = stored["final_network"]["layers"][:-1]
    assert [len(layer["norm"]) for layer in hidden] == [8, 4]  # γ and β of 4 and 2 nodes
    assert [len(layer["state"]) for layer in hidden] == [8, 4]  # running mean and variance
    first = stored["initial_network"]["layers"][0]
    assert first["norm"] == [1.0] * 4 + [0.0] * 4
    assert first["state"] == [0.0] * 4 + [1.0] * 4
    for source in ([], ["--from-seed"]):
        assert main(["replay", str(path), "--json", *source]) == 0
        replayed = json.loads(capsys.readouterr().out)
        for name in ("train_loss", "test_loss"):
            np.testing.assert_allclose(replayed[name], trained[name], rtol=0, atol=1e-9)
    final = reference.network_from_layers(
        stored["final_network"]["layers"], reference.run_config(stored), "batchNorm"
    )
    assert final.state_views()[0].tolist() == hidden[0]["state"]
    assert final.norm_views(final.params)[0].tolist() == hidden[0]["norm"]


def test_the_deep_sigmoid_scene_trains_with_batch_norm_and_stalls_without():
    card = next(card for card in CARDS if "batch norm" in card.title.lower())
    losses = {}
    for link in card.links:
        config, _ = run_config(link.query)
        assert config.activation == "sigmoid"
        assert len(config.network_shape) == 6
        _, _, trainer = start_run(config)
        trainer.run(150)
        losses[config.batch_norm] = trainer.test_loss
    assert set(losses) == {False, True}
    assert losses[False] > 0.45  # the tanh output at about 0: no better than guessing
    assert losses[True] < 0.15


def test_the_training_bar_has_its_checkbox_with_the_hint():
    from playground.settings import in_group
    from playground.views.setting_bar import SettingBar

    state = PlaygroundState()
    bar = SettingBar(state, in_group("training"), lambda name, value: setattr(state, name, value))
    checkbox = bar.spec("batchNorm")
    assert checkbox["label"] == "Batch normalization"
    assert checkbox["kind"] == "checkbox"
    assert checkbox["css"] == "ui-batchNorm"
    assert bar.hints["ui-batchNorm"] == SETTINGS["batch_norm"].hint
    bar.browser_message({"name": "batch_norm", "value": True, "n": 1})
    assert state.batch_norm
    assert state.net.normalization == "batchNorm"


def test_a_batch_of_one_says_why_the_network_cannot_learn():
    """One example is its own batch's mean: every normalized value is 0, and training
    moves nothing but the output. The page says so (the state's message) while the
    setting stands, and not otherwise."""
    state = PlaygroundState(batch_norm=True, batch_size=1, seed="0.31415")
    assert "batch size of 1" in state.message
    hidden = [layer.copy() for layer in state.net.layers[:-1]]
    output = state.net.layers[-1].copy()
    state.train(50)
    # Nothing reaches the hidden layers: only the output layer learns.
    for before, after in zip(hidden, state.net.layers[:-1], strict=True):
        np.testing.assert_array_equal(after, before)
    assert not np.array_equal(state.net.layers[-1], output)
    state.batch_size = 2
    assert state.message == ""
    state.batch_size = 1
    assert "batch size of 1" in state.message
    state.batch_norm = False
    assert state.message == ""
    assert PlaygroundState(batch_size=1).message == ""
