"""Turn an execution's history into console-like progress lines and the final summary.

Each Task state's line is marked as the Step Functions console colours the state:

- ``✗`` its last attempt failed and a Catch took the run on (the state exited all the same), or
  its result is a failed verdict (:data:`FAILED_VERDICTS`: a FAILED health check, a rollback
  STUCK, a report of a FAILED deployment);
- ``↻`` an attempt failed and a Retry's next attempt succeeded: "(retried once)", "(retried N
  times)";
- ``✓`` otherwise.

An attempt is told by the history's own events: within one entry of the state (the events whose
``previousEventId`` chain leads back to its ``TaskStateEntered``, so Map iterations and Parallel
branches, interleaved in one history, each keep their own), a Retry repeats
``LambdaFunctionScheduled``/``Started``/``Failed`` (or ``Task…``, ``Activity…``) before the one
that ends it, and a caught failure is the ``TaskStateExited`` right after a failed attempt.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from deployer.states.report import plain

MARKS = {"created": "+", "updated": "~", "adopted": "=", "unchanged": "=", "skipped": "-"}

# how an attempt of a Task state ends, in GetExecutionHistory's event types: failed or succeeded
FAILED_ATTEMPTS = frozenset(
    {
        "ActivityFailed",
        "ActivityScheduleFailed",
        "ActivityTimedOut",
        "LambdaFunctionFailed",
        "LambdaFunctionScheduleFailed",
        "LambdaFunctionStartFailed",
        "LambdaFunctionTimedOut",
        "TaskFailed",
        "TaskStartFailed",
        "TaskSubmitFailed",
        "TaskTimedOut",
    }
)
SUCCEEDED_ATTEMPTS = frozenset({"ActivitySucceeded", "LambdaFunctionSucceeded", "TaskSucceeded"})
# a state whose result says the deployment failed, though its Lambda did not
FAILED_VERDICTS = {"check_health": "FAILED", "rollback": "STUCK", "report": "FAILED"}


def result_at(state: dict[str, Any], path: str | None) -> Any:
    """The value at a ResultPath like ``$.resources.targetGroup`` in a state document."""
    value: Any = state
    for part in (path or "$").lstrip("$").strip(".").split("."):
        if part:
            value = (value or {}).get(part)
    return value


def describe(name: str, result: Any) -> str:
    if not isinstance(result, dict):
        return ""
    if name == "load_bundle":
        return (
            f"service {result.get('serviceName')} on cluster {result.get('cluster')}, "
            f"registration {result['lattice']['registration']}, "
            f"timeout {result.get('timeoutSeconds')}s"
        ) + "".join(f"\n      ! {warning}" for warning in result.get("warnings") or [])
    if name == "acquire_lock":
        reason = f"; {result['reason']}" if result.get("reason") else ""
        return f"{result.get('status')}: request #{result.get('ticket')}{reason}"
    if name == "ensure_lattice":
        parts = {k: v for k, v in result.items() if isinstance(v, dict) and "action" in v}
        actions = Counter(str(part["action"]) for part in parts.values())
        head = ", ".join(f"{n} {action}" for action, n in actions.items())
        return head + "".join(f"\n      {describe(k, v)}  ({k})" for k, v in parts.items())
    if name == "release_lock":
        return "released" if result.get("released") else "nothing to release"
    if name == "check_health":
        return f"{result.get('status')}: {result.get('reason')}"
    if name == "rollback":
        pending = ", ".join(f"{p['type']} {p['id']}" for p in result.get("pending") or [])
        done = f"removed {len(result.get('removed') or [])}"
        done += f", restored {len(result.get('restored') or [])}"
        waits = "left" if result.get("status") == "STUCK" else "waiting for"
        return f"{result.get('status')}: {done}" + (f"; {waits} {pending}" if pending else "")
    if name == "finish_leftovers":
        finished, waiting = len(result.get("finished") or []), len(result.get("runs") or [])
        if not finished and not waiting:
            return "nothing left by earlier runs"
        return f"{result.get('status')}: finished {finished} earlier run(s)' cleanup" + (
            f", waiting on {waiting}" if waiting else ""
        )
    if name == "report":
        return f"{result.get('status')} ({result.get('location', 'no report written')})"
    ident = result.get("name") or result.get("id") or result.get("arn") or ""
    extra = f" rev {result['revision']}" if "revision" in result else ""
    return (
        f"{MARKS.get(result.get('action', ''), ' ')} {result.get('action')} {ident}{extra}".rstrip()
    )


@dataclass
class Entry:
    """One entry into a state: its attempts' failures so far, and how the latest one ended."""

    failures: int = 0
    failed_last: bool = False
    error: str = ""

    def attempt(self, kind: str, event: dict[str, Any]) -> None:
        if kind in SUCCEEDED_ATTEMPTS:
            self.failed_last = False
        elif kind in FAILED_ATTEMPTS:
            self.failures, self.failed_last = self.failures + 1, True
            self.error = str(_details(event).get("error") or kind)


