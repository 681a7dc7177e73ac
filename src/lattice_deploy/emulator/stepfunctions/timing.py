"""moto's Step Functions interpreter on the discrete-event clock (:mod:`..clock`).

Why: a Wait state or a Retry backoff must last its virtual seconds for *its* execution, however
many others run beside it. So the interpreter's two waits sleep on the clock, and the clock is told
which threads of control (cursors) are running: an execution from its start to its end, each Map
iteration worker, minus a cursor while it waits for others (a Map state for its iterations, a
``.sync`` task for its child execution). When no cursor runs, time jumps to the next deadline.
An execution's end also removes the faults injected for it (``--inject`` scoped to one deploy).
History timestamps, ``$$.State.EnteredTime``, and an execution's ``startDate`` (which is
``$$.Execution.StartTime``) and ``stopDate`` are virtual dates too: a duration computed from them
is the execution's own, however long the clock has run (moto stamps them with the wall clock, so
through ``serve`` at rate 10 a report's ``seconds`` also counted nine tenths of serve's age).
"""

from __future__ import annotations

import datetime
import functools
import threading
import types
from collections.abc import Callable
from typing import Any

from moto.stepfunctions import models as sfn_models
from moto.stepfunctions.parser import models as parser_models
from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
from moto.stepfunctions.parser.asl.component.program import program as program_module
from moto.stepfunctions.parser.asl.component.state import state as state_module
from moto.stepfunctions.parser.asl.component.state.exec import execute_state
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration import (
    inline_iteration_component as inline,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.job import JobPool
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_callback as callback_task,
)
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)
from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager
from moto.stepfunctions.parser.backend import execution as parser_execution
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.utils import TMP_THREADS

from ..clock import CLOCK, Alarm
from ..faults import FAULTS
from ..usage import USAGE
from . import retention, status_events, sync_wait

_installed = False


class _VirtualDatetime(datetime.datetime):
    """``datetime.datetime.now`` on the virtual clock, for the interpreter's timestamps."""

    @classmethod
    def now(cls, tz: datetime.tzinfo | None = None) -> Any:
        return CLOCK.datetime()


_VIRTUAL_DATETIME = types.SimpleNamespace(datetime=_VirtualDatetime, timezone=datetime.timezone)
"""The ``datetime`` module as moto's Step Functions code uses it, on the virtual clock."""


def _virtual_utcnow() -> datetime.datetime:
    """moto's naive-UTC ``utcnow``, on the virtual clock (StopExecution's ``stopDate``)."""
    return CLOCK.datetime().replace(tzinfo=None)


class _SameCursor(threading.Thread):
    """A thread moto starts for a cursor's own work while the cursor's thread only waits for it
    (a Program's states, a Task's work under its ``TimeoutSeconds``): it is that cursor, so a
    :meth:`~..clock.VirtualClock.pause` in it (botocore's backoff, in a Lambda the Task runs)
    sleeps as that cursor rather than as another that would hold time back."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cursor = CLOCK.is_cursor()

    def run(self) -> None:
        if self._cursor:
            CLOCK.in_cursor()
        super().run()


_THREADING_SAME_CURSOR = types.SimpleNamespace(**{**vars(threading), "Thread": _SameCursor})


class _VirtualTimeout(threading.Event):
    """The event a Task state's ``TimeoutSeconds`` waits on, timed on the virtual clock. Why:
    moto waits ``timeout`` real seconds, so a Task of an emulator slowed by load (a fleet's 50
    deploys at once) failed with States.Timeout while its Lambda was still running, in no time
    by the clock every other state reads; on AWS the two are one. The state's work holds the
    clock back while it runs (it is the cursor), so only its own virtual sleeps (a retry's
    backoff) can bring the deadline; work that ends after it (by the clock) ended too late."""

    def __init__(self) -> None:
        super().__init__()
        self.created_at = CLOCK.now()  # moto makes it just before it starts the work: the
        # deadline counts from here, not from the wait, which the work may already have outrun
        self._alarm = Alarm(CLOCK)  # woken when rung or due, not polled (:mod:`..clock`)

    def set(self) -> None:
        self._alarm.ring()
        super().set()

    def wait(self, timeout: float | None = None) -> bool:
        if timeout is None:
            return super().wait()
        return self._alarm.wait(self.created_at + timeout)


_THREADING_VIRTUAL_TIMEOUT = types.SimpleNamespace(**{**vars(threading), "Event": _VirtualTimeout})


def _wait_interval(self: WaitFunction, env: Any, wait_seconds: int) -> None:
    CLOCK.sleep(max(0, wait_seconds))


_original_start: Any = ExecutionWorker.start
_original_logic: Any = ExecutionWorker._execution_logic


def _start(self: Any) -> None:
    self._clock_generation = CLOCK.started()
    sync_wait.started(self._evaluation_details.execution_details.arn)
    _original_start(self)


def _execution_logic(self: Any) -> None:
    CLOCK.in_cursor()
    try:
        _original_logic(self)
        execution = self._execution_communication.execution
        status_events.emit(execution)
        retention.ended(execution)
    finally:
        FAULTS.release(self._evaluation_details.execution_details.name)
        sync_wait.ended(self._evaluation_details.execution_details.arn)
        CLOCK.ended(self._clock_generation)


def _launch_worker(self: Any, env: Any, eval_input: Any, job_pool: JobPool) -> Any:
    """moto's own, with the worker counted as a cursor from before its thread starts."""
    worker = self._create_worker(env=env, eval_input=eval_input, job_pool=job_pool)
    generation = CLOCK.started()

    def run() -> None:
        CLOCK.in_cursor()
        try:
            worker.eval()
        finally:
            CLOCK.ended(generation)

    thread = threading.Thread(target=run, daemon=True)
    TMP_THREADS.append(thread)
    thread.start()
    return worker


