"""A CSV file of one's own: what is read from a good file, a note naming row and
column for each of the fuzz set's malformed files, and ``train --data``."""

import json

import numpy as np
import pytest

from playground.cli import main
from playground.datasets import CsvError, read_csv
from playground.datasets.own import from_csv
from playground.model import RunConfig, start_run
from tests.csv_fuzz import MALFORMED

CSV_FILES = [bad for bad in MALFORMED if bad.name.endswith(".csv")]


def test_points_of_the_plane_with_a_header_and_class_names():
    data = read_csv(b"x,y,label\n1,2,cat\n-3,4.5,dog\n\n5e-1,-6,cat\n")
    np.testing.assert_array_equal(data.X, [[1, 2], [-3, 4.5], [0.5, -6]])
    np.testing.assert_array_equal(data.y, [-1, 1, -1])  # two classes: -1 and +1
    assert data.columns is None  # points (x, y): the plane's features
    assert (data.problem, data.class_names) == ("classification", ("cat", "dog"))


@pytest.mark.parametrize(
    ("labels", "problem", "y", "names"),
    [
        ("-1 1 1", "classification", [-1, 1, 1], ("-1", "+1")),
        ("0 1 0", "classification", [-1, 1, -1], ("0", "1")),
        ("a b c", "classification", [0, 1, 2], ("a", "b", "c")),
        ("0.5 2 -7", "regression", [0.5, 2, -7], None),
        ("0 1 2", "regression", [0, 1, 2], None),  # numbers that are not ±1 or 0/1
    ],
)
def test_labels(labels, problem, y, names):
    rows = [f"{k},{k + 1},{label}" for k, label in enumerate(labels.split())]
    data = read_csv(("\n".join(rows) + "\n").encode())
    assert data.problem == problem
    np.testing.assert_array_equal(data.y, y)
    assert data.class_names == names


def test_a_table_with_its_header_made_into_names():
    text = 'weight (kg),2nd,"a,b",weight (kg),label\n1,2,3,4,1\n5,6,7,8,-1\n'
    data = read_csv(text.encode())
    assert data.columns == ("weight_kg", "c2nd", "a_b", "weight_kg_")
    assert data.X.shape == (2, 4)
    headless = read_csv(b"1,2,3,4,1\n5,6,7,8,-1\n")
    assert headless.columns == ("c1", "c2", "c3", "c4")


def test_semicolons_tabs_a_byte_order_mark_and_windows_lines():
    for text in ("x;y;l\r\n1;2;1\r\n3;4;-1\r\n", "\ufeffx\ty\tl\n1\t2\t1\n3\t4\t-1\n"):
        data = read_csv(text.encode())
        np.testing.assert_array_equal(data.X, [[1, 2], [3, 4]])


def test_the_largest_file_is_read():
    rows = "".join(f"{k},{-k},{1 if k % 2 else -1}\n" for k in range(5000))
    data = read_csv(rows.encode())
    assert len(data.y) == 5000
    wide = ",".join(["0.5"] * 64 + ["1"]) + "\n"
    assert read_csv((wide + wide.replace(",1\n", ",-1\n")).encode()).X.shape == (2, 64)


@pytest.mark.parametrize("bad", CSV_FILES, ids=lambda bad: bad.name)
def test_every_malformed_file_gets_its_note(bad):
    with pytest.raises(CsvError) as refused:
        read_csv(bad.data)
    assert bad.says in str(refused.value)
    assert len(str(refused.value)) < 300


def test_the_fuzz_set_is_big_enough():
    assert len(CSV_FILES) >= 40
    assert len({bad.name for bad in MALFORMED}) == len(MALFORMED)


def test_a_files_points_train_as_the_uploaded_set(tmp_path, capsys):
    rng = np.random.default_rng(3)
    X = rng.uniform(-5, 5, (200, 2))
    y = np.where(X[:, 0] * X[:, 1] > 0, "same", "other")
    path = tmp_path / "quadrants.csv"
    path.write_text(
        "a,b,sign\n" + "".join(f"{p},{q},{c}\n" for (p, q), c in zip(X, y, strict=True))
    )
    own = from_csv(read_csv(path.read_bytes()))
    _, data, _ = start_run(RunConfig(own=own, dataset="upload"))
    assert len(data.y_train) == len(data.y_test) == 100
    args = ["train", "--data", str(path), "--features", "x,y,xTimesY", "--hidden", "", "--json"]
    assert main([*args, "--epochs", "30", "--lr", "0.1"]) == 0
    curves = json.loads(capsys.readouterr().out)
    assert curves["test_accuracy"][-1] > 0.9
    assert main(["train", "--data", str(tmp_path / "missing.csv")]) == 2
    (tmp_path / "bad.csv").write_bytes(b"1,2,1\n3,x,1\n")
    assert main(["train", "--data", str(tmp_path / "bad.csv")]) == 2
    assert 'Row 2, column 2 (c2) holds "x"' in capsys.readouterr().err
