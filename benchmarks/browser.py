"""Browser speed: frames and epochs per second of playing tabs, and control-to-picture latency.

    python benchmarks/browser.py [--seconds 5] [--sessions 1,10,20] [--speeds 1,3,max]
                                 [--num-procs 1] [--repeats 3] [--beside-sweep]

Starts the real server (``playground serve`` as users start it, without --show) on 127.0.0.1 and
a free port and opens tabs in headless Chromium, one after another, each in its own browser
context and offline but for the server. Per scene it opens as many tabs as the largest N,
plus one for the latency, and measures N from the largest down (closing tabs in between).
All N tabs play; every painted frame (its live view's ``painted`` event) is logged in its tab
with its time and the epoch counter it shows, and reported back in batches, so the windows
of --seconds need no round trip to a busy tab. Then, while the N tabs keep playing, the
activation is changed on the extra tab (on the single tab itself for N=1), playing too,
and the time from the change to the animation frame showing ``000,000`` is taken.
Every window and every latency series is repeated --repeats times; medians are reported.
With --beside-sweep, a sweep (the /sweep lab's, a headless job of the server's Fleet)
trains all along, and the figures say what the tabs keep beside it.
First, one tab alone per --speeds setting reports its painted frames per second and the
epochs each painted frame shows (``speeds.py``).

Prints one JSON object on stdout (progress on stderr), with the budgets' pass/fail.
Quick run: ``--seconds 3 --repeats 1``; the speeds alone: ``--sessions 0 --remote 0``. A full run takes 6 minutes or more on 2 cores:
loading 21 tabs per scene dominates, and slow frames make it longer (the latency of each N
is capped at LATENCY_BUDGET_S).
"""

import argparse
import contextlib
import json
import os
import re
import signal
import statistics
import tempfile
import time
from pathlib import Path

# benchmarks/ is on sys.path: the benchmarks run as scripts.
from budgets import budgets
from chromium_tabs import (
    START_S,
    WARM_UP_S,
    Tab,
    close_tabs,
    log,
    measure_latency,
    open_tab,
    page_problems,
    play_windows,
    pump,
    summarize_windows,
    wait_loaded,
    wait_reported,
    wait_started,
    wall_ms,
)
from speeds import measure_speeds

from playground.remote import RemoteTabs
from playground.testing import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server
from playground.testing import Server as ServerProcess

SCENES = {
    "default": "seed=0.5&speed=0",
    "large": (
        "seed=0.5&speed=0&dataset=spiral&x=true&y=true&xSquared=true&ySquared=true"
        "&xTimesY=true&sinX=true&sinY=true&networkShape=8,8,8,8,8,8"
        "&regularization=L2&regularizationRate=0.001"
    ),
    "default_speed": "seed=0.5",  # the default speed setting, one tab only
}
SINGLE_SESSION_SCENES = {"default_speed"}
SESSION_END_S = 20
SESSION_END = re.compile(r"session ended: .*\((\d+) epochs, (\d+) frames, ([\d.]+) ms per frame\)")
BAD_LOG_LINE = re.compile(r"Traceback|\bERROR\b|\bWARNING\b|Exception")


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores, {model}"


# -- the server --------------------------------------------------------------------------


class Server(ServerProcess):
    def ended_sessions(self) -> list[tuple[int, int, float]]:
        return [(int(a), int(b), float(c)) for a, b, c in SESSION_END.findall(self.log())]


@contextlib.contextmanager
def running_server(
    num_procs: int, log_path: Path, cpus: set[int] | None = None, frame_socket: bool = True
):
    log(
        f"starting playground serve --num-procs {num_procs}"
        + ("" if frame_socket else " --no-frame-socket")
    )
    # No room limit: the counts measured may be above a process's --max-students.
    unlimited = ("--max-students", "0")
    started = start_server(log_path, num_procs, frame_socket, cpus=cpus, extra_args=unlimited)
    server = Server(started.process, started.log_path, started.base_url)
    try:
        yield server
    finally:
        log("stopping the server")
        stop_server(server)  # and its workers: the process group


def close_and_wait(server: Server, tabs: list[Tab]) -> list[tuple]:
    """Closes the tabs and waits until the server logged their sessions' end."""
    before = len(server.ended_sessions())
    close_tabs(tabs)
    return wait_ended(server, before, len(tabs))


def wait_ended(server: Server, before: int, count: int) -> list[tuple]:
    """Waits until ``count`` sessions more than ``before`` have ended; returns those."""
    deadline = time.monotonic() + SESSION_END_S
    while len(server.ended_sessions()) < before + count and time.monotonic() < deadline:
        time.sleep(0.25)
    ended = server.ended_sessions()[before:]
    if len(ended) < count:
        log(f"  only {len(ended)} of {count} sessions ended within {SESSION_END_S} s")
    return ended


