"""Issue 10's settings as a user meets them: links, notes, controls that show only where
they apply, the run each one builds, early stopping, and class-coloured pictures."""

import numpy as np
import pytest

from playground.colors import CLASS_BASE, LEVELS, NAN_INDEX, quantize_classes
from playground.engine import HEADS
from playground.model import head_for, new_network, new_trainer, start_run
from playground.run_config import RunConfig
from playground.settings import in_group
from playground.state import PlaygroundState
from playground.url import parse_query, query_from_state, scene_from_query
from playground.views.pictures import Pictures
from playground.views.setting_bar import SettingBar, every_spec


def scene_of(text: str):
    return scene_from_query(parse_query(text))


def test_new_settings_round_trip_through_a_link():
    settings = {
        "optimizer": "adam", "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "loss": "crossEntropy",
        "init": "he", "dropout": 0.2, "clip_norm": 1.0, "lr_decay": 0.99, "patience": 50,
        "dataset": "blobs", "num_classes": 4,
    }  # fmt: skip
    state = PlaygroundState(seed="1", **settings)
    query = query_from_state(state)
    for key in ("optimizer=adam", "beta1=0.8", "beta2=0.99", "epsilon=0.000001", "loss=crossEntropy",
                "init=he", "dropout=0.2", "clipNorm=1", "lrDecay=0.99", "patience=50",
                "numClasses=4"):  # fmt: skip
        assert f"&{key}" in query, key
    scene = scene_of(query)
    assert scene.notes == []
    assert {k: scene.settings[k] for k in settings} == settings


def test_defaults_write_no_new_keys():
    query = query_from_state(PlaygroundState(seed="1"))
    for key in ("optimizer", "momentum", "epsilon", "loss", "init", "dropout", "clipNorm",
                "lrDecay", "patience", "numClasses"):  # fmt: skip
        assert f"&{key}=" not in query


@pytest.mark.parametrize(
    ("query", "setting", "used", "note"),
    [
        ("epsilon=0", "epsilon", 1e-10, "epsilon=0 is below the smallest rate, 1e-10"),
        ("numClasses=9", "num_classes", 6, "numClasses=9 is above the maximum of 6"),
        ("numClasses=1", "num_classes", 2, "numClasses=1 is below the minimum of 2"),
        ("dropout=0.9", "dropout", 0.5, "dropout=0.9 is above the maximum of 0.5"),
        ("momentum=-1", "momentum", 0.0, "momentum=-1 is below the minimum of 0"),
        ("lrDecay=2", "lr_decay", 1.0, "lrDecay=2 is above the maximum of 1"),
        ("beta2=NaN", "beta2", None, "beta2=NaN is not a number"),
        ("optimizer=adamw", "optimizer", None, "optimizer=adamw is not an optimizer"),
        ("loss=hinge", "loss", None, "loss=hinge is not a loss"),
    ],
)
def test_bad_values_are_clamped_or_refused_with_a_note(query, setting, used, note):
    scene = scene_of(query)
    assert len(scene.notes) == 1
    assert scene.notes[0].startswith(note)
    assert scene.settings.get(setting) == used
    PlaygroundState(seed="1", **scene.settings)  # and the scene opens


def bar_of(state: PlaygroundState, group: str) -> SettingBar:
    """The group's bar, which shows the controls that apply."""
    return SettingBar(state, in_group(group), lambda name, value: setattr(state, name, value))


@pytest.mark.parametrize(
    ("optimizer", "own"),
    [
        ("sgd", set()),
        ("momentum", {"momentum"}),
        ("nesterov", {"momentum"}),
        ("adagrad", {"epsilon"}),
        ("rmsprop", {"rho", "epsilon"}),
        ("adam", {"beta1", "beta2", "epsilon"}),
    ],
)
def test_an_optimizers_own_hyper_parameters_show_only_when_it_is_chosen(optimizer, own):
    hyper = {"momentum", "beta1", "beta2", "rho", "epsilon"}
    state = PlaygroundState(seed="1", optimizer=optimizer)
    bar = bar_of(state, "training")
    assert set(bar.shown) & hyper == own
    state.optimizer = "sgd"  # and they follow a change
    assert not set(bar.shown) & hyper
    assert "loss" in bar.shown


