"""The frame's wire format, the same on both sockets.

A frame is a JSON-friendly message plus named arrays. The arrays travel as ONE
little-endian buffer (``pack``): Bokeh sends every buffer of a message as a websocket
frame of its own, which costs more than the few kilobytes inside. On the tab's own
socket the whole frame is one binary message (``encode``): a uint32 (little-endian)
length, that many bytes of JSON, spaces up to a multiple of ``ALIGN`` bytes, then the
packed arrays.
"""

import json
import struct

import numpy as np

ALIGN = 8  # every part starts where a Float64Array may begin (live_view.js: ALIGN)
TYPES = {
    np.dtype(np.uint8): "u8",
    np.dtype("<u2"): "u16",
    np.dtype("<f4"): "f32",
    np.dtype("<f8"): "f64",
}


def pack(arrays: dict[str, np.ndarray]) -> tuple[bytes, dict[str, list]]:
    """Arrays as one little-endian buffer, and where each lies: name -> [type, offset, n]."""
    parts, offset = {}, 0
    flat = {name: np.ascontiguousarray(a).reshape(-1) for name, a in arrays.items()}
    for name, a in flat.items():
        parts[name] = [TYPES[a.dtype], offset, a.size]
        offset += -(-a.nbytes // ALIGN) * ALIGN
    buffer = np.zeros(offset, dtype=np.uint8)
    for name, a in flat.items():
        start = parts[name][1]
        buffer[start : start + a.nbytes] = a.view(np.uint8)
    return buffer.tobytes(), parts


def arrays_start(json_bytes: int) -> int:
    """Where the arrays start after the length and ``json_bytes`` of JSON: aligned."""
    return -(-(4 + json_bytes) // ALIGN) * ALIGN


def encode(message: dict, binary: bytes) -> bytes:
    """One binary websocket message; refuses NaN in the JSON (JSON.parse would)."""
    header = json.dumps(message, separators=(",", ":"), allow_nan=False).encode()
    padding = b" " * (arrays_start(len(header)) - 4 - len(header))
    return b"".join((struct.pack("<I", len(header)), header, padding, binary))


def decode(payload: bytes) -> tuple[dict, bytes]:
    """The inverse of ``encode`` (the browser's side, in Python: for tests and clients)."""
    (length,) = struct.unpack_from("<I", payload)
    return json.loads(payload[4 : 4 + length]), payload[arrays_start(length) :]
