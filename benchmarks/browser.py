"""Browser speed: frames and epochs per second of playing tabs, and control-to-picture latency.

    python benchmarks/browser.py [--seconds 5] [--sessions 1,10,20] [--num-procs 1] [--repeats 3]

Starts the real server (README's ``panel serve`` command, without --show) on 127.0.0.1 and
a free port, opens N tabs per scene in headless Chromium (each its own browser context,
offline but for the server), presses play in each and, over windows of --seconds, counts
the frames each tab painted (``window.__playgroundPainted``) and the epochs its counter
advanced. Then, while the N tabs keep playing, it changes the activation on one more tab
(on the single tab itself for N=1), with that tab playing, and times from the change to
the animation frame that shows the reset counter ``000,000``. Each window and each
latency series is repeated --repeats times; the medians are reported.

Prints one JSON object on stdout (progress on stderr), with the budgets' pass/fail.
Quick run: ``--seconds 3 --repeats 1``; the default options take about 5 minutes.
"""

import argparse
import contextlib
import json
import os
import re
import signal
import socket
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
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# README's serve flags, less --show; address, port, origin and --num-procs are added.
SERVE_FLAGS = ["--unused-session-lifetime", "3000", "--check-unused-sessions", "1000"]
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
START_S = 15  # pressing play to the first epoch on the counter, at most
WARM_UP_S = 1.0  # playing before the first window, so every loop has settled its slice
LOAD_TIMEOUT_MS = 120_000
SERVER_START_S = 60
SERVER_STOP_S = 10
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

# In every page: deep queries through open shadow roots, the counter, play and latency.
PAGE_SCRIPT = r"""
window.__bench = (() => {
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
  const playButton = () => control(".ui-playButton", "button");
  const playing = () => {
    const button = playButton();
    return !!button && button.textContent.includes("\u275a");  // the pause sign
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
  const snapshot = () => ({
    t: performance.timeOrigin + performance.now(),
    painted: window.__playgroundPainted || 0,
    epoch: epoch(),
    playing: playing(),
  });
  const play = () => {
    const button = playButton();
    if (!button || playing()) return false;
    button.click();
    return true;
  };
  // One sample: make sure the tab plays (after a reset it is paused at 000,000), leave a
  // gap, then change the activation and time until an animation frame shows 000,000.
  const latency = async ({gapMs, timeoutMs}) => {
    if (epoch() === 0) {
      if (!(await waitFor(() => !playing() && playButton(), timeoutMs))) {
        return {error: "play button never showed paused"};
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
        resolve({error: `no 000,000 within ${timeoutMs} ms`, to: wanted});
      }, timeoutMs);
      const poll = () => {
        if (changedAt !== null || epoch() === 0) {
          const now = performance.now();  // in the frame that paints the change
          observer.disconnect();
          clearTimeout(timer);
          resolve({ms: now - t0, dom_ms: (changedAt ?? now) - t0, to: wanted});
        } else {
          requestAnimationFrame(poll);
        }
      };
      requestAnimationFrame(poll);
    });
  };
  // Acknowledges the frame drawn into the initial document (frame 1), as if painted:
  // only BokehJS's data-change callback acknowledges frames, and it never fires for it.
  const ackFirstFrame = () => {
    const docs = (window.Bokeh && window.Bokeh.documents) || [];
    const ack = docs.map((d) => d.get_model_by_name("frame-ack")).find(Boolean);
    if (!ack) return null;
    const before = ack.tags[0] || 0;
    if (!(before > 0)) ack.tags = [1];
    return before;
  };
  return {epoch, epochText, playing, snapshot, play, latency, ackFirstFrame};
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


# -- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    log_path: Path
    base_url: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def ended_sessions(self) -> list[tuple[int, int, float]]:
        return [(int(a), int(b), float(c)) for a, b, c in SESSION_END.findall(self.log())]


@contextlib.contextmanager
def running_server(num_procs: int, log_path: Path):
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "panel"), "serve", "playground/app.py",
        *SERVE_FLAGS,
        "--address", "127.0.0.1", "--port", str(port),
        f"--allow-websocket-origin=127.0.0.1:{port}", "--num-procs", str(num_procs),
    ]  # fmt: skip
    log(f"starting: {' '.join(command[1:])}")
    with log_path.open("wb") as log_file:
        # Its own process group: with --num-procs > 1 the workers are its children.
        process = subprocess.Popen(
            command,
            cwd=REPO,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            start_new_session=True,
        )
    server = Server(process, log_path, f"http://127.0.0.1:{port}/app")
    try:
        wait_until_listening(server)
        yield server
    finally:
        stop_server(process)


def wait_until_listening(server: Server) -> None:
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


def stop_server(process: subprocess.Popen) -> None:
    """SIGTERM to the server's own process group, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    log("stopping the server")
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=SERVER_STOP_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=SERVER_STOP_S)


# -- the tabs ----------------------------------------------------------------------------


@dataclass
class Tab:
    context: object  # playwright.sync_api.BrowserContext
    page: object  # playwright.sync_api.Page
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


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
    page.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: tab.console_errors.append(f"page error: {error}"))
    page.goto(url, wait_until="commit")  # load the tabs side by side
    return tab


