"""Browser speed: frames and epochs per second of playing tabs, and control-to-picture latency.

    python benchmarks/browser.py [--seconds 5] [--sessions 1,10,20] [--num-procs 1] [--repeats 3]

Starts the real server (README's ``panel serve`` command, without --show) on 127.0.0.1 and
a free port and opens tabs in headless Chromium, one after another, each in its own browser
context and offline but for the server. Per scene it opens as many tabs as the largest N,
plus one for the latency, and measures N from the largest down (closing tabs in between).
All N tabs play; every painted frame (``window.__playgroundPainted``) is logged in its tab
with its time and the epoch counter it shows, and reported back in batches, so the windows
of --seconds need no round trip to a busy tab. Then, while the N tabs keep playing, the
activation is changed on the extra tab (on the single tab itself for N=1), playing too,
and the time from the change to the animation frame showing ``000,000`` is taken.
Every window and every latency series is repeated --repeats times; medians are reported.

Prints one JSON object on stdout (progress on stderr), with the budgets' pass/fail.
Quick run: ``--seconds 3 --repeats 1``. A full run takes 6 minutes or more on 2 cores:
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
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the e2e harness: same Chromium flags, same server record
# benchmarks/ itself is on sys.path: this file runs as a script.
from remote import RemoteTabs, window_rates

from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, free_port, serve_command, stop_server
from tests.e2e.harness import Server as HarnessServer

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
LATENCY_SAMPLES = 5
LATENCY_GAP_MS = 300
LATENCY_TIMEOUT_MS = 10_000
LATENCY_BUDGET_S = 30  # at most this long per latency measurement, however slow the app
START_S = 20  # from pressing play to a painted counter above 0, at most
WARM_UP_S = 1.0  # playing before the first window, so every loop has settled its slice
REPORT_S = 30  # waiting for the tabs' last paint reports, at most
LOAD_TIMEOUT_MS = 120_000
SERVER_START_S = 60
SESSION_END_S = 20
SESSION_END = re.compile(r"session ended: .*\((\d+) epochs, (\d+) frames, ([\d.]+) ms per frame\)")
BAD_LOG_LINE = re.compile(r"Traceback|\bERROR\b|\bWARNING\b|Exception")
BUDGETS = {
    "fps_one_session": 25,
    "epochs_per_s_default": 600,
    "epochs_per_s_large": 110,
    "latency_ms": 150,
    "fps_each_of_20": 10,
    "epochs_per_s_default_speed": 60,
}

# In every tab before the app: deep queries through open shadow roots, the epoch counter,
# the log of painted frames, play, the latency probe.
PAGE_SCRIPT = r"""
window.__bench = (() => {
  const now = () => performance.timeOrigin + performance.now();
  const deepFind = (root, selector) => {
    const queue = [root];
    while (queue.length) {
      const node = queue.shift();
      const hit = node.querySelector(selector);
      if (hit) return hit;
      if (node.shadowRoot) queue.push(node.shadowRoot);
      for (const el of node.querySelectorAll("*")) if (el.shadowRoot) queue.push(el.shadowRoot);
    }
    return null;
  };
  const control = (hostSelector, tag) => {
    const host = deepFind(document, hostSelector);
    return host ? deepFind(host, tag) : null;
  };
  let epochHost = null;
  const epochText = () => {
    if (!epochHost || !epochHost.isConnected) epochHost = deepFind(document, ".epoch");
    if (!epochHost) return "";
    const root = epochHost.shadowRoot || epochHost;
    let text = "";
    for (const el of root.children) if (el.tagName !== "STYLE") text += el.textContent;
    return text;
  };
  const epoch = () => {
    const m = /(\d{3}),(\d{3})/.exec(epochText());
    return m ? Number(m[1] + m[2]) : null;
  };

  // The app counts painted frames in window.__playgroundPainted: log each one with its
  // time and the counter it shows, and hand the log to Python every 250 ms.
  let painted = 0;
  let pending = [];
  Object.defineProperty(window, "__playgroundPainted", {
    configurable: true,
    get: () => painted,
    set: (value) => {
      painted = value;
      pending.push([now(), epoch()]);
    },
  });
  setInterval(() => {
    if (typeof window.__benchReport !== "function") return;
    const paints = pending;
    pending = [];
    Promise.resolve(window.__benchReport({now: now(), paints})).catch(() => {});
  }, 250);

  const playButton = () => control(".ui-playButton", "button");
  const playing = () => {
    const button = playButton();
    return !!button && button.textContent.includes("\u275a");  // the pause sign
  };
  const play = () => {
    const button = playButton();
    if (!button || playing()) return false;
    button.click();
    return true;
  };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const waitFor = async (condition, timeoutMs) => {
    const deadline = performance.now() + timeoutMs;
    while (!condition()) {
      if (performance.now() > deadline) return false;
      await sleep(10);
    }
    return true;
  };

  // One sample: make sure the tab plays (after a reset it is paused at 000,000), leave a
  // gap, then change the activation and time until an animation frame shows 000,000.
  const latency = async ({gapMs, timeoutMs}) => {
    if (epoch() === 0) {
      if (!(await waitFor(() => !playing() && playButton(), timeoutMs))) {
        return {error: "the play button never showed paused"};
      }
      playButton().click();
      if (!(await waitFor(() => epoch() > 0, timeoutMs))) {
        return {error: "the counter did not leave 000,000 after play"};
      }
    }
    await sleep(gapMs);
    const select = control(".ui-activation", "select");
    if (!select) return {error: "no activation select"};
    const current = select.selectedOptions[0].text.toLowerCase();
    const wanted = current === "relu" ? "tanh" : "relu";
    const option = Array.from(select.options).find((o) => o.text.toLowerCase() === wanted);
    if (!option) return {error: `no ${wanted} option`};
    if (epoch() === 0) return {error: "the counter was at 000,000 before the change"};
    const root = epochHost.shadowRoot || epochHost;
    let changedAt = null;  // when the DOM first showed 000,000 (a frame may follow fast)
    const observer = new MutationObserver(() => {
      if (changedAt === null && epoch() === 0) changedAt = performance.now();
    });
    observer.observe(root, {subtree: true, childList: true, characterData: true});
    const t0 = performance.now();
    select.value = option.value;
    select.dispatchEvent(new Event("change", {bubbles: true}));
    return await new Promise((resolve) => {
      const timer = setTimeout(() => {
        observer.disconnect();
        resolve({error: `no 000,000 within ${timeoutMs} ms`});
      }, timeoutMs);
      const poll = () => {
        if (changedAt !== null || epoch() === 0) {
          const painted = performance.now();  // in the animation frame that paints it
          observer.disconnect();
          clearTimeout(timer);
          resolve({ms: painted - t0, dom_ms: (changedAt ?? painted) - t0});
        } else {
          requestAnimationFrame(poll);
        }
      };
      requestAnimationFrame(poll);
    });
  };
  return {now, epoch, playing, play, latency};
})();
"""


def log(message: str) -> None:
    print(f"[browser-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores, {model}"


def stats(values: list[float]) -> dict[str, float]:
    return {
        "min": round(min(values), 1),
        "median": round(statistics.median(values), 1),
        "max": round(max(values), 1),
    }


def median_of(dicts: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(d[key] for d in dicts), 1) for key in dicts[0]}


def wall_ms() -> float:
    return time.time() * 1000


# -- the server --------------------------------------------------------------------------


class Server(HarnessServer):
    def ended_sessions(self) -> list[tuple[int, int, float]]:
        return [(int(a), int(b), float(c)) for a, b, c in SESSION_END.findall(self.log())]


@contextlib.contextmanager
def running_server(
    num_procs: int, log_path: Path, cpus: set[int] | None = None, frame_socket: bool = True
):
    port = free_port()
    command = serve_command(port, num_procs, frame_socket)  # README's, less --show
    log(f"starting: {' '.join(command[1:])}")
    ours = os.sched_getaffinity(0)
    with log_path.open("wb") as log_file:
        if cpus:  # the server inherits our CPU affinity
            os.sched_setaffinity(0, cpus)
        try:
            # Its own process group: with --num-procs > 1 the workers are its children.
            process = subprocess.Popen(
                command,
                cwd=REPO,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )
        finally:
            os.sched_setaffinity(0, ours)
    server = Server(process, log_path, f"http://127.0.0.1:{port}/app")
    try:
        wait_until_answering(server)
        yield server
    finally:
        log("stopping the server")
        stop_server(server)  # and its workers: the process group


def wait_until_answering(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"panel serve exited with {server.process.returncode}:\n{server.log()}"
            )
        # Refused until it listens (URLError and timeouts are OSErrors).
        with contextlib.suppress(OSError), urllib.request.urlopen(server.base_url, timeout=30) as r:
            if r.status == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"panel serve did not answer in {SERVER_START_S} s:\n{server.log()}")
        time.sleep(0.25)


# -- the tabs ----------------------------------------------------------------------------


@dataclass(eq=False)
class Tab:
    context: object  # playwright.sync_api.BrowserContext
    page: object  # playwright.sync_api.Page
    offset_ms: float = 0.0  # our wall clock minus the tab's clock
    paints: list[tuple[float, int | None]] = field(default_factory=list)  # our clock
    reported_until: float = 0.0  # our clock: the tab's log is complete up to here
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def report(self, batch: dict) -> None:
        self.paints += [(t + self.offset_ms, epoch) for t, epoch in batch["paints"]]
        self.reported_until = batch["now"] + self.offset_ms

    def window(self, start: float, end: float) -> tuple[float, float]:
        """Painted frames per second and epochs per second over ``start``..``end``."""
        return window_rates(self.paints, start, end)


def open_tab(browser, url: str) -> Tab:
    context = browser.new_context(viewport={"width": 1300, "height": 800})
    context.set_default_timeout(LOAD_TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(context, page)

    def only_local(route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            tab.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    context.add_init_script(PAGE_SCRIPT)
    context.expose_function("__benchReport", tab.report)
    page.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: tab.console_errors.append(f"page error: {error}"))
    page.goto(url, wait_until="commit")
    return tab


def wait_loaded(tabs: list[Tab]) -> None:
    for tab in tabs:
        tab.page.wait_for_function("() => window.__bench && window.__bench.epoch() !== null")
        before = wall_ms()
        page_now = tab.page.evaluate("() => window.__bench.now()")
        tab.offset_ms = (before + wall_ms()) / 2 - page_now


def pump(tabs: list[Tab], seconds: float) -> None:
    """Waits, letting Playwright deliver the tabs' reports meanwhile."""
    tabs[0].page.wait_for_timeout(max(1, round(seconds * 1000)))


