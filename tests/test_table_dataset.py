"""A dataset declares its inputs: a table of named columns, registered by a fixture and
nowhere else, reaches the trainer, the URL, the ``train`` command, replay, the state and
the diagram, which all read its columns from the declaration."""

import json

import numpy as np
import pytest

from playground import inputs
from playground.cli import main
from playground.datasets import DATASETS, MAX_COLUMNS, Dataset, Table
from playground.model import RunConfig, start_run
from playground.state import PlaygroundState
from playground.ui import PlaygroundApp
from playground.url import parse_query, query_from_state, scene_from_query
from playground.views.network import NetworkDiagram

COLUMNS = ("a", "b", "c")


def three_columns(n: int, noise: float, rand, classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Rows (a, b, c) in [-1, 1)³ from the seeded stream; the label is the sign of a + bc."""
    X = np.array([[2 * rand() - 1 for _ in COLUMNS] for _ in range(n)])
    return X, np.where(X[:, 0] + X[:, 1] * X[:, 2] > 0, 1.0, -1.0)


@pytest.fixture
def table() -> str:
    """Registers the table for one test (and takes it out again)."""
    entry = Dataset(three_columns, "classification", "Three columns", inputs=Table(COLUMNS))
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(DATASETS, "table3", entry)
        yield "table3"


def test_the_trainer_sees_the_columns(table):
    config = RunConfig(dataset=table, network_shape=(4,))
    assert config.features == COLUMNS  # a table starts with every column
    assert config.sizes == (3, 4, 1)
    _, data, trainer = start_run(config)
    assert data.X_train.shape == (250, 3)
    np.testing.assert_array_equal(trainer._X[:, :3], data.X_train)  # the columns, as they are
    before = trainer.train_loss
    trainer.run(40)
    assert trainer.train_loss < 0.8 * before
    picked = RunConfig(dataset=table, features=("c", "a"), network_shape=(4,))
    assert picked.sizes == (2, 4, 1)
    _, data, trainer = start_run(picked)
    np.testing.assert_array_equal(trainer._X[:, :2], data.X_train[:, [2, 0]])


def test_a_feature_the_dataset_does_not_offer_is_refused(table):
    with pytest.raises(ValueError, match=r"unknown feature.*sinX.*table3"):
        RunConfig(dataset=table, features=("a", "sinX"))
    with pytest.raises(ValueError, match=r"unknown feature.*b.*circle"):
        RunConfig(dataset="circle", features=("x", "b"))


def test_the_train_command_takes_the_columns(table, capsys):
    args = ["train", "--dataset", table, "--epochs", "3", "--json"]
    assert main(args) == 0
    every = json.loads(capsys.readouterr().out)
    assert main([*args, "--features", "a,c"]) == 0
    some = json.loads(capsys.readouterr().out)
    assert len(every["train_loss"]) == len(some["train_loss"]) == 4
    assert every["train_loss"] != some["train_loss"]
    assert main(["train", "--dataset", table, "--features", "a,x"]) == 2
    assert "unknown feature(s) x for the dataset table3" in capsys.readouterr().err


def test_replay_reads_points_as_wide_as_the_table(table, tmp_path, capsys):
    config = RunConfig(dataset=table, network_shape=(3,))
    _, data, trainer = start_run(config)
    layers = [{"W": layer[:-1].T.tolist(), "b": layer[-1].tolist()} for layer in trainer.net.layers]
    run = {
        "format": "tfp-reference/v1",
        "config": {"dataset": table, "hidden_layers": [3], "features": list(COLUMNS), "epochs": 4},
        "train_points": np.column_stack([data.X_train, data.y_train]).tolist(),
        "test_points": np.column_stack([data.X_test, data.y_test]).tolist(),
        "initial_network": {"layers": layers},
    }
    path = tmp_path / "table.json"
    path.write_text(json.dumps(run))
    expected = [trainer.train_loss]
    for _ in range(4):
        trainer.epoch()
        expected.append(trainer.train_loss)
    assert main(["replay", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["train_loss"] == expected


def test_the_url_holds_a_tables_features_in_one_key(table):
    scene = scene_from_query(parse_query(f"dataset={table}&features=c,a&x=true&seed=1"))
    assert scene.settings["features"] == ["a", "c"]  # the table's order; x is a plane's
    assert not scene.notes
    state = PlaygroundState(**scene.settings)
    assert state.config.features == ("a", "c")
    query = parse_query(query_from_state(state))
    assert query["features"] == "a,c"
    assert not {"x", "y", "sinX"} & set(query)  # a plane's flags mean nothing here
    assert scene_from_query(query).settings["features"] == ["a", "c"]
    bad = scene_from_query(parse_query(f"dataset={table}&features=a,banana"))
    assert bad.settings["features"] == ["a"]
    assert bad.note_settings == ("features",)
    assert "names no column of table3 (banana; it has a, b, c)" in bad.notes[0]
    everything = scene_from_query(parse_query(f"dataset={table}"))
    assert PlaygroundState(**everything.settings).config.features == COLUMNS


def test_switching_between_a_plane_and_a_table_gives_each_its_own_features(table):
    state = PlaygroundState(seed="2", features=["x", "sinY"])
    state.dataset = table
    assert state.features == list(COLUMNS)
    assert state.net.sizes[0] == 3
    state.toggle_feature("b")
    assert state.config.features == ("a", "c")
    state.dataset = "spiral"
    assert state.features == list(inputs.PLANE_DEFAULT)
    assert state.net.sizes[0] == 2


def test_the_diagram_draws_the_columns(table):
    state = PlaygroundState(seed="3", dataset=table, network_shape=[2])
    diagram = NetworkDiagram(state)
    scene = diagram.scene()
    assert scene["n_inputs"] == 3
    assert scene["nodes"]["label"][:3] == list(COLUMNS)
    assert diagram.node_names()[:3] == list(COLUMNS)
    diagram.tap(["node", 1])  # a click on column b switches it off
    assert state.features == ["a", "c"]
    assert diagram.scene()["nodes"]["active"][:3] == [True, False, True]
    frame = diagram.frame(state.node_maps())
    assert frame["thumbs"].size == (3 + 2 + 1) * 100
    assert len(frame["weights"]) == 2 * 2 + 2 * 1


def pixels(n: int, noise: float, rand, classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    X = np.array([[rand() for _ in range(MAX_COLUMNS)] for _ in range(n)])
    return X, np.where(X.mean(axis=1) > 0.5, 1.0, -1.0)


def test_the_diagram_is_tall_enough_for_every_column(monkeypatch):
    names = tuple(f"p{i}" for i in range(MAX_COLUMNS))
    entry = Dataset(pixels, "classification", "Pixels", inputs=Table(names))
    monkeypatch.setitem(DATASETS, "pixels", entry)
    plane = NetworkDiagram(PlaygroundState(seed="3")).canvas_size[1]
    state = PlaygroundState(seed="3", dataset="pixels", network_shape=[2])
    height = NetworkDiagram(state).canvas_size[1]
    assert height > 7 * plane  # 64 rows of inputs where a plane has 8 rows
    # Rows that are images are one picture (tests/test_digits.py): no taller than a plane.
    monkeypatch.setitem(DATASETS, "pixels", entry._replace(inputs=Table(names, (8, 8))))
    state = PlaygroundState(seed="3", dataset="pixels", network_shape=[2])
    assert NetworkDiagram(state).canvas_size[1] == plane


def test_a_page_opened_on_a_table_by_its_link_draws_its_frames(table):
    scene = scene_from_query(parse_query(f"dataset={table}&networkShape=3&seed=4"))
    state = PlaygroundState(**scene.settings)
    app = PlaygroundApp(state, scene)
    state.train(2)
    app.diagram.hover(0)  # previewing an input: a table's has no picture, and no error
    message, arrays = app.composer.message(1)
    assert message["epoch"] == "000,002"
    assert arrays["heatmap"].shape == (100, 100)
    assert arrays["train_x"].size == 0  # a table's rows are no points of the plane
    assert message["scene"]["nodes"]["label"][:3] == list(COLUMNS)
    assert "no points of the plane" in message["scene"]["table_hint"]  # the plot says why


def test_rows_of_another_width_than_the_table_declares_are_refused(monkeypatch):
    entry = Dataset(three_columns, "classification", "Four?", inputs=Table(("a", "b", "c", "d")))
    monkeypatch.setitem(DATASETS, "four", entry)
    with pytest.raises(ValueError, match="rows of 3 numbers; its inputs declare 4"):
        start_run(RunConfig(dataset="four"))


def test_a_plane_dataset_is_unchanged():
    assert [name for name in DATASETS if not inputs.is_plane(name)] == ["digits"]
    assert inputs.default_features("circle") == ("x", "y")
    assert RunConfig().features == ("x", "y")


@pytest.mark.parametrize(
    ("columns", "picture", "problem"),
    [
        ((), None, "1 to 64"),
        (tuple(f"c{i}" for i in range(65)), None, "1 to 64"),
        (("a", "a"), None, "name of its own"),
        (("a", "b c"), None, "letters, digits"),
        (("a", "b", "c"), (2, 2), "does not hold 3"),
    ],
)
def test_a_table_that_cannot_be_is_refused(columns, picture, problem):
    with pytest.raises(ValueError, match=problem):
        Table(columns, picture)


def test_a_tables_picture_draws_one_value_per_column():
    table = Table(tuple(f"p{i}" for i in range(6)), picture=(2, 3))
    np.testing.assert_array_equal(table.image(np.arange(6)), [[0, 1, 2], [3, 4, 5]])
    with pytest.raises(ValueError, match="no picture"):
        Table(COLUMNS).image(np.arange(3))
