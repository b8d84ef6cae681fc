"""The playground and the labs in a notebook, in Chromium, offline: what the next cells
set from code before a view has rendered shows (Run All), in Notebook 7 and in
JupyterLab; each lab shown in a cell follows code from the next cells and answers its
own controls.

Under Run All the cell after the one that shows a playground runs while the browser
still builds its view; Panel's comm manager in the browser drops what reaches it before
the view's root is rendered, and the play button said ▶ while the network trained
(``playground.notebook_view``). One ``jupyter notebook`` server (which serves JupyterLab
at /lab too) for the module. Notebook 7 goes first, and JupyterLab then opens the same
notebook's twin, each with a kernel of its own: once JupyterLab has run a notebook on
a server, Notebook 7's own bundle reports an error on the next page it opens there (a
command of a file browser it lacks). The labs have a notebook of their own; what plays
stops before its page closes (a kernel's output to a page that closed is a traceback in
the server's log)."""

import re
import time

import pytest
from playwright.sync_api import expect

from .harness import artifact_path
from .jupyter import (
    PAUSED,
    PLAYING,
    jupyter_notebook,
    notebook_tab,
    server_tracebacks,
    write_notebook,
)

pytest.importorskip("notebook", reason="Notebook 7 is not installed (the notebook extra)")
pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (the notebook extra)")

pytestmark = pytest.mark.browser

RUNS = 3
SHOWN_THEN_SET = [
    "import panel as pn\n\npn.extension(inline=True)",
    (
        "from playground import Playground\n\n"
        "pg = Playground(dataset='spiral', networkShape=[4, 2], seed='0.12345')\npg"
    ),
    "pg.play()",
    "stepped = Playground(dataset='xor', seed='0.2')\nstepped",
    "stepped.step(5)\nstepped.state.learning_rate = 0.3",
]
PAINTED = "() => [...(window.playgroundViews?.values() ?? [])].reduce((n, v) => n + v.painted, 0)"

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
def jupyter(tmp_path_factory: pytest.TempPathFactory):
    """The server's URL and its folder."""
    folder = tmp_path_factory.mktemp("jupyter")
    with jupyter_notebook(folder) as (url, _process):
        yield url, folder
    assert server_tracebacks((folder / "jupyter.log").read_text()) == []


@pytest.fixture(scope="module")
def labs(browser, jupyter):
    """The labs' notebook in JupyterLab, every cell run once."""
    url, folder = jupyter
    with notebook_tab(browser, url, write_notebook(folder, "labs.ipynb", LABS)) as tab:
        tab.run_all()
        tab.kernel("pass")  # queued behind the cells: every cell has run
        yield tab


def selected(cell, key: str) -> str:
    return cell.locator(f".ui-{key} select").evaluate("s => s.selectedOptions[0].text")


def shows_what_was_set(tab, run: str) -> None:
    """After Run All of ``SHOWN_THEN_SET``: the playground trains and its button says
    so while its epoch counter advances; the other shows epoch 5, paused, rate 0.3."""
    # Queued behind the cells: answers once every cell has run.
    assert tab.kernel("print(pg.state.playing, stepped.state.epoch)").split() == [
        "True", "5",
    ], run  # fmt: skip
    tab.wait_for(f"shows(1).buttons.join() === '{PLAYING}' && shows(1).epochs[0] >= 1")
    epoch = tab.shows(1)["epochs"][0]
    tab.wait_for(f"shows(1).epochs[0] >= {epoch + 10} && shows(1).buttons.join() === '{PLAYING}'")
    tab.wait_for(f"shows(3).epochs[0] === 5 && shows(3).buttons.join() === '{PAUSED}'")
    assert selected(tab.cell(3), "learningRate") == "0.3", run


def nothing_went_wrong(tab) -> None:
    assert tab.outside == []
    assert tab.our_errors == [], "\n".join(tab.our_errors)
    assert tab.output_tracebacks() == []


def test_notebook_7_shows_a_playground_live_and_what_code_set_before(browser, jupyter):
    url, folder = jupyter
    name = write_notebook(folder, "notebook-7.ipynb", SHOWN_THEN_SET)
    with notebook_tab(browser, url, name, frontend="notebooks") as tab:
        assert tab.page.evaluate("() => window.jupyterapp.name") == "Jupyter Notebook"
        tab.run_all()
        shows_what_was_set(tab, "Notebook 7")
        painted = tab.page.evaluate(PAINTED)
        tab.page.wait_for_function(f"({PAINTED})() >= {painted + 10}")  # live frames
        tab.page.screenshot(path=artifact_path("notebook-7-playing"))
        tab.kernel("pg.close()")
        nothing_went_wrong(tab)


