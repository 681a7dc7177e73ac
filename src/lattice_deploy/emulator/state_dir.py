"""``serve --state-dir DIR``: the account kept on disk, so a restart resumes it.

What is kept: every moto backend this process used (ours included: Lattice, ECS, Lambda, Step
Functions with each execution's history), the call counts and the virtual clock (its instant and
date, so dates read back in order). What is not: injected faults (a restart clears them) and the
threads of executions that were running: such an execution is ended on resume as ABORTED with the
cause, and its "Execution Status Change" event is sent as AWS sends one for a stopped execution,
so the stack's cleanup rule rolls back what it had changed (``docs/cleanup.svg``).

Format: ``DIR/format.json`` (format number and the versions that wrote it) beside
``DIR/account.pickle``. A directory from another format or version is refused, not guessed at:
pickled moto objects from another moto are not the same classes.
"""

from __future__ import annotations

import io
import json
import os
import pickle  # nosec B403: the state dir is written by this program for this program
import sys
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from moto.core.base_backend import BackendDict
from moto.stepfunctions.parser.api import ExecutionStatus
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

from .calls import CALLS
from .clock import CLOCK
from .instrumented import STATE_LOCK
from .stepfunctions import retention, status_events

FORMAT = 2
"""2: the ECS backend keeps each service's tasks indexed and each subnet's hosts (a fleet's
requests are O(1)): a state of format 1 has neither, and is refused rather than half-read."""
FORMAT_FILE, STATE_FILE = "format.json", "account.pickle"
ABORT_CAUSE = (
    "lattice-deploy serve stopped while this execution ran; on restart it is ended as ABORTED "
    "and its cleanup runs"
)


class StateDirError(Exception):
    """A state directory that cannot be used; the message names it and says what to do."""


@dataclass
class Resumed:
    executions: int
    aborted: list[str]
    objects: int
    extra: Any
    """What the caller saved beside the account (``serve``: its stack)."""


def _versions() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "lattice-deploy": metadata.version("lattice-deploy"),
        "moto": metadata.version("moto"),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }


def _backends() -> dict[str, BackendDict[Any]]:
    """Every moto backend dict loaded in this process with an account in it, by a stable name
    (``module:attribute``; ours stand under moto's names too, each is kept once)."""
    found: dict[int, tuple[str, BackendDict[Any]]] = {}
    for name, module in sorted(sys.modules.items()):
        if not name.startswith("moto.") or module is None:
            continue
        for attribute, value in list(vars(module).items()):
            if isinstance(value, BackendDict) and id(value) not in found and len(value):
                found[id(value)] = (f"{name}:{attribute}", value)
    return dict(found.values())


