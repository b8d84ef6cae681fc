"""Learning-rate decay: epoch e trains at learning_rate * lr_decay**e."""

import numpy as np
import pytest

from playground.engine import Trainer
from tests.test_trainer import _one_weight_net, make_trainer


def test_decayed_epochs_step_with_the_decayed_rate_by_hand():
    net = _one_weight_net(0.5, 0.1)
    point, label = np.array([[2.0, 0.0]]), np.array([1.0])
    trainer = Trainer(
        net, ["x"], (point, label), (point, label), batch_size=1, learning_rate=0.1, lr_decay=0.5
    )
    trainer.epoch()
    # epoch 0 at 0.1 * 0.5^0 = 0.1: w = 0.48, b = 0.09 (as in test_one_hand_worked_step)
    assert net.weight(0, 0, 0) == pytest.approx(0.48)
    assert trainer.current_learning_rate == pytest.approx(0.05)
    trainer.epoch()
    # epoch 1 at 0.05: out = 0.09 + 0.48 * 2 = 1.05, delta = 0.05, dW = 0.1, db = 0.05
    # w = 0.48 - 0.05 * 0.1 = 0.475; b = 0.09 - 0.05 * 0.05 = 0.0875
    assert net.weight(0, 0, 0) == pytest.approx(0.475)
    assert net.bias(0, 0) == pytest.approx(0.0875)


def test_decay_is_the_classic_trainer_with_the_rate_lowered_each_epoch():
    # With L2 on, the regularization step must shrink with the rate too.
    settings = {"batch_size": 4, "regularization": "L2", "regularization_rate": 0.01}
    decayed = make_trainer(2, learning_rate=0.3, lr_decay=0.8, **settings)
    stepped = make_trainer(2, learning_rate=0.3, **settings)
    for e in range(6):
        stepped.learning_rate = 0.3 * 0.8**e
        stepped.epoch()
        decayed.epoch()
    np.testing.assert_array_equal(decayed.net.params, stepped.net.params)
    # run() decays the same way
    ran = make_trainer(2, learning_rate=0.3, lr_decay=0.8, **settings)
    ran.run(6)
    np.testing.assert_array_equal(ran.net.params, decayed.net.params)


def test_no_decay_is_exactly_the_learning_rate():
    plain, undecayed = make_trainer(5), make_trainer(5, lr_decay=1.0)
    plain.run(7)
    undecayed.run(7)
    np.testing.assert_array_equal(undecayed.net.params, plain.net.params)
    assert undecayed.current_learning_rate == undecayed.learning_rate == 0.03


def test_rate_and_decay_change_live():
    trainer = make_trainer(1, learning_rate=0.2)
    trainer.run(3)
    trainer.configure(lr_decay=0.5)
    # epochs already trained count: the next epoch is epoch 3
    assert trainer.current_learning_rate == pytest.approx(0.2 * 0.5**3)
    trainer.configure(learning_rate=0.4)
    assert trainer.current_learning_rate == pytest.approx(0.4 * 0.5**3)
    trainer.run(1)
    assert trainer.current_learning_rate == pytest.approx(0.4 * 0.5**4)
    trainer.configure(lr_decay=1.0)
    assert trainer.current_learning_rate == 0.4


@pytest.mark.parametrize("gamma", [0.0, -0.5, 1.5])
def test_decay_outside_zero_to_one_is_refused(gamma):
    with pytest.raises(ValueError, match="lr_decay"):
        make_trainer(1, lr_decay=gamma)
