"""Virtual time for moto's Step Functions interpreter: Wait states and Retry intervals advance
the embedded AWS's clock instead of sleeping, so a 10-minute rollout runs in milliseconds and
every time-dependent state (health checks, draining) moves exactly as far as the workflow waited.
"""

from __future__ import annotations

import types
from typing import Any

from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)

from ..emulator import CLOCK

_installed = False


def _wait_interval(self: WaitFunction, env: Any, wait_seconds: int) -> None:
    CLOCK.advance(max(0, wait_seconds))


def install() -> None:
    """Patch the interpreter's two waits (idempotent)."""
    global _installed
    if _installed:
        return
    WaitFunction._wait_interval = _wait_interval  # type: ignore[method-assign]
    clock_time = types.SimpleNamespace(sleep=lambda seconds: CLOCK.advance(max(0.0, seconds)))
    setattr(retrier_decl, "time", clock_time)  # noqa: B010  (the module's own ``time`` name)
    _installed = True
