"""The training loop of a session, and the fair sharing of one process among sessions.

Training is decoupled from drawing: every tick trains for a slice of time (or a fixed
number of epochs), then draws one frame if anything changed and the browser has kept
up. The slice shrinks as more sessions of the same process play, so a lecture hall
shares the CPU evenly and every tab keeps getting frames. No Panel import here.

A tick is a coroutine that hands the event loop back every ``CHUNK_S`` of training:
websocket writes, other tabs' callbacks and the server's replies then go out while a
tab trains, instead of queueing behind a whole slice.
"""

import asyncio
import time
from collections.abc import Callable

from playground.state import PlaygroundState

FRAME_S = 0.030  # one tick per frame: ~33 frames/s at most, so ~25 survive jitter
MAX_SLICE_S = 0.021  # the training share of a tick at "max" speed when playing alone
MIN_SLICE_S = 0.002
CHUNK_S = 0.005  # training between two turns of the event loop


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
    ) -> None:
        self.state = state
        self.draw = draw
        self.fleet = fleet
        self.can_draw = can_draw
        self.away = away
        self.drawn_key: tuple | None = None
        self.epoch_s = 0.001  # running estimates, to size the training slice
        self.draw_s = 0.005
        self.frames_drawn = 0
        self.draw_total_s = 0.0

    async def tick(self) -> None:
        state = self.state
        away = self.away()  # a closed or hidden tab: no training until it answers again
        if state.playing and not away:
            self.fleet.playing.add(id(self))
            await self._train()
        else:
            self.fleet.playing.discard(id(self))
        if self.can_draw():
            # Epochs trained while no frame could go out are shown with this one.
            state.announce()
            # While away, an occasional frame asks whether the browser is back.
            self.draw_if_changed(force=away)

    async def _train(self) -> None:
        """The speed setting's epochs, or at "max" a time slice in chunks, all quietly:
        the next frame announces them. Divergence is announced at once (it pauses)."""
        state = self.state
        if state.speed:
            wanted = state.speed
            diverged = self._timed_train(wanted) < wanted
        else:
            slice_s = self.fleet.slice_s(self.draw_s)
            start = time.perf_counter()
            diverged = False
            while not diverged and (left := slice_s - (time.perf_counter() - start)) > 0:
                wanted = max(1, int(min(left, CHUNK_S) / self.epoch_s))
                diverged = self._timed_train(wanted) < wanted
                await asyncio.sleep(0)
        if diverged:
            state.announce()

    def _timed_train(self, epochs: int) -> int:
        start = time.perf_counter()
        done = self.state.train_quietly(epochs)
        self.epoch_s = 0.7 * self.epoch_s + 0.3 * (time.perf_counter() - start) / max(done, 1)
        return done

    def draw_if_changed(self, force: bool = False) -> None:
        key = (self.state.params_version, self.state.network_version, self.state.discretize)
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
        self.fleet.playing.discard(id(self))
