"""Nothing a browser sends to a lab holds the event loop: the Hopfield capacity
experiment and the optimizer races run in a worker process, once per tab at a time,
and a tab that closes gets no result.

Ten clicks on the capacity button once froze every tab of the server for four seconds
(~1 frame/s): the experiment ran on the event loop that serves them all. Here a client
(Bokeh's protocol, as a student's browser elsewhere) clicks it twenty times while a
Chromium tab on /app plays beside it and counts the frames it paints.
"""

import asyncio
import math
import re
import time

import pytest
from playwright.sync_api import expect

from playground.labs.hopfield.capacity import RUNNING
from playground.visitors import lab_clients

from .app_page import PLAYING, SEED, open_app, wait_until
from .harness import bad_lines

pytestmark = pytest.mark.browser

CLICKS = 20
CHANGES = 40
MAX_STEPS = 2000
WATCH_S = 4  # the old loop was held 20 x ~0.3 s: every window of this length froze
MIN_FPS = 30
RESULT_S = 60  # the experiment's charts, on a busy machine
SESSION_END_S = 15


def lab_url(server, path: str, query: str = "") -> str:
    return server.base_url.rsplit("/app", 1)[0] + path + (f"?{query}" if query else "")


PAINTED = "() => [performance.now(), [...window.playgroundViews.values()][0].painted]"


def painted(page) -> tuple[float, int]:
    """(the page's clock in ms, frames painted so far) of the playing /app tab: its one
    live view counts them (assets/view_events.js)."""
    return tuple(page.evaluate(PAINTED))


def fps_over(page, seconds: float, during=None) -> float:
    start_ms, start = painted(page)
    if during is not None:
        during()
    page.wait_for_timeout(seconds * 1000)
    end_ms, end = painted(page)
    return (end - start) / ((end_ms - start_ms) / 1000)


@pytest.mark.alone
def test_twenty_clicks_run_one_experiment_and_other_tabs_stay_smooth(tab, server):
    page = tab.page
    open_app(page, f"{server.base_url}?seed={SEED}")
    play = page.locator(".ui-playButton button")
    play.click()
    expect(play).to_have_text(PLAYING)
    quiet = fps_over(page, 2)
    with lab_clients(lab_url(server, "/hopfield")) as (runner, (client,)):

        async def click_twenty() -> None:
            for _ in range(CLICKS):
                await client.click("ui-capacityButton")

        clicking = fps_over(page, WATCH_S, during=lambda: runner.run(click_twenty()))
        assert clicking >= MIN_FPS, f"{clicking:.1f} frames/s while clicking, {quiet:.1f} before"
        # One experiment: its three curves, once (the other clicks did nothing).
        assert wait_until(lambda: client.changes_to("ColumnDataSource") >= 3, RESULT_S)
        time.sleep(2)
        assert client.changes_to("ColumnDataSource") == 3
        labels = [new for attr, new in client.values if attr == "label"]
        assert labels[0] == RUNNING  # the page says that it runs
        assert labels[-1].startswith("Run again (took ")
    assert tab.console_errors == []


@pytest.mark.alone
def test_long_races_one_after_another_leave_other_tabs_smooth(tab, server):
    """A race of 2,000 steps took ~0.1 s of the event loop at every change. A client
    asks for one race after another (each as soon as the last arrived), then for forty
    at once, while /app plays."""
    page = tab.page
    open_app(page, f"{server.base_url}?seed={SEED}")
    play = page.locator(".ui-playButton button")
    play.click()
    expect(play).to_have_text(PLAYING)
    with lab_clients(lab_url(server, "/optimizers")) as (runner, (client,)):

        async def one_after_another() -> None:
            started = time.monotonic()
            steps = MAX_STEPS
            while time.monotonic() - started < WATCH_S:
                await client.change("ui-steps", "value", steps)
                while race_steps(client)[-1:] != [steps]:
                    await asyncio.sleep(0.01)
                steps -= 1

        async def forty_at_once() -> None:
            for n in range(CHANGES):
                await client.change("ui-steps", "value", MAX_STEPS - 100 - n)

        asked = asyncio.run_coroutine_threadsafe(one_after_another(), runner.loop)
        in_turn = fps_over(page, WATCH_S)
        asked.result(RESULT_S)
        at_once = fps_over(page, WATCH_S, during=lambda: runner.run(forty_at_once()))
        races = len(race_steps(client))
        assert in_turn >= MIN_FPS, f"{in_turn:.1f} frames/s during {races} races in turn"
        assert at_once >= MIN_FPS, f"{at_once:.1f} frames/s while forty races were asked for"
        # One race at a time; the changes meanwhile asked for one more, of the latest.
        last = MAX_STEPS - 100 - CHANGES + 1
        assert wait_until(lambda: race_steps(client)[-1:] == [last], RESULT_S)
        assert len(race_steps(client)) - races <= 3, race_steps(client)[races:]
    assert tab.console_errors == []


def race_steps(client) -> list[int]:
    """The steps of each race the client received (its racers' ``steps``)."""
    return [
        int(match[1])
        for attr, new in client.values
        if attr == "racers" and (match := re.search(r"\['steps', (\d+)\]", str(new)))
    ]


def test_a_tab_that_closes_during_its_experiment_gets_no_result(server):
    offset = server.log_size()
    with lab_clients(lab_url(server, "/hopfield")) as (runner, (client,)):
        runner.run(client.click("ui-capacityButton"))
    assert server.wait_for_log("lab session ended: A Hopfield", offset, SESSION_END_S)
    log = server.log_since(offset)
    # Cancelled when its session ended, or its result dropped if it came back before.
    assert "a lab job was cancelled" in log or "a lab job's result was dropped" in log, log
    assert bad_lines(log) == []


def test_strokes_outside_the_picture_are_ignored_without_an_error(server):
    offset = server.log_size()
    with lab_clients(lab_url(server, "/hopfield", "side=8")) as (runner, (client,)):
        canvas = client.component_id("HopfieldCanvas")
        for cells in ([10**24], [-(10**30)], ["x"], [[1, [2]]], [math.nan], [2.5, 10**24, 3]):
            runner.run(client.tell(canvas, {"draw": cells, "value": 1, "id": 1}))
        before = client.messages
        runner.run(client.click("ui-stepButton"))  # the session still answers
        assert wait_until(lambda: client.messages > before, 20)
    assert bad_lines(server.log_since(offset)) == []
