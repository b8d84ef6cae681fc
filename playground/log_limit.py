"""One log line per kind of trouble per minute, however often it comes.

A browser is anybody's program: a thousand bad messages must not write a thousand
tracebacks, nor a megabyte value a megabyte of log. ``LogLimit.line`` writes the first
of a kind at once and holds the rest for a minute, then says how many there were with
the next one. Values are quoted short (``quoted``).
"""

import logging
import reprlib
import time
from collections import Counter
from collections.abc import Callable

INTERVAL_S = 60.0
QUOTE_CHARS = 100

# Repr of any value, however deep or large, in bounded time: nested lists stop at a few
# levels, long strings and numbers are cut.
_SHORT = reprlib.Repr()  # (Python 3.11's takes no keyword arguments)
_SHORT.maxlevel = 3
_SHORT.maxtuple = _SHORT.maxlist = _SHORT.maxarray = _SHORT.maxdict = 4
_SHORT.maxset = _SHORT.maxfrozenset = _SHORT.maxdeque = 4
_SHORT.maxstring = _SHORT.maxother = QUOTE_CHARS
_SHORT.maxlong = 40


def quoted(value: object, limit: int = QUOTE_CHARS) -> str:
    """``value`` as a log line may quote it: at most ``limit`` characters (a cut shown by
    "…"), a string as its text, anything else as a short repr, and every character that
    would break or forge a line (line breaks, controls, direction overrides) escaped."""
    text = value if isinstance(value, str) else _short_repr(value)
    shown = []
    size = 0
    for ch in text[: limit * 2]:
        piece = ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        if size + len(piece) > limit - 1:
            return "".join(shown) + "…"
        shown.append(piece)
        size += len(piece)
    return "".join(shown) + ("…" if len(text) > limit * 2 else "")


def _short_repr(value: object) -> str:
    try:
        return _SHORT.repr(value)
    except Exception:  # noqa: BLE001 (a value whose repr fails is still named)
        return f"<{type(value).__name__}>"


class LogLimit:
    """``line(kind, text)``: at most one line per ``kind`` every ``interval_s``."""

    def __init__(
        self,
        logger: logging.Logger,
        interval_s: float = INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.interval_s = interval_s
        self.clock = clock
        self.counts: Counter[str] = Counter()  # every occurrence, by kind
        self._held: Counter[str] = Counter()
        self._next: dict[str, float] = {}

    def line(self, kind: str, text: str | Callable[[], str], level: int = logging.WARNING) -> bool:
        """Counts one ``kind``; logs ``kind: text`` unless a line of that kind went out less
        than ``interval_s`` ago. Says whether it logged. ``text`` may be a function, called
        only for a line that goes out (describing an exception takes time)."""
        self.counts[kind] += 1
        now = self.clock()
        if now < self._next.get(kind, -float("inf")):
            self._held[kind] += 1
            return False
        held = self._held.pop(kind, 0)
        more = f" (and {held} more in the last {self.interval_s:g} s)" if held else ""
        self.logger.log(level, "%s: %s%s", kind, text() if callable(text) else text, more)
        self._next[kind] = now + self.interval_s
        return True
