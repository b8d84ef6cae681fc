"""A lab tab that is paused, with nothing new to show, costs the server nothing.

Each page holds no periodic callback while paused (the Hopfield lab's runs only while it
plays; the optimizer race plays in the browser; the overfitting lab and the home page
have none): with a tab of every page open and paused, the server's CPU time over a few
seconds stays near zero, and a playing Hopfield tab shows that the measure sees work.
Process CPU time (/proc), not wall time: other work on the machine does not change it.
The median of a few windows: a periodic callback shows in each of them, a one-off
(a garbage collection, Bokeh's sweep of unused sessions) in one at most.
"""

import contextlib
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .app_page import wait_until
from .harness import open_tab, running_server
from .test_hopfield_lab import sweep
from .test_lab_reconnect import loaded

pytestmark = pytest.mark.browser

PAGES = {
    "/": "",
    "/optimizers": "steps=200",
    "/overfitting": "points=15",
    "/hopfield": "side=24",
    "/sweep": "epochs=20",
    "/perceptron": "",
    "/compare": "",
}
SETTLE_MS = 2000  # what opening the tabs started is done
WINDOW_MS = 2000
WINDOWS = 3
IDLE_CPU_S = 0.04  # 2 % of a core over a window
PLAYING = "side=48&speed=120&temperature=1"


def cpu_s(pid: int) -> float:
    """User and system CPU time of the process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_over_window(page, pid: int) -> float:
    before = cpu_s(pid)
    page.wait_for_timeout(WINDOW_MS)
    return cpu_s(pid) - before


@pytest.mark.alone
def test_paused_lab_tabs_cost_the_server_nothing(browser, tmp_path, request):
    with (
        running_server(tmp_path / "serve.log") as server,
        contextlib.ExitStack() as stack,
    ):
        root = server.base_url.rsplit("/app", 1)[0]
        pid = server.process.pid
        pages = {}
        for path, scene in PAGES.items():
            name = f"{request.node.name}{path.replace('/', '_')}"
            page = stack.enter_context(open_tab(browser, server, name)).page
            page.goto(root + path + (f"?{scene}" if scene else ""))
            if path == "/hopfield":  # whatever its sweep: a callback running by mistake moves it
                expect(page.locator(".hopfield-readout")).to_contain_text("Sweep")
            else:
                loaded(page, path)
            pages[path] = page
        page.wait_for_timeout(SETTLE_MS)
        windows = sorted(cpu_over_window(page, pid) for _ in range(WINDOWS))
        idle = windows[WINDOWS // 2]
        assert idle < IDLE_CPU_S, (
            f"{windows} s of CPU in windows of {WINDOW_MS} ms, every tab paused"
        )

        hopfield = pages["/hopfield"]
        hopfield.goto(f"{root}/hopfield?{PLAYING}")
        expect(hopfield.locator(".hopfield-readout")).to_contain_text("Sweep 0")
        hopfield.locator(".ui-playButton button").click()
        assert wait_until(lambda: sweep(hopfield) > 10, 20)
        playing = cpu_over_window(hopfield, pid)
    assert playing > 5 * IDLE_CPU_S, f"a playing tab cost only {playing:.2f} s of CPU"
