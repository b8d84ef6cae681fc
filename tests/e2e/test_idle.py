"""Idle tabs cost the server (almost) no CPU: a room of open tabs where nobody plays,
against the real ``playground serve``.

Measured as the server's CPU time over a window (``/proc``), not as a speed: half the
tabs' live views reported ready and acknowledged their first frame, as a browser that
painted it; the other half never report ready (a client that runs no JavaScript)."""

import asyncio
import time

import pytest

from playground.testing import cpu_seconds
from playground.visitors import close_tabs, open_idle_tabs

from .harness import running_server

TABS = 50
SETTLE_S = 3  # the first frames and their acknowledgements
WINDOW_S = 10
MAX_SHARE = 0.05  # of one core

pytestmark = pytest.mark.browser


@pytest.mark.alone
def test_fifty_idle_tabs_use_under_five_percent_of_a_core(tmp_path):
    # More tabs than a process takes by default (--max-students): none turned away.
    unlimited = ("--max-students", "0")
    with running_server(tmp_path / "panel-serve.log", extra_args=unlimited) as server:

        async def measure() -> tuple[float, list, list]:
            ready = await open_idle_tabs(server.base_url, TABS // 2, ready=True)
            never_ready = []
            try:
                never_ready = await open_idle_tabs(server.base_url, TABS - TABS // 2, ready=False)
                await asyncio.sleep(SETTLE_S)
                start_cpu, start = cpu_seconds(server.process.pid), time.perf_counter()
                await asyncio.sleep(WINDOW_S)  # the tabs' sockets are read meanwhile
                used = cpu_seconds(server.process.pid) - start_cpu
                return used / (time.perf_counter() - start), ready, never_ready
            finally:
                await close_tabs(ready + never_ready)

        share, ready, never_ready = asyncio.run(measure())
    # What was measured is what was meant: tabs that got their picture, and tabs that never could.
    assert all(tab.acked >= 1 for tab in ready)
    assert all(tab.latest == 0 for tab in never_ready)
    assert share < MAX_SHARE, f"{TABS} idle tabs used {100 * share:.1f} % of a core"
