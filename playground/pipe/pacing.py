"""Frame acknowledgement: the browser reports each frame once it has painted it.

Every frame carries its number; the live view answers with the latest frame it has
painted, at most every 200 ms (an answer costs the server a third of a frame's work).
The server sends while the browser is less than ``MAX_LAG_S`` behind, that is while
the oldest frame it has not painted left less than that long ago, and while it has
fewer unpainted frames than it paints in that time (the answer says how often it
painted): with answers 200 ms apart a
browser that keeps up is never held back, and a slow browser or a busy machine never
builds a queue of stale frames that it would only receive to skip (training goes on,
drawing waits).
A tab that stops acknowledging altogether (closed, or hidden, where browsers stop
painting) is ``away``: its loop then neither trains nor draws until it comes back, so
an abandoned tab costs the lecture hall nothing. Nothing is sent before the browser's
view exists (``connected``): it would be lost.
"""

import math
import time
from collections import deque

from playground.pipe.schema import MAX_FRAME

MAX_LAG_S = 0.35
MAX_IN_FLIGHT = 16  # never more unpainted frames than this (~0.3 s at 57 frames/s)
MIN_IN_FLIGHT = 2  # one being painted, one on its way
AWAY_AFTER_S = 2.0
RESEND_AFTER_S = 1.0  # a lost acknowledgement must not stall the session for good


class FrameAck:
    def __init__(self) -> None:
        self.sent = 0
        self.painted = 0
        self.connected = False
        # When each frame not yet painted was sent, oldest first (a tab that is away
        # gets a frame a second: the bound keeps the newest minute).
        self._unpainted: deque[float] = deque(maxlen=64)
        self._last_sent = 0.0
        self.paint_rate = 30.0  # frames the browser painted per second, lately
        self._last_ack = 0.0

    def view_ready(self) -> None:
        """The browser's view exists (again): what was in flight is gone."""
        self.connected = True
        self.painted = self.sent
        self._unpainted.clear()

    def acknowledged(self, answer) -> None:
        """The browser's answer: [latest frame painted, paints since its last answer]
        (a paint shows the latest frame that arrived: it may skip some). Garbage is
        ignored."""
        frame, paints = answer if isinstance(answer, list) and len(answer) == 2 else (None, None)
        if _count(frame):
            painted = max(self.painted, min(frame, self.sent))
            now = time.perf_counter()
            if self._last_ack and _count(paints):
                rate = paints / max(now - self._last_ack, 1e-3)
                self.paint_rate = 0.5 * self.paint_rate + 0.5 * rate
            self._last_ack = now
            self.painted = painted
        while len(self._unpainted) > self.sent - self.painted:
            self._unpainted.popleft()

    @property
    def in_flight_limit(self) -> int:
        """Unpainted frames allowed: what the browser paints in MAX_LAG_S (a browser
        that paints more as more comes, soon gets more room)."""
        wanted = math.ceil(self.paint_rate * MAX_LAG_S)
        return max(MIN_IN_FLIGHT, min(MAX_IN_FLIGHT, wanted))

    @property
    def behind_s(self) -> float:
        """How long ago the oldest frame the browser has not painted was sent."""
        return time.perf_counter() - self._unpainted[0] if self._unpainted else 0.0

    @property
    def can_send(self) -> bool:
        if not self.connected:
            return False
        if len(self._unpainted) < self.in_flight_limit and self.behind_s < MAX_LAG_S:
            return True
        return time.perf_counter() - self._last_sent > RESEND_AFTER_S

    @property
    def away(self) -> bool:
        return self.behind_s > AWAY_AFTER_S

    def next_frame(self) -> int:
        """Number of the frame about to be sent."""
        now = time.perf_counter()
        self._unpainted.append(now)
        self._last_sent = now
        self.sent += 1
        return self.sent


def _count(value) -> bool:
    """A count as the schema allows it (``schema.SCHEMA["ack"]``): no bool, no 400-digit
    number that float division cannot take."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_FRAME
