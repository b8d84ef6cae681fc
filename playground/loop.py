"""The training loop of a session, and the fair sharing of one process among sessions.

Training is decoupled from drawing: every tick trains for a slice of time (or a fixed
number of epochs), then asks for one frame if anything changed and the browser has kept
up. The slice shrinks as more sessions of the same process play, so a lecture hall
shares the CPU evenly and every tab keeps getting frames. No Panel import here.

``run`` is a plain asyncio task, not a Bokeh session callback: those hold the tab's
document for their whole length, so a control change would wait for the training slice
to end. Training touches no Bokeh model; the frame is drawn by ``request_draw``, which
the app runs where the document may be changed. Training hands the event loop back every
``CHUNK_S``, so websocket writes, other tabs and control changes go on meanwhile.
"""

import asyncio
import time
from collections.abc import Callable

from playground.state import PlaygroundState

FRAME_S = 0.030  # one tick per frame: ~33 frames/s at most, so ~25 survive jitter
MAX_SLICE_S = 0.021  # the training share of a tick at "max" speed when playing alone
MIN_SLICE_S = 0.002
CHUNK_S = 0.0025  # training between two turns of the event loop


class Fleet:
    """The playing sessions of one server process (kept in Panel's process cache)."""

    def __init__(self) -> None:
        self.playing: set[int] = set()

    def slice_s(self, draw_s: float) -> float:
        """Training time per tick: a fair share of one frame, less the cost of drawing."""
        share = FRAME_S / max(1, len(self.playing)) - draw_s
        return min(MAX_SLICE_S, max(MIN_SLICE_S, share))


class FrameLoop:
    def __init__(
        self,
        state: PlaygroundState,
        draw: Callable[[], None],
        fleet: Fleet,
        can_draw: Callable[[], bool] = lambda: True,
        away: Callable[[], bool] = lambda: False,
        request_draw: Callable[[bool], None] | None = None,
    ) -> None:
        """``request_draw(force)`` gets ``draw_frame(force)`` run; by default at once."""
        self.state = state
        self.draw = draw
        self.fleet = fleet
        self.can_draw = can_draw
        self.away = away
        self.request_draw = request_draw or self.draw_frame
        self.drawn_key: tuple | None = None
        self.epoch_s = 0.001  # running estimates, to size the training slice
        self.draw_s = 0.005
        self.frames_drawn = 0
        self.draw_total_s = 0.0
        self._running = False

    async def run(self) -> None:
        """A tick every FRAME_S (or as soon as the last one ends) until ``stop``."""
        self._running = True
        while self._running:
            start = time.perf_counter()
            await self.tick()
            await asyncio.sleep(max(0.0, FRAME_S - (time.perf_counter() - start)))

    async def tick(self) -> None:
        state = self.state
        away = self.away()  # a closed or hidden tab: no training until it answers again
        if state.playing and not away:
            self.fleet.playing.add(id(self))
            await self._train()
        else:
            self.fleet.playing.discard(id(self))
        # While away, an occasional frame asks whether the browser is back.
        if self.can_draw() and (away or self.has_news):
            self.request_draw(away)

    async def _train(self) -> None:
        """The speed setting's epochs, or at "max" a time slice in chunks, all quietly:
        the next frame announces them. Divergence asks for a frame at once (it pauses)."""
        state = self.state
        if state.speed:
            wanted = state.speed
            diverged = self._timed_train(wanted) < wanted
        else:
            slice_s = self.fleet.slice_s(self.draw_s)
            start = time.perf_counter()
            network = state.network_version
            diverged = False
            while not diverged and (left := slice_s - (time.perf_counter() - start)) > 0:
                wanted = max(1, int(min(left, CHUNK_S) / self.epoch_s))
                diverged = self._timed_train(wanted) < wanted
                await asyncio.sleep(0)
                # A control may have paused or reset meanwhile: a reset network stays
                # at epoch 0 until play is pressed again.
                if not state.playing or state.network_version != network:
                    break
        if diverged:
            self.request_draw(True)

    def _timed_train(self, epochs: int) -> int:
        start = time.perf_counter()
        done = self.state.train_quietly(epochs)
        self.epoch_s = 0.7 * self.epoch_s + 0.3 * (time.perf_counter() - start) / max(done, 1)
        return done

    @property
    def _key(self) -> tuple:
        return (self.state.params_version, self.state.network_version, self.state.discretize)

    @property
    def has_news(self) -> bool:
        """Epochs not yet shown, or a change since the last frame."""
        return self.state.unannounced_epochs > 0 or self._key != self.drawn_key

    def draw_frame(self, force: bool = False) -> None:
        """Shows the epochs trained since the last frame, then draws if the browser can
        take a frame and anything changed."""
        self.state.announce()
        if self.can_draw():
            self.draw_if_changed(force)

    def draw_if_changed(self, force: bool = False) -> None:
        key = self._key
        if force or key != self.drawn_key:
            self.drawn_key = key
            start = time.perf_counter()
            self.draw()
            elapsed = time.perf_counter() - start
            self.draw_s = 0.7 * self.draw_s + 0.3 * elapsed
            self.frames_drawn += 1
            self.draw_total_s += elapsed

    def invalidate(self) -> None:
        """Something drawn changed outside the key (points, preview): draw at the next tick."""
        self.drawn_key = None

    def stop(self) -> None:
        self._running = False
        self.fleet.playing.discard(id(self))
