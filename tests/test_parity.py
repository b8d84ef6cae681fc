"""The classic engine against TensorFlow Playground's own recorded runs."""

import json
from pathlib import Path

import numpy as np
import pytest

from playground import reference
from playground.cli import main
from playground.model import new_trainer, start_run

RTOL, ATOL = 1e-9, 1e-12


def test_stored_run_matches_every_epoch(reference_path):
    ref = reference.load(reference_path)
    config = reference.run_config(ref)
    net = reference.network_from_layers(ref["initial_network"]["layers"], config)
    trainer = new_trainer(config, net, reference.stored_data(ref))
    np.testing.assert_allclose(trainer.train_loss, ref["train_loss"][0], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(trainer.test_loss, ref["test_loss"][0], rtol=RTOL, atol=ATOL)
    for epoch in range(1, ref["config"]["epochs"] + 1):
        trainer.epoch()
        expected = reference.network_after_epoch(ref, epoch, config)
        np.testing.assert_allclose(net.params, expected.params, rtol=RTOL, atol=ATOL)
        np.testing.assert_array_equal(net.dead, expected.dead)
        np.testing.assert_allclose(
            trainer.train_loss, ref["train_loss"][epoch], rtol=RTOL, atol=ATOL
        )
        np.testing.assert_allclose(trainer.test_loss, ref["test_loss"][epoch], rtol=RTOL, atol=ATOL)
    final = reference.network_from_layers(ref["final_network"]["layers"], config)
    np.testing.assert_allclose(net.params, final.params, rtol=RTOL, atol=ATOL)


def test_seed_reproduces_stored_data_and_initial_weights(reference_path):
    ref = reference.load(reference_path)
    config = reference.run_config(ref)
    _, data, trainer = start_run(config)
    stored = reference.stored_data(ref)
    # Coordinates may differ in the last bit: V8's Math.sin/cos/log are not C's.
    for ours, theirs in zip(data, stored, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=1e-15)
    np.testing.assert_array_equal(data.y_train, stored.y_train)
    np.testing.assert_array_equal(data.y_test, stored.y_test)
    initial = reference.network_from_layers(ref["initial_network"]["layers"], config)
    np.testing.assert_array_equal(trainer.net.params, initial.params)


@pytest.mark.parametrize("from_seed", [False, True], ids=["stored", "from-seed"])
def test_replay_computes_losses_of_a_stripped_file(reference_path, from_seed, tmp_path, capsys):
    ref = reference.load(reference_path)
    expected = {key: ref.pop(key) for key in ("train_loss", "test_loss")}
    for key in ("final_network", "network_after_epoch"):
        ref.pop(key, None)
    stripped = tmp_path / "stripped.json"
    stripped.write_text(json.dumps(ref))
    args = ["replay", str(stripped), "--json"] + (["--from-seed"] if from_seed else [])
    assert main(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert len(printed["train_loss"]) == ref["config"]["epochs"] + 1
    for key, values in expected.items():
        np.testing.assert_allclose(printed[key], values, rtol=RTOL, atol=ATOL)


EXTENDED = sorted((Path(__file__).parent / "reference/extended").glob("*.json"))


@pytest.mark.parametrize("path", EXTENDED, ids=lambda p: p.stem)
def test_replay_reproduces_every_extended_run(path, tmp_path, capsys):
    """The command a user runs: optimizers, heads, clipping and classes from the file's
    extended keys; losses stripped so that nothing can be echoed back."""
    ref = reference.load(path)
    expected = {key: ref.pop(key) for key in ("train_loss", "test_loss")}
    ref.pop("final_network")
    stripped = tmp_path / "stripped.json"
    stripped.write_text(json.dumps(ref))
    assert main(["replay", str(stripped), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    for key, values in expected.items():
        assert len(printed[key]) == len(values)
        np.testing.assert_allclose(printed[key], values, rtol=RTOL, atol=ATOL)


def test_extended_files_are_there():
    assert len(EXTENDED) >= 3


@pytest.mark.parametrize(("optimizer", "epsilon"), [("adagrad", 1e-10), ("adam", 1e-8)])
def test_a_file_without_epsilon_gets_its_optimizers_own(optimizer, epsilon):
    ref = reference.load(EXTENDED[0])
    ref["config"] = {**ref["config"], "optimizer": optimizer}
    ref["config"].pop("epsilon", None)
    config = reference.run_config(ref)
    assert config.epsilon == epsilon
    assert config.optimizer == optimizer
