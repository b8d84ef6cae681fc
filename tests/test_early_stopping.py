"""Early stopping: the best test loss, its weights, and where training stops."""

import numpy as np
import pytest

from playground.engine import Network, Trainer
from playground.engine.early_stopping import EarlyStopping
from tests.test_trainer import make_trainer


def overfitting_trainer(**settings) -> Trainer:
    """Test labels are the training labels with 30 % flipped: the test loss falls while
    the outputs are unsure and rises once they grow confident (after a few epochs)."""
    rng = np.random.default_rng(12)
    points = rng.uniform(-5, 5, (40, 2))
    labels = np.sign(points[:, 0])
    noisy = np.where(rng.random(40) < 0.3, -labels, labels)
    net = Network.create([2, 4, 1], np.random.default_rng(13).random)
    return Trainer(
        net, ["x", "y"], (points, labels), (points, noisy), learning_rate=0.01, **settings
    )


def classic_record(epochs: int) -> tuple[list[float], list[np.ndarray]]:
    """Test loss and weights after each of ``epochs`` epochs (index 0: the start)."""
    trainer = overfitting_trainer()
    losses, params = [trainer.test_loss], [trainer.net.params.copy()]
    for _ in range(epochs):
        trainer.epoch()
        losses.append(trainer.test_loss)
        params.append(trainer.net.params.copy())
    return losses, params


def expected_stop(losses: list[float], patience: int) -> tuple[int, int]:
    """(best epoch, stop epoch) by the rule, from a plain record of test losses."""
    best = 0
    for epoch in range(1, len(losses)):
        if losses[epoch] < losses[best]:
            best = epoch
        elif epoch - best >= patience:
            return best, epoch
    raise AssertionError("the record never stops")


@pytest.mark.parametrize("patience", [1, 4])
def test_run_stops_when_patience_runs_out_and_restores_the_best(patience):
    losses, params = classic_record(200)
    best, stop = expected_stop(losses, patience)
    assert 0 < best < stop < 200  # the case is not decided by its first or last epoch
    trainer = overfitting_trainer(patience=patience)
    assert trainer.run(200) == stop
    assert trainer.stopped_early
    assert (trainer.best_epoch, trainer.best_test_loss) == (best, losses[best])
    # Early stopping only watches: the weights are those of as many classic epochs.
    np.testing.assert_array_equal(trainer.net.params, params[stop])
    assert trainer.restore_best()
    np.testing.assert_array_equal(trainer.net.params, params[best])
    assert trainer.test_loss == losses[best]


def test_epoch_by_epoch_stops_at_the_same_epoch_as_run():
    losses, _ = classic_record(200)
    best, stop = expected_stop(losses, 3)
    stepped = overfitting_trainer(patience=3)
    for _ in range(stop + 5):
        stepped.epoch()  # the epochs past the stop do nothing
    assert (stepped.epoch_count, stepped.best_epoch, stepped.stopped_early) == (stop, best, True)


def test_a_stop_holds_until_patience_changes_or_the_best_is_restored():
    trainer = overfitting_trainer(patience=2)
    stop = trainer.run(200)
    held = trainer.net.params.copy()
    assert trainer.run(10) == 0
    trainer.epoch()
    np.testing.assert_array_equal(trainer.net.params, held)
    assert trainer.epoch_count == stop
    trainer.restore_best()
    assert trainer.stopped_early  # until training goes on
    assert trainer.run(1) == 1  # one epoch without a new best: patience 2 is not used up
    assert not trainer.stopped_early
    trainer.run(200)
    assert trainer.stopped_early
    trainer.configure(patience=50)
    assert trainer.stopped_early
    assert trainer.run(1) == 1
    assert not trainer.stopped_early


def test_off_by_default_and_turning_it_off_drops_the_record():
    trainer = overfitting_trainer()
    assert trainer.run(60) == 60
    assert (trainer.best_epoch, trainer.stopped_early) == (None, False)
    assert not trainer.restore_best()  # nothing to restore: nothing changes
    trainer.configure(patience=3)
    trainer.run(1)
    assert trainer.best_epoch is not None
    trainer.configure(patience=0)
    assert trainer.best_epoch is None
    assert np.isnan(trainer.best_test_loss)


def test_off_trains_exactly_as_before():
    plain, off = make_trainer(3), make_trainer(3, patience=0)
    plain.run(9)
    off.run(9)
    np.testing.assert_array_equal(off.net.params, plain.net.params)


def test_new_points_start_a_new_record():
    trainer = overfitting_trainer(patience=100)
    trainer.run(5)
    rng = np.random.default_rng(99)
    points = rng.uniform(-5, 5, (30, 2))
    trainer.set_data((points, np.sign(points[:, 1])), (points, np.sign(points[:, 1])))
    # The new record starts from epoch 5 on the new points, not the old points' best.
    assert trainer.best_epoch < 5
    start = trainer.test_loss
    trainer.run(0)
    assert (trainer.best_epoch, trainer.best_test_loss) == (5, start)
    trainer.run(1)
    expected = (5, start) if start <= trainer.test_loss else (6, trainer.test_loss)
    assert (trainer.best_epoch, trainer.best_test_loss) == expected


def test_restore_puts_back_the_dead_links_of_the_best_state():
    net = Network.create([2, 3, 1], np.random.default_rng(1).random)
    record = EarlyStopping(net, patience=2)
    record.begin(net, 0, 1.0, data=None)
    best = net.params.copy()
    net.params += 0.5
    net.kill_links(np.arange(net.params.size) == 0)  # a weight, not a bias
    assert not record.observe(net, 1, 2.0)
    assert record.observe(net, 2, 3.0)  # two epochs without a new best
    assert record.restore(net)
    np.testing.assert_array_equal(net.params, best)
    assert not net.dead.any()
    assert net.weight_mask[0] == 1.0


def test_the_count_restarts_at_every_new_best():
    net = Network.create([2, 1], np.random.default_rng(1).random)
    record = EarlyStopping(net, patience=3)
    record.begin(net, 0, 1.0, data=None)
    # epochs 1..6: a best, a worse one, a best again, then three without one: stop at 6
    stops = [
        record.observe(net, e, loss) for e, loss in enumerate([0.9, 0.95, 0.85, 0.9, 0.92, 0.93], 1)
    ]
    assert stops == [False] * 5 + [True]
    assert (record.best_epoch, record.best_loss) == (3, 0.85)
    diverged = EarlyStopping(net, patience=1)
    diverged.begin(net, 0, 1.0, data=None)
    assert diverged.observe(net, 1, float("nan"))  # NaN is never a new best
    assert diverged.best_epoch == 0


@pytest.mark.parametrize("patience", [-1, 1.5])
def test_patience_must_be_a_whole_number(patience):
    with pytest.raises(ValueError, match="patience"):
        make_trainer(1, patience=patience)
