"""Frame acknowledgement: the browser reports each frame once it has painted it.

Every frame carries its number; the live view answers with the latest frame it has
painted, at most every 200 ms (an answer costs the server a third of a frame's work).
The server sends while the browser is less than ``MAX_LAG_S`` behind, that is while
the oldest frame it has not painted left less than that long ago: with answers 200 ms
apart a browser that keeps up is never held back, and a slow browser or a busy machine
never builds a long queue of stale frames (training goes on, drawing waits).
A tab that stops acknowledging altogether (closed, or hidden, where browsers stop
painting) is ``away``: its loop then neither trains nor draws until it comes back, so
an abandoned tab costs the lecture hall nothing. Nothing is sent before the browser's
view exists (``connected``): it would be lost.
"""

import time
from collections import deque

MAX_LAG_S = 0.35
MAX_IN_FLIGHT = 16  # and never more unpainted frames than this (~0.5 s at 30 frames/s)
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

    def view_ready(self) -> None:
        """The browser's view exists (again): what was in flight is gone."""
        self.connected = True
        self.painted = self.sent
        self._unpainted.clear()

    def acknowledged(self, frame) -> None:
        if isinstance(frame, int) and not isinstance(frame, bool):
            self.painted = max(self.painted, min(int(frame), self.sent))
        while len(self._unpainted) > self.sent - self.painted:
            self._unpainted.popleft()

    @property
    def behind_s(self) -> float:
        """How long ago the oldest frame the browser has not painted was sent."""
        return time.perf_counter() - self._unpainted[0] if self._unpainted else 0.0

    @property
    def can_send(self) -> bool:
        if not self.connected:
            return False
        if len(self._unpainted) < MAX_IN_FLIGHT and self.behind_s < MAX_LAG_S:
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
