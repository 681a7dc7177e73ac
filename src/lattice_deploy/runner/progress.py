"""Turn an execution's history into console-like progress lines and the final summary."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from deployer.states.report import plain

MARKS = {"created": "+", "updated": "~", "adopted": "=", "unchanged": "=", "skipped": "-"}


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
        return f"{result.get('status')}: {done}" + (f"; waiting for {pending}" if pending else "")
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


class Printer:
    """Feed it history events; it prints one line per state, as the console lists them."""

    def __init__(self, definition: dict[str, Any], out: Callable[[str], None]) -> None:
        self.states, self.out = definition["States"], out
        self.outputs: dict[str, dict[str, Any]] = {}

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        if kind.endswith("StateExited"):
            details = event["stateExitedEventDetails"]
            name, output = details["name"], json.loads(details.get("output") or "{}")
            self.outputs[name] = output
            state = self.states.get(name, {})
            if state.get("Type") == "Task":
                self.out(
                    f"  ✓ {name:<28} {describe(name, result_at(output, state.get('ResultPath')))}"
                )
            elif state.get("Type") == "Wait":
                seconds = state.get("Seconds", result_at(output, state.get("SecondsPath")))
                self.out(f"  … {name:<28} {seconds}s")
        elif kind == "LambdaFunctionFailed":
            details = event.get("lambdaFunctionFailedEventDetails") or {}
            said = plain(_message(details.get("cause"))).replace("\n", "\n      ")
            self.out(f"  ✗ {details.get('error')}: {said}")
        elif kind == "ExecutionFailed":  # its cause is the summary's, said once, below
            details = event.get("executionFailedEventDetails") or {}
            self.out(f"  ✗ execution failed ({details.get('error')})")


def _message(cause: str | None) -> str:
    try:
        return str(json.loads(cause or "{}").get("errorMessage") or cause)
    except json.JSONDecodeError:
        return str(cause)
