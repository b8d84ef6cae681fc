"""Training and drawing of every tab of one server process.

Training is decoupled from drawing. Each tab has a ``FrameLoop``: a clock that asks for
a frame every ``Fleet.frame_s()`` when anything changed and the browser has kept up.
The process has one ``Fleet``, whose single task trains the playing tabs in turn, one
short chunk at a time, and between two chunks lets the event loop do everything else
that is ready: websocket reads and writes, control changes, frames. (Tornado takes
several turns of the event loop to read one message; when each tab trained between two
turns, a control change waited behind a dozen chunks.)

Sharing is by time: every playing tab gets chunks of the same length in turn, tabs with
a fixed speed first (they need few epochs per frame), and drawing gets at most
``DRAW_SHARE`` of the process: when that many frames would take more, each tab's frames
come further apart, and the rest is still training. No Panel import here.
"""

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable

from playground.state import PlaygroundState

FRAME_S = 0.030  # a tab's frames at most ~33 per second, so ~25 survive jitter
CHUNK_S = 0.0025  # training between two breaths of the event loop (at least one epoch)
DRAW_SHARE = 0.6  # of the process, at most, for drawing frames when many tabs play
QUIET_TURN_S = 20e-6  # a turn of an idle event loop takes ~6 us on a 2-core VM
MAX_BREATH_S = 0.010  # training never waits longer than this for the event loop

log = logging.getLogger("playground")


class Fleet:
    """The tabs of one server process (kept in Panel's process cache) and the one task
    that trains them."""

    def __init__(self) -> None:
        self.loops: set[FrameLoop] = set()
        self._turns: deque[FrameLoop] = deque()  # tabs waiting for a chunk, in order
        self.draw_s = 0.003  # running estimate of one frame's cost, over all tabs
        self._wanted: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    def frame_s(self) -> float:
        """Time between two frames of a tab: FRAME_S, or longer when drawing every
        playing tab that often would take more than DRAW_SHARE of the process."""
        playing = sum(loop.playing for loop in self.loops)
        return max(FRAME_S, playing * self.draw_s / DRAW_SHARE)

    def drew(self, seconds: float) -> None:
        self.draw_s = 0.9 * self.draw_s + 0.1 * seconds

    def join(self, loop: "FrameLoop") -> None:
        self.loops.add(loop)

    def leave(self, loop: "FrameLoop") -> None:
        self.loops.discard(loop)

    def wake(self) -> None:
        """A tab wants training: the trainer, if it sleeps, goes on."""
        if self._wanted is not None:
            self._wanted.set()

    def train_chunk(self) -> bool:
        """One chunk for the next tab in turn: tabs that owe epochs at a fixed speed
        first, then those at max speed. False when no tab wants training."""
        owing = [loop for loop in self.loops if loop.owes]
        if owing:
            loop = min(owing, key=lambda loop: loop.trained_s)
        else:
            loop = self._next_in_turn()
            if loop is None:
                return False
        try:
            loop.train_chunk(CHUNK_S)
        except Exception:  # one tab's failure must not stop every other tab's training
            log.exception("training stopped for a tab")
            loop.fail()
        return True

    def _next_in_turn(self) -> "FrameLoop | None":
        if not self._turns:
            self._turns.extend(loop for loop in self.loops if loop.wants_training)
        while self._turns:
            loop = self._turns.popleft()
            if loop in self.loops and loop.wants_training:
                return loop
        return None

    def start(self) -> None:
        """Starts the trainer on the running event loop, once."""
        if self._task is None:
            self._wanted = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self.run(self._wanted))

    async def run(self, wanted: asyncio.Event) -> None:
        while True:
            if not self.train_chunk():
                wanted.clear()
                await wanted.wait()
                continue
            await breathe()


async def breathe() -> None:
    """Lets the event loop run whatever else is ready, for as many turns as that takes
    (two quiet turns in a row end it), up to MAX_BREATH_S."""
    start = time.perf_counter()
    quiet = 0
    while quiet < 2:
        turn = time.perf_counter()
        await asyncio.sleep(0)
        now = time.perf_counter()
        quiet = quiet + 1 if now - turn < QUIET_TURN_S else 0
        if now - start > MAX_BREATH_S:
            return


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
        self.epoch_s = 0.001  # running estimate, to size the chunks
        self.owed = 0  # epochs still to train for the next frame, at a fixed speed
        self.trained_s = 0.0
        self.frames_drawn = 0
        self.draw_total_s = 0.0
        self._away = False
        self._running = False
        fleet.join(self)

    @property
    def playing(self) -> bool:
        """Playing, in a tab that is there."""
        return self.state.playing and not self._away

    @property
    def wants_training(self) -> bool:
        """Playing at max speed (a fixed speed owes its epochs frame by frame)."""
        return self.playing and not self.state.speed

    @property
    def owes(self) -> bool:
        return self.playing and self.owed > 0

    async def run(self) -> None:
        """The tab's frame clock, until ``stop``."""
        self._running = True
        while self._running:
            start = time.perf_counter()
            self.tick()
            wait = self.fleet.frame_s() - (time.perf_counter() - start)
            await asyncio.sleep(max(0.0, wait))

    def tick(self) -> None:
        """One frame's turn: asks for the frame, and at a fixed speed for the epochs of
        the next one; a tab that is away (closed, hidden) trains nothing until it
        answers again, and only an occasional frame asks whether it is back."""
        self._away = self.away()
        if not self.playing:
            self.owed = 0
        if self.can_draw() and (self._away or self.has_news) and not self.owed:
            self.request_draw(self._away)
        if self.playing:
            if self.state.speed and not self.owed:
                self.owed = self.state.speed
            self.fleet.wake()

    def train_chunk(self, seconds: float) -> None:
        """About ``seconds`` of training (at least one epoch; at a fixed speed no more
        than is owed), quietly: the next frame announces it. Divergence asks for a
        frame at once (it pauses)."""
        wanted = max(1, int(seconds / self.epoch_s))
        if self.owed:
            wanted = min(wanted, self.owed)
        start = time.perf_counter()
        done = self.state.train_quietly(wanted)
        elapsed = time.perf_counter() - start
        self.trained_s += elapsed
        self.epoch_s = 0.7 * self.epoch_s + 0.3 * elapsed / max(done, 1)
        self.owed = max(0, self.owed - done) if done == wanted else 0
        if done < wanted:
            self.request_draw(True)

    def fail(self) -> None:
        self.owed = 0
        self.state.playing = False

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
            self.fleet.drew(elapsed)
            self.frames_drawn += 1
            self.draw_total_s += elapsed

    def invalidate(self) -> None:
        """Something drawn changed outside the key (points, preview): draw at the next tick."""
        self.drawn_key = None

    def stop(self) -> None:
        self._running = False
        self.owed = 0
        self.fleet.leave(self)