def measure_scene(browser, server: Server, scene: str, counts: list[int], args) -> tuple:
    """Opens max(counts) playing tabs and a latency tab, then measures each N, largest first.

    Returns the results by N, the tabs' console errors and blocked requests, and the
    server's median milliseconds per frame drawn (from its session-end lines)."""
    url = f"{server.base_url}?{SCENES[scene]}"
    counts = sorted(set(counts), reverse=True)
    probe_needed = counts[0] > 1
    log(f"{scene}: opening {counts[0] + probe_needed} tab(s)")
    results: dict[str, dict] = {}
    tabs: list[Tab] = []
    ended_before = len(server.ended_sessions())
    try:
        started = time.monotonic()
        for _ in range(counts[0] + probe_needed):
            # One after another: pages requested side by side fetch some of Panel's
            # stylesheets from its CDN instead of the server (blocked here, so unstyled).
            tabs.append(open_tab(browser, url))
            wait_loaded(tabs[-1:])
        load_s = round(time.monotonic() - started, 1)
        log(f"  loaded in {load_s} s")
        players = tabs[: counts[0]]
        probe = tabs[-1] if probe_needed else None
        press = wall_ms()
        for tab in players:
            tab.page.evaluate("() => window.__bench.play()")
        silent = wait_started(players, press)
        if silent:
            log(f"  {len(silent)} tab(s) did not paint any training within {START_S} s")
        for n in counts:
            if len(players) > n:  # fewer sessions now: close the rest, wait for their end
                close_and_wait(server, players[n:])
                players = players[:n]
            if n == 1 and probe is not None:
                close_and_wait(server, [probe])
                probe = None
            log(f"{scene}, {n} session(s) playing")
            pump(players, WARM_UP_S)
            bounds = play_windows(players, args.seconds, args.repeats)
            latency = measure_latency(probe or players[0], args.repeats)
            wait_reported(players, bounds[-1][1])
            result = summarize_windows(players, bounds)
            result["latency_ms"] = latency
            result["sessions_that_never_started"] = sum(1 for t in silent if t in players)
            result["seconds_to_load_all_tabs"] = load_s
            results[str(n)] = result
    finally:
        close_and_wait(server, [t for t in tabs if not t.page.is_closed()])
    drawn = [e for e in server.ended_sessions()[ended_before:] if e[1] > 1]
    draw_ms = round(statistics.median(e[2] for e in drawn), 1) if drawn else None
    return {str(n): results[str(n)] for n in sorted(counts)}, page_problems(tabs), draw_ms


def measure_remote(browser, server: Server, scene: str, count: int, args) -> tuple:
    """``count`` remote tabs (Bokeh protocol clients, no drawing: browsers on other
    machines) play, and so does one Chromium tab, which measures the latency.

    Returns the remote tabs' frames and epochs per second, the Chromium tab's own, its
    latency, and its console errors and blocked requests."""
    url = f"{server.base_url}?{SCENES[scene]}"
    log(f"{scene}: {count} remote tab(s) and one Chromium tab")
    ended_before = len(server.ended_sessions())
    remote = RemoteTabs(server.base_url, SCENES[scene], count)
    probe = None
    try:
        started = time.monotonic()
        remote.open_and_play()
        probe = open_tab(browser, url)
        wait_loaded([probe])
        log(f"  loaded in {time.monotonic() - started:.1f} s")
        press = wall_ms()
        probe.page.evaluate("() => window.__bench.play()")
        wait_started([probe], press)
        pump([probe], WARM_UP_S)
        bounds = play_windows([probe], args.seconds, args.repeats)
        latency = measure_latency(probe, args.repeats)
        wait_reported([probe], bounds[-1][1])
        result = {"remote_tabs": count, **summarize_windows(remote.tabs, bounds)}
        chromium_fps = [probe.window(start, end)[0] for start, end in bounds]
        result["chromium_tab_fps"] = round(statistics.median(chromium_fps), 1)
        result["latency_ms"] = latency
        if remote.errors:
            result["remote_errors"] = sorted(set(remote.errors))[:5]
    finally:
        remote.close()
        close_tabs([probe] if probe else [])
        wait_ended(server, ended_before, count + (probe is not None))
    return result, page_problems([probe] if probe else [])


# -- the budgets -------------------------------------------------------------------------


# -- main --------------------------------------------------------------------------------


def server_log_problems(server: Server) -> dict:
    """Error and warning lines of the server's log, each traceback as its last line."""
    lines = server.log().splitlines()
    found: dict[str, int] = {}
    for i, line in enumerate(lines):
        if not BAD_LOG_LINE.search(line):
            continue
        if line.startswith("Traceback"):  # its exception: the first unindented line after
            after = (x for x in lines[i + 1 :] if x.strip() and not x.startswith((" ", "\t")))
            line = f"Traceback: {next(after, '?')}"
        found[line] = found.get(line, 0) + 1
    return {"log": str(server.log_path), "lines": found} if found else {}


# Long enough to run through every measurement: 25 runs of 2,000 epochs, batch 1 first.
SWEEP = "xValues=0.001,0.003,0.01,0.03,0.1&yValues=1,5,10,20,30&epochs=2000"


