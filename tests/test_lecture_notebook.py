"""The lecture notebook (``docs/lecture-spiral.ipynb``) run headless, as CI runs it
(nbclient, a fresh kernel): every cell executes, and the playground's loss falls after
``.step(100)``; and the same notebook as a static page (``playground.notebook_page``)."""

import json
import re
import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook extra is not installed")
pytest.importorskip("nbclient", reason="the notebook extra is not installed")
pytest.importorskip("ipykernel", reason="the notebook extra is not installed")

from playground.notebook_page import LIVE_NOTE, PANEL_TYPES, executed, html_page

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "lecture-spiral.ipynb"
# Appended to a copy: what the lecture's cells left in the kernel.
REPORT = (
    "import json\n"
    "print(json.dumps({'before': loss_before, 'after': loss_after, 'epoch': pg.state.epoch,"
    " 'closed': pg.closed}))"
)


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lecture")
    copy = folder / NOTEBOOK.name
    shutil.copy(NOTEBOOK, copy)
    notebook = nbformat.read(copy, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT))
    nbformat.write(notebook, copy)
    return executed(copy)  # nbclient raises on the first cell that fails


def test_every_cell_runs_and_the_loss_falls_after_100_steps(lecture):
    code = [cell for cell in lecture.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert not errors
    report = json.loads(code[-1].outputs[-1]["text"])
    assert report["epoch"] == 100
    assert report["after"] < report["before"]
    assert not report["closed"]
    views = [o for c in code for o in c.outputs if PANEL_TYPES[1] in o.get("data", {})]
    assert len(views) >= 4  # the playgrounds and the optimizer lab, each a live view


def test_the_static_page_says_how_to_run_it_live_and_loads_nothing_from_elsewhere(lecture):
    page = html_page(lecture, "lecture")
    text = re.sub(r"<[^>]+>", "", page)
    assert "<title>The spiral: features and optimizers</title>" in page
    assert "To run it live" in text
    assert "jupyter lab docs/lecture-spiral.ipynb" in text
    views = sum(
        PANEL_TYPES[1] in o.get("data", {}) and "text/plain" in o.get("data", {})
        for cell in lecture.cells
        if cell.cell_type == "code"
        for o in cell.outputs
    )
    assert page.count(LIVE_NOTE.split(":")[0]) == views == 4  # 3 playgrounds, 1 lab
    assert "data-root-id" not in page
    assert "holoviews" not in page  # no Panel script, no view that needs a kernel
    assert "training loss" in page  # what the cells printed stays
    remote = re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="(?:https?:)?//[^"]*"', page)
    assert remote == []
    assert 'src=""' not in page
