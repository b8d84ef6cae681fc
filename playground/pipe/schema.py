"""What a browser may say, checked before any handler runs.

A browser is anybody's program: a message from it may be any JSON at all, of any size,
depth and number range. Each message the live view sends has one key and a small,
fixed shape (``SCHEMA``); anything else is dropped whole, and the log says so at most
once a minute however many arrive (``DropLog``), so a tab that sends thousands cannot
flood the log either.
"""

import json
import logging
import math
import time
from collections.abc import Callable
from typing import Any

from playground.log_limit import LogLimit

log = logging.getLogger("playground")

MAX_TEXT_BYTES = 4096  # on the frame socket; an acknowledgement is ~30 bytes
MAX_OPENERS = 4  # '[' and '{' in one message: ours have at most two, so depth stays small
MAX_INDEX = 10_000  # a node, link or layer number: far beyond any network one can build
MAX_FRAME = 2**53 - 1  # the browser counts frames in a JavaScript Number
MAX_PAINTS = 1_000_000
DROP_LOG_INTERVAL_S = 60.0


class Invalid(ValueError):
    """A value outside its message's schema."""


Check = Callable[[Any], Any]


def integer(low: int, high: int) -> Check:
    """An integer in [low, high]; JSON's 3.0 counts as 3, a bool or 1e400 does not."""

    def check(value):
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(value)
        return value

    return check


def one_of(*choices) -> Check:
    def check(value):
        for choice in choices:  # by type too: 1 == True, but True is no step
            if type(value) is type(choice) and value == choice:
                return value
        raise Invalid(value)

    return check


def pair(first: Check, second: Check) -> Check:
    def check(value):
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise Invalid(value)
        return [first(value[0]), second(value[1])]

    return check


STEP = one_of(1, -1)
SCHEMA: dict[str, Check] = {
    "ready": one_of(True),
    "ack": pair(integer(0, MAX_FRAME), integer(0, MAX_PAINTS)),  # [frame painted, paints]
    "hover": integer(-1, MAX_INDEX),  # node under the mouse, -1: none
    "tap": pair(one_of("node", "link", "bias"), integer(0, MAX_INDEX)),
    "layers": STEP,
    "neurons": pair(integer(0, MAX_INDEX), STEP),  # [hidden layer, step]
    "close_editor": one_of(True),  # Escape in the weight editor
}


def checked(data) -> dict | None:
    """``data`` as its handlers may take it, or None when it breaks the schema."""
    if not isinstance(data, dict) or not 0 < len(data) <= len(SCHEMA):
        return None
    message = {}
    for key, value in data.items():
        check = SCHEMA.get(key) if isinstance(key, str) else None
        if check is None:
            return None
        try:
            message[key] = check(value)
        except Invalid:
            return None
    return message


def parsed(text) -> dict | None:
    """A frame-socket message (JSON text), checked; the size and the number of brackets
    are bounded before the parser sees it, so it never recurses deeply."""
    if not isinstance(text, str) or len(text) > MAX_TEXT_BYTES:
        return None
    if text.count("[") + text.count("{") > MAX_OPENERS:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return checked(data)


def describe(data) -> str:
    """A short, safe description of a dropped message (never its repr: that may recurse
    or run to megabytes)."""
    if isinstance(data, dict):
        keys = [str(key)[:20] if isinstance(key, str) else type(key).__name__ for key in data]
        return "keys " + ", ".join(keys[:6]) + (" …" if len(keys) > 6 else "")
    if isinstance(data, str | bytes):
        return f"{type(data).__name__} of {len(data)}"
    return type(data).__name__


class DropLog:
    """Counts dropped messages and logs one line per ``interval_s`` at most, with the
    count of those it held back (``playground.log_limit``)."""

    KIND = "malformed message from a browser (dropped)"

    def __init__(
        self, interval_s: float = DROP_LOG_INTERVAL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = LogLimit(log, interval_s, clock)

    @property
    def dropped(self) -> int:
        return self.limit.counts[self.KIND]

    def drop(self, where: str, data) -> None:
        self.limit.line(self.KIND, lambda: f"on {where}: {describe(data)}")