def start_sweep(browser, server) -> str:
    """Opens the sweep lab in a tab of its own and presses Run; its address."""
    url = server.base_url.rsplit("/app", 1)[0] + "/sweep?" + SWEEP
    tab = open_tab(browser, url)
    readout = tab.page.locator(".sweep-readout")
    readout.filter(has_text="Press Run").wait_for()
    tab.page.locator(".ui-runButton button").click()
    readout.filter(has_text="of 25 runs").wait_for()
    return url


def run(args) -> dict:
    from playwright.sync_api import sync_playwright

    sessions = sorted({int(s) for s in args.sessions.split(",") if s.strip()})
    sessions = [n for n in sessions if n > 0]
    remote_counts = sorted({int(s) for s in args.remote.split(",") if s.strip() and int(s)})
    speeds = [s.strip() for s in args.speeds.split(",") if s.strip()]
    result = {
        "machine": machine(),
        "num_procs": args.num_procs,
        "frame_socket": not args.bokeh_frames,
        "seconds": args.seconds,
        "repeats": args.repeats,
    }
    server_cpus = {int(c) for c in args.server_cpus.split(",")} if args.server_cpus else None
    if server_cpus:
        browser_cpus = os.sched_getaffinity(0) - server_cpus
        if not browser_cpus or not server_cpus <= os.sched_getaffinity(0):
            raise SystemExit(f"--server-cpus {args.server_cpus}: no CPUs left for the browser")
        result["server_cpus"] = sorted(server_cpus)
        result["browser_cpus"] = sorted(browser_cpus)
    log_path = Path(tempfile.mkdtemp(prefix="browser-bench-")) / "playground-serve.log"
    # The log stays for a look after the run: its path is in the JSON.
    with running_server(
        args.num_procs, log_path, server_cpus, frame_socket=not args.bokeh_frames
    ) as server:
        if server_cpus:  # Playwright's driver and Chromium inherit it
            os.sched_setaffinity(0, browser_cpus)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                result["chromium"] = browser.version
                warm = open_tab(browser, f"{server.base_url}?{SCENES['default']}")
                wait_loaded([warm])  # server imports and browser caches, off the clock
                close_and_wait(server, [warm])
                if args.beside_sweep:  # a headless job in the server's Fleet all along
                    result["beside_sweep"] = start_sweep(browser, server)
                result["speeds"] = measure_speeds(browser, server, speeds, args)
                scenes, problems, draw_ms = {}, {}, {}
                for scene in SCENES if sessions else ():
                    counts = [1] if scene in SINGLE_SESSION_SCENES else sessions
                    scenes[scene], found, draw_ms[scene] = measure_scene(
                        browser, server, scene, counts, args
                    )
                    if found:
                        problems[scene] = found
                remote = {}
                for count in remote_counts:
                    for scene in ("default", "large"):
                        remote[scene], found = measure_remote(browser, server, scene, count, args)
                        if found:
                            problems[f"{scene}/remote"] = found
                result["scenes"] = scenes
                result["remote"] = remote
                result["budgets"] = budgets(scenes, remote, result["speeds"])
                result["server_draw_ms_per_frame"] = draw_ms
                result["page_problems"] = problems
            finally:
                browser.close()
                result["server_log_problems"] = server_log_problems(server)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="length of one window")
    parser.add_argument(
        "--sessions", default="1,10,20", help="comma-separated tab counts (0 for none)"
    )
    parser.add_argument(
        "--speeds",
        default="1,3,max",
        help="speed settings (comma-separated, max for max speed; empty for none): one tab "
        "each, alone, reports painted frames/s and epochs per painted frame",
    )
    parser.add_argument(
        "--remote",
        default="20",
        help="remote tab counts (comma-separated; 0 for none): that many Bokeh protocol "
        "clients play while one Chromium tab measures latency (playground/remote.py)",
    )
    parser.add_argument("--num-procs", type=int, default=1, help="playground serve --num-procs")
    parser.add_argument("--repeats", type=int, default=3, help="windows per measurement")
    parser.add_argument(
        "--beside-sweep",
        action="store_true",
        help="a sweep (the /sweep lab, a headless job of the server) runs all along",
    )
    parser.add_argument(
        "--bokeh-frames",
        action="store_true",
        help="playground serve --no-frame-socket: frames over Bokeh's socket",
    )
    parser.add_argument(
        "--server-cpus",
        help="pin the server to these CPUs (e.g. 0,1) and the browser to the others, so "
        "that N tabs' rendering does not eat the server's cores (needs cores to spare)",
    )
    args = parser.parse_args()

    def terminated(signum, frame):
        raise SystemExit(128 + signum)  # unwinds through the finally blocks: server stops

    signal.signal(signal.SIGTERM, terminated)
    started = time.monotonic()
    result = run(args)
    result["wall_s"] = round(time.monotonic() - started, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
