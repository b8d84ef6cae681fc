"""The three labs in a JupyterLab notebook, in Chromium, offline: shown in cells and set
from the cells after them under Run All (before their views have rendered), then
driven live from code and from their own controls in the browser; the kernel's state
and the browser's picture agree. One ``jupyter notebook`` server and one notebook for
the module (a kernel's start and imports cost more than the checks)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .harness import artifact_path
from .jupyter import jupyter_notebook, notebook_tab, server_tracebacks, write_notebook

pytest.importorskip("notebook", reason="Notebook 7 is not installed (the notebook extra)")

pytestmark = pytest.mark.browser

LABS = [
    "import panel as pn\n\npn.extension(inline=True)",
    (
        "from playground import HopfieldLab, OptimizerLab, OverfittingLab\n\n"
        "race = OptimizerLab(surface='himmelblau', racers='sgd,adam', steps=200)\nrace"
    ),
    "race.step(7)",
    "fits = OverfittingLab(points=12)\nfits",
    "fits.state.degrees = [2, 5]",
    "memory = HopfieldLab(side=16)\nmemory",
    "memory.step(3)",
]
RACE, FITS, MEMORY = 1, 3, 5
STEP = re.compile(r"step (\d+) of 200")
SWEEP = re.compile(r"Sweep (\d+)")


@pytest.fixture(scope="module")
def labs(browser, tmp_path_factory: pytest.TempPathFactory):
    """The labs' notebook, every cell run once."""
    folder: Path = tmp_path_factory.mktemp("jupyter-labs")
    with jupyter_notebook(folder) as url:
        name = write_notebook(folder, "labs.ipynb", LABS)
        with notebook_tab(browser, url, name) as tab:
            tab.run_all()
            tab.kernel("pass")  # queued behind the cells: every cell has run
            yield tab
    assert server_tracebacks((folder / "jupyter.log").read_text()) == []


def race_step(tab) -> int:
    """The step the race's counter shows (-1 while it shows none)."""
    found = STEP.search(tab.cell(RACE).locator(".counter").text_content() or "")
    return int(found[1]) if found else -1


def sweep(tab) -> int:
    """The sweep the Hopfield lab's readout shows (-1 while it shows none)."""
    found = SWEEP.search(tab.cell(MEMORY).locator(".hopfield-readout").text_content() or "")
    return int(found[1]) if found else -1


def degrees_shown(tab) -> list[str]:
    """The degrees in the overfitting lab's table of errors."""
    return tab.cell(FITS).locator(".fit-errors td:first-child").all_text_contents()


def until(condition, what: str, timeout_s: float = 20) -> None:
    """Waits for ``condition()`` (reading the page or the kernel), failing with ``what``."""
    import time

    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_each_lab_shows_what_the_next_cell_set_and_follows_code_live(labs):
    tab = labs
    race, memory = tab.cell(RACE), tab.cell(MEMORY)
    # Set under Run All before the views rendered: each shows it.
    expect(race.locator(".counter")).to_have_text("step 7 of 200")
    until(lambda: degrees_shown(tab) == ["2", "5"], f"degrees shown: {degrees_shown(tab)}")
    expect(memory.locator(".hopfield-readout")).to_contain_text("Sweep 3 ")

    tab.kernel("race.play()")  # the race plays in the browser
    expect(race.get_by_role("button", name="Pause", exact=True)).to_be_visible()
    until(lambda: race_step(tab) > 20, f"the race stands at step {race_step(tab)}")
    tab.kernel("race.pause()")
    expect(race.get_by_role("button", name="Play", exact=True)).to_be_visible()
    tab.kernel("fits.state.points = 15")
    expect(tab.cell(FITS).locator(".fit-readout")).to_contain_text("15 training and 15 test")

    tab.kernel("memory.play()")  # the network sweeps in the kernel, its picture follows
    expect(memory.locator(".ui-playButton button")).to_have_text("\u275a\u275a")
    until(lambda: sweep(tab) >= 8, f"the memory stands at sweep {sweep(tab)}")
    swept = int(tab.kernel("memory.pause()\nprint(memory.state.sweep)"))
    expect(memory.locator(".ui-playButton button")).to_have_text("\u25b6")
    expect(memory.locator(".hopfield-readout")).to_contain_text(f"Sweep {swept} ")
    memory.screenshot(path=artifact_path("notebook-hopfield-lab"))
    assert tab.outside == []
    assert tab.our_errors == [], "\n".join(tab.our_errors)
    assert tab.output_tracebacks() == []


def test_each_lab_answers_its_own_controls_in_the_browser(labs):
    tab = labs
    race, fits, memory = tab.cell(RACE), tab.cell(FITS), tab.cell(MEMORY)
    race.get_by_role("button", name="Back to the start", exact=True).click()
    race.get_by_role("button", name="One step", exact=True).click()
    expect(race.locator(".counter")).to_have_text("step 1 of 200")
    race.get_by_role("button", name="Play", exact=True).click()
    until(lambda: race_step(tab) > 10, f"the race stands at step {race_step(tab)}")
    race.get_by_role("button", name="Pause", exact=True).click()
    race.screenshot(path=artifact_path("notebook-optimizer-lab"))

    shown = degrees_shown(tab)
    fits.locator(".ui-degrees .choices__button").first.click()  # the first degree's remove button
    until(lambda: degrees_shown(tab) == shown[1:], f"degrees shown: {degrees_shown(tab)}")
    assert tab.kernel("print(*fits.state.degrees)").split() == shown[1:]
    fits.screenshot(path=artifact_path("notebook-overfitting-lab"))

    before = int(tab.kernel("print(memory.state.sweep)"))
    memory.locator(".ui-stepButton button").click()
    expect(memory.locator(".hopfield-readout")).to_contain_text(f"Sweep {before + 1} ")
    memory.locator(".ui-playButton button").click()
    until(lambda: sweep(tab) >= before + 5, f"the memory stands at sweep {sweep(tab)}")
    assert tab.kernel("print(memory.state.playing)").strip() == "True"
    memory.locator(".ui-playButton button").click()
    until(lambda: tab.kernel("print(memory.state.playing)").strip() == "False", "still playing")
    assert tab.outside == []
    assert tab.our_errors == [], "\n".join(tab.our_errors)
    assert tab.output_tracebacks() == []
