"""A playground in a notebook, in Chromium, offline: what the next cells set from code
before its view has rendered shows (Run All in JupyterLab, several times), and
Notebook 7 shows it live too.

Under Run All the cell after the one that shows a playground runs while the browser
still builds its view; Panel's comm manager in the browser drops what reaches it before
the view's root is rendered, and the play button said ▶ while the network trained
(``playground.notebook_view``). One ``jupyter notebook`` server (which serves JupyterLab
at /lab too) for the module; each test opens a notebook of its own. Notebook 7 goes
first: once JupyterLab has run a notebook on a server, Notebook 7's own bundle reports
an error on the next page it opens there (a command of a file browser it lacks)."""

from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("jupyter")
    with jupyter_notebook(folder) as url:
        yield url, folder
    assert server_tracebacks((folder / "jupyter.log").read_text()) == []


def selected(cell, key: str) -> str:
    return cell.locator(f".ui-{key} select").evaluate("s => s.selectedOptions[0].text")


def test_notebook_7_shows_a_playground_live(browser, jupyter: tuple[str, Path]):
    url, folder = jupyter
    name = write_notebook(folder, "notebook-7.ipynb", SHOWN_THEN_SET[:3])
    with notebook_tab(browser, url, name, frontend="notebooks") as tab:
        assert tab.page.locator("#jp-NotebookPanel, .jp-NotebookPanel").count() >= 1
        tab.run_all()
        assert tab.kernel("print(pg.state.playing)").strip() == "True"
        tab.page.wait_for_function(f"({PAINTED})() >= 10")
        tab.wait_for(f"shows(1).buttons.join() === '{PLAYING}' && shows(1).epochs[0] >= 1")
        epoch, painted = tab.shows(1)["epochs"][0], tab.page.evaluate(PAINTED)
        tab.wait_for(f"shows(1).epochs[0] >= {epoch + 20}")
        tab.page.wait_for_function(f"({PAINTED})() >= {painted + 10}")
        tab.page.screenshot(path=artifact_path("notebook-7-playing"))
        tab.kernel("pg.close()")
        assert tab.outside == []
        assert tab.our_errors == [], "\n".join(tab.our_errors)
        assert tab.output_tracebacks() == []


def test_what_the_next_cells_set_before_the_view_rendered_shows_under_run_all(
    browser, jupyter: tuple[str, Path]
):
    url, folder = jupyter
    name = write_notebook(folder, "shown-then-set.ipynb", SHOWN_THEN_SET)
    with notebook_tab(browser, url, name) as tab:
        for run in range(RUNS):
            tab.run_all()
            # Queued behind the cells: answers once every cell has run.
            assert tab.kernel("print(pg.state.playing, stepped.state.epoch)").split() == [
                "True", "5",
            ], f"run {run}"  # fmt: skip
            # It trains, and its button says so, while its epoch counter advances.
            tab.wait_for(f"shows(1).buttons.join() === '{PLAYING}' && shows(1).epochs[0] >= 1")
            epoch = tab.shows(1)["epochs"][0]
            tab.wait_for(
                f"shows(1).epochs[0] >= {epoch + 10} && shows(1).buttons.join() === '{PLAYING}'"
            )
            # Stepped from code before its view rendered: epoch 5, paused, the new rate.
            tab.wait_for(f"shows(3).epochs[0] === 5 && shows(3).buttons.join() === '{PAUSED}'")
            assert selected(tab.cell(3), "learningRate") == "0.3"
        tab.page.screenshot(path=artifact_path("notebook-run-all-playing"))

        # pause() from code: the button says Play again, and the counter stops where the
        # playground stopped.
        stopped_at = int(tab.kernel("pg.pause()\nprint(pg.state.epoch)"))
        tab.wait_for(
            f"shows(1).buttons.join() === '{PAUSED}' && shows(1).epochs[0] === {stopped_at}"
        )
        assert tab.shows(3) == {"buttons": [PAUSED], "epochs": [5]}
        assert tab.outside == []
        assert tab.our_errors == [], "\n".join(tab.our_errors)
        assert tab.output_tracebacks() == []
