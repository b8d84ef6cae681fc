"""The app's state without a browser: what each control resets, and what it keeps."""

import numpy as np
import pytest

from playground.state import MAX_LAYERS, MAX_NEURONS, PlaygroundState


@pytest.fixture
def state() -> PlaygroundState:
    return PlaygroundState(seed="0.31415")


def played(state: PlaygroundState, epochs: int = 3) -> PlaygroundState:
    state.playing = True
    state.train(epochs)
    return state


def test_default_scene_is_the_originals(state):
    assert state.config.network_shape == (4, 2)
    assert state.config.features == ("x", "y")
    assert state.epoch == 0
    assert state.train_loss == pytest.approx(0.540981498709882, rel=1e-12)
    assert not state.playing


def test_step_pauses_and_trains_one_epoch(state):
    state.playing = True
    state.step()
    assert state.epoch == 1
    assert not state.playing
    assert state.loss_history["epoch"] == [0, 1]


@pytest.mark.parametrize("pause", ["code", "button"])
def test_a_pause_shows_every_epoch_trained_at_once(state, pause):
    """A playing tab trains in chunks that its next frame shows; paused from code
    (``Playground.pause``) or by the button, the epoch read at once is already what the
    view will show."""
    state.playing = True
    state.train_quietly(3)
    assert state.epoch == 0
    if pause == "code":
        state.playing = False
    else:
        state.toggle_play()
    assert state.epoch == 3
    assert state.unannounced_epochs == 0
    assert state.loss_history["epoch"] == [0, 3]


def test_a_new_network_drops_what_the_last_one_trained_unshown(state):
    state.playing = True
    state.train_quietly(3)
    state.reset()
    assert (state.epoch, state.unannounced_epochs, state.playing) == (0, 0, False)
    assert state.loss_history["epoch"] == [0]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("activation", "relu"),
        ("regularization", "L2"),
        ("regularization_rate", 0.01),
        ("batch_size", 3),
        ("features", ["x", "y", "sinX"]),
        ("network_shape", [3]),
        ("init_zero", True),
    ],
)
def test_network_settings_reset_but_keep_the_data(state, name, value):
    played(state)
    seed, X = state.seed, state.data.X_train.copy()
    params_before = state.net.params.copy()
    setattr(state, name, value)
    assert state.epoch == 0
    assert not state.playing
    assert state.loss_history["epoch"] == [0]
    assert state.seed == seed
    np.testing.assert_array_equal(state.data.X_train, X)
    if name != "init_zero" and state.net.params.shape == params_before.shape:
        assert not np.array_equal(state.net.params, params_before)


@pytest.mark.parametrize(
    ("name", "value"),
    [("dataset", "xor"), ("noise", 20), ("perc_train_data", 70), ("problem", "regression")],
)
def test_data_settings_draw_a_new_seed_and_reset(state, name, value):
    played(state)
    seed, version = state.seed, state.data_version
    setattr(state, name, value)
    assert state.seed != seed
    assert state.data_version == version + 1
    assert state.epoch == 0
    assert not state.playing


def test_percent_train_sets_the_split(state):
    state.perc_train_data = 70
    assert len(state.data.X_train) == 350
    assert len(state.data.X_test) == 150


def test_regression_uses_the_regression_dataset_and_a_linear_output(state):
    state.problem = "regression"
    assert state.current_dataset == "reg-plane"
    assert len(state.data.X_train) + len(state.data.X_test) == 1200
    assert state.net.head_name == "linearSquaredError"  # identity output, squared error


def test_learning_rate_applies_live_without_reset(state):
    played(state)
    state.learning_rate = 0.3
    assert state.epoch == 3
    assert state.trainer.learning_rate == 0.3


@pytest.mark.parametrize("name", ["show_test_data", "discretize"])
def test_display_toggles_do_not_reset(state, name):
    played(state)
    setattr(state, name, True)
    assert state.epoch == 3


def test_regenerate_keeps_training_state(state):
    played(state)
    params = state.net.params.copy()
    seed = state.seed
    state.regenerate(reset=False)
    assert state.seed != seed
    assert state.epoch == 3
    assert state.playing
    np.testing.assert_array_equal(state.net.params, params)
    state.train(1)
    assert state.epoch == 4


def test_reset_keeps_data_and_draws_weights_from_a_new_weight_seed(state):
    first = state.net.params.copy()
    X = state.data.X_train.copy()
    state.reset()
    np.testing.assert_array_equal(state.data.X_train, X)
    assert not np.array_equal(state.net.params, first)
    again = PlaygroundState(seed="0.31415")
    np.testing.assert_array_equal(again.net.params, first)  # the seed fixes the first weights
    assert state.weight_seed  # drawn from the stream; the link names it (test_weight_seed.py)


