"""Frame acknowledgement: the browser reports each frame once it has painted it.

Every frame carries its number; the live view answers with the latest frame it has
painted, at most every 100 ms (an answer costs the server about as much as a frame).
The server keeps at most ``MAX_IN_FLIGHT`` frames unacknowledged: enough for ~30
frames/s between two answers, few enough that a slow browser or a busy server never
builds a long queue of stale frames: training goes on, drawing waits.
A tab that stops acknowledging altogether (closed, or hidden, where browsers stop
painting) is ``away``: its loop then neither trains nor draws until it comes back, so
an abandoned tab costs the lecture hall nothing. Nothing is sent before the browser's
view exists (``connected``): it would be lost.
"""

import time

MAX_IN_FLIGHT = 6
AWAY_AFTER_S = 2.0
RESEND_AFTER_S = 1.0  # a lost acknowledgement must not stall the session for good


class FrameAck:
    def __init__(self) -> None:
        self.sent = 0
        self.painted = 0
        self.connected = False
        self._waiting_since = 0.0  # when the oldest unacknowledged frame was sent
        self._last_sent = 0.0

    def view_ready(self) -> None:
        """The browser's view exists (again): what was in flight is gone."""
        self.connected = True
        self.painted = self.sent
        self._waiting_since = 0.0

    def acknowledged(self, frame) -> None:
        if isinstance(frame, int) and not isinstance(frame, bool):
            self.painted = max(self.painted, min(int(frame), self.sent))
        self._waiting_since = time.perf_counter() if self.sent > self.painted else 0.0

    @property
    def can_send(self) -> bool:
        if not self.connected:
            return False
        if self.sent - self.painted < MAX_IN_FLIGHT:
            return True
        return time.perf_counter() - self._last_sent > RESEND_AFTER_S

    @property
    def away(self) -> bool:
        waiting = self._waiting_since and self.sent > self.painted
        return bool(waiting) and time.perf_counter() - self._waiting_since > AWAY_AFTER_S

    def next_frame(self) -> int:
        """Number of the frame about to be sent."""
        now = time.perf_counter()
        if self.sent == self.painted:
            self._waiting_since = now
        self._last_sent = now
        self.sent += 1
        return self.sent
