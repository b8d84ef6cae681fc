"""The playground and the labs as Python objects (``playground.notebook``): settings
read as a link's, the run readable and drivable from code, a cell run again stopping
what it made before, and served as a page by ``panel serve``."""

import asyncio
import os
import signal
import subprocess
import sys
import urllib.request

import numpy as np
import pytest

from playground import HopfieldLab, OptimizerLab, OverfittingLab, Playground, SettingNote, notebook
from playground.labs.scene import read_scene as read_lab_scene
from playground.labs.scene import url_params
from playground.loop import Fleet
from playground.testing import (
    Server,
    find_model,
    free_port,
    pull_document,
    stop_server,
    wait_until_answering,
)
from playground.url import scene_from_query


@pytest.fixture
def fleet(monkeypatch) -> Fleet:
    """A fleet of the test's own (outside a kernel no event loop runs it)."""
    own = Fleet()
    monkeypatch.setattr(notebook, "process_fleet", lambda: own)
    return own


def test_settings_are_a_links_keys(fleet):
    pg = Playground(
        dataset="spiral", features="x,y,sinX,sinY", optimizer="adam", networkShape=[3, 2]
    )
    state = pg.state
    assert state.dataset == "spiral"
    assert state.features == ["x", "y", "sinX", "sinY"]
    assert state.optimizer == "adam"
    assert state.network_shape == [3, 2]
    assert tuple(pg.trainer.net.sizes) == (4, 3, 2, 1)
    assert pg.notes == []


def test_the_same_seed_gives_the_same_run_as_its_link(fleet):
    pg = Playground(dataset="xor", seed="0.5", learningRate=0.1)
    scene = scene_from_query({"dataset": "xor", "seed": "0.5", "learningRate": "0.1"})
    assert {name: getattr(pg.state, name) for name in scene.settings} == scene.settings
    again = Playground(dataset="xor", seed="0.5", learningRate=0.1)
    np.testing.assert_array_equal(pg.trainer.net.params, again.trainer.net.params)


def test_a_bad_value_gives_the_links_note_as_a_warning(fleet):
    query = {"learningRate": "99", "activation": "nope"}
    expected = scene_from_query(query).notes
    assert len(expected) == 2
    with pytest.warns(SettingNote) as caught:
        pg = Playground(learningRate=99, activation="nope")
    assert [str(w.message) for w in caught] == expected
    assert pg.notes == expected
    assert pg.state.learning_rate == 10  # clamped, as the link's
    assert pg.app.page.notes == expected  # and on the page, as a link's


def test_a_plane_feature_that_does_not_exist_is_noted(fleet):
    with pytest.warns(SettingNote, match="names cosZ, not a feature of the plane"):
        pg = Playground(dataset="circle", features="x,cosZ")
    assert pg.state.features == ["x", "y"]  # the dataset's own


def test_a_key_no_scene_has_is_a_type_error(fleet):
    with pytest.raises(TypeError, match="did you mean learningRate"):
        Playground(learningrate=0.1)


def test_the_loss_falls_after_steps_and_the_next_cell_reads_the_run(fleet):
    pg = Playground(dataset="spiral", features="x,y,sinX,sinY", seed="0.12345")
    before = pg.state.train_loss
    weights = pg.trainer.net.params.copy()
    pg.step(100)
    assert pg.state.epoch == 100
    assert pg.state.train_loss < before
    assert not np.array_equal(weights, pg.trainer.net.params)
    assert pg.losses.since(0)  # the chart's points
    assert not pg.state.playing


def test_play_pause_and_close(fleet):
    pg = Playground()
    pg.play()
    assert pg.state.playing
    assert pg.app.loop in fleet.jobs
    pg.pause()
    assert not pg.state.playing
    pg.play()
    pg.close()
    assert not pg.state.playing
    assert pg.closed
    assert pg.app.loop not in fleet.jobs


def test_a_cell_run_again_closes_what_its_last_run_made(fleet, monkeypatch):
    cells = notebook.CellRuns()
    monkeypatch.setattr(notebook, "_cells", lambda: cells)
    run = {"cell": ("cell-1", "run-1")}
    monkeypatch.setattr(notebook, "_cell_and_run", lambda: run["cell"])
    first, second = Playground(), Playground()  # two in one run: both stay
    assert not first.closed
    assert not second.closed
    run["cell"] = ("cell-2", "run-2")  # another cell: nothing of cell 1 closes
    other = Playground()
    assert not first.closed
    run["cell"] = ("cell-1", "run-3")  # cell 1 again
    third = Playground()
    assert first.closed
    assert second.closed
    assert not third.closed
    assert not other.closed