def wait_started(tabs: list[Tab], since: float) -> list[Tab]:
    """The tabs that did not paint a counter above 0 after ``since`` within START_S."""
    deadline = time.monotonic() + START_S
    waiting = list(tabs)
    while waiting and time.monotonic() < deadline:
        pump(tabs, 0.2)
        waiting = [t for t in waiting if not any(w > since and e for w, e in t.paints)]
    return waiting


def wait_reported(tabs: list[Tab], until: float) -> None:
    deadline = time.monotonic() + REPORT_S
    while any(t.reported_until < until for t in tabs) and time.monotonic() < deadline:
        pump(tabs, 0.2)


def close_tabs(tabs: list[Tab]) -> None:
    for tab in tabs:
        with contextlib.suppress(Exception):
            tab.context.close()


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


# -- one measurement ---------------------------------------------------------------------


def play_windows(tabs: list[Tab], seconds: float, repeats: int) -> list[tuple[float, float]]:
    """Lets the tabs play ``repeats`` back-to-back windows; returns their bounds."""
    start = wall_ms()
    pump(tabs, seconds * repeats)
    return [(start + r * seconds * 1000, start + (r + 1) * seconds * 1000) for r in range(repeats)]


def summarize_windows(tabs: list, bounds: list[tuple[float, float]]) -> dict:
    """Per window, the fps and epochs/s of the tabs (anything with ``window``: Chromium
    tabs or remote ones), and the medians over the windows."""
    per_repeat = []
    never_painted = set()
    for number, (start, end) in enumerate(bounds, 1):
        rates = [tab.window(start, end) for tab in tabs]
        fps, eps = [r[0] for r in rates], [r[1] for r in rates]
        never_painted |= {i for i, f in enumerate(fps) if f == 0}
        per_repeat.append(
            {"fps": stats(fps), "epochs_per_s": stats(eps), "epochs_per_s_total": sum(eps)}
        )
        log(
            f"  window {number}/{len(bounds)}: fps {per_repeat[-1]['fps']}, "
            f"epochs/s {per_repeat[-1]['epochs_per_s']}, total {sum(eps):.0f}"
        )
    return {
        "fps": median_of([r["fps"] for r in per_repeat]),
        "epochs_per_s": median_of([r["epochs_per_s"] for r in per_repeat]),
        "epochs_per_s_total": round(
            statistics.median(r["epochs_per_s_total"] for r in per_repeat), 1
        ),
        "sessions_with_a_window_without_frames": len(never_painted),
    }