def test_classes_and_loss_show_where_they_mean_something():
    state = PlaygroundState(seed="1")
    data, training = bar_of(state, "data"), bar_of(state, "training")
    assert "numClasses" not in data.shown
    assert "loss" in training.shown
    state.dataset = "spirals"
    assert "numClasses" in data.shown
    state.problem = "regression"
    assert "numClasses" not in data.shown
    assert "loss" not in training.shown


@pytest.mark.parametrize(
    ("settings", "head", "outputs"),
    [
        ({}, "tanhSquaredError", 1),
        ({"loss": "crossEntropy"}, "sigmoidCrossEntropy", 1),
        ({"loss": "crossEntropy", "dataset": "blobs", "num_classes": 4}, "softmaxCrossEntropy", 4),
        ({"dataset": "spirals", "num_classes": 3}, "tanhSquaredError", 3),
        ({"dataset": "circle", "num_classes": 5}, "tanhSquaredError", 1),  # a 2-class set
        ({"dataset": "reg-plane", "loss": "crossEntropy"}, "linearSquaredError", 1),
    ],
)
def test_loss_and_classes_choose_the_head_and_the_output_layer(settings, head, outputs):
    config = RunConfig(**settings)
    assert head_for(config) == head
    assert config.sizes[-1] == outputs
    _, data, trainer = start_run(config)
    assert trainer.net.head is HEADS[head]
    assert trainer.net.sizes[-1] == outputs
    if outputs > 1:
        assert set(np.unique(data.y_train)) == set(range(outputs))


def test_initializations_come_from_the_seeded_stream():
    for init in ("tfp", "glorot", "he"):
        first = start_run(RunConfig(seed="7", init=init))[2].net.params
        again = start_run(RunConfig(seed="7", init=init))[2].net.params
        other = start_run(RunConfig(seed="8", init=init))[2].net.params
        assert np.array_equal(first, again)
        assert not np.array_equal(first, other)
    he = start_run(RunConfig(seed="7", init="he"))[2].net
    assert np.all(np.concatenate([layer[-1] for layer in he.layers]) == 0.0)  # bias 0


def test_dropout_masks_follow_the_link_and_leave_the_stream_alone():
    config = RunConfig(seed="3", dropout=0.3)
    runs = []
    for _ in range(2):
        rng, _data, trainer = start_run(config)
        trainer.run(5)
        runs.append((trainer.net.params.copy(), rng.random()))
    assert np.array_equal(runs[0][0], runs[1][0])
    # The masks' seed is peeked, not drawn: the stream goes on as without dropout.
    rng, _, _ = start_run(config.replace(dropout=0.0))
    assert rng.random() == runs[0][1]


def test_live_settings_reach_the_running_trainer():
    state = PlaygroundState(seed="1", optimizer="momentum")
    trainer = state.trainer
    state.train(3)
    state.param.update(momentum=0.5, clip_norm=0.3, dropout=0.1, lr_decay=0.95, patience=20)
    assert state.trainer is trainer
    assert state.epoch == 3
    assert trainer.optimizer.momentum == 0.5
    assert (trainer.dropout, trainer.lr_decay, trainer.patience) == (0.1, 0.95, 20)
    state.optimizer = "adam"  # a fresh optimizer, the same weights
    params = trainer.net.params.copy()
    assert type(trainer.optimizer).__name__.lower() == "adam"
    assert np.array_equal(trainer.net.params, params)
    assert state.epoch == 3


def test_early_stopping_pauses_names_the_best_epoch_and_restores_it():
    # A learning rate this high makes the test loss wander: it stops within a few hundred.
    state = PlaygroundState(seed="2", learning_rate=3.0, patience=10, noise=30)
    state.playing = True
    for _ in range(200):
        state.train(5)
        if not state.playing:
            break
    assert not state.playing
    assert state.can_restore
    trainer = state.trainer
    best = state.epoch - (trainer.epoch_count - trainer.best_epoch)
    assert f"at epoch {best}," in state.message
    assert "Early stopping" in state.message
    best_loss = trainer.best_test_loss
    state.restore_best()
    assert state.test_loss == pytest.approx(best_loss, rel=1e-12)
    assert not state.can_restore
    assert f"epoch {best}" in state.message
    state.toggle_play()  # and play trains on
    assert state.playing
    assert state.train(3) == 3