def test_layers_and_neurons_stay_in_the_originals_limits(state):
    for _ in range(10):
        state.add_layer()
    assert len(state.network_shape) == MAX_LAYERS
    assert state.network_shape[-1] == 2  # a new layer starts with 2 neurons
    for _ in range(10):
        state.change_neurons(0, +1)
    assert state.network_shape[0] == MAX_NEURONS
    for _ in range(10):
        state.change_neurons(1, -1)
    assert state.network_shape[1] == 1
    for _ in range(10):
        state.remove_layer()
    assert state.network_shape == []
    assert state.net.sizes == (2, 1)


def test_toggling_features_keeps_catalogue_order_and_allows_none(state):
    state.toggle_feature("sinY")
    state.toggle_feature("xSquared")
    assert state.config.features == ("x", "y", "xSquared", "sinY")
    for name in ("x", "y", "xSquared", "sinY"):
        state.toggle_feature(name)
    assert state.features == []
    state.train(1)  # a net with no inputs still trains its biases
    assert state.epoch == 1


def test_weight_and_bias_edits_apply_live(state):
    version = state.params_version
    state.set_weight(0, 1, 0, 0.75)
    state.set_bias(1, 0, -0.5)
    assert state.net.weight(0, 1, 0) == 0.75
    assert state.net.bias(1, 0) == -0.5
    assert state.params_version == version + 2
    assert state.epoch == 0


def test_divergence_pauses_with_a_message(state):
    state.problem = "regression"
    state.load(
        problem="regression", activation="relu", learning_rate=10.0, seed="1", network_shape=[8, 8]
    )
    state.playing = True
    for _ in range(20):
        state.train(5)
        if state.message:
            break
    assert not state.playing
    assert "diverged" in state.message
    assert not np.isfinite(state.train_loss)
    state.toggle_play()
    assert not state.playing  # cannot play a diverged network; reset first
    state.reset()
    assert state.message == ""
    assert np.isfinite(state.train_loss)


def test_load_opens_a_whole_scene_from_its_seed(state):
    state.load(
        seed="0.31415",
        dataset="xor",
        activation="relu",
        network_shape=[3],
        features=["x", "y", "xTimesY"],
        regularization="L1",
        regularization_rate=0.001,
        batch_size=1,
        learning_rate=0.01,
    )
    assert state.seed == "0.31415"
    assert state.config.network_shape == (3,)
    assert state.epoch == 0


def test_grid_maps_follow_the_network(state):
    maps = state.node_maps()
    assert maps.shape == (4 + 2 + 1, 100, 100)
    state.add_layer()
    assert state.node_maps().shape == (4 + 2 + 2 + 1, 100, 100)


def test_quiet_training_shows_nothing_until_announced():
    quiet, loud = PlaygroundState(seed="0.5"), PlaygroundState(seed="0.5")
    events = []
    quiet.param.watch(
        lambda *batch: events.extend(batch), ["epoch", "train_loss", "params_version"]
    )
    assert quiet.train_quietly(4) + quiet.train_quietly(3) == 7
    assert events == []
    assert quiet.epoch == 0
    quiet.announce()
    loud.train(7)
    assert quiet.epoch == loud.epoch == 7
    assert (quiet.train_loss, quiet.test_loss) == (loud.train_loss, loud.test_loss)
    assert quiet.loss_history == loud.loss_history
    np.testing.assert_array_equal(quiet.net.params, loud.net.params)
    assert {event.name for event in events} == {"epoch", "train_loss", "params_version"}


def diverged(state: PlaygroundState) -> PlaygroundState:
    """The state with a weight that is no longer a number, as after a blow-up."""
    state.set_weight(0, 0, 0, float("nan"))
    state.train(1)
    assert state.trainer.diverged
    state.message = ""
    return state


def test_step_on_a_diverged_network_does_nothing_and_says_why(state):
    diverged(state)
    epoch, points = state.epoch, len(state.loss_history)
    params = state.net.params.copy()
    state.playing = True
    state.step()
    assert state.epoch == epoch
    assert len(state.loss_history) == points
    np.testing.assert_array_equal(state.net.params, params)  # NaN where it was
    assert not state.playing
    assert "diverged" in state.message
    assert "reset" in state.message
    state.reset()
    assert state.message == ""
    state.step()
    assert state.epoch == 1


def test_play_on_a_diverged_network_stays_paused_and_says_why(state):
    diverged(state)
    state.toggle_play()
    assert not state.playing
    assert "diverged" in state.message
    state.reset()
    state.toggle_play()
    assert state.playing
    assert state.message == ""
    state.toggle_play()
    assert not state.playing


def test_the_loss_history_stays_bounded_over_a_long_run(state):
    capacity = state.loss_history.capacity
    for _ in range(3 * capacity):
        state.train(1)
    history = state.loss_history
    assert len(history) <= capacity
    epochs = history["epoch"]
    assert epochs[0] == 0  # where the run began stays
    assert epochs[-history.recent :] == list(
        range(state.epoch - history.recent + 1, state.epoch + 1)
    )  # the last points at full resolution
    assert history["train"][-1] == state.train_loss
    assert epochs == sorted(epochs)
    state.reset()
    assert state.loss_history["epoch"] == [0]