def measure_latency(tab: Tab, repeats: int) -> dict:
    medians, maxima, every, errors = [], [], [], []
    deadline = time.monotonic() + LATENCY_BUDGET_S
    cut_short = False
    for repeat in range(repeats):
        samples = []
        for _ in range(LATENCY_SAMPLES):
            if time.monotonic() > deadline:
                cut_short = True
                break
            result = tab.page.evaluate(
                "(a) => window.__bench.latency(a)",
                {"gapMs": LATENCY_GAP_MS, "timeoutMs": LATENCY_TIMEOUT_MS},
            )
            if "ms" in result:
                samples.append(result["ms"])
            else:
                errors.append(result["error"])
                if len(errors) >= 2 and not every and not samples:
                    cut_short = True  # the tab does not answer: spare the other timeouts
                    break
        if samples:
            medians.append(statistics.median(samples))
            maxima.append(max(samples))
            every += samples
        log(f"  latency {repeat + 1}/{repeats}: {[round(s) for s in samples]} ms")
        if cut_short:
            break
    result: dict = {"median": None, "max": None}
    if every:
        result = {
            "median": round(statistics.median(medians), 1),  # of the series' medians
            "max": round(statistics.median(maxima), 1),  # of the series' maxima
            "worst": round(max(every), 1),
            "samples": len(every),
        }
    if cut_short:
        result["cut_short"] = True
    if errors:
        result["errors"] = sorted(set(errors))
    return result


