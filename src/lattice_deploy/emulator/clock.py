"""Virtual time for the embedded AWS.

Why: on AWS, tasks take seconds to start, health checks minutes to pass and targets a minute to
drain. Tests and demos must not sleep for that, so every time-dependent state in the emulator reads
this clock, and whoever drives a run (a test, the local runner's Wait states, ``serve``'s control
endpoint) moves it forward. ``rate`` lets ``serve`` also let time flow by itself, faster than real.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class VirtualClock:
    """Seconds since the last reset in virtual time; moves by :meth:`advance` and, if ``rate`` > 0,
    by ``rate`` virtual seconds per real second. :meth:`datetime` maps it onto wall time."""

    def __init__(self, rate: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._rate = rate
        self._real_start = time.monotonic()
        self._origin = datetime.now(UTC)

    def now(self) -> float:
        with self._lock:
            return self._offset + self._rate * (time.monotonic() - self._real_start)

    def datetime(self) -> datetime:
        return self._origin + timedelta(seconds=self.now())

    def advance(self, seconds: float) -> float:
        """Move time forward (never back) and return the new now."""
        if seconds < 0:
            raise ValueError("the virtual clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()

    def set_rate(self, rate: float) -> None:
        """Let time flow by itself at ``rate`` virtual seconds per real second (0 stops it)."""
        if rate < 0:
            raise ValueError("rate must be >= 0")
        now = self.now()
        with self._lock:
            self._offset, self._rate, self._real_start = now, rate, time.monotonic()

    @property
    def rate(self) -> float:
        return self._rate

    def reset(self) -> None:
        with self._lock:
            self._offset, self._rate, self._real_start = 0.0, 0.0, time.monotonic()
            self._origin = datetime.now(UTC)


CLOCK = VirtualClock()
"""The embedded AWS's one clock (one per process, like the one AWS)."""