class _Pickler(pickle.Pickler):
    """What moto holds that pickle cannot: locks (fresh ones on load), weak maps and default
    dicts with a lambda factory (as plain containers), a running interpreter (its history)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, type(threading.RLock())):
            return threading.RLock, ()
        if isinstance(obj, type(threading.Lock())):
            return threading.Lock, ()
        if isinstance(obj, weakref.WeakValueDictionary):
            return weakref.WeakValueDictionary, (dict(obj),)
        factory = getattr(obj, "default_factory", None)
        if isinstance(obj, defaultdict) and factory is not None and factory.__name__ == "<lambda>":
            return _defaultdict, (type(factory()), dict(obj))
        if isinstance(obj, ExecutionWorker):
            events = obj.env.event_manager.get_event_history() if obj.env else []
            return retention.EndedWorker, (events,)
        if isinstance(obj, threading.Thread):
            return type(None), ()
        return NotImplemented


def _defaultdict(factory: type, items: dict[Any, Any]) -> defaultdict[Any, Any]:
    return defaultdict(factory, items)


def is_state_dir(directory: Path) -> bool:
    return (directory / FORMAT_FILE).is_file()


def check(directory: Path) -> bool:
    """True if ``directory`` holds a state to resume, False if it is new or empty; raises
    :class:`StateDirError` for one that is neither (another format, another tool's files)."""
    if directory.exists() and not directory.is_dir():
        raise StateDirError(f"--state-dir {directory}: not a directory; name a directory")
    if not directory.exists() or not any(directory.iterdir()):
        return False
    if not is_state_dir(directory):
        raise StateDirError(
            f"--state-dir {directory}: not empty and has no {FORMAT_FILE}, so it is not a "
            "lattice-deploy state directory; name an empty or new directory"
        )
    try:
        wrote = json.loads((directory / FORMAT_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise StateDirError(f"--state-dir {directory}: {FORMAT_FILE} unreadable: {exc}") from exc
    now = _versions()
    if wrote != now:
        differ = ", ".join(
            f"{k} {wrote.get(k)!r} (this is {v!r})" for k, v in now.items() if wrote.get(k) != v
        )
        raise StateDirError(
            f"--state-dir {directory}: written by another version ({differ}); it cannot be "
            "resumed by this one. Run the version that wrote it, or start afresh: move the "
            "directory away or name a new one"
        )
    if not (directory / STATE_FILE).is_file():
        raise StateDirError(
            f"--state-dir {directory}: {STATE_FILE} is missing; move the directory away or "
            "name a new one"
        )
    return True


def save(directory: Path, extra: Any = None) -> None:
    """Write the account atomically (a crash mid-write leaves the previous state)."""
    directory.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with STATE_LOCK:
        state = {
            "backends": {name: dict(value) for name, value in _backends().items()},
            "clock": {"now": CLOCK.now(), "origin": CLOCK.datetime(0)},
            "calls": CALLS.export(),
            "extra": extra,
        }
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    for name, body in ((STATE_FILE, buffer.getvalue()), (FORMAT_FILE, _format_bytes())):
        partial = directory / f".{name}.partial"
        partial.write_bytes(body)
        os.replace(partial, directory / name)


def _format_bytes() -> bytes:
    return json.dumps(_versions(), indent=2).encode()


def load(directory: Path) -> Resumed:
    """Put the saved account in place (into a started, unseeded embedded AWS), end the
    executions that were running, and say what came back."""
    import importlib

    with (directory / STATE_FILE).open("rb") as stream:
        state = pickle.load(stream)  # nosec B301: our own file, version-checked by check()
    for name, accounts in state["backends"].items():
        module, _, attribute = name.partition(":")
        target = getattr(importlib.import_module(module), attribute)
        target.clear()
        target.update(accounts)
    _handlers()
    CLOCK.resume(state["clock"]["now"], state["clock"]["origin"])
    CALLS.restore(state["calls"])
    aborted = [e for e in _all_executions() if e.exec_status == ExecutionStatus.RUNNING]
    for execution in aborted:
        execution.exec_status = ExecutionStatus.ABORTED
        execution.stop_date = CLOCK.datetime()
        execution.error, execution.cause = "States.Aborted", ABORT_CAUSE
    for execution in aborted:  # after all are ended: a cleanup may look at the others
        status_events.emit(execution)
    from moto.s3.models import s3_backends

    objects = sum(
        len(bucket.keys)
        for account in s3_backends.values()
        for bucket in account["global"].buckets.values()
    )
    return Resumed(len(_all_executions()), [e.name for e in aborted], objects, state["extra"])


def _handlers() -> None:
    """The in-process handler of each function, and its environment (the functions share this
    process's, as the stack's deploy set them): what a Lambda cannot pickle, rebuilt from its
    ``Handler`` and ``Environment``."""
    import importlib

    from .awslambda.models import HANDLERS, lambda_backends

    for account in lambda_backends.values():
        for region, backend in account.items():
            for fn in backend.list_functions():
                os.environ.setdefault("AWS_REGION", region)  # as the Lambda runtime sets it
                module, _, attribute = str(fn.handler).rpartition(".")
                HANDLERS[fn.function_name] = getattr(importlib.import_module(module), attribute)
                os.environ.update({k: str(v) for k, v in fn.environment_vars.items()})


def _all_executions() -> list[Any]:
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    return [e for account in stepfunctions_parser_backends for e in retention.executions(account)]