def page_problems(tabs: list[Tab]) -> dict:
    out = {}
    errors = [e for tab in tabs for e in tab.console_errors]
    blocked = [u for tab in tabs for u in tab.blocked]
    if errors:
        out["console_errors"] = {"count": len(errors), "distinct": sorted(set(errors))[:5]}
    if blocked:  # requests to anywhere but the server: the app should need none
        out["blocked_requests"] = {
            "count": len(blocked),
            "tabs": sum(1 for tab in tabs if tab.blocked),
            "distinct": sorted(set(blocked))[:10],
        }
    return out


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


def budgets(scenes: dict, remote: dict) -> dict:
    def get(scene: str, n: int):
        return scenes.get(scene, {}).get(str(n))

    out = {}
    for scene, need in (("default", "epochs_per_s_default"), ("large", "epochs_per_s_large")):
        r = get(scene, 1)
        name = (
            f"one {scene} session >= {BUDGETS['fps_one_session']} fps "
            f"while >= {BUDGETS[need]} epochs/s"
        )
        if r:
            fps, eps = r["fps"]["median"], r["epochs_per_s"]["median"]
            ok = fps >= BUDGETS["fps_one_session"] and eps >= BUDGETS[need]
            out[name] = {"fps": fps, "epochs_per_s": eps, "pass": ok}
        else:
            out[name] = {"pass": None, "note": "not measured (1 not in --sessions)"}

    latency = {
        f"{scene}/{n}": r["latency_ms"]
        for scene in ("default", "large")
        for n, r in scenes.get(scene, {}).items()
    }
    medians = {key: v.get("median") for key, v in latency.items()}
    out[f"latency <= {BUDGETS['latency_ms']} ms (median), alone and with 20 others playing"] = {
        "median_ms": medians,
        "max_ms": {key: v.get("max") for key, v in latency.items()},
        "pass": bool(medians)
        and all(v is not None and v <= BUDGETS["latency_ms"] for v in medians.values()),
        "with_20_measured": any(key.endswith("/20") for key in medians),
    }

    name = f"20 sessions >= {BUDGETS['fps_each_of_20']} fps each"
    twenty = {scene: get(scene, 20) for scene in ("default", "large") if get(scene, 20)}
    if twenty:
        lowest = {scene: r["fps"]["min"] for scene, r in twenty.items()}
        out[name] = {
            "min_fps": lowest,
            "pass": all(v >= BUDGETS["fps_each_of_20"] for v in lowest.values()),
        }
    else:
        out[name] = {"pass": None, "note": "not measured (20 not in --sessions)"}

    # The same two budgets with the 20 other sessions' browsers elsewhere (remote tabs).
    remote20 = {s: r for s, r in remote.items() if r.get("remote_tabs") == 20}
    name = f"20 remote sessions >= {BUDGETS['fps_each_of_20']} fps each, latency <= "
    name += f"{BUDGETS['latency_ms']} ms in a Chromium tab beside them"
    if remote20:
        lowest = {scene: r["fps"]["min"] for scene, r in remote20.items()}
        latency = {scene: r["latency_ms"].get("median") for scene, r in remote20.items()}
        out[name] = {
            "min_fps": lowest,
            "epochs_per_s_each": {scene: r["epochs_per_s"] for scene, r in remote20.items()},
            "latency_median_ms": latency,
            "pass": all(v >= BUDGETS["fps_each_of_20"] for v in lowest.values())
            and all(v is not None and v <= BUDGETS["latency_ms"] for v in latency.values()),
        }
    else:
        out[name] = {"pass": None, "note": "not measured (20 not in --remote)"}

    name = f"default speed >= {BUDGETS['epochs_per_s_default_speed']} epochs/s"
    r = get("default_speed", 1)
    if r:
        eps = r["epochs_per_s"]["median"]
        out[name] = {"epochs_per_s": eps, "pass": eps >= BUDGETS["epochs_per_s_default_speed"]}
    else:
        out[name] = {"pass": None, "note": "not measured"}
    return out


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


