"""The playground as users install it (``pip install .``, not editable), in Chromium.

Point it at one of:
- ``PLAYGROUND_EXECUTABLE=/path/to/venv/bin/playground``: an installed ``playground``
  command; the test serves with it from a temporary directory and stops it after.
- ``PLAYGROUND_URL=http://127.0.0.1:5006/app``: a server already running on this
  machine (its log is not checked).

Without either it is skipped. ``.ci/run`` installs the package into a fresh environment
outside the checkout and runs this file with ``PLAYGROUND_EXECUTABLE``.
"""

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from playground.testing import Server

from .harness import REPO, open_tab, running_server

pytestmark = pytest.mark.browser

EXECUTABLE = os.environ.get("PLAYGROUND_EXECUTABLE", "")
URL = os.environ.get("PLAYGROUND_URL", "")
EPOCH = re.compile(r"(\d{3}),(\d{3})")
START_S = 20


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if URL:
        log_path = tmp_path_factory.mktemp("given") / "not-ours.log"
        log_path.touch()
        yield Server(None, log_path, URL.rstrip("/"))
    elif EXECUTABLE:
        log_path = tmp_path_factory.mktemp("installed") / "playground-serve.log"
        with running_server(log_path, executable=[EXECUTABLE]) as server:
            yield server
    else:
        pytest.skip(
            "not pointed at an installed playground: set PLAYGROUND_EXECUTABLE to its "
            "`playground` command or PLAYGROUND_URL to a running server (see .ci/run)"
        )


def installed_python(executable: str) -> str:
    """The interpreter of a console script: its first line."""
    first = Path(executable).read_text().splitlines()[0]
    return first.removeprefix("#!").strip()


def test_the_command_runs_the_installed_copy_not_the_checkout():
    if not EXECUTABLE:
        pytest.skip("PLAYGROUND_EXECUTABLE is not set")
    found = subprocess.run(
        [installed_python(EXECUTABLE), "-c", "import playground.ui as ui; print(ui.ASSETS)"],
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert found
    assert not Path(found).resolve().is_relative_to(REPO), found


def test_the_installed_app_loads_offline_and_trains(browser, installed: Server, request):
    with open_tab(browser, installed, request.node.name) as tab:
        page = tab.page
        page.goto(f"{installed.base_url}?seed=0.5&dataset=xor")
        counter = page.locator(".epoch div").first
        expect(counter).to_contain_text(EPOCH)
        expect(page.locator(".output-plot canvas").first).to_be_visible()
        expect(page.locator(".network-diagram canvas").first).to_be_visible()
        page.locator(".ui-playButton button").click()
        expect(counter).not_to_contain_text("000,000", timeout=START_S * 1000)
        # Frames came over the tab's own socket: the installed server has that route.
        assert tab.frame_socket_messages > 0
        assert tab.console_errors == []


@pytest.mark.parametrize(
    "path", ["/", "/optimizers", "/overfitting", "/hopfield", "/sweep", "/perceptron", "/compare"]
)
def test_the_installed_labs_and_home_page_open(browser, installed: Server, request, path):
    """Each lab is a package of its own: an install that left one out would serve
    without that page."""
    with open_tab(browser, installed, request.node.name) as tab:
        page = tab.page
        response = page.goto(installed.base_url.removesuffix("/app") + path)
        assert response is not None
        assert response.status == 200
        expect(page.locator("h1").first).to_be_visible()
        assert tab.console_errors == []


def test_the_installed_labs_commands_run():
    if not EXECUTABLE:
        pytest.skip("PLAYGROUND_EXECUTABLE is not set")
    for command in (
        ["optimize", "--surface", "bowl", "--optimizer", "adam", "--steps", "3", "--start", "1,1"],
        ["overfit", "--degree", "2", "--points", "5", "--json"],
        ["hopfield", "--neurons", "16", "--patterns", "1", "--sweeps", "1", "--json"],
        ["sweep", "--x", "learningRate=0.01,0.1", "--epochs", "2", "--json"],
        ["perceptron", "--dataset", "xor", "--epochs", "2", "--json"],
    ):
        done = subprocess.run(
            [EXECUTABLE, *command], check=False, cwd="/", capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout
