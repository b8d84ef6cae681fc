"""``playground serve --workers``: several workers behind a real HAProxy on loopback,
with remote tabs (Bokeh protocol clients, each with its own cookies, as students'
browsers on their own laptops; ``playground.remote``).

- 60 tabs on 3 workers: each tab's page, Bokeh websocket and frame socket reach the
  same worker (the ``X-Playground-Worker`` header of each answer), no frame socket is
  refused, one session per tab, and the workers hold within 2 tabs of each other.
- A worker killed while tabs play: the other tabs keep their frame rate, the killed
  one's tabs come back on a live worker, new tabs go to live workers only, and a new
  worker starts in its place.
- A full room: a new tab gets the full-room page (from the worker itself, or from
  HAProxy when every worker is full) and the tabs already open keep playing.
- Ctrl-C, SIGTERM (and the supervisor killed outright) leave nothing running.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from playground.hall.supervisor import STATUS_FRESH_S
from playground.remote import RemoteTab, RemoteTabs, RoomFull, get_page
from playground.testing import start_server, stop_server

from .harness import check_server_log, running_server

pytestmark = pytest.mark.browser

SCENE = "seed=0.5"
TABS = 60
WORKERS = 3
WINDOW_S = 4.0
SESSION_OPENED = "session opened;"


def room(server) -> dict:
    url = server.base_url.removesuffix("/app") + "/status.json"
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.loads(answer.read())


def tabs_by_worker(server) -> dict[int, int]:
    return {w["pid"]: w["tabs"] for w in room(server)["workers"]}


def wait_until(condition, timeout_s: float, every_s: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every_s)
    return True


def wait_for_tabs(server, count: int, timeout_s: float = 30) -> None:
    """Until the room holds ``count`` tabs (a tab that closed is let go within ~4 s, as
    is the session of the page that ``start_server`` asked for)."""
    assert wait_until(lambda: sum(tabs_by_worker(server).values()) == count, timeout_s), room(
        server
    )


def frame_rates(tabs: list[RemoteTab], seconds: float = WINDOW_S) -> list[float]:
    """Each tab's frames per second over the next ``seconds``."""
    start = time.time() * 1000
    time.sleep(seconds)
    return [tab.window(start, start + seconds * 1000)[0] for tab in tabs]


def assert_one_worker_each(tabs: list[RemoteTab], alive: set[int]) -> None:
    for tab in tabs:
        assert tab.workers["page"] in alive, tab.workers
        assert tab.workers["page"] == tab.workers["bokeh"] == tab.workers["frames"], tab.workers
        assert tab.refusals == [], tab.refusals


@pytest.fixture(scope="module")
def hall(tmp_path_factory, haproxy):
    log_path = tmp_path_factory.mktemp("hall") / "serve.log"
    # No room limit: 60 tabs on three workers is the default limit's edge (STUDENTS_PER_CORE).
    unlimited = ("--workers", str(WORKERS), "--max-students", "0")
    with running_server(log_path, extra_args=unlimited) as server:
        yield server


def test_every_tab_stays_on_its_worker_and_the_workers_share_the_room(hall):
    wait_for_tabs(hall, 0)
    offset = hall.log_size()
    tabs = RemoteTabs(hall.base_url, SCENE)
    try:
        # Paused: a tab that is open costs the proxy's balance as much as a playing one,
        # and this machine far less.
        opened = tabs.add(TABS, press_play=False, timeout=600)
        workers = tabs_by_worker(hall)
        assert len(workers) == WORKERS
        assert_one_worker_each(opened, set(workers))
        wait_for_tabs(hall, TABS)
        assert Counter(tab.workers["page"] for tab in opened) == tabs_by_worker(hall)
        counts = tabs_by_worker(hall).values()
        assert max(counts) - min(counts) <= 2, counts
        # One session per tab: Bokeh's websocket never made a second one elsewhere.
        assert hall.log_since(offset).count(SESSION_OPENED) == TABS
        assert "WebSocket connection opened" in hall.log_since(offset)
        # The room at a glance, through the proxy: every worker's figures, nothing of a
        # session's own.
        status = room(hall)
        assert set(status) == {"workers", "full"}
        assert status["full"] is False
        for worker in status["workers"]:
            assert set(worker) >= {"pid", "port", "tabs", "playing", "fps_p10", "fps_median"}
            assert worker["playing"] == 0
            assert worker["started"].endswith("+00:00")
        page = urllib.request.urlopen(hall.base_url.removesuffix("/app") + "/status")
        with page:
            assert b"The room at a glance" in page.read()
    finally:
        tabs.close()
    wait_for_tabs(hall, 0)


@pytest.mark.alone  # frame rates
def test_a_killed_worker_s_tabs_come_back_on_a_live_one_and_a_new_worker_starts(hall):
    wait_for_tabs(hall, 0)
    tabs = RemoteTabs(hall.base_url, SCENE)
    try:
        playing = tabs.add(2 * WORKERS)
        time.sleep(2)  # the first frames, the pace settled
        before = frame_rates(playing)
        victim = playing[0].workers["page"]
        victim_port = next(w["port"] for w in room(hall)["workers"] if w["pid"] == victim)
        lost = [tab for tab in playing if tab.workers["page"] == victim]
        kept = [tab for tab in playing if tab.workers["page"] != victim]
        assert lost
        assert kept

        os.kill(victim, signal.SIGKILL)

        assert wait_until(lambda: all(tab.errors for tab in lost), 15)
        after = frame_rates(kept)
        rates_before = [rate for tab, rate in zip(playing, before, strict=True) if tab in kept]
        for rate_before, rate_after in zip(rates_before, after, strict=True):
            assert rate_after >= 0.5 * rate_before, (rates_before, after)
        assert all(tab.errors == [] for tab in kept)

        # Its tabs open again, as the page does once the server answers: their browser's
        # cookie names the dead worker, and the proxy sends them to a live one.
        alive = set(tabs_by_worker(hall)) - {victim}
        for tab in lost:
            again = RemoteTab(hall.base_url, SCENE, cookies=tab.cookies)
            tabs.run(again.open())
            tabs.tabs.append(again)
            assert_one_worker_each([again], alive)
        # New browsers go to live workers only.
        newcomers = tabs.add(WORKERS, press_play=False)
        assert_one_worker_each(newcomers, alive | set(tabs_by_worker(hall)))
        assert victim not in {tab.workers["page"] for tab in newcomers}

        # A new worker in the killed one's place.
        def replaced() -> bool:
            workers = room(hall)["workers"]
            return any(w["port"] == victim_port and w["tabs"] is not None for w in workers)

        assert wait_until(replaced, 120), room(hall)
        assert victim not in tabs_by_worker(hall)
        log = hall.log()
        assert f"(pid {victim}) was killed by signal 9; starting it again" in log
        assert re.search(r"worker \d started again \(pid \d+\)", log)
        # The room's line, every 10 s while tabs are open, with every worker's figures.
        assert re.search(r"room: \d+ tabs, \d+ playing, room for more; worker \d+", log)
        assert "frames/s p10" in log
    finally:
        tabs.close()


def full_room_after(server, tabs: RemoteTabs, count: int) -> None:
    """Opens ``count`` playing tabs into an empty room that holds exactly that many."""
    wait_for_tabs(server, 0)
    tabs.add(count)
    # The supervisor answers from figures up to STATUS_FRESH_S old: four quick opens can
    # all fit inside that second.
    assert wait_until(lambda: room(server)["full"], 2 * STATUS_FRESH_S + 5), room(server)


def assert_still_playing(tabs: list[RemoteTab]) -> None:
    """Every tab already open still gets 10 frames a second or more."""
    rates = frame_rates(tabs)
    assert min(rates) >= 10, rates
    assert all(tab.errors == [] for tab in tabs)


