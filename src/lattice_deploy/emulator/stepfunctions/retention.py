"""What an ended execution keeps: its history as data, and only the newest histories in full.

Why: moto keeps each execution's whole interpreter (the parsed program, its environment, every
state's contexts) for as long as the account lives, to answer GetExecutionHistory from it. Through
``serve`` that was ~0.7 MB per deploy with no plateau (236 → 381 MB over 100 deploys). An ended
execution needs none of it: its history is a list of events. So at its end the interpreter is
swapped for :class:`EndedWorker` holding that list (which also makes the execution picklable,
for ``serve --state-dir``), and only the newest :data:`KEPT_HISTORIES` ended executions of an
account keep their whole history; an older one keeps its first and last events (started, and how
it ended), while DescribeExecution and ListExecutions still show all of it. AWS keeps a history
for 90 days after the execution closes ("Quotas related to accounts", Step Functions Developer
Guide): a local account is not expected to, and the limit is said here.

An ended execution's input and output are kept as their JSON text (:class:`JsonText`), not as
moto's parsed objects: the output is the whole state document (both definitions, the plan, every
step's result), ~10 KB as text but ~10 times that as Python dicts and strings, and it was what
still grew per deploy once the interpreters were gone. DescribeExecution sends the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
from moto.stepfunctions.parser.backend import execution as parser_execution
from moto.stepfunctions.parser.models import stepfunctions_parser_backends
from moto.stepfunctions.parser.utils import TMP_THREADS

KEPT_HISTORIES = 25
"""Ended executions per account whose history is kept in full (the newest by stop date)."""
KEPT_EXECUTIONS = 100
"""Ended executions per state machine kept at all (the newest by stop date): an older one is
gone, DescribeExecution says ExecutionDoesNotExist, as AWS says once its 90 days are over. A
running execution is never dropped (a service's turn may be held by it)."""


LISTENERS: list[Callable[[], None]] = []
"""Called after each execution ended and was trimmed (``serve --state-dir`` saves then)."""


class JsonText(str):
    """A JSON value kept as its compact text; moto's encoder sends it as is."""


def json_text(value: Any) -> str:
    """``value`` (moto's parsed input or output, or a :class:`JsonText`) as compact JSON."""
    if isinstance(value, JsonText):
        return str(value)
    return to_json_str(value, separators=(",", ":"))


def _to_json_str(obj: Any, separators: tuple[str, str] | None = None) -> str:
    return str(obj) if isinstance(obj, JsonText) else to_json_str(obj, separators=separators)


def install() -> None:
    """DescribeExecution (moto's ``Execution.to_describe_output``) sends a kept text as is."""
    parser_execution.to_json_str = _to_json_str  # type: ignore[attr-defined]


class EndedHistory:
    """Stands in for the interpreter's event manager: the history, as plain events."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.events = events
        self.trimmed = False

    def get_event_history(self) -> list[dict[str, Any]]:
        return list(self.events)

    def trim(self) -> None:
        """Keep the first and the last event (how it started, how it ended)."""
        if len(self.events) > 2:
            self.events = [self.events[0], self.events[-1]]
        self.trimmed = True


class EndedWorker:
    """Stands in for moto's ``ExecutionWorker`` once the execution ended (``worker.env`` is read
    for the history; ``stop`` is a no-op, as StopExecution of an ended execution is)."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.event_manager = EndedHistory(events)
        self.env = self

    def stop(self, **_: Any) -> None:
        return None


def ended(execution: Any) -> None:
    """``execution`` ended: keep its history as data, drop its interpreter, trim old histories."""
    worker = getattr(execution, "exec_worker", None)
    env = getattr(worker, "env", None)
    if worker is None or isinstance(worker, EndedWorker) or env is None:
        return
    execution.exec_worker = EndedWorker(env.event_manager.get_event_history())
    for name in ("input_data", "output"):
        if getattr(execution, name, None) is not None:
            setattr(execution, name, JsonText(json_text(getattr(execution, name))))
    TMP_THREADS[:] = [t for t in TMP_THREADS if t.is_alive()]  # moto's, one per execution, ever
    trim(execution.account_id)
    forget(execution.account_id)
    for listener in list(LISTENERS):
        listener()


def executions(account_id: str) -> list[Any]:
    """Every execution of every state machine of the account (all regions)."""
    found: list[Any] = []
    if account_id not in stepfunctions_parser_backends:
        return found
    for backend in stepfunctions_parser_backends[account_id].values():
        for machine in backend.state_machines:
            found.extend(getattr(machine, "executions", []))
    return found


def trim(account_id: str, keep: int | None = None) -> int:
    """Trim all but the newest ``keep`` ended histories of the account; how many it trimmed."""
    kept = KEPT_HISTORIES if keep is None else keep
    done = [
        (position, e)
        for position, e in enumerate(executions(account_id))
        if isinstance(getattr(e, "exec_worker", None), EndedWorker)
        and not e.exec_worker.event_manager.trimmed
    ]
    # newest first; executions that ended at the same virtual moment (time stopped, an
    # unchanged redeploy takes none) by the order they started, so the one that just ended is
    # never the one trimmed (its CLI may still be reading its history)
    done.sort(key=lambda p: (p[1].stop_date is None, p[1].stop_date, p[0]), reverse=True)
    old = [e for _, e in done[kept:]]
    for execution in old:
        execution.exec_worker.event_manager.trim()
    return len(old)


def forget(account_id: str, keep: int | None = None) -> int:
    """Drop all but the newest ``keep`` ended executions of each state machine; how many."""
    kept = KEPT_EXECUTIONS if keep is None else keep
    dropped = 0
    if account_id not in stepfunctions_parser_backends:
        return 0
    for backend in stepfunctions_parser_backends[account_id].values():
        for machine in backend.state_machines:
            runs = getattr(machine, "executions", [])
            ended = [
                (position, e)
                for position, e in enumerate(runs)
                if isinstance(getattr(e, "exec_worker", None), EndedWorker)
            ]  # newest first, ties by start order (as in trim: the one just ended stays)
            ended.sort(key=lambda p: (p[1].stop_date is None, p[1].stop_date, p[0]), reverse=True)
            old = {id(e) for _, e in ended[kept:]}
            if old:
                machine.executions = [e for e in runs if id(e) not in old]
                dropped += len(old)
    return dropped
