"""Chromium tabs for the browser benchmark (``browser.py``): each in a browser context
of its own, offline but for the server, logging its painted frames in the page
(``PAGE_SCRIPT``) and reporting them in batches; windows of frames and epochs per
second, and the latency from a control change to the picture.
"""

import contextlib
import statistics
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playground.remote import window_rates

LATENCY_SAMPLES = 5
LATENCY_GAP_MS = 300
LATENCY_TIMEOUT_MS = 10_000
LATENCY_BUDGET_S = 30  # at most this long per latency measurement, however slow the app
START_S = 20  # from pressing play to a painted counter above 0, at most
WARM_UP_S = 1.0  # playing before the first window, so every loop has settled its slice
REPORT_S = 30  # waiting for the tabs' last paint reports, at most
LOAD_TIMEOUT_MS = 120_000

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

  // The app announces each painted frame on its live view's own events
  // (assets/view_events.js), whose map of views this sets first: log each one with its
  // time and the counter it shows, and hand the log to Python every 250 ms.
  let pending = [];
  const logPaint = () => pending.push([now(), epoch()]);
  window.playgroundViews = new (class extends Map {
    set(id, events) {
      events.addEventListener("painted", logPaint);
      return super.set(id, events);
    }
  })();
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
