"""Virtual time for the embedded AWS: a discrete-event clock.

Why: on AWS, tasks take seconds to start, health checks minutes to pass and targets a minute to
drain. Tests and demos must not sleep for that, so every time-dependent state in the emulator reads
this clock. A Wait state or a Retry backoff *sleeps on* it (:meth:`VirtualClock.sleep`): it blocks
until virtual time reaches its deadline. Time gets there in three ways: :meth:`advance` (a test, or
``serve``'s control endpoint); ``rate`` > 0, virtual seconds per real second (``serve``); and the
jump: once no *cursor* is running (every running execution is asleep or waiting on another), time
jumps to the earliest deadline, unless the clock is *held* (:meth:`hold`). So each execution
waits exactly as long in virtual time whether it runs alone or beside others, and nothing sleeps
in real time.

Each waiter (a sleeper, an :class:`Alarm`) waits on a condition of its own, kept in a heap by
deadline, and is woken when time reaches it, not at every move of time. Why: a fleet's fan-out
has a thousand executions asleep at once and time moves thousands of times; waking every sleeper
at every move (one ``notify_all``) was O(sleepers) per move, O(fleet²) in all.

A cursor is one thread of control of an execution (the interpreter registers them:
:mod:`.stepfunctions.timing`): an execution is one, a Map state adds one per iteration worker.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import datetime as _datetime  # the type, where a method is named datetime

_HERE = threading.local()
"""``_HERE.cursor``: this thread is a cursor's own (:meth:`VirtualClock.in_cursor`)."""


class ClockReset(RuntimeError):
    """The account a sleeper belonged to is gone (the clock was reset): its execution ends."""