def wait_loaded(tabs: list[Tab]) -> None:
    for tab in tabs:
        tab.page.wait_for_function("() => window.__bench && window.__bench.epoch() !== null")


def close_tabs(tabs: list[Tab]) -> None:
    for tab in tabs:
        with contextlib.suppress(Exception):
            tab.context.close()


def snapshot(tab: Tab) -> dict:
    return tab.page.evaluate("() => window.__bench.snapshot()")


def wait_all(tabs: list[Tab], condition: str, timeout_s: float) -> list[int]:
    """Indices of the tabs where the JS ``condition`` did not become true in time."""
    deadline = time.monotonic() + timeout_s
    pending = list(range(len(tabs)))
    while pending and time.monotonic() < deadline:
        pending = [i for i in pending if not tabs[i].page.evaluate(condition)]
        if pending:
            time.sleep(0.1)
    return pending


# -- one measurement ---------------------------------------------------------------------


def window_rates(start: dict, end: dict) -> tuple[float, float]:
    seconds = (end["t"] - start["t"]) / 1000
    frames = end["painted"] - start["painted"]
    epochs = ((end["epoch"] or 0) - (start["epoch"] or 0)) % 1_000_000  # counter: 6 digits
    return frames / seconds, epochs / seconds


def measure_throughput(tabs: list[Tab], seconds: float, repeats: int) -> dict:
    per_repeat = []
    never_painted: set[int] = set()
    stopped: set[int] = set()
    for repeat in range(repeats):
        starts = [snapshot(tab) for tab in tabs]
        time.sleep(seconds)
        ends = [snapshot(tab) for tab in tabs]
        rates = [window_rates(s, e) for s, e in zip(starts, ends, strict=True)]
        fps = [r[0] for r in rates]
        eps = [r[1] for r in rates]
        never_painted |= {i for i, f in enumerate(fps) if f == 0}
        stopped |= {i for i, e in enumerate(ends) if not e["playing"]}
        per_repeat.append(
            {"fps": stats(fps), "epochs_per_s": stats(eps), "epochs_per_s_total": sum(eps)}
        )
        log(
            f"  window {repeat + 1}/{repeats}: fps {per_repeat[-1]['fps']}, "
            f"epochs/s {per_repeat[-1]['epochs_per_s']}, total {sum(eps):.0f}"
        )
    return {
        "fps": median_of([r["fps"] for r in per_repeat]),
        "epochs_per_s": median_of([r["epochs_per_s"] for r in per_repeat]),
        "epochs_per_s_total": round(
            statistics.median(r["epochs_per_s_total"] for r in per_repeat), 1
        ),
        "sessions_never_painted": len(never_painted),
        "sessions_not_playing_at_end": len(stopped),
    }


def measure_latency(tab: Tab, repeats: int) -> dict:
    medians, maxima, every, errors = [], [], [], []
    for repeat in range(repeats):
        samples = []
        for _ in range(LATENCY_SAMPLES):
            result = tab.page.evaluate(
                "(a) => window.__bench.latency(a)",
                {"gapMs": LATENCY_GAP_MS, "timeoutMs": LATENCY_TIMEOUT_MS},
            )
            if "ms" in result:
                samples.append(result["ms"])
            else:
                errors.append(result["error"])
                if len(errors) >= 2 and not samples:
                    break  # the tab does not answer: spare the other timeouts
        if samples:
            medians.append(statistics.median(samples))
            maxima.append(max(samples))
            every += samples
        log(f"  latency {repeat + 1}/{repeats}: {[round(s) for s in samples]} ms")
    if not every:
        return {"median": None, "max": None, "errors": errors}
    result = {
        "median": round(statistics.median(medians), 1),
        "max": round(statistics.median(maxima), 1),
        "worst": round(max(every), 1),
        "samples": len(every),
    }
    if errors:
        result["errors"] = errors
    return result


def wait_sessions_ended(server: Server, before: int, closed: int) -> list[tuple]:
    """Waits until the server logged the end of the ``closed`` sessions; returns them."""
    deadline = time.monotonic() + SESSION_END_S
    while len(server.ended_sessions()) < before + closed and time.monotonic() < deadline:
        time.sleep(0.25)
    ended = server.ended_sessions()[before:]
    if len(ended) < closed:
        log(f"  only {len(ended)} of {closed} sessions ended within {SESSION_END_S} s")
    return ended


