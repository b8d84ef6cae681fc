"""Links that reproduce what a tab shows: after a reset, a regenerate or a change that
draws new weights, the address names the data and the starting weights on screen."""

import numpy as np
import pytest

from playground.model import RunConfig, start_run
from playground.state import PlaygroundState
from playground.url import parse_query, query_from_state, scene_from_query

SEED = "0.31415"
EPOCHS = 100


def opened_from_link(state: PlaygroundState) -> PlaygroundState:
    """A new tab opened with the address ``state``'s tab shows."""
    scene = scene_from_query(parse_query(query_from_state(state)))
    assert scene.notes == []
    return PlaygroundState(**scene.settings)


def assert_same_run(shown: PlaygroundState, opened: PlaygroundState) -> None:
    """Same data, same starting weights, same dropout masks, same losses after training."""
    for name in ("X_train", "y_train", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(opened.data, name), getattr(shown.data, name))
    np.testing.assert_array_equal(opened.net.params, shown.net.params)
    assert opened.trainer.dropout_seed == shown.trainer.dropout_seed
    shown.train(EPOCHS)
    opened.train(EPOCHS)
    assert opened.epoch == shown.epoch == EPOCHS
    assert (opened.train_loss, opened.test_loss) == (shown.train_loss, shown.test_loss)
    np.testing.assert_array_equal(opened.net.params, shown.net.params)


def test_a_link_of_the_original_draws_no_weight_seed():
    state = PlaygroundState(seed=SEED)
    assert state.weight_seed == ""
    assert "weightSeed" not in query_from_state(state)


def test_after_a_feature_and_a_reset_the_link_gives_the_same_weights_and_losses():
    state = PlaygroundState(seed=SEED, dropout=0.1)
    first = state.net.params.copy()
    state.toggle_feature("xSquared")
    after_toggle = state.weight_seed
    state.reset()
    assert state.weight_seed not in ("", after_toggle)
    assert state.seed == SEED  # the data stay
    assert f"weightSeed={state.weight_seed}" in query_from_state(state)
    assert not np.array_equal(state.net.params[: first.size], first)
    assert_same_run(state, opened_from_link(state))


@pytest.mark.parametrize(
    ("name", "value"),
    [("activation", "relu"), ("network_shape", [3, 3]), ("init", "glorot"), ("batch_size", 4)],
)
def test_every_change_that_draws_new_weights_gives_a_link_to_them(name, value):
    state = PlaygroundState(seed=SEED)
    setattr(state, name, value)
    assert state.weight_seed
    assert_same_run(state, opened_from_link(state))


def test_a_change_of_the_data_names_the_new_seed_and_forgets_the_weight_seed():
    state = PlaygroundState(seed=SEED)
    state.reset()
    state.noise = 20  # new data, new weights after them in the new seed's stream
    assert state.seed != SEED
    assert state.weight_seed == ""
    assert "weightSeed" not in query_from_state(state)
    assert_same_run(state, opened_from_link(state))


def test_regenerate_keeps_the_weights_and_the_link_names_them_by_the_old_seed():
    state = PlaygroundState(seed=SEED)
    weights = state.net.params.copy()
    state.regenerate(reset=False)  # the Regenerate button: new data, training goes on
    assert state.seed != SEED
    assert state.weight_seed == SEED
    np.testing.assert_array_equal(state.net.params, weights)
    assert_same_run(state, opened_from_link(state))


def test_regenerate_after_a_reset_keeps_the_weight_seed():
    state = PlaygroundState(seed=SEED)
    state.reset()
    weight_seed = state.weight_seed
    state.regenerate(reset=False)
    assert state.weight_seed == weight_seed
    assert_same_run(state, opened_from_link(state))


def test_a_weight_seed_gives_the_weights_a_page_opened_with_that_seed_draws():
    state = PlaygroundState(seed=SEED)
    state.reset()
    own_page = PlaygroundState(seed=state.weight_seed)
    np.testing.assert_array_equal(state.net.params, own_page.net.params)
    assert not np.array_equal(state.data.X_train, own_page.data.X_train)


def test_tabs_opened_with_one_link_draw_the_same_weights_at_reset():
    one, other = PlaygroundState(seed=SEED), PlaygroundState(seed=SEED)
    one.reset()
    other.reset()
    assert one.weight_seed == other.weight_seed
    np.testing.assert_array_equal(one.net.params, other.net.params)


def test_a_headless_run_with_the_weight_seed_starts_from_the_same_weights():
    state = PlaygroundState(seed=SEED, network_shape=[5])
    state.reset()
    _, data, trainer = start_run(
        RunConfig(seed=SEED, network_shape=(5,), weight_seed=state.weight_seed)
    )
    np.testing.assert_array_equal(trainer.net.params, state.net.params)
    np.testing.assert_array_equal(data.X_train, state.data.X_train)


def test_load_opens_a_scene_with_its_weight_seed():
    shown = PlaygroundState(seed=SEED)
    shown.reset()
    other = PlaygroundState(seed="7")
    other.load(**scene_from_query(parse_query(query_from_state(shown))).settings)
    np.testing.assert_array_equal(other.net.params, shown.net.params)
    np.testing.assert_array_equal(other.data.X_train, shown.data.X_train)