class VirtualClock:
    """Seconds since the last reset, in virtual time."""

    def __init__(self, rate: float = 0.0) -> None:
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)  # the lock's: each waiter has its own
        self._offset = 0.0
        self._rate = rate
        self._real_start = time.monotonic()
        self._origin = datetime.now(UTC)
        self._deadlines: list[float] = []  # one per sleeper: where time can jump to
        self._waiters: list[tuple[float, int, threading.Condition]] = []  # heap: whom to wake
        self._order = itertools.count()  # ties in the heap: first come, first woken
        self._running = 0  # cursors neither asleep nor waiting on another cursor
        self._generation = 0
        self._held = False  # no jump: time moves only by rate or advance

    # ---- reading ---------------------------------------------------------------------------
    def _now(self) -> float:
        return self._offset + self._rate * (time.monotonic() - self._real_start)

    def now(self) -> float:
        with self._cond:
            return self._now()

    def datetime(self, at: float | None = None) -> datetime:
        """The wall-clock date of virtual instant ``at`` (default: now)."""
        return self._origin + timedelta(seconds=self.now() if at is None else at)

    @property
    def rate(self) -> float:
        return self._rate

    def state(self) -> dict[str, float | int | list[float]]:
        """What the clock is waiting for (``serve``'s state endpoint shows it)."""
        with self._cond:
            return {
                "now": self._now(),
                "rate": self._rate,
                "running": self._running,
                "deadlines": sorted(self._deadlines),
                "held": self._held,
            }

    # ---- moving ----------------------------------------------------------------------------
    def advance(self, seconds: float) -> float:
        """Move time forward (never back), wake the sleepers it reaches, return the new now."""
        if seconds < 0:
            raise ValueError("the virtual clock only moves forward")
        with self._cond:
            self._offset += seconds
            self._wake()
            return self._now()

    def set_rate(self, rate: float) -> None:
        """Let time flow by itself at ``rate`` virtual seconds per real second (0 stops it)."""
        if rate < 0:
            raise ValueError("rate must be >= 0")
        with self._cond:
            self._offset, self._rate, self._real_start = self._now(), rate, time.monotonic()
            self._wake(everyone=True)  # each works out its real timeout again

    def hold(self, held: bool = True) -> None:
        """Stop (or let go of) the jump, so a run that waits stays waiting until time reaches
        its deadline by rate or advance: a test or a person can then act on a run at a point
        it passes in no real time otherwise (stop ``serve`` while it waits for health)."""
        with self._cond:
            self._held = held
            self._jump()

    def reset(self) -> None:
        """A new account's time: 0, stopped, nobody running; sleepers of the old one end."""
        with self._cond:
            self._offset, self._rate, self._real_start = 0.0, 0.0, time.monotonic()
            self._origin = datetime.now(UTC)
            self._deadlines, self._running, self._held = [], 0, False
            self._generation += 1
            self._wake(everyone=True)

    def resume(self, now: float, origin: _datetime) -> None:
        """A saved account's time (``serve --state-dir``): it goes on from ``now`` with the same
        dates, so what it recorded stays in the past (stopped; :meth:`set_rate` starts it)."""
        with self._cond:
            self.reset()
            self._offset, self._origin = now, origin

    def _jump(self) -> None:
        """With no cursor running and no sleeper already due, jump to the earliest deadline."""
        if self._running > 0 or self._held or not self._deadlines:
            return
        earliest, now = min(self._deadlines), self._now()
        if earliest > now:
            self._offset += earliest - now
            self._wake()

    def _wake(self, everyone: bool = False) -> None:
        """Wake the waiters whose deadline time has reached (each checks for itself)."""
        now, waiters = self._now(), self._waiters
        while waiters and (everyone or waiters[0][0] <= now):
            heapq.heappop(waiters)[2].notify()

    def _wait(
        self,
        deadline: float,
        waiter: threading.Condition | None = None,
        done: Callable[[], bool] = lambda: False,
    ) -> None:
        """Under the lock: wait until time reaches ``deadline``, ``done()``, or a reset."""
        generation = self._generation
        waiter = threading.Condition(self._lock) if waiter is None else waiter
        while self._now() < deadline and generation == self._generation and not done():
            heapq.heappush(self._waiters, (deadline, next(self._order), waiter))
            timeout = None if self._rate == 0 else (deadline - self._now()) / self._rate
            if not waiter.wait(timeout):  # flowing time reached it: it may still be heaped
                self._wake()

    # ---- cursors -----------------------------------------------------------------------------
    def sleep(self, seconds: float) -> None:
        """Block the calling cursor until virtual time has moved ``seconds`` on."""
        with self._cond:
            generation, deadline = self._generation, self._now() + max(0.0, seconds)
            self._deadlines.append(deadline)
            self._running -= 1
            self._jump()
            self._wait(deadline)
            if generation != self._generation:
                raise ClockReset("the embedded AWS this execution ran in was reset")
            self._deadlines.remove(deadline)
            self._running += 1

    @staticmethod
    def in_cursor() -> None:
        """The calling thread is a cursor's own (the interpreter says so as each starts), so a
        :meth:`pause` in it sleeps as that cursor."""
        _HERE.cursor = True

    @staticmethod
    def is_cursor() -> bool:
        return bool(getattr(_HERE, "cursor", False))

    def pause(self, seconds: float) -> None:
        """Sleep ``seconds`` of virtual time from any thread: a cursor's own sleeps as that
        cursor; any other (a request of ``serve``'s, a test's own client, a trigger's Lambda
        run by an upload) sleeps as a cursor of its own for the while. Why: botocore's retry
        backoff sleeps wherever a call is made, and must last its virtual seconds there too."""
        if self.is_cursor():
            self.sleep(seconds)
            return
        generation = self.started()
        try:
            self.sleep(seconds)
        finally:
            self.ended(generation)

    def started(self) -> int:
        """A cursor starts (call it in the thread that starts it, before it runs)."""
        with self._cond:
            self._running += 1
            return self._generation

    def ended(self, generation: int) -> None:
        """A cursor ended."""
        with self._cond:
            if generation == self._generation:
                self._running -= 1
                self._jump()

    @contextmanager
    def blocked(self) -> Iterator[None]:
        """The calling cursor waits for others (a Map's iterations, a child execution): while it
        does, it does not hold time back."""
        with self._cond:
            generation = self._generation
            self._running -= 1
            self._jump()
        try:
            yield
        finally:
            with self._cond:
                if generation == self._generation:
                    self._running += 1


class Alarm:
    """What a Task state's ``TimeoutSeconds`` waits on: rung when the work ends, unless virtual
    time reaches the deadline first. Not a sleep: the waiting thread is not the cursor (the work
    it waits for is), so it neither holds time back nor is a deadline time jumps to."""

    def __init__(self, clock: VirtualClock) -> None:
        self._clock = clock
        self._waiter = threading.Condition(clock._lock)
        self.rung_at: float | None = None

    def ring(self) -> None:
        with self._clock._lock:
            if self.rung_at is None:
                self.rung_at = self._clock._now()
            self._waiter.notify()

    def wait(self, deadline: float) -> bool:
        """Whether it was rung before ``deadline`` (False also when the clock was reset)."""
        with self._clock._lock:
            self._clock._wait(deadline, self._waiter, lambda: self.rung_at is not None)
            return self.rung_at is not None and self.rung_at < deadline


CLOCK = VirtualClock()
"""The embedded AWS's one clock (one per process, like the one AWS)."""