@pytest.mark.alone  # frame rates
def test_a_full_worker_gives_a_new_tab_the_full_room_page(tmp_path):
    """``--max-students 3`` on one worker, without a proxy."""
    args = ("--max-students", "3")
    with running_server(tmp_path / "serve.log", extra_args=args) as server:
        tabs = RemoteTabs(server.base_url, SCENE)
        try:
            full_room_after(server, tabs, 3)
            newcomer = RemoteTab(server.base_url, SCENE)
            with pytest.raises(RoomFull):
                tabs.run(newcomer.open())
            status, headers, page = get_page(newcomer.page_url, newcomer.cookies)
            assert status == 503
            assert "The room is full" in page
            assert headers["Retry-After"]
            assert_still_playing(tabs.tabs)
            assert sum(tabs_by_worker(server).values()) == 3
            # A worker on its own logs the room's line itself.
            assert server.wait_for_log("room: 3 tabs, 3 playing, full; worker", 0, 15)
        finally:
            tabs.close()
        assert "a new one got the full-room page" in server.log()


@pytest.mark.alone  # frame rates
def test_when_every_worker_is_full_the_proxy_says_so(tmp_path, haproxy):
    """``--workers 2 --max-students 2``: the fifth tab gets the full-room page from
    HAProxy itself (no worker named), once the workers' agents say they are full. Under
    a prefix, as a department's server may serve it."""
    args = ("--workers", "2", "--max-students", "2")
    with running_server(tmp_path / "serve.log", prefix="hall", extra_args=args) as server:
        assert server.base_url.endswith("/hall/app")
        tabs = RemoteTabs(server.base_url, SCENE)
        try:
            full_room_after(server, tabs, 4)
            assert sorted(tabs_by_worker(server).values()) == [2, 2]
            answers = []

            def from_the_proxy() -> bool:
                status, headers, page = get_page(server.base_url, RemoteTab("", "").cookies)
                answers.append((status, headers.get("X-Playground-Worker")))
                return status == 503 and "The room is full" in page and answers[-1][1] is None

            assert wait_until(from_the_proxy, 15), answers
            assert {status for status, _ in answers} == {503}  # a full worker said so too
            assert_still_playing(tabs.tabs)
        finally:
            tabs.close()
        assert "enters drain state" in server.log()  # HAProxy's own word


def proxy_and_workers(supervisor: int) -> list[int]:
    """The supervisor's children (HAProxy and the workers), from /proc."""
    path = Path(f"/proc/{supervisor}/task/{supervisor}/children")
    return [int(pid) for pid in path.read_text().split()]


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_stopping_the_supervisor_leaves_nothing_running(tmp_path, haproxy, signum):
    server = start_server(tmp_path / "serve.log", extra_args=("--workers", "2"))
    try:
        assert server.wait_for_log("serving http://", 0, 30)
        children = proxy_and_workers(server.process.pid)
        assert len(children) == 3
        folder = next(
            Path(part).parent
            for pid in children
            for part in Path(f"/proc/{pid}/cmdline").read_text().split("\0")
            if part.endswith("haproxy.cfg")
        )
        assert folder.is_dir()
        os.kill(server.process.pid, signum)  # the supervisor only, as a terminal's Ctrl-C
        code = server.process.wait(timeout=60)
        assert code == (-signal.SIGKILL if signum == signal.SIGKILL else 0)
        assert wait_until(lambda: all(gone(pid) for pid in children), 10), children
        if signum == signal.SIGKILL:
            shutil.rmtree(folder)  # a supervisor killed outright cannot remove it
        else:
            assert not folder.exists()
            assert "stopping the workers and HAProxy" in server.log()
    finally:
        with contextlib.suppress(subprocess.TimeoutExpired, ProcessLookupError):
            stop_server(server)
    check_server_log(server)