def test_what_the_next_cells_set_before_the_view_rendered_shows_under_run_all(browser, jupyter):
    url, folder = jupyter
    name = write_notebook(folder, "shown-then-set.ipynb", SHOWN_THEN_SET)
    with notebook_tab(browser, url, name) as tab:
        assert tab.page.evaluate("() => window.jupyterapp.name") == "JupyterLab"
        for run in range(RUNS):
            tab.run_all()
            shows_what_was_set(tab, f"JupyterLab, run {run}")
        tab.page.screenshot(path=artifact_path("notebook-run-all-playing"))

        # pause() from code: the button says Play again, and the counter stops where the
        # playground stopped.
        stopped_at = int(tab.kernel("pg.pause()\nprint(pg.state.epoch)"))
        tab.wait_for(
            f"shows(1).buttons.join() === '{PAUSED}' && shows(1).epochs[0] === {stopped_at}"
        )
        assert tab.shows(3) == {"buttons": [PAUSED], "epochs": [5]}
        nothing_went_wrong(tab)


FELL_BEHIND = [
    "import panel as pn\n\npn.extension(inline=True)",
    (
        "from IPython.display import display\n\n"
        "from playground import Playground\n"
        "from playground.pipe import notebook_gate\n\n"
        "notebook_gate.HELD_LIMIT_BYTES = 0  # as if no browser had shown it for half an hour\n"
        "behind = Playground(seed='0.2')\n"
        "display(behind)\n"
        "behind.state.learning_rate = 0.3  # held for the view, not rendered yet: past the limit"
    ),
    "notebook_gate.HELD_LIMIT_BYTES = 32 * 2**20\nlive = Playground(seed='0.2')\nlive",
    "live.step(5)\nlive.state.learning_rate = 0.3",
]
BEHIND_NOTE = ".playground-behind"


def test_a_view_that_fell_behind_says_so_and_the_next_one_is_live(browser, jupyter):
    """What the kernel holds for a view that no browser has rendered is bounded; the
    view that rendered too late says so (and nothing else goes wrong); a new one works."""
    url, folder = jupyter
    name = write_notebook(folder, "fell-behind.ipynb", FELL_BEHIND)
    with notebook_tab(browser, url, name) as tab:
        tab.run_all()
        tab.kernel("pass")  # queued behind the cells: every cell has run
        note = tab.cell(1).locator(BEHIND_NOTE)
        expect(note).to_contain_text("run its cell again")
        expect(note).to_have_attribute("role", "status")
        assert selected(tab.cell(1), "learningRate") == "0.03"  # as drawn: the change is gone
        tab.wait_for(f"shows(2).epochs[0] === 5 && shows(2).buttons.join() === '{PAUSED}'")
        assert selected(tab.cell(2), "learningRate") == "0.3"
        expect(tab.cell(2).locator(BEHIND_NOTE)).to_have_count(0)
        note.scroll_into_view_if_needed()
        tab.page.screenshot(path=artifact_path("notebook-fell-behind"))
        nothing_went_wrong(tab)


# -- the labs ------------------------------------------------------------------------------


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


def shot(tab, index: int, name: str) -> None:
    """The page, cell ``index`` at its top, as ``test-artifacts/<name>.png``."""
    tab.page.evaluate(f"() => window.testNotebook.content.scrollToItem({index}, 'start')")
    tab.page.wait_for_timeout(500)  # JupyterLab renders the cells it scrolls to
    tab.page.screenshot(path=artifact_path(name))


def until(condition, what: str, timeout_s: float = 20) -> None:
    """Waits for ``condition()`` (reading the page or the kernel), failing with ``what``."""
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
    shot(tab, MEMORY, "notebook-hopfield-lab")
    nothing_went_wrong(tab)


def test_each_lab_answers_its_own_controls_in_the_browser(labs):
    tab = labs
    race, fits, memory = tab.cell(RACE), tab.cell(FITS), tab.cell(MEMORY)
    race.get_by_role("button", name="Back to the start", exact=True).click()
    race.get_by_role("button", name="One step", exact=True).click()
    expect(race.locator(".counter")).to_have_text("step 1 of 200")
    race.get_by_role("button", name="Play", exact=True).click()
    until(lambda: race_step(tab) > 10, f"the race stands at step {race_step(tab)}")
    race.get_by_role("button", name="Pause", exact=True).click()
    shot(tab, RACE, "notebook-optimizer-lab")

    shown = degrees_shown(tab)
    fits.locator(".ui-degrees .choices__button").first.click()  # the first degree's remove button
    until(lambda: degrees_shown(tab) == shown[1:], f"degrees shown: {degrees_shown(tab)}")
    assert tab.kernel("print(*fits.state.degrees)").split() == shown[1:]
    shot(tab, FITS, "notebook-overfitting-lab")

    before = int(tab.kernel("print(memory.state.sweep)"))
    memory.locator(".ui-stepButton button").click()
    expect(memory.locator(".hopfield-readout")).to_contain_text(f"Sweep {before + 1} ")
    memory.locator(".ui-playButton button").click()
    until(lambda: sweep(tab) >= before + 5, f"the memory stands at sweep {sweep(tab)}")
    assert tab.kernel("print(memory.state.playing)").strip() == "True"
    memory.locator(".ui-playButton button").click()
    until(lambda: tab.kernel("print(memory.state.playing)").strip() == "False", "still playing")
    nothing_went_wrong(tab)
