"""A tab whose browser stops reading: Bokeh's protocol over a plain socket with a small
receive buffer.

Its transport is its own (the helper's Tornado client cannot set a receive buffer before
it connects); its messages are ``playground.testing``'s.

A client that merely stops reading is not enough on this machine: the kernel buffers
up to 32 MB (``net.ipv4.tcp_rmem``) on its side of a loopback connection before the
server's writes back up, ten minutes of a lab's frames. Its receive buffer is set to a
few kB before it connects, and ``wait_until_backed_up`` waits until the server's own
send buffer (up to 4 MB, ``net.ipv4.tcp_wmem``) is full too.
"""

import base64
import json
import os
import socket
import struct
import time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

from playground.testing import bokeh_event, message_parts, page_token, serialized_models

RECEIVE_BUFFER = 4096
TEXT = 0x1


def _frame(text: str) -> bytes:
    """One masked text frame, as a client must send it."""
    data = text.encode()
    mask = os.urandom(4)
    size = len(data)
    if size < 126:
        head = struct.pack("!BB", 0x80 | TEXT, 0x80 | size)
    elif size < 1 << 16:
        head = struct.pack("!BBH", 0x80 | TEXT, 0x80 | 126, size)
    else:
        head = struct.pack("!BBQ", 0x80 | TEXT, 0x80 | 127, size)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


class StalledTab:
    """A lab tab opened over a raw websocket; after ``open`` nothing more is read."""

    def __init__(self, page_url: str) -> None:
        self.page_url = page_url
        self.sock: socket.socket | None = None
        self.doc: dict = {}

    def open(self) -> None:
        with urlopen(self.page_url, timeout=120) as response:
            token = page_token(response.read().decode())
        parts = urlsplit(self.page_url)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        self.sock.settimeout(60)
        self.sock.connect((parts.hostname, parts.port))
        key = base64.b64encode(os.urandom(16)).decode()
        target = f"{parts.path}/ws" + (f"?{parts.query}" if parts.query else "")
        self.sock.sendall(
            (
                f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: bokeh, {token}\r\n"
                f"Origin: http://{parts.netloc}\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head
        self._receive()  # ACK
        self._send("PULL-DOC-REQ", {})
        while True:
            header, content = self._receive()
            if header["msgtype"] == "PULL-DOC-REPLY":
                self.doc = content["doc"]
                break
        self._send("PATCH-DOC", {"events": [bokeh_event("document_ready")]})

    def click(self, css_class: str) -> None:
        for node in serialized_models(self.doc):
            if css_class in (node.get("attributes", {}).get("css_classes") or []):
                self._send("PATCH-DOC", {"events": [bokeh_event("button_click", node["id"])]})
                return
        raise LookupError(css_class)

    def server_send_queue(self) -> int | None:
        """Bytes the server's kernel holds for this client (``tx_queue`` of the server's
        end in /proc/net/tcp), or None when that end is not found."""
        port = self.sock.getsockname()[1]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[2].split(":")[1], 16) == port:  # its peer is us
                return int(fields[4].split(":")[0], 16)
        return None

    def wait_until_backed_up(self, timeout_s: float) -> bool:
        """Waits until the server's end stops taking more (the kernel's send buffer is
        full: from then on every write waits in the server)."""
        deadline = time.monotonic() + timeout_s
        last = None
        while time.monotonic() < deadline:
            time.sleep(2)
            queued = self.server_send_queue()
            if queued and queued == last:
                return True
            last = queued
        return False

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()

    def _send(self, msgtype: str, content: dict) -> None:
        for part in message_parts(msgtype, content):
            self.sock.sendall(_frame(part))

    def _receive(self) -> tuple[dict, dict]:
        header = json.loads(self._message())
        self._message()  # metadata
        content = json.loads(self._message())
        for _ in range(header.get("num_buffers", 0) * 2):
            self._message()
        return header, content

    def _message(self) -> bytes:
        first, second = self._exactly(2)
        size = second & 0x7F
        if size == 126:
            (size,) = struct.unpack("!H", self._exactly(2))
        elif size == 127:
            (size,) = struct.unpack("!Q", self._exactly(8))
        assert first & 0x80, "a fragmented message"
        return self._exactly(size)

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("the server closed the connection")
            data += chunk
        return data