_original_stop: Any = parser_execution.Execution.stop


def _stop(self: Any, stop_date: datetime.datetime, error: str | None, cause: str | None) -> None:
    """StopExecution's ``stopDate`` is required (API Reference, StopExecutionOutput): moto's
    worker records it only once its thread has wound down, after the reply went out."""
    _original_stop(self, stop_date, error, cause)
    if self.stop_date is None:
        self.stop_date = stop_date


def _blocked(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def waiting(*args: Any, **kwargs: Any) -> Any:
        with CLOCK.blocked():
            return original(*args, **kwargs)

    return waiting


def install() -> None:
    """Patch the interpreter (idempotent)."""
    global _installed
    if _installed:
        return
    WaitFunction._wait_interval = _wait_interval  # type: ignore[method-assign]
    setattr(program_module, "threading", _THREADING_SAME_CURSOR)  # noqa: B010
    setattr(execute_state, "Thread", _SameCursor)  # noqa: B010
    setattr(execute_state, "threading", _THREADING_VIRTUAL_TIMEOUT)  # noqa: B010
    # History events and $$.State.EnteredTime in virtual time, as ECS and Lattice dates are:
    # a step that reads "now" from the context object agrees with the services it asks.
    EventManager._get_current_timestamp = staticmethod(CLOCK.datetime)  # type: ignore[method-assign]
    # StartExecution's startDate is "The date the execution is started" (Step Functions API
    # Reference) and the Context object's Execution.StartTime is the same instant ("Accessing
    # execution data from the Context object"): the virtual start, as its ExecutionStarted event.
    for module in (state_module, parser_models, parser_execution):
        setattr(module, "datetime", _VIRTUAL_DATETIME)  # noqa: B010
    setattr(sfn_models, "utcnow", _virtual_utcnow)  # noqa: B010
    setattr(retrier_decl, "time", types.SimpleNamespace(sleep=CLOCK.sleep))  # noqa: B010
    retention.install()
    sync_wait.install()
    state_eval = state_module.CommonStateField._eval_body

    def _counted(self: Any, env: Any) -> None:
        USAGE.transition()  # a state entered, in any execution or Map iteration
        state_eval(self, env)

    state_module.CommonStateField._eval_body = _counted  # type: ignore[method-assign]
    parser_execution.Execution.stop = _stop  # type: ignore[method-assign]
    ExecutionWorker.start = _start  # type: ignore[method-assign]
    ExecutionWorker._execution_logic = _execution_logic  # type: ignore[method-assign]
    inline.InlineIterationComponent._launch_worker = _launch_worker  # type: ignore[method-assign]
    JobPool.await_jobs = _blocked(JobPool.await_jobs)  # type: ignore[method-assign]
    task: Any = callback_task.StateTaskServiceCallback
    task._eval_sync = _blocked(task._eval_sync)
    _installed = True
