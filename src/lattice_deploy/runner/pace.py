"""Time as the smoke test sees it: the virtual clock of a running ``serve``, or the wall clock.

Why not just ``time.sleep``: a ``serve`` started with ``--time-rate 0`` (as CI starts it) moves
its clock only while an execution waits, so between executions nothing there would ever drain or
turn HEALTHY. Waiting on ``serve`` is therefore advancing its clock through its control API,
and the elapsed time a stage reports is the virtual time it took, the same number a real account
would show in seconds. On a real account waiting is sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from ..emulator.control import ControlClient

T = TypeVar("T")


class Pace:
    def __init__(self, control: ControlClient | None = None) -> None:
        self.control = control

    @property
    def virtual(self) -> bool:
        return self.control is not None

    def now(self) -> float:
        if self.control is None:
            return time.monotonic()
        return float(self.control.state()["clock"]["now"])

    def wait(self, seconds: float) -> None:
        if self.control is None:
            time.sleep(seconds)
        else:
            self.control.advance(seconds)

    def until(self, check: Callable[[], T | None], budget: float, step: float = 10.0) -> T | None:
        """Ask ``check`` every ``step`` seconds until it answers (not None) or ``budget``
        seconds have passed; its answer, else None."""
        deadline = self.now() + budget
        while True:
            answer = check()
            if answer is not None or self.now() >= deadline:
                return answer
            self.wait(step)
