"""A ``startExecution.sync`` task waits for its child execution's end instead of polling for it.

Why: moto's interpreter resolves a ``.sync`` task by calling DescribeExecution through boto3
every half second (real time) until the child ends. One parent polling is nothing; an ECR
fan-out's hundreds of parents polling at once took the emulator's CPU (py-spy, 60 services: the
polls were a quarter of all samples, the deployments they waited for slowed in proportion). So
each running execution has an event, set when it ends, and the task's resolver waits on it (at
most :data:`WAIT` real seconds, then polls as before, so a stopped parent still notices); the
child is described once, when it has ended, as moto describes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (  # noqa: E501
    StateTaskServiceSfn,
)

WAIT = 2.0
"""Real seconds a resolver waits for its child's end before answering "still running"."""

_lock = threading.Lock()
_running: dict[str, threading.Event] = {}
_original: Any = StateTaskServiceSfn._build_sync2_resolver


def started(arn: str) -> None:
    with _lock:
        _running[arn] = threading.Event()


def ended(arn: str) -> None:
    with _lock:
        event = _running.pop(arn, None)
    if event is not None:
        event.set()


def _build_sync2_resolver(self: Any, env: Any, *args: Any, **kwargs: Any) -> Callable[[], Any]:
    arn = str(env.stack[-1]["ExecutionArn"])  # the StartExecution output the original pops
    resolve = _original(self, env, *args, **kwargs)

    def resolver() -> Any:
        with _lock:
            event = _running.get(arn)
        if event is not None and not event.wait(WAIT):
            return None  # still running: moto's loop checks its own execution, then asks again
        return resolve()

    return resolver


def install() -> None:
    StateTaskServiceSfn._build_sync2_resolver = _build_sync2_resolver  # type: ignore[method-assign]