def test_without_a_cell_id_nothing_is_closed(fleet, monkeypatch):
    monkeypatch.setattr(notebook, "_cell_and_run", lambda: (None, None))
    first = Playground()
    Playground()
    assert not first.closed


def test_importing_the_package_imports_no_panel():
    code = "import playground, playground.engine, sys; print('panel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# The Hopfield page's buttons still pass Panel's `name` and `button_type`, which Panel
# 1.9 marks for removal in 2.0 (the lab's own code, left to its page's owners).
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
@pytest.mark.parametrize(
    ("lab", "good", "bad"),
    [
        (OverfittingLab, {"points": 12, "degrees": [1, 3]}, {"points": 10**6}),
        (HopfieldLab, {"temperature": 0.4, "patterns": "A,T"}, {"flip": 7}),
        (OptimizerLab, {"surface": "rosenbrock", "racers": "sgd,adam"}, {"adamLr": -1}),
    ],
)
def test_a_lab_takes_its_pages_keys(lab, good, bad):
    built = lab(**good)
    state_cls = type(built.state)
    query = {key: notebook._text(value) for key, value in good.items()}
    expected = read_lab_scene(state_cls, query).values
    assert {key: getattr(built.state, key) for key in expected} == expected
    assert built.notes == []
    with pytest.warns(SettingNote) as caught:
        noted = lab(**bad)
    query = {key: notebook._text(value) for key, value in bad.items()}
    notes = [str(w.message) for w in caught if w.category is SettingNote]
    assert notes == read_lab_scene(state_cls, query).notes
    assert noted.notes
    with pytest.raises(TypeError, match="has no setting"):
        lab(nonsense=1)
    assert set(good) <= set(url_params(state_cls))


def test_a_script_serves_it_as_a_page(tmp_path):
    """``Playground(...).servable()`` under ``panel serve``: the page's controls hold
    the script's settings."""
    script = tmp_path / "lecture.py"
    script.write_text(
        "from playground import Playground\n"
        "Playground(dataset='xor', learningRate=0.3, networkShape=[5]).servable()\n"
    )
    port = free_port()
    log_path = tmp_path / "server.log"
    command = [sys.executable, "-m", "panel", "serve", str(script), "--port", str(port)]
    command += ["--address", "127.0.0.1", "--allow-websocket-origin", f"127.0.0.1:{port}"]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=tmp_path, stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Server(process, log_path, f"http://127.0.0.1:{port}/lecture")
    try:
        wait_until_answering(server)
        with urllib.request.urlopen(server.base_url, timeout=30) as answer:
            page = answer.read().decode()
        doc = pull_document(server.base_url, page)
        bar = find_model(
            doc, lambda m: "learning_rate" in str(m.get("attributes", {}).get("values"))
        )
        assert bar is not None, "no learning-rate control on the page"
        assert ["learning_rate", 0.3] in bar["attributes"]["values"]["entries"]
        assert find_model(doc, lambda m: m.get("attributes", {}).get("class_name") == "LiveView")
    finally:
        stop_server(server)
    assert "Traceback" not in server.log()


def test_an_interrupt_between_cells_pauses_every_playground(fleet, monkeypatch):
    """ipykernel ignores SIGINT between cells; while a playground plays, the kernel's
    Interrupt still reaches it."""
    interrupts = notebook.KernelInterrupts()
    monkeypatch.setattr(notebook, "_interrupts", lambda: interrupts)
    monkeypatch.setattr(notebook.KernelInterrupts, "CHECK_S", 0.01)
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as between two cells

    async def lecture() -> tuple[bool, bool]:
        playing, paused = Playground(), Playground()
        playing.play()
        await asyncio.sleep(0.05)
        assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(100):
            await asyncio.sleep(0.01)
            if not playing.state.playing:
                break
        result = playing.state.playing, paused.state.playing
        for playground in (playing, paused):
            playground.close()
        await asyncio.sleep(0.05)  # nothing plays: the stand-in gives SIGINT back
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        return result

    try:
        assert asyncio.run(lecture()) == (False, False)
    finally:
        signal.signal(signal.SIGINT, before)
