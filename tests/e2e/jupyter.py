"""Jupyter for the notebook's browser tests: ``jupyter notebook`` (Notebook 7, which also
serves JupyterLab at /lab) on 127.0.0.1 with a token and no browser, its settings and
runtime files in a temporary folder, stopped with its kernels by process id; notebooks
written from cells; a page on one, offline but for that server, that keeps its console
errors; code run in the page's kernel; what a cell's output shows.

A test module starts one server (a module-scoped fixture) and opens a notebook per test:
each notebook has a kernel of its own, which the server ends when it stops."""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from playground.testing import free_port

TOKEN = "notebook-views-token"
START_S = 60
WAIT_MS = 30_000
LOCAL_PREFIXES = ("data:", "blob:")

# Runs code in the page's kernel (not as a cell: no cell id); says what it printed, or
# the error's name and value.
RUN_IN_KERNEL = """async (code) => {
  const kernel = window.testNotebook.sessionContext.session.kernel;
  const future = kernel.requestExecute({ code });
  let text = "";
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === "stream") text += msg.content.text;
    if (msg.header.msg_type === "error") text += `ERROR ${msg.content.ename}: ${msg.content.evalue}`;
  };
  await future.done;
  return text;
}"""
# The notebook the page opened (kept: the shell's current widget follows the focus).
KERNEL_IDLE = """() => {
  window.testNotebook ??= window.jupyterapp?.shell?.currentWidget?.sessionContext
    ? window.jupyterapp.shell.currentWidget : undefined;
  const context = window.testNotebook?.sessionContext;
  return Boolean(context?.isReady && context.session?.kernel?.status === "idle");
}"""
# What cell ``index``'s output shows: the play buttons (symbol and accessible name) and
# the playground's epoch counter, looked for through every shadow root.
CELL_SHOWS = """(index) => {
  const cell = document.querySelectorAll(".jp-Notebook .jp-Cell")[index];
  const shows = { buttons: [], epochs: [] };
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.tagName === "BUTTON" && /^(\\u25b6|\\u275a\\u275a)$/.test(el.textContent.trim()))
        shows.buttons.push(`${el.textContent.trim()} ${el.getAttribute("aria-label")}`);
      if (el.classList.contains("value") && el.previousSibling?.previousSibling?.textContent === "Epoch")
        shows.epochs.push(Number(el.textContent.replace(/\\D/g, "")));
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  if (cell) walk(cell);
  return shows;
}"""
# Notebook 7.6's own bundle fails on every page it opens, a notebook of "1 + 1" and no
# Panel included: a settings handler of its shortcuts reads a plugin it never loaded.
NOTEBOOK_7_OWN_ERROR = "page error: Cannot read properties of undefined (reading 'schema')"
NOTEBOOK_7_CORE = re.compile(r"/static/notebook/notebook_core\.[0-9a-f]+\.js")
PLAYING = "\u275a\u275a Pause"
PAUSED = "\u25b6 Play"


@contextlib.contextmanager
def jupyter_notebook(folder: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """``jupyter notebook`` serving ``folder``, its settings there too; yields its URL
    and its process."""
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(folder / ".config"),
        "JUPYTER_RUNTIME_DIR": str(folder / ".runtime"),
        "JUPYTER_DATA_DIR": str(folder / ".data"),  # the environment's own still counts
    }
    command = [
        sys.executable, "-m", "notebook", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={folder}",
        "--allow-root",  # CI runs as root
        # window.jupyterapp, in both frontends: run cells, reach the kernel
        "--JupyterNotebookApp.expose_app_in_browser=True", "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    log_path = folder / "jupyter.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_S
        while True:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=5).close()
                break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Jupyter did not start:\n{log_path.read_text()}", pytrace=False)
            time.sleep(0.25)
        yield url, process
    finally:
        kernels = kernel_pids(process.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        for pid in kernels:  # the server shuts its kernels down; any left are ended
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# jupyter_server's own races, not the kernel's: a kernel's websocket that arrives while
# the kernel starts finds no connection yet (its issue 1265, open; the frontend connects
# again); and a message it writes to a browser that has just closed, a write whose
# failure nobody awaits (Tornado's "Task exception was never retrieved").
SERVER_OWN_TRACEBACKS = (
    "'NoneType' object has no attribute 'kernel_ws_protocol'",
    "coro=<WebSocketProtocol13.write_message.<locals>.wrapper()",
)


def server_tracebacks(log: str) -> list[str]:
    """The log's records that hold a traceback, but jupyter_server's own races."""
    records = re.split(r"\n(?=\[[A-Z] \d{4}-)", log)
    return [
        r for r in records
        if "Traceback" in r and not any(own in r for own in SERVER_OWN_TRACEBACKS)
    ]  # fmt: skip


def kernel_pids(server_pid: int) -> list[int]:
    """The kernels the server started: its children that run ipykernel."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
            if parent == server_pid and b"ipykernel" in command:
                found.append(int(stat.parent.name))
    return found


def write_notebook(folder: Path, name: str, cells: list[str]) -> str:
    """A notebook of code ``cells`` in ``folder``, for Python 3; returns its name."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    notebook.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python",
    }  # fmt: skip
    nbformat.write(notebook, folder / name)
    return name


