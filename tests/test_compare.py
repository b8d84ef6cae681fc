"""The compare lab (/compare) without a browser: both runs from the same data and first
weights, trained in lockstep (the same epoch on both at every frame), and a link that
rebuilds both scenes exactly."""

import numpy as np
import pytest

from playground.labs.compare.link import read_link, write_link
from playground.labs.compare.model import GRID, Comparison
from playground.labs.compare.state import CompareState
from playground.labs.compare.view import CompareView
from playground.run_config import RunConfig
from playground.url import parse_query

SGD_ADAM = "dataset=xor&seed=0.31415&a.optimizer=sgd&b.optimizer=adam&speed=10"


def state_of(query: str) -> CompareState:
    return CompareState.from_query(parse_query(query))


def trained_epochs(state: CompareState) -> list[int]:
    """Each run's epochs as its own trainer counts them."""
    return [run.trainer.epoch_count for run in state.comparison.runs]


def weights(state: CompareState) -> list[np.ndarray]:
    return [run.trainer.net.params.copy() for run in state.comparison.runs]


# -- the same start -----------------------------------------------------------------------


def test_both_runs_start_from_the_same_data_and_weights_and_differ_in_the_setting():
    state = state_of(SGD_ADAM)
    a, b = state.comparison.runs
    np.testing.assert_array_equal(a.data.X_train, b.data.X_train)
    np.testing.assert_array_equal(a.data.y_test, b.data.y_test)
    np.testing.assert_array_equal(a.first_weights, b.first_weights)
    assert state.comparison.same_start
    assert (a.config.optimizer, b.config.optimizer) == ("sgd", "adam")
    assert type(a.trainer.optimizer).__name__ != type(b.trainer.optimizer).__name__
    state.playing = True
    state.frame()
    assert not np.array_equal(*weights(state)), "the two optimizers took the same steps"


def test_networks_of_different_shapes_cannot_share_weights_and_the_page_says_so():
    state = state_of("seed=1&a.networkShape=4,2&b.networkShape=8")
    assert not state.comparison.same_start
    view = CompareView(state, doc=None)
    assert "cannot be the same" in view.readout.object
    assert "cannot be the same" not in CompareView(state_of(SGD_ADAM), doc=None).readout.object


# -- lockstep -----------------------------------------------------------------------------


@pytest.mark.parametrize("speed", ["1", "10", "max"])
def test_every_frame_shows_the_same_epoch_on_both(speed):
    state = state_of(f"seed=2&a.batchSize=1&b.batchSize=30&speed={speed}")
    view = CompareView(state, doc=None)
    state.toggle_play()
    total = 0
    for _ in range(12):
        total += state.frame()
        epochs_a, epochs_b = (list(source.data["epoch"]) for source in view.losses)
        assert epochs_a == epochs_b  # the chart's points: one per frame, on both
        assert epochs_a[-1] == state.epoch == total
        assert trained_epochs(state) == [total, total]
        assert f"Epoch {total} on both" in view.readout.object
    if speed != "max":
        assert total == 12 * int(speed)
    assert state.playing


def test_a_run_that_diverges_pauses_both_at_the_same_epoch():
    state = state_of("seed=3&speed=100&a.activation=linear")
    view = CompareView(state, doc=None)
    state.toggle_play()
    state.frame()
    # Weights so large that A's next epoch overflows: it diverges inside a frame.
    state.comparison.runs[0].trainer.net.params[:] = 1e308
    with np.errstate(all="ignore"):
        state.frame()
    assert not state.playing
    assert state.comparison.diverged == [0]
    first, second = trained_epochs(state)
    assert 100 < first == second == state.epoch < 200
    assert "A diverged" in view.readout.object
    state.toggle_play()
    assert not state.playing, "a diverged run does not play"


def test_a_change_starts_both_again_from_epoch_zero_and_the_same_weights():
    state = state_of(SGD_ADAM)
    state.toggle_play()
    state.frame()
    start = state.comparison.runs[0].first_weights
    state.sides[1].activation = "relu"
    assert (state.epoch, state.playing, trained_epochs(state)) == (0, False, [0, 0])
    np.testing.assert_array_equal(state.comparison.runs[1].first_weights, start)
    state.step()
    assert trained_epochs(state) == [1, 1]
    state.shared.speed = 30  # paces the runs: they go on
    assert (state.epoch, trained_epochs(state)) == (1, [1, 1])
    assert "speed=30" in state.link()


