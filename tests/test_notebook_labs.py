"""The labs in a notebook (``playground.notebook_labs``): what their methods do, as their
buttons do, and a cell run again closing them. In the browser:
``tests/e2e/test_notebook_views.py``."""

import pytest

from playground import HopfieldLab, OptimizerLab, OverfittingLab, notebook, notebook_labs
from playground.labs.hopfield import view as hopfield_view


@pytest.fixture
def sent(monkeypatch) -> list[tuple]:
    """What the labs send their views' browser sides, as (component, message)."""
    messages: list[tuple] = []
    record = lambda view, data: messages.append((view, data))
    monkeypatch.setattr(notebook_labs, "send_to_view", record)
    monkeypatch.setattr(hopfield_view, "send_to_view", record)
    return messages


def test_the_optimizer_race_plays_in_its_views_as_its_buttons_do(sent):
    lab = OptimizerLab(surface="himmelblau")
    race = lab._driver.race
    lab.play()
    lab.step(5)
    lab.pause()
    lab.restart()
    assert sent == [
        (race, {"playback": "play"}),
        (race, {"playback": "step", "steps": 5}),
        (race, {"playback": "pause"}),
        (race, {"playback": "restart"}),
    ]
    lab.state.surface = "rosenbrock"  # a setting from code races again, at once
    assert race.surface["name"] == "rosenbrock"
    sent.clear()
    lab.close()
    lab.play()
    assert sent == [(race, {"playback": "pause"})]


def test_the_hopfield_lab_sweeps_plays_and_closes(sent):
    lab = HopfieldLab(temperature=0.0)
    page = lab._driver
    lab.step(3)
    assert lab.state.sweep == 3
    assert [message["sweep"] for _view, message in sent] == [3]  # the picture follows
    lab.play()
    assert lab.state.playing
    assert page.callback.running
    lab.step(1)  # pauses first, as the button does
    assert not lab.state.playing
    assert not page.callback.running
    lab.restart()
    assert lab.state.sweep == 0
    lab.close()
    lab.play()
    lab.step(2)
    assert not lab.state.playing
    assert lab.state.sweep == 0
    assert lab.closed


def test_the_overfitting_lab_redraws_what_code_sets():
    lab = OverfittingLab(points=12)
    driver = lab._driver
    assert "<td>2</td>" not in driver.readout.object
    lab.state.degrees = [2]
    assert "<td>2</td>" in driver.readout.object  # the errors' table: degree 2 only
    seed = lab.state.seed
    lab.regenerate()
    assert lab.state.seed != seed


def test_a_cell_run_again_closes_the_labs_its_last_run_made(monkeypatch, sent):
    cells = notebook.CellRuns()
    monkeypatch.setattr(notebook, "_cells", lambda: cells)
    run = {"cell": ("cell-1", "run-1")}
    monkeypatch.setattr(notebook, "_cell_and_run", lambda: run["cell"])
    hopfield, race = HopfieldLab(), OptimizerLab()
    hopfield.play()
    run["cell"] = ("cell-1", "run-2")
    again = HopfieldLab()
    assert hopfield.closed
    assert race.closed
    assert not hopfield.state.playing
    assert not again.closed
    again.close()


def test_the_kernel_s_interrupt_pauses_a_playing_hopfield_lab(monkeypatch, sent):
    interrupts = notebook.KernelInterrupts()
    monkeypatch.setattr(notebook, "_interrupts", lambda: interrupts)
    lab = HopfieldLab()
    lab.play()
    assert lab in interrupts.playgrounds
    interrupts.pause_all()  # what the Interrupt does between cells
    assert not lab.state.playing
    lab.close()
