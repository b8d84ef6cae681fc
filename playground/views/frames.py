"""Frame acknowledgement: the browser reports each frame once it has painted it.

Every frame carries its number in the heatmap's data source; a small CustomJS callback
answers after the browser's next paint. The server keeps at most ``MAX_IN_FLIGHT``
frames unacknowledged, so a slow browser or a busy server never builds a queue of stale
frames: training goes on, drawing waits. A tab that stops acknowledging altogether
(closed, or hidden, where browsers stop painting) is ``away``: its loop then neither
trains nor draws until it comes back, so an abandoned tab costs the lecture hall
nothing. Plain Bokeh models keep this cheap: it runs on every frame.
"""

import time

from bokeh.models import ColumnDataSource, CustomJS, Div

MAX_IN_FLIGHT = 2
AWAY_AFTER_S = 2.0
RESEND_AFTER_S = 1.0  # a lost acknowledgement must not stall the session for good

_ACK_AFTER_PAINT = """
const frame = source.data.frame ? source.data.frame[0] : 0;
// Two animation frames: the first runs before the paint, the second after it.
requestAnimationFrame(() => requestAnimationFrame(() => {
  window.__playgroundPainted = (window.__playgroundPainted || 0) + 1;
  if (frame > (ack.tags[0] || 0)) { ack.tags = [frame]; }
}));
"""


class FrameAck:
    def __init__(self, source: ColumnDataSource) -> None:
        """``source`` is a data source replaced on every frame, with a ``frame`` column."""
        self.sent = 0
        self.painted = 0
        self._waiting_since = 0.0  # when the oldest unacknowledged frame was sent
        self._last_sent = 0.0
        # An invisible model whose tags the browser sets: they sync back to Python.
        self.model = Div(text="", tags=[0], visible=False, name="frame-ack")
        self.model.on_change("tags", self._acknowledged)
        source.js_on_change(
            "data", CustomJS(args={"source": source, "ack": self.model}, code=_ACK_AFTER_PAINT)
        )

    def _acknowledged(self, attr, old, new) -> None:
        self.painted = max(self.painted, int(new[0]) if new else 0)
        self._waiting_since = time.perf_counter() if self.sent > self.painted else 0.0

    def page_loaded(self) -> None:
        """Frames drawn before the browser connected arrive with the page itself."""
        self.painted = self.sent
        self._waiting_since = 0.0

    @property
    def can_send(self) -> bool:
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