# -- the link -----------------------------------------------------------------------------


def test_the_link_keeps_shared_keys_plain_and_each_side_s_own_under_its_prefix():
    state = state_of(SGD_ADAM)
    state.sides[0].batch_size = 1
    state.sides[1].batch_size = 30
    link = parse_query(state.link())
    assert link["dataset"] == "xor"
    assert link["seed"] == "0.31415"
    assert (link["a.optimizer"], link["b.optimizer"]) == ("sgd", "adam")
    assert (link["a.batchSize"], link["b.batchSize"]) == ("1", "30")
    assert "optimizer" not in link
    assert "a.dataset" not in link


@pytest.mark.parametrize(
    "query",
    [
        SGD_ADAM,
        "seed=7&noise=20&a.activation=tanh&b.activation=relu&a.networkShape=6&b.networkShape=6",
        "dataset=spiral&seed=abc&a.batchSize=1&b.batchSize=30&b.learningRate=0.1&speed=max",
        "seed=5&regularization=L2&b.regularizationRate=0.01&a.x_hide=true&stepButton_hide=true",
    ],
)
def test_the_link_rebuilds_both_scenes_exactly(query):
    """Trained K epochs, then opened again from its link and trained as long: the same
    settings, weights and losses on both sides."""
    state = state_of(query)
    state.toggle_play()
    for _ in range(5):
        state.frame()
    link = state.link()
    again = state_of(link)
    assert again.link() == link
    assert again.notes == []
    for side in range(2):
        assert again.settings(side) == state.settings(side)
    assert (again.hidden, again.buttons_hidden) == (state.hidden, state.buttons_hidden)
    again.toggle_play()
    while again.epoch < state.epoch:
        again.comparison.train(state.epoch - again.epoch)
        again.epoch = again.comparison.epoch
    for ours, theirs in zip(weights(state), weights(again), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    for run, rebuilt in zip(state.comparison.runs, again.comparison.runs, strict=True):
        assert rebuilt.losses["test"][-1] == run.losses["test"][-1]
        assert rebuilt.losses["train"][-1] == run.losses["train"][-1]


@pytest.mark.parametrize(
    "query", ["a.optimizer=sgd&b.optimizer=adam", "a.seed=5&b.seed=6", "seed=&b.optimizer=adam"]
)
def test_a_link_without_a_seed_gives_both_sides_one_seed(query):
    first, second = read_link(parse_query(query)).sides
    assert first["seed"] == second["seed"]
    assert write_link((first, second)).count("seed=") == 1


def test_bad_values_are_clamped_or_refused_with_a_note_under_their_prefix():
    state = state_of("seed=1&b.batchSize=99&a.optimizer=magic&noise=-5&a.noise=20&speed=7")
    assert state.sides[1].batch_size == 30
    assert state.sides[0].optimizer == "sgd"
    assert state.shared.noise == 0
    notes = " | ".join(state.notes)
    assert "b.batchSize=99 is above the maximum of 30; using 30." in notes
    assert "a.optimizer=magic" in notes
    assert "noise=-5" in notes
    assert "a.noise: the data are the same on both sides" in notes
    assert "speed=7" in notes
    assert state.settings(0)["noise"] == state.settings(1)["noise"] == 0


@pytest.mark.parametrize("query", ["problem=regression", "dataset=digits"])
def test_data_that_are_no_classified_plane_fall_back_with_a_note(query):
    state = state_of(query)
    assert state.shared.dataset == "circle"
    assert any("Compare shows classification on the plane" in n for n in state.notes)
    assert state.comparison.runs[0].config.dataset == "circle"
    assert state_of(state.link()).notes == [], "the link still holds what has no say here"


def test_comparison_records_one_loss_point_per_call_on_both_sides():
    comparison = Comparison(RunConfig(seed="4"), RunConfig(seed="4", optimizer="adam"))
    assert comparison.train(3) == 3
    assert comparison.train(2) == 2
    for run in comparison.runs:
        assert run.losses["epoch"] == [0, 3, 5]
        image = run.image()
        assert image.shape == (GRID, GRID)
        assert image.dtype == np.uint8
        assert image.max() < len(run.colours)


def test_a_link_that_sets_no_side_apart_opens_on_sgd_against_adam():
    state = state_of("seed=1&dataset=xor")
    assert (state.sides[0].optimizer, state.sides[1].optimizer) == ("sgd", "adam")
    assert "a.optimizer=sgd&b.optimizer=adam" in state.link()
    assert state_of("seed=1&b.activation=relu").sides[1].optimizer == "sgd"
    same = state_of("seed=1&a.optimizer=sgd")  # both sides alike, on purpose
    assert "a.optimizer=sgd&b.optimizer=sgd" in same.link()
    assert state_of(same.link()).sides[1].optimizer == "sgd"


def test_a_long_play_keeps_the_chart_bounded_and_both_sides_alike():
    """The chart gets only new points, and all of them again after a thinning: what the
    browser holds is each run's history, the same epochs on both."""
    state = state_of("seed=2&speed=1")
    view = CompareView(state, doc=None)
    state.toggle_play()
    for _ in range(700):
        state.frame()
    for source, run in zip(view.losses, state.comparison.runs, strict=True):
        for name in ("epoch", "train", "test"):
            assert list(source.data[name]) == run.losses[name]
    epochs_a, epochs_b = (list(source.data["epoch"]) for source in view.losses)
    assert epochs_a == epochs_b
    assert epochs_a[-1] == 700
    assert len(epochs_a) < 600


def test_a_link_hides_a_control_on_both_sides_or_on_one_and_a_button():
    from playground.labs.compare.view import build_view

    def shown(query: str) -> tuple[list[str], list[str]]:
        """Labels of the controls' params, and the buttons' css classes."""
        controls = build_view(state_of(query)).controls
        buttons = [css for button in controls[0] for css in button.css_classes]
        labels = [param.label for pane in controls[1:] if hasattr(pane, "parameters")
                  for param in (pane.object.param[name] for name in pane.parameters)]  # fmt: skip
        return labels, buttons

    labels, buttons = shown("seed=1")
    assert labels.count("Optimizer") == 2
    assert labels.count("Learning rate") == 2
    assert "ui-stepButton" in buttons
    labels, buttons = shown(
        "seed=1&a.optimizer_hide=true&learningRate_hide=true&stepButton_hide=true"
    )
    assert labels.count("Optimizer") == 1
    assert labels.count("Learning rate") == 0
    assert "ui-stepButton" not in buttons
    assert "ui-playButton" in buttons


HOSTILE = ["", "-1", "1e400", "NaN", "abc", "digits", "regression", "8,8,8,8,8,8,8,8,8", "0",
           "true", "false", "30", "0.5", "xor", "relu", "adam", "\u202e", "x" * 200, "1,2",
           "uploaded", "drawn", "max", "L2"]  # fmt: skip


def test_any_link_opens_and_what_it_writes_reopens_the_same_scenes_without_a_note():
    """Random links of the playground's keys, with or without a side's prefix, and of
    values good and bad: each opens (bad values with notes), and the link it writes
    opens the same two runs with nothing to note."""
    from playground.engine import FEATURES
    from playground.url import fields

    keys = [*fields(), *FEATURES, "hideText", "presenter", "optimizer_hide", "playButton_hide"]
    rng = np.random.default_rng(0)
    for _ in range(100):
        query = {
            str(rng.choice(["", "a.", "b."])) + str(rng.choice(keys)): str(rng.choice(HOSTILE))
            for _ in range(rng.integers(1, 7))
        }
        state = CompareState.from_query(query)
        link = state.link()
        again = state_of(link)
        assert again.notes == [], (query, link)
        assert again.link() == link
        for side in range(2):
            assert dict(again.config(side)) == dict(state.config(side)), (query, link)
        assert again.shared.speed == state.shared.speed
        assert (again.hidden, again.buttons_hidden) == (state.hidden, state.buttons_hidden)
