"""A lab tab whose browser never reads costs the server no memory.

Panel writes every message straight into Tornado's buffer for the tab's websocket, which
grows without bound when the browser does not read: Hopfield tabs whose client never
read grew the server by ~10 MB a minute each, never freed. The lab pages now send only
while the socket is free, as the playground does (``playground/labs/when_free.py``).
Here raw Bokeh protocol clients open Hopfield tabs, press play and never read again
(``raw_client.py``); once the kernel's buffers for them are full (which the server
keeps to ``SEND_BUFFER_BYTES`` per connection: seconds of frames, where the kernel's
own default took a minute), the server's resident memory (VmRSS in /proc) is compared
over the next minute: flat with the change, ~29 MB more without it.
"""

import time
from pathlib import Path

import pytest

from playground.connections import SEND_BUFFER_BYTES

from .harness import running_server
from .raw_client import StalledTab

pytestmark = pytest.mark.browser

# The largest picture (its 2,304 spins go whole in every frame) at the highest speed; at
# T = 0 the sweeps are cheap, so the tabs keep their 20 frames a second on a busy machine.
SCENE = "side=48&speed=120&temperature=0"
TABS = 3
BACKED_UP_S = 60  # until the kernel holds all it will for each: seconds here
WATCH_S = 60
MAX_GROWTH_MB = 10


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def test_hopfield_tabs_whose_browser_never_reads_leave_memory_flat(tmp_path):
    with running_server(tmp_path / "serve.log") as server:
        url = server.base_url.rsplit("/app", 1)[0] + f"/hopfield?{SCENE}"
        tabs = [StalledTab(url) for _ in range(TABS)]
        try:
            for tab in tabs:
                tab.open()
                tab.click("ui-playButton")
            for tab in tabs:
                assert tab.wait_until_backed_up(BACKED_UP_S), tab.server_send_queue()
                # The kernel holds no more than the server's cap (doubled, as it counts).
                assert tab.server_send_queue() <= 2 * SEND_BUFFER_BYTES
            start = rss_mb(server.process.pid)
            time.sleep(WATCH_S)
            end = rss_mb(server.process.pid)
            assert "hopfield session ended" not in server.log()  # open all along
        finally:
            for tab in tabs:
                tab.close()
    growth = end - start
    assert growth < MAX_GROWTH_MB, f"{start:.1f} MB -> {end:.1f} MB in {WATCH_S} s"
