"""The lecture notebook in JupyterLab, in Chromium, offline: every cell runs, the live
view paints frames over Panel's comms and its epoch counter advances, and running the
playing cell again stops the playground it made before (its epochs stand still, and
once the new one pauses the kernel uses next to no CPU).

Jupyter (the notebook extra, which the test extra includes; ``jupyter.py``) runs on
127.0.0.1 with a token and no browser, from a temporary folder that holds a copy of the
notebook; JupyterLab is its ``/lab``."""

import json
import shutil
import time

import pytest

from playground.testing import cpu_seconds

from .app_page import wait_until
from .harness import REPO, artifact_path
from .jupyter import START_S, TOKEN, jupyter_notebook, kernel_pids, server_tracebacks

pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (the notebook extra)")
pytest.importorskip("ipykernel", reason="ipykernel is not installed (the notebook extra)")

pytestmark = pytest.mark.browser

NOTEBOOK = REPO / "docs" / "lecture-spiral.ipynb"
CPU_WINDOW_S = 3.0
# A paused kernel with nothing playing: its event loop wakes for Jupyter's heartbeats and
# nothing else; a playground still training would use most of a core.
IDLE_CPU_SHARE = 0.15

# Runs code in the notebook's kernel (not as a cell: no cell id) and returns what it
# printed, or the error's name and value.
RUN_IN_KERNEL = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({ code });
  let text = "";
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === "stream") text += msg.content.text;
    if (msg.header.msg_type === "error") text += `ERROR ${msg.content.ename}: ${msg.content.evalue}`;
  };
  await future.done;
  return text;
}"""
LAST_CELL_EPOCH = """() => {
  const cells = document.querySelectorAll(".jp-Notebook .jp-Cell");
  const last = cells[cells.length - 1];
  const counters = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.classList.contains("value") && el.previousSibling?.previousSibling?.textContent === "Epoch")
        counters.push(el.textContent);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(last);
  return counters.length === 1 ? Number(counters[0].replace(/\\D/g, "")) : null;
}"""
PAINTED = "() => [...(window.playgroundViews?.values() ?? [])].reduce((n, v) => n + v.painted, 0)"


def test_the_lecture_runs_live_in_jupyterlab_and_a_cell_run_again_stops_its_old_playground(
    browser, tmp_path
):
    shutil.copy(NOTEBOOK, tmp_path / NOTEBOOK.name)
    with jupyter_notebook(tmp_path) as (url, server):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        outside: list[str] = []

        def only_ours(route) -> None:
            if route.request.url.startswith((url, "data:", "blob:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", only_ours)
        page = context.new_page()
        try:
            page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?token={TOKEN}")
            page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')")
            page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=START_S * 1000)
            page.click(".jp-CodeCell .jp-InputArea-editor >> nth=0")
            page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")

            def kernel(code: str) -> str:
                text = page.evaluate(RUN_IN_KERNEL, code)
                assert not text.startswith("ERROR"), text
                return text

            # Queued behind the cells: answers once every cell has run.
            assert kernel("print(adam.state.playing)").strip() == "True"
            errors = page.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
            )
            assert "Traceback" not in " ".join(errors.all_text_contents())

            # The live view paints frames and its epoch counter advances.
            page.wait_for_function(f"({PAINTED})() >= 30", timeout=30_000)
            page.wait_for_function(f"({LAST_CELL_EPOCH})() >= 1", timeout=30_000)
            first_epoch = page.evaluate(LAST_CELL_EPOCH)
            painted = page.evaluate(PAINTED)
            page.wait_for_function(f"({LAST_CELL_EPOCH})() >= {first_epoch + 20}", timeout=30_000)
            page.wait_for_function(f"({PAINTED})() >= {painted + 20}", timeout=30_000)
            page.screenshot(path=artifact_path("notebook-lab-playing"))
            start = time.perf_counter()
            kernel("print(1)")  # a cell while a playground plays: the kernel stays usable
            print(f"a cell's answer while playing: {time.perf_counter() - start:.3f} s")
            race = page.locator(".jp-CodeCell").filter(has_text="OptimizerLab(")
            race.scroll_into_view_if_needed()
            page.screenshot(path=artifact_path("notebook-lab-optimizers"))

            (pid,) = kernel_pids(server.pid)
            before, epoch = cpu_seconds(pid), page.evaluate(LAST_CELL_EPOCH)
            time.sleep(CPU_WINDOW_S)
            used, shown = cpu_seconds(pid) - before, page.evaluate(LAST_CELL_EPOCH) - epoch
            print(
                f"while playing: kernel CPU {used / CPU_WINDOW_S:.0%} of a core, {shown} epochs shown"
            )

            # The playing cell run again: the old playground stops, the new one plays.
            kernel("old = adam")
            page.evaluate(
                """() => {
                  const notebook = window.jupyterapp.shell.currentWidget.content;
                  notebook.activeCellIndex = notebook.widgets.length - 1;
                  window.jupyterapp.commands.execute('notebook:run-cell');
                }"""
            )
            report = json.loads(
                kernel(
                    "import json\n"
                    "print(json.dumps({'new': adam is not old, 'old_closed': old.closed,"
                    " 'old_playing': old.state.playing, 'new_playing': adam.state.playing}))"
                )
            )
            assert report == {
                "new": True, "old_closed": True, "old_playing": False, "new_playing": True,
            }  # fmt: skip
            old_epoch = int(kernel("print(old.state.epoch)"))
            page.wait_for_function(f"({LAST_CELL_EPOCH})() >= 20", timeout=30_000)
            assert int(kernel("print(old.state.epoch)")) == old_epoch  # it trains no more

            # The kernel's Interrupt pauses it; then nothing trains: the kernel's CPU time
            # hardly moves.
            page.evaluate("() => { window.jupyterapp.commands.execute('kernelmenu:interrupt'); }")
            assert wait_until(lambda: kernel("print(adam.state.playing)").strip() == "False", 30)
            assert kernel_pids(server.pid) == [pid]
            before = cpu_seconds(pid)
            time.sleep(CPU_WINDOW_S)
            used = cpu_seconds(pid) - before
            print(f"kernel CPU while paused: {used / CPU_WINDOW_S:.1%} of a core")
            assert used < IDLE_CPU_SHARE * CPU_WINDOW_S
            page.screenshot(path=artifact_path("notebook-lab-rerun"))
            assert outside == []  # offline: Panel's scripts came from the kernel
        finally:
            context.close()
    assert server_tracebacks((tmp_path / "jupyter.log").read_text()) == []
