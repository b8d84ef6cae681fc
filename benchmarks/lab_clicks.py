"""Another tab's frames per second while lab tabs click the Hopfield capacity button.

    python benchmarks/lab_clicks.py [--clickers 1] [--seconds 6] [--repeats 3] [--watch app]

Starts the real server (``playground serve``) and one tab on ``/app`` that plays and
watches: ``--watch app``, headless Chromium on this machine (painted frames, from
its live view's count, ``window.playgroundViews``), or ``--watch remote``, a Bokeh protocol client that
acknowledges frames without drawing (``playground/remote.py``: frames received, what the server
gives a browser on another machine, without this machine's Chromium competing for its
two cores). Then ``--clickers`` clients (``playground/visitors.py``'s lab clients) open
``/hopfield`` and click its capacity button: 20 clicks at once, then one every 100 ms
for ``--seconds``, so that the experiment runs back to back. The watching tab's frames
are counted over that window; a window without clicks comes first, as the reference.

Prints one JSON object: medians over --repeats windows, and the experiments whose
curves reached the clients.
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from playground.remote import RemoteTab, RemoteTabs
from playground.testing import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server
from playground.visitors import ClientLoop, LabClient, lab_clients

CLICK_EVERY_S = 0.1
FIRST_CLICKS = 20
SCENE = "seed=0.5"


def open_watcher(browser, app_url: str):
    page = browser.new_page(viewport={"width": 1300, "height": 800})
    page.goto(f"{app_url}?{SCENE}")
    page.locator(".epoch div").first.wait_for()
    page.locator(".ui-playButton button").click()
    page.wait_for_timeout(2000)
    return page


def window_fps(watcher, seconds: float) -> float:
    if isinstance(watcher, RemoteTab):
        start = time.time() * 1000
        time.sleep(seconds)
        return watcher.window(start, time.time() * 1000)[0]
    # The page's one live view counts its painted frames (assets/view_events.js).
    count = "() => [performance.now(), [...window.playgroundViews.values()][0].painted]"
    start_ms, start = watcher.evaluate(count)
    watcher.wait_for_timeout(seconds * 1000)
    end_ms, end = watcher.evaluate(count)
    return (end - start) / ((end_ms - start_ms) / 1000)


def click_for(runner: ClientLoop, clients: list[LabClient], seconds: float) -> None:
    """Starts every client clicking: FIRST_CLICKS at once, then one every CLICK_EVERY_S."""

    async def click(client: LabClient) -> None:
        for _ in range(FIRST_CLICKS):
            await client.click("ui-capacityButton")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await asyncio.sleep(CLICK_EVERY_S)
            await client.click("ui-capacityButton")

    for client in clients:
        asyncio.run_coroutine_threadsafe(click(client), runner.loop)


def experiments(clients: list[LabClient]) -> int:
    """Experiments whose curves reached the clients (three charts' sources each)."""
    return sum(client.changes_to("ColumnDataSource") for client in clients) // 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clickers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--watch", choices=["app", "remote"], default="app")
    args = parser.parse_args()
    results = {"quiet_fps": [], "clicking_fps": [], "experiments": []}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        server = start_server(Path(folder) / "serve.log")
        base = server.base_url.rsplit("/app", 1)[0]
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        remote = None
        try:
            if args.watch == "remote":
                remote = RemoteTabs(server.base_url, SCENE, 1)
                remote.open_and_play()
                watcher = remote.tabs[0]
                time.sleep(2)
            else:
                watcher = open_watcher(browser, server.base_url)
            for _ in range(args.repeats):
                results["quiet_fps"].append(window_fps(watcher, args.seconds))
                with lab_clients(f"{base}/hopfield", args.clickers) as (runner, clients):
                    click_for(runner, clients, args.seconds)
                    results["clicking_fps"].append(window_fps(watcher, args.seconds))
                    time.sleep(1.5)  # the last experiment's charts
                    results["experiments"].append(experiments(clients))
        finally:
            if remote is not None:
                remote.close()
            browser.close()
            stop_server(server)
    summary = {key: round(statistics.median(values), 1) for key, values in results.items()}
    print(json.dumps({"args": vars(args), "median": summary, "all": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