def run(args) -> dict:
    from playwright.sync_api import sync_playwright

    sessions = sorted({int(s) for s in args.sessions.split(",") if s.strip()})
    remote_counts = sorted({int(s) for s in args.remote.split(",") if s.strip() and int(s)})
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
    log_path = Path(tempfile.mkdtemp(prefix="browser-bench-")) / "panel-serve.log"
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
                scenes, problems, draw_ms = {}, {}, {}
                for scene in SCENES:
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
                result["budgets"] = budgets(scenes, remote)
                result["server_draw_ms_per_frame"] = draw_ms
                result["page_problems"] = problems
            finally:
                browser.close()
                result["server_log_problems"] = server_log_problems(server)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="length of one window")
    parser.add_argument("--sessions", default="1,10,20", help="comma-separated tab counts")
    parser.add_argument(
        "--remote",
        default="20",
        help="remote tab counts (comma-separated; 0 for none): that many Bokeh protocol "
        "clients play while one Chromium tab measures latency (benchmarks/remote.py)",
    )
    parser.add_argument("--num-procs", type=int, default=1, help="panel serve --num-procs")
    parser.add_argument("--repeats", type=int, default=3, help="windows per measurement")
    parser.add_argument(
        "--bokeh-frames",
        action="store_true",
        help="serve without --plugins playground.frame_socket: frames over Bokeh's socket",
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