def test_the_output_picture_is_the_winning_class_as_strong_as_its_lead():
    head = HEADS["softmaxCrossEntropy"]
    pictures = Pictures(head, 3)
    # Two hidden maps, then three class probabilities at four points.
    probabilities = np.array([[0.9, 0.2, 1 / 3, np.nan], [0.05, 0.7, 1 / 3, 0.5],
                              [0.05, 0.1, 1 / 3, 0.5]], dtype=np.float32)  # fmt: skip
    maps = np.concatenate([np.zeros((2, 4), np.float32), probabilities]).reshape(5, 2, 2)
    picture = pictures.output(maps).ravel()
    winners = (picture[:3].astype(int) - CLASS_BASE) // LEVELS
    assert list(winners) == [0, 1, 0]
    assert picture[3] == NAN_INDEX
    strength = (picture[:3].astype(int) - CLASS_BASE) % LEVELS
    assert strength[0] > strength[1] > strength[2] == 0  # a tie has no lead
    assert np.array_equal(picture, quantize_classes(probabilities).ravel())
    # Class 1's own node is drawn in class 1's colour.
    node = (pictures.node(maps, 3).ravel().astype(int) - CLASS_BASE) // LEVELS
    assert list(node[:3]) == [1, 1, 1]


def test_a_sigmoid_output_is_drawn_on_the_originals_scale():
    pictures = Pictures(HEADS["sigmoidCrossEntropy"], 1)
    maps = np.array([[[0.0, 0.5], [1.0, 0.25]]], dtype=np.float32)
    assert list(pictures.output(maps).ravel()) == [0, 15, 30, 7]


def test_new_network_has_one_output_node_per_class_beyond_two():
    config = RunConfig(dataset="blobs", num_classes=5, loss="crossEntropy")
    rng, data, _ = start_run(config)
    net = new_network(config, rng)
    trainer = new_trainer(config, net, data, rng)
    assert trainer.confusion_matrix().shape == (5, 5)


NEW_KEYS = ("optimizer", "momentum", "beta1", "beta2", "rho", "epsilon", "loss", "init",
            "dropout", "clipNorm", "lrDecay", "patience", "numClasses")  # fmt: skip


def test_every_new_setting_has_a_hinted_control_that_hide_removes():
    from playground.ui import PlaygroundApp
    from playground.views.embed import hide_choices

    state = PlaygroundState(seed="1", optimizer="adam")
    controls = every_spec()
    for key in NEW_KEYS:
        assert controls[key]["label"], key
        assert key in hide_choices().values(), key
    app = PlaygroundApp(state, scene_from_query({}))
    shown = {bar.spec(key)["label"] for bar in app.page.bars.values() for key in bar.shown}
    assert {"Dropout", "Loss", "β1"} <= shown
    hidden = scene_from_query(parse_query("&".join(f"{key}_hide=true" for key in NEW_KEYS)))
    assert hidden.hidden == set(NEW_KEYS)
    app = PlaygroundApp(PlaygroundState(seed="1", optimizer="adam"), hidden)
    shown = {bar.spec(key)["label"] for bar in app.page.bars.values() for key in bar.shown}
    assert not shown & {controls[key]["label"] for key in NEW_KEYS}
    assert "Learning rate" in shown


def test_hovering_a_class_node_shows_its_map_in_its_colour():
    from playground.views.compose import FrameComposer
    from playground.views.network import NetworkDiagram

    state = PlaygroundState(seed="1", dataset="blobs", num_classes=3, loss="crossEntropy")
    state.train(20)
    diagram = NetworkDiagram(state)
    composer = FrameComposer(state, diagram)
    _, arrays = composer.message(1)
    classes = (arrays["heatmap"].astype(int) - CLASS_BASE) // LEVELS
    assert set(np.unique(classes)) == {0, 1, 2}  # three regions, one per class
    assert len(arrays["thumbs"]) == 100 * diagram.n_nodes
    second_output = diagram.n_nodes - 2
    diagram.hover(second_output)
    _, arrays = composer.message(2)
    assert set(np.unique((arrays["heatmap"].astype(int) - CLASS_BASE) // LEVELS)) == {1}
    message, _ = composer.message(3)
    assert "scene" not in message  # the palette went with the first frame
