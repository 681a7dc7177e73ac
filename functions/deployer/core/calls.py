"""Every AWS call a run made, by phase, read back from the execution's own history.

Why the history: it is the complete record of what ran. A step's result carries its calls, but
a loop's state (health polls, rollback passes, waiting for the turn) keeps only its last result,
an attempt that Step Functions retried leaves only an error, and a failed step returns no result
at all. The history keeps all of them: each succeeded invocation's output with its ``calls``, and
each failed one's error, whose message ends with that attempt's counts (:func:`.aws.noted`). An
invocation that died without a word (a crashed sandbox) is counted as ``unaccounted``.
"""

from __future__ import annotations

import json
from typing import Any

from . import aws

PHASES = ("lock", "deploy", "health", "rollback", "report")
PHASE_OF = {
    "acquire_lock": "lock",
    "release_lock": "lock",
    "register_targets": "health",
    "check_health": "health",
    "rollback": "rollback",
    "report": "report",
}
"""A state's phase; every other Task state deploys (load, ensure, register, update)."""


def _cause_counts(details: dict[str, Any]) -> dict[str, int] | None:
    cause = details.get("cause") or ""
    try:
        message = str(json.loads(cause).get("errorMessage", ""))
    except (json.JSONDecodeError, AttributeError):
        message = cause
    return aws.split_note(message)[1]


def _invocations(execution_arn: str) -> list[tuple[str, dict[str, int] | None]]:
    """``(state, counts or None)`` for each Lambda invocation that has ended, in order."""
    found: list[tuple[str, dict[str, int] | None]] = []
    state = ""
    pages = aws.client("stepfunctions").get_paginator("get_execution_history")
    for page in pages.paginate(executionArn=execution_arn, PaginationConfig={"PageSize": 1000}):
        for event in page["events"]:
            if entered := event.get("stateEnteredEventDetails"):
                state = entered["name"]
            elif done := event.get("lambdaFunctionSucceededEventDetails"):
                output = json.loads(done.get("output") or "{}")
                found.append((state, (output.get("calls") if isinstance(output, dict) else None)))
            elif failed := event.get("lambdaFunctionFailedEventDetails"):
                found.append((state, _cause_counts(failed)))
            elif "lambdaFunctionTimedOutEventDetails" in event:
                found.append((state, None))
    return found


def count_calls(execution_arn: str, writes: int = 0) -> dict[str, Any]:
    """``{mutating, read, phases: {phase: {mutating, read}}, invocations, unaccounted}``: the
    run's calls so far, this (report) invocation's own included, with ``writes`` more it is
    about to make (its report object)."""
    phases = {p: {"mutating": 0, "read": 0} for p in PHASES}
    invocations = _invocations(execution_arn)
    unaccounted = 0
    for state, counts in invocations:
        if counts is None:
            unaccounted += 1
            continue
        for key in ("mutating", "read"):
            phases[PHASE_OF.get(state, "deploy")][key] += int(counts.get(key, 0))
    own = aws.counts()
    phases["report"]["mutating"] += own["mutating"] + writes
    phases["report"]["read"] += own["read"]
    return {
        "mutating": sum(p["mutating"] for p in phases.values()),
        "read": sum(p["read"] for p in phases.values()),
        "phases": phases,
        "invocations": len(invocations) + 1,
        "unaccounted": unaccounted,
    }
