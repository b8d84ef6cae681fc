"""What a thousand hostile messages cost the server: its CPU time and the log it writes.

One tab of /app sends N bad messages on Bokeh's websocket, cycling through the kinds the
issue measured: an unknown model id, a slider value far out of range, a megabyte value
for a dropdown, deep nesting. Prints the server's CPU seconds (from /proc) and the bytes
and lines of log the messages caused.

    .venv/bin/python benchmarks/hostile.py [--messages 1000] [--executable PATH] [--runs 3]

``--executable``: another ``playground`` command (an older checkout's, for before/after).
"""

import argparse
import asyncio
import json
import os
import re
import statistics
import tempfile
import urllib.request
import uuid
from pathlib import Path

from tornado.websocket import websocket_connect

from playground.testing import serialized_models, start_server, stop_server

TOKEN = re.compile(r'"token"\s*:\s*"([^"]+)"')
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def page_token(url: str) -> str:
    """The session token of a new tab of ``url``."""
    with urllib.request.urlopen(url, timeout=60) as response:
        return TOKEN.search(response.read().decode()).group(1)


async def send_all(url: str, token: str, messages: int) -> None:
    ws_url = url.replace("http", "ws", 1) + "/ws"
    socket = await websocket_connect(ws_url, subprotocols=["bokeh", token])

    async def send(msgtype: str, content: dict) -> None:
        for part in ({"msgid": uuid.uuid4().hex, "msgtype": msgtype}, {}, content):
            await socket.write_message(json.dumps(part))

    async def receive() -> dict:
        header = json.loads(await socket.read_message())
        await socket.read_message()
        content = json.loads(await socket.read_message())
        for _ in range(2 * header.get("num_buffers", 0)):
            await socket.read_message()
        return header, content

    await receive()  # ACK
    await send("PULL-DOC-REQ", {})
    while (reply := await receive())[0]["msgtype"] != "PULL-DOC-REPLY":
        pass
    models = list(serialized_models(reply[1]["doc"]))
    slider = next(m["id"] for m in models if m.get("name", "").endswith("Slider"))
    select = next(m["id"] for m in models if m.get("name", "").endswith("Select"))
    bad = [
        ("no-such-model", 1),
        (slider, 1e30),
        (select, "v" * 1_000_000),
        (slider, nested(400)),
    ]
    for n in range(messages):
        model, value = bad[n % len(bad)]
        event = {"kind": "ModelChanged", "model": {"id": model}, "attr": "value", "new": value}
        await send("PATCH-DOC", {"events": [event]})
    await send("PULL-DOC-REQ", {})  # answered once every message before it is handled
    while (await receive())[0]["msgtype"] != "PULL-DOC-REPLY":
        pass
    socket.close()


def one_run(messages: int, executable: list[str] | None) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        server = start_server(Path(folder) / "serve.log", executable=executable)
        try:
            url = server.base_url
            asyncio.run(send_all(url, page_token(url), 1))  # the first costs: not counted
            token = page_token(url)
            offset, cpu = server.log_size(), cpu_seconds(server.process.pid)
            asyncio.run(send_all(url, token, messages))
            cpu = cpu_seconds(server.process.pid) - cpu
            log = server.log_since(offset)
        finally:
            stop_server(server)
    return cpu, len(log.encode()), log.count("\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--executable", help="a playground command to measure instead")
    args = parser.parse_args()
    executable = [args.executable] if args.executable else None
    runs = [one_run(args.messages, executable) for _ in range(args.runs)]
    cpu = statistics.median(r[0] for r in runs)
    log_bytes = statistics.median(r[1] for r in runs)
    lines = statistics.median(r[2] for r in runs)
    print(f"{args.messages} hostile messages on /app, median of {args.runs} runs:")
    print(f"  server CPU {cpu:.2f} s, log {log_bytes / 1e6:.3f} MB in {lines:.0f} lines")


if __name__ == "__main__":
    main()
