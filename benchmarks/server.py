"""Server capacity: frames and epochs per second that one server process gives N playing
tabs whose browsers cost it nothing, as in a lecture hall where every student's laptop
draws its own frames.

    python benchmarks/server.py [--sessions 1,10,20,40] [--seconds 5] [--scene default]

``benchmarks/browser.py`` measures real Chromium tabs, but on a 2-core machine twenty
Chromium renderers use both cores themselves. Here each tab is a Bokeh protocol client
(``bokeh.client.pull_session``) in this process: it says its view is ready, presses
play, counts the frames the server sends and acknowledges them as the browser does (the
latest frame, at most every 100 ms). The clients only parse messages; the server does
all it does for a browser. Then, while the N play, a control changes on one more client
and the time until its first frame at epoch 0 is the control-to-frame latency (without
the browser's painting).

The server runs on the CPUs given by --server-cpus (default: all), this process on the
others when there are any. Prints one JSON object.
"""

import argparse
import contextlib
import json
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bokeh.client import pull_session
from bokeh.events import ButtonClick
from browser import SCENES, log, machine, running_server
from panel.models.esm import DataEvent

ACK_EVERY_S = 0.1  # as assets/live_view.js
LATENCY_SAMPLES = 5


class Client:
    """One tab without a browser: ready, play, count frames, acknowledge them."""

    def __init__(self, url: str) -> None:
        self.session = pull_session(url=url)
        self.doc = self.session.document
        self.live = next(m for m in self.doc.models if getattr(m, "class_name", "") == "LiveView")
        self.play_button = next(
            m for m in self.doc.models if getattr(m, "label", None) in ("▶", "❚❚")
        )
        self.frames: list[tuple[float, int, int]] = []  # (time, frame, epoch)
        self.latest = 0
        self.last_ack = 0.0
        self.lock = threading.Lock()
        self.live.on_event("esm_event", self._frame)
        self._send({"ready": True})

    def _send(self, data: dict) -> None:
        self.doc.callbacks.send_event(DataEvent(model=self.live, data=data))

    def _frame(self, event) -> None:
        data = event.data or {}
        if "frame" not in data:
            return
        now = time.monotonic()
        epoch = int(data["epoch"].replace(",", ""))
        with self.lock:
            self.frames.append((now, data["frame"], epoch))
        self.latest = data["frame"]
        if now - self.last_ack >= ACK_EVERY_S:
            self.last_ack = now
            self._send({"ack": self.latest})

    def acknowledge_pending(self) -> None:
        """The trailing acknowledgement the browser sends after its timer."""
        if time.monotonic() - self.last_ack >= ACK_EVERY_S:
            self.last_ack = time.monotonic()
            self.doc.add_next_tick_callback(lambda: self._send({"ack": self.latest}))

    def play(self) -> None:
        self.doc.add_next_tick_callback(
            lambda: self.doc.callbacks.send_event(ButtonClick(self.play_button))
        )

    def window(self, start: float, end: float) -> tuple[float, float]:
        with self.lock:
            inside = [f for f in self.frames if start < f[0] <= end]
            before = [f for f in self.frames if f[0] <= start]
        if not inside:
            return 0.0, 0.0
        first_epoch = before[-1][2] if before else inside[0][2]
        return len(inside) / (end - start), (inside[-1][2] - first_epoch) / (end - start)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.session.close()


def pump(clients: list[Client], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for client in clients:
            client.acknowledge_pending()
        time.sleep(0.05)


def latency(probe: Client, others: list[Client]) -> list[float]:
    """Changes the activation on the probe; ms until its first frame at epoch 0."""
    select = next(m for m in probe.doc.models if getattr(m, "title", "") == "Activation")
    samples = []
    for _ in range(LATENCY_SAMPLES):
        probe.play()
        pump([probe, *others], 0.7)
        wanted = "relu" if select.value != "relu" else "tanh"
        start = time.monotonic()
        probe.doc.add_next_tick_callback(lambda w=wanted: setattr(select, "value", w))
        seen = None
        while time.monotonic() - start < 10 and seen is None:
            pump([probe, *others], 0.01)
            with probe.lock:
                seen = next((t for t, _, e in probe.frames if t > start and e == 0), None)
        samples.append(round(1000 * (seen - start), 1) if seen else float("inf"))
    return samples


def measure(url: str, n: int, seconds: float) -> dict:
    log(f"{n} client(s)")
    clients = [Client(url) for _ in range(n + 1)]
    probe, players = clients[0], clients[1:]
    try:
        for client in players:
            client.play()
        pump(clients, 2.0)
        start = time.monotonic()
        pump(clients, seconds)
        rates = [client.window(start, time.monotonic()) for client in players]
        fps, eps = [r[0] for r in rates], [r[1] for r in rates]
        lat = latency(probe, players)
        result = {
            "fps": {"min": round(min(fps), 1), "median": round(statistics.median(fps), 1)},
            "epochs_per_s": {
                "min": round(min(eps)),
                "median": round(statistics.median(eps)),
                "max": round(max(eps)),
            },
            "epochs_per_s_total": round(sum(eps)),
            "latency_ms": {"median": statistics.median(lat), "max": max(lat)},
        }
        log(f"  {result}")
        return result
    finally:
        for client in clients:
            client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", default="1,10,20,40")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--scene", default="default", choices=sorted(SCENES))
    parser.add_argument("--server-cpus", default="", help="e.g. 0: pin the server to CPU 0")
    args = parser.parse_args()
    cpus = {int(c) for c in args.server_cpus.split(",") if c} or None
    counts = [int(n) for n in args.sessions.split(",")]
    log_path = Path(tempfile.mkdtemp(prefix="server-bench-")) / "panel-serve.log"
    results = {}
    with running_server(1, log_path, cpus) as server:
        if cpus and (others := os.sched_getaffinity(0) - cpus):
            os.sched_setaffinity(0, others)  # the clients stay off the server's CPUs
        url = f"{server.base_url}?{SCENES[args.scene]}"
        for n in counts:
            results[str(n)] = measure(url, n, args.seconds)
    print(
        json.dumps(
            {"machine": machine(), "scene": args.scene, "server_cpus": args.server_cpus or "all",
             "server_log": str(log_path), "sessions": results},
            indent=2,
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