@dataclass
class NotebookTab:
    """A notebook open in JupyterLab or Notebook 7, with what it asked of other hosts
    and what its console reported as errors."""

    page: object  # playwright.sync_api.Page
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    @property
    def our_errors(self) -> list[str]:
        """The console's errors but Notebook 7's own (``NOTEBOOK_7_OWN_ERROR``)."""
        return [text for text in self.console_errors if not _notebook_7_own(text)]

    def kernel(self, code: str) -> str:
        """Runs ``code`` in the notebook's kernel, after the cells queued before it."""
        text = self.page.evaluate(RUN_IN_KERNEL, code)
        assert not text.startswith("ERROR"), text
        return text

    def output_tracebacks(self) -> list[str]:
        """The cells' outputs that hold a traceback (Panel shows a failed handler's there)."""
        texts = self.page.locator(".jp-OutputArea").all_text_contents()
        return [text[:2000] for text in texts if "Traceback" in text]

    def run_all(self) -> None:
        """Run All, as the menu does, once the kernel is idle."""
        self.page.wait_for_function(KERNEL_IDLE, timeout=START_S * 1000)
        self.page.click(".jp-CodeCell .jp-InputArea-editor >> nth=0")  # the notebook has the focus
        self.page.evaluate(
            "() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
        )

    def cell(self, index: int):
        """Cell ``index`` (from 0) as a Playwright locator."""
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    def shows(self, index: int) -> dict:
        """Cell ``index``'s play buttons and epoch counters (see ``CELL_SHOWS``)."""
        return self.page.evaluate(CELL_SHOWS, index)

    def wait_for(self, condition: str, timeout_ms: int = WAIT_MS) -> None:
        """Waits until the JavaScript ``condition`` holds, ``shows(i)`` being ``CELL_SHOWS``;
        fails saying what each cell showed if it does not."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(
                f"() => {{ const shows = (i) => ({CELL_SHOWS})(i); return {condition}; }}",
                timeout=timeout_ms,
            )
        except PlaywrightTimeout:
            cells = self.page.locator(".jp-Notebook .jp-Cell").count()
            shown = {i: self.shows(i) for i in range(cells)}
            pytest.fail(f"not within {timeout_ms} ms: {condition}; the cells show {shown}")


def _notebook_7_own(text: str) -> bool:
    """Whether a console error is ``NOTEBOOK_7_OWN_ERROR``, raised in Notebook's bundle:
    its first frame there and no other script on its stack."""
    frames = [line.strip() for line in text.splitlines()[1:] if line.strip().startswith("at ")]
    scripts = [frame for frame in frames if "http" in frame]
    return (
        text.startswith(NOTEBOOK_7_OWN_ERROR)
        and bool(scripts)
        and all(NOTEBOOK_7_CORE.search(frame) for frame in scripts)
        and frames[0] == scripts[0]
    )


@contextlib.contextmanager
def notebook_tab(browser, url: str, name: str, frontend: str = "lab") -> Iterator[NotebookTab]:
    """Notebook ``name`` open in JupyterLab (``lab``) or Notebook 7 (``notebooks``), in a
    fresh context that reaches nothing but ``url``; its kernel started and idle."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    tab = NotebookTab(page)

    def only_ours(route) -> None:
        if route.request.url.startswith((url, *LOCAL_PREFIXES)):
            route.continue_()
        else:
            tab.outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_ours)
    page.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    page.on(
        "pageerror", lambda error: tab.console_errors.append(f"page error: {error} {error.stack}")
    )
    # JupyterLab's layout in a workspace of the notebook's own: another notebook's,
    # restored, would open beside it.
    workspace = Path(name).stem
    path = f"lab/workspaces/{workspace}/tree/{name}" if frontend == "lab" else f"notebooks/{name}"
    try:
        page.goto(f"{url}/{path}?token={TOKEN}")
        page.wait_for_function(KERNEL_IDLE, timeout=START_S * 1000)
        yield tab
    finally:
        context.close()