def measure(browser, server: Server, scene: str, n: int, args) -> dict:
    url = f"{server.base_url}?{SCENES[scene]}"
    extra = 0 if n == 1 else 1  # the latency tab, beside the N playing ones
    log(f"{scene}, {n} session(s): opening {n + extra} tab(s)")
    tabs = []
    try:
        for _ in range(n + extra):
            tabs.append(open_tab(browser, url))
        started = time.monotonic()
        wait_loaded(tabs)
        log(f"  loaded in {time.monotonic() - started:.1f} s; playing")
        if args.ack_first_frame:
            for tab in tabs:
                tab.page.evaluate("() => window.__bench.ackFirstFrame()")
        players, probe = tabs[:n], tabs[-1]
        for tab in players:
            tab.page.evaluate("() => window.__bench.play()")
        not_started = wait_all(players, "() => window.__bench.epoch() > 0", START_S)
        if not_started:
            log(f"  {len(not_started)} tab(s) did not start training within {START_S} s")
        time.sleep(WARM_UP_S)
        result = measure_throughput(players, args.seconds, args.repeats)
        result["sessions_never_started"] = len(not_started)
        result["latency_ms"] = measure_latency(probe, args.repeats)
        errors = [e for tab in tabs for e in tab.console_errors]
        blocked = [u for tab in tabs for u in tab.blocked]
        if errors:
            result["console_errors"] = {"count": len(errors), "distinct": sorted(set(errors))[:5]}
        if blocked:  # requests to anywhere but the server: the app should need none
            result["blocked_requests"] = {
                "count": len(blocked),
                "tabs": sum(1 for tab in tabs if tab.blocked),
                "distinct": sorted(set(blocked))[:10],
            }
    finally:
        before = len(server.ended_sessions())
        close_tabs(tabs)
    ended = wait_sessions_ended(server, before, len(tabs))
    frames = [e for e in ended if e[1] > 1]
    if frames:  # the server's own drawing cost per frame, from its session-end lines
        result["server_draw_ms_per_frame"] = round(statistics.median(e[2] for e in frames), 1)
    return result


# -- the budgets -------------------------------------------------------------------------


def budgets(scenes: dict) -> dict:
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
            out[name] = {"pass": None, "note": "not measured"}

    lat = {
        f"{scene}/{n}": r["latency_ms"]
        for scene, by_n in scenes.items()
        for n, r in by_n.items()
        if scene in ("default", "large")
    }
    name = f"latency <= {BUDGETS['latency_ms']} ms (median), alone and with 20 others playing"
    values = {key: v.get("median") for key, v in lat.items()}
    worst_case = {key: v.get("max") for key, v in lat.items()}
    out[name] = {
        "median_ms": values,
        "max_ms": worst_case,
        "pass": bool(values)
        and all(v is not None and v <= BUDGETS["latency_ms"] for v in values.values()),
        "with_20_measured": any(key.endswith("/20") for key in values),
    }

    name = f"20 sessions >= {BUDGETS['fps_each_of_20']} fps each"
    twenty = {scene: get(scene, 20) for scene in ("default", "large") if get(scene, 20)}
    if twenty:
        mins = {scene: r["fps"]["min"] for scene, r in twenty.items()}
        out[name] = {
            "min_fps": mins,
            "pass": all(v >= BUDGETS["fps_each_of_20"] for v in mins.values()),
        }
    else:
        out[name] = {"pass": None, "note": "not measured (20 not in --sessions)"}

    name = f"default speed >= {BUDGETS['epochs_per_s_default_speed']} epochs/s"
    r = get("default_speed", 1)
    if r:
        eps = r["epochs_per_s"]["median"]
        out[name] = {"epochs_per_s": eps, "pass": eps >= BUDGETS["epochs_per_s_default_speed"]}
    else:
        out[name] = {"pass": None, "note": "not measured"}
    return out


# -- main --------------------------------------------------------------------------------


def server_log_problems(server: Server) -> list[str]:
    return [line for line in server.log().splitlines() if BAD_LOG_LINE.search(line)][:20]


def run(args) -> dict:
    from playwright.sync_api import sync_playwright

    sessions = [int(s) for s in args.sessions.split(",") if s.strip()]
    result = {
        "machine": machine(),
        "num_procs": args.num_procs,
        "ack_first_frame_workaround": args.ack_first_frame,
    }
    with tempfile.TemporaryDirectory(prefix="browser-bench-") as tmp:
        log_path = Path(tmp) / "panel-serve.log"
        with running_server(args.num_procs, log_path) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                result["chromium"] = browser.version
                result["seconds"], result["repeats"] = args.seconds, args.repeats
                warm = open_tab(browser, f"{server.base_url}?{SCENES['default']}")
                wait_loaded([warm])  # server imports and browser caches, off the clock
                close_tabs([warm])
                scenes: dict[str, dict] = {}
                for scene in SCENES:
                    counts = [1] if scene in SINGLE_SESSION_SCENES else sessions
                    scenes[scene] = {
                        str(n): measure(browser, server, scene, n, args) for n in counts
                    }
                result["scenes"] = scenes
                result["budgets"] = budgets(scenes)
            finally:
                browser.close()
                result["server_log_problems"] = server_log_problems(server)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="length of one window")
    parser.add_argument("--sessions", default="1,10,20", help="comma-separated tab counts")
    parser.add_argument("--num-procs", type=int, default=1, help="panel serve --num-procs")
    parser.add_argument("--repeats", type=int, default=3, help="windows per measurement")
    parser.add_argument(
        "--ack-first-frame",
        action="store_true",
        help="workaround: acknowledge from the page the frame drawn into the initial "
        "document, which the app never acknowledges (a tab idle for 2 s after its session "
        "was created is otherwise taken as away and never trains or draws)",
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
