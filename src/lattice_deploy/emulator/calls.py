"""Which AWS operations were called, per account: the evidence behind "0 mutating calls".

Why: idempotency and "refuse before changing anything" are promises about calls, not states, so the
emulator counts every operation it serves, split into reads and mutations by the operation's verb.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

READ_PREFIXES = (
    *("Get", "List", "Describe", "Head", "BatchGet", "Lookup", "Search", "Validate"),
    "Simulate",
)
"""``Simulate``: IAM's policy simulator reads policies and changes nothing (its access level is
Read in the Service Authorization Reference's IAM table)."""
KEPT_EXECUTIONS = 200
"""Executions whose own counts are kept (the newest): ``serve`` runs for days, and a count is
read while its execution runs or right after (its report, a test); the account's totals stay."""
IAM_PREFIX = {"stepfunctions": "states", "awslambda": "lambda", "service-quotas": "servicequotas"}
"""moto's service names whose IAM action prefix differs (the rest are the same)."""


def is_mutating(operation: str) -> bool:
    """A call that can change state: anything but Get*/List*/Describe*/Head*…"""
    return not operation.startswith(READ_PREFIXES)


class CallLog:
    """Counts per account, and per account and execution: a request made by a Lambda handler
    serving an execution is also counted under that execution's ``deploymentId``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, Counter[str]] = {}
        self._by_execution: dict[tuple[str, str], Counter[str]] = {}
        self._by_function: dict[str, Counter[str]] = {}

    def record(
        self,
        account_id: str,
        service: str,
        operation: str,
        execution: str | None = None,
        function: str | None = None,
        action: str | None = None,
    ) -> None:
        """``action``: the IAM action the request needs, where it is not ``operation`` (S3)."""
        key = f"{service}:{operation}"
        with self._lock:
            self._calls.setdefault(account_id, Counter())[key] += 1
            if execution:
                self._by_execution.setdefault((account_id, execution), Counter())[key] += 1
                self._bound()
            if function:
                needed = f"{IAM_PREFIX.get(service, service)}:{action or operation}"
                self._by_function.setdefault(function, Counter())[needed] += 1

    def _bound(self) -> None:
        """Forget the oldest executions' counts beyond :data:`KEPT_EXECUTIONS` (dicts keep
        insertion order: the first key is the execution counted first)."""
        while len(self._by_execution) > KEPT_EXECUTIONS:
            del self._by_execution[next(iter(self._by_execution))]

    def need(self, function: str | None, action: str) -> None:
        """An action AWS checks on the caller's behalf without a request of its own (a
        service-linked role a create makes)."""
        if function:
            with self._lock:
                self._by_function.setdefault(function, Counter())[action] += 1

    def actions(self) -> dict[str, set[str]]:
        """The IAM actions each in-process Lambda function's requests needed, by function name:
        the evidence a least-privilege check holds against the function's policy."""
        with self._lock:
            return {fn: set(counted) for fn, counted in self._by_function.items()}

    def summary(self, account_id: str, execution: str | None = None) -> dict[str, Any]:
        with self._lock:
            counted = (
                self._by_execution.get((account_id, execution))
                if execution
                else self._calls.get(account_id)
            )
            calls = dict(counted or Counter())
        mutating = {k: v for k, v in calls.items() if is_mutating(k.split(":", 1)[1])}
        return {
            "mutating": sum(mutating.values()),
            "read": sum(calls.values()) - sum(mutating.values()),
            "mutatingCalls": dict(sorted(mutating.items())),
            "calls": dict(sorted(calls.items())),
        }

    def export(self) -> dict[str, Any]:
        """The counts as plain data (``serve --state-dir`` keeps them)."""
        with self._lock:
            return {
                "calls": dict(self._calls),
                "by_execution": dict(self._by_execution),
                "by_function": dict(self._by_function),
            }

    def restore(self, saved: dict[str, Any]) -> None:
        with self._lock:
            self._calls = dict(saved["calls"])
            self._by_execution = dict(saved["by_execution"])
            self._by_function = dict(saved["by_function"])

    def reset(self, account_id: str | None = None) -> None:
        with self._lock:
            if account_id is None:
                self._calls.clear()
                self._by_execution.clear()
                self._by_function.clear()
            else:
                self._calls.pop(account_id, None)
                for key in [k for k in self._by_execution if k[0] == account_id]:
                    del self._by_execution[key]


CALLS = CallLog()
