"""Training and drawing of every tab of one server process.

Training is decoupled from drawing. Each tab has a ``FrameLoop``: a clock that asks for
a frame every ``Fleet.frame_s()`` when anything changed and the browser has kept up.
A paused tab with nothing new to show (or no view in the browser to show it) stops its
clock until something changes: a paused tab costs the server nothing.
The process has one ``Fleet``, whose single task trains the playing tabs in turn, one
short chunk at a time, and between two chunks lets the event loop do everything else
that is ready: websocket reads and writes, control changes, frames. (Tornado takes
several turns of the event loop to read one message; when each tab trained between two
turns, a control change waited behind a dozen chunks.)

Sharing is by time: every playing tab gets chunks of the same length in turn, after the
tabs that still owe epochs to their next frame (a fixed speed's epochs, or at max speed
one, so that every frame shows progress), and drawing gets a bounded share of the
process (``Fleet.frame_s``): when many tabs play, each tab's frames come further apart,
and the rest is still training. What the Fleet trains is a ``Job``: a tab's frame loop,
or a headless job (a sweep) that draws nothing, takes its turns beside the tabs at max
speed, and does not count among the tabs that draw. No Panel import here.
"""

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from playground.state import PlaygroundState

# A tab's frames at most ~57 a second: a little slower than a 60 Hz display, so the
# browser paints every frame in an animation frame of its own and its queue never grows.
FRAME_S = 0.0175
CHUNK_S = 0.0025  # training between two breaths of the event loop (at least one epoch)
# When many tabs play, frames come further apart so that drawing takes DRAW_SHARE of the
# process, but not below 12 frames a second as long as drawing then takes at most
# MAX_DRAW_SHARE: training always keeps the rest. (Ten a second is smooth enough to
# watch; aiming at twelve keeps every tab at ten or more through the jitter of a busy
# event loop.)
DRAW_SHARE = 0.5
SLOWEST_FRAME_S = 1 / 12
MAX_DRAW_SHARE = 0.8
QUIET_TURN_S = 20e-6  # a turn of an idle event loop takes ~6 us on a 2-core VM
MAX_BREATH_S = 0.010  # training never waits longer than this for the event loop

log = logging.getLogger("playground")


@runtime_checkable
class Job(Protocol):
    """What the Fleet trains: a tab's ``FrameLoop``, or a headless job such as a sweep."""

    draws: bool  # it draws frames: a playing one counts in the drawing estimate (frame_s)

    @property
    def playing(self) -> bool: ...  # it runs (a tab: plays, and is there)

    @property
    def owes(self) -> bool: ...  # it owes work to its next frame: served before turns

    @property
    def wants_training(self) -> bool: ...  # it takes turns: max speed, a headless job

    def train_chunk(self, seconds: float) -> None: ...  # about that long (at least a step)

    def fail(self) -> None: ...  # its training raised: it stops, the others go on