def mark(entry: Entry, name: str, result: Any) -> str:
    """✗ caught or a failed verdict, ↻ retried and then succeeded, ✓ otherwise."""
    verdict = result.get("status") if isinstance(result, dict) else None
    if entry.failed_last or (verdict is not None and verdict == FAILED_VERDICTS.get(name)):
        return "✗"
    return "↻" if entry.failures else "✓"


def all_states(states: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The states of a definition, with those of its Map iterations and Parallel branches."""
    for name, state in states.items():
        yield name, state
        inner = state.get("ItemProcessor") or state.get("Iterator")
        for branch in ([inner] if inner else []) + list(state.get("Branches") or []):
            yield from all_states(branch.get("States") or {})


class Printer:
    """Feed it history events; it prints one line per state, as the console lists them."""

    def __init__(self, definition: dict[str, Any], out: Callable[[str], None]) -> None:
        self.states: dict[str, dict[str, Any]] = {}
        for name, state in all_states(definition["States"]):
            self.states.setdefault(name, state)  # a top-level state before a nested namesake
        self.out = out
        self.outputs: dict[str, dict[str, Any]] = {}
        self.entries: dict[int, Entry] = {}  # by the id of the event that entered the state
        self.entered: dict[int, int] = {}  # each event's id: the id of its state's entering
        self.latest = 0  # the newest entering, for an event that does not say its previous

    def entry(self, event: dict[str, Any]) -> Entry:
        """The entry into a state the event belongs to, by its ``previousEventId`` chain."""
        if event["type"].endswith("StateEntered"):
            self.latest = entered = int(event.get("id") or self.latest + 1)
            self.entries[entered] = Entry()
        else:
            entered = self.entered.get(event.get("previousEventId") or -1, self.latest)
        if "id" in event:
            self.entered[event["id"]] = entered
        return self.entries.setdefault(entered, Entry())

    def __call__(self, event: dict[str, Any]) -> None:
        kind, entry = event["type"], self.entry(event)
        entry.attempt(kind, event)
        if kind.endswith("StateExited"):
            details = event["stateExitedEventDetails"]
            name, output = details["name"], json.loads(details.get("output") or "{}")
            self.outputs[name] = output
            state = self.states.get(name, {})
            if state.get("Type") == "Task":
                self.out(f"  {self.task_line(name, state, output, entry)}")
            elif state.get("Type") == "Wait":
                seconds = state.get("Seconds", result_at(output, state.get("SecondsPath")))
                self.out(f"  … {name:<28} {seconds}s")
        elif kind in FAILED_ATTEMPTS:  # said as it happens: a Retry or a Catch comes after
            details = _details(event)
            said = plain(_message(details["cause"])) if details.get("cause") else ""
            said = f": {said}".replace("\n", "\n      ") if said else ""
            self.out(f"  ✗ {details.get('error') or kind}{said}")
        elif kind == "ExecutionFailed":  # its cause is the summary's, said once, below
            details = event.get("executionFailedEventDetails") or {}
            self.out(f"  ✗ execution failed ({details.get('error')})")

    @staticmethod
    def task_line(name: str, state: dict[str, Any], output: Any, entry: Entry) -> str:
        result = None if entry.failed_last else result_at(output, state.get("ResultPath"))
        said = f"{entry.error} (caught)" if entry.failed_last else describe(name, result)
        retries = entry.failures - int(entry.failed_last)  # a caught attempt is no retry
        if retries:
            head, _, rest = said.partition("\n")
            often = "once" if retries == 1 else f"{retries} times"
            said = f"{head} (retried {often})".lstrip() + (f"\n{rest}" if rest else "")
        return f"{mark(entry, name, result)} {name:<28} {said}"


def _message(cause: str | None) -> str:
    """A Lambda's ``errorMessage`` from its failure's cause, or the cause as it is."""
    try:
        said = json.loads(cause or "{}")
    except json.JSONDecodeError:
        return str(cause)
    return str((said.get("errorMessage") if isinstance(said, dict) else None) or cause)


def _details(event: dict[str, Any]) -> dict[str, Any]:
    """An event's ``…EventDetails`` (``taskFailedEventDetails`` for ``TaskFailed``)."""
    kind = str(event["type"])
    return dict(event.get(kind[:1].lower() + kind[1:] + "EventDetails") or {})