class Fleet:
    """The jobs of one server, that is of one event loop (kept in Panel's process
    cache): its tabs and any headless job, and the one task that trains them."""

    def __init__(self) -> None:
        self.jobs: set[Job] = set()
        # Jobs waiting for a chunk, in order: those that owe epochs to their next frame,
        # in the order they came to owe them (first come, first served: a tab served
        # late would miss its next frame, and by a fixed order the same tabs would),
        # and those that take turns (tabs at max speed, headless jobs).
        self._owing: deque[Job] = deque()
        self._fast: deque[Job] = deque()
        self.draw_s = 0.003  # running estimate of one frame's cost, over all tabs
        self._drawing: int | None = None  # playing jobs that draw; None: count again
        self._wanted: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    @property
    def loops(self) -> set[Job]:
        """The jobs that draw: the tabs' frame loops."""
        return {job for job in self.jobs if job.draws}

    def frame_s(self) -> float:
        """Time between two frames of a tab: FRAME_S, or longer when drawing every
        playing tab that often would take more than its share of the process."""
        if self._drawing is None:  # counted again only after a change (``recount``)
            self._drawing = sum(job.draws and job.playing for job in self.jobs)
        drawing_s = self._drawing * self.draw_s
        preferred = min(drawing_s / DRAW_SHARE, SLOWEST_FRAME_S)
        return max(FRAME_S, preferred, drawing_s / MAX_DRAW_SHARE)

    def drew(self, seconds: float) -> None:
        # A rare slow frame (a garbage collection, a new scene) must not slow every
        # tab's frames for seconds: each sample counts for at most twice the estimate.
        self.draw_s = 0.9 * self.draw_s + 0.1 * min(seconds, 2 * self.draw_s)

    def join(self, job: Job) -> None:
        """A job joins; a headless one then ``wake``s the trainer when it wants training."""
        self.jobs.add(job)
        self.recount()

    def leave(self, job: Job) -> None:
        self.jobs.discard(job)
        self.recount()

    def recount(self) -> None:
        """A job started or stopped playing (or drawing): ``frame_s`` counts them again.
        (Every tab's every tick asks for it; counting each time cost as much as a
        tenth of a crowded process's frames.)"""
        self._drawing = None

    def wake(self) -> None:
        """A job wants training: the trainer, if it sleeps, goes on."""
        if self._wanted is not None:
            self._wanted.set()

    def owe(self, job: Job) -> None:
        """``job`` owes epochs to its next frame: it joins the queue of owing jobs."""
        if job not in self._owing:
            self._owing.append(job)
        self.wake()

    def train_chunk(self) -> bool:
        """About CHUNK_S of training for the next jobs in turn: first the tabs that owe
        epochs to their next frame (several may share a chunk: at max speed a tab owes
        one epoch a frame), then those that take turns. False when no job wants training.

        A turn starts only with half a chunk or more left: a turn that began on the
        scraps of another's would, turn after turn, fall to the same job in the rotation
        (one that always uses its whole turn, as a sweep does, locks the order)."""
        start = time.perf_counter()
        trained = False
        while (left := CHUNK_S - (time.perf_counter() - start)) > 0:
            owing = self._next_owing()
            job = owing or (self._next_fast() if left >= CHUNK_S / 2 else None)
            if job is None:
                break
            trained = True
            try:
                job.train_chunk(left)
            except Exception:  # one job's failure must not stop the others' training
                log.exception("training stopped for a %s", "tab" if job.draws else "job")
                job.fail()
            if owing is not None and job.owes:  # a fixed speed's many epochs: in turn
                self._owing.append(job)
        return trained

    def _next_owing(self) -> Job | None:
        while self._owing:
            job = self._owing.popleft()
            if job in self.jobs and job.owes:
                return job
        return None

    def _next_fast(self) -> Job | None:
        """Round robin over the jobs that take turns."""
        if not self._fast:
            self._fast.extend(job for job in self.jobs if job.wants_training)
        while self._fast:
            job = self._fast.popleft()
            if job in self.jobs and job.wants_training:
                return job
        return None

    def start(self) -> None:
        """Starts the trainer on the running event loop, unless it runs."""
        if self._task is None or self._task.done():
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
    draws = True  # a tab's: a Job that draws

    def __init__(
        self,
        state: PlaygroundState,
        draw: Callable[[], None],
        fleet: Fleet,
        can_draw: Callable[[], bool] = lambda: True,
        away: Callable[[], bool] = lambda: False,
        request_draw: Callable[[bool], None] | None = None,
        view_open: Callable[[], bool] = lambda: True,
    ) -> None:
        """``request_draw(force)`` gets ``draw_frame(force)`` run; by default at once.
        ``view_open()``: the browser has a view that can take frames (until it has,
        a paused tab's news waits: ``wake`` when it opens)."""
        self.state = state
        self.draw = draw
        self.fleet = fleet
        self.can_draw = can_draw
        self.away = away
        self.view_open = view_open
        self.request_draw = request_draw or self.draw_frame
        self.drawn_key: tuple | None = None
        self.epoch_s = 0.001  # running estimate, to size the chunks
        # Epochs still to train before the next frame: the speed's, or at max speed one
        # (every frame shows progress, however many tabs play).
        self.owed = 0
        self.trained_s = 0.0
        self.frames_drawn = 0
        self.draw_total_s = 0.0
        self._away = False
        self._running = False
        self._woken = asyncio.Event()
        # Whatever makes a paused tab's picture change wakes its clock: play, a step or a
        # weight edited (params_version), a new network, discretize (the frame's key),
        # and ``invalidate`` (everything drawn outside the key).
        self._watcher = state.param.watch(
            self.wake, ["playing", "params_version", "network_version", "discretize"]
        )
        self._recounter = state.param.watch(lambda _: fleet.recount(), ["playing"])
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

    @property
    def resting(self) -> bool:
        """Paused, with nothing new to show or no view to show it in: no tick can do
        anything until something changes (and ``wake``s the clock)."""
        return not self.state.playing and not (self.has_news and self.view_open())

    def wake(self, *_events) -> None:
        """Something changed that a frame may have to show: the clock ticks again."""
        self._woken.set()

    async def run(self) -> None:
        """The tab's frame clock, until ``stop``. Each tick is due a frame time after
        the last one was due, not after it ran: on a busy server a late tick makes the
        next one come sooner, so the frame rate holds on average. A resting tab's clock
        waits for a change instead (no periodic work), then ticks at once."""
        self._running = True
        due = time.perf_counter()
        while self._running:
            self._woken.clear()
            if self.resting:
                await self._woken.wait()
                due = time.perf_counter()
                continue
            self.tick()
            frame_s = self.fleet.frame_s()
            due = max(due + frame_s, time.perf_counter() - frame_s)  # never two behind
            await asyncio.sleep(max(0.0, due - time.perf_counter()))

    def tick(self) -> None:
        """One frame's turn: asks for the frame, and for the epochs the next one owes (at
        max speed one; a fixed speed's step is owed by the draw that showed the last
        one, and here only when nothing waits to be shown); a tab that is away (closed,
        hidden) trains nothing until it answers again, and only an occasional frame
        asks whether it is back (a paused tab that is away gets only what is new)."""
        away = self.away()
        if away != self._away:
            self._away = away
            self.fleet.recount()
        if not self.playing:
            self.owed = 0
        # Whether the frame can go out now is mostly for the draw to see: the socket
        # may be free again by then (PlaygroundApp._scheduled_draw). But a playing tab
        # that is away only gets its occasional frame. A fixed speed's frame waits for
        # all its epochs.
        asking = self._away and self.state.playing
        wanted = self.can_draw() if asking else self.has_news
        if wanted and not (self.state.speed and self.owed):
            self.request_draw(self._away)
        if not self.playing:
            return
        if self.owed:
            self.fleet.owe(self)  # still in the queue of owing tabs
        elif not self.state.speed:
            self._owe(1)
        elif not self.has_news:  # nothing trained waits to be shown: the first step
            self._owe(self.state.speed)

    def _owe(self, epochs: int) -> None:
        self.owed = epochs
        self.fleet.owe(self)

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
        # Training stops at the first weight that is not a finite number; with a single
        # epoch wanted that is only seen in the weights.
        diverged = done < wanted or self.state.trainer.diverged
        self.owed = 0 if diverged else max(0, self.owed - done)
        if diverged:
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
        # A fixed speed owes its next epochs once a frame has shown the last ones, not
        # at a tick: a draw refused (the browser behind) or still to come (the draw runs
        # on a later turn of the event loop, after the trainer's) must never let two
        # steps' epochs into one frame.
        if self.playing and self.state.speed and not self.owed and not self.has_news:
            self._owe(self.state.speed)

    def invalidate(self) -> None:
        """Something drawn changed outside the key (points, preview): draw at the next tick."""
        self.drawn_key = None
        self.wake()

    def stop(self) -> None:
        self._running = False
        self.owed = 0
        self.fleet.leave(self)
        if self._watcher is not None:
            self.state.param.unwatch(self._watcher)
            self.state.param.unwatch(self._recounter)
            self._watcher = None
        self.wake()  # a resting clock ends too
