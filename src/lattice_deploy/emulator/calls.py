"""Which AWS operations were called, per account: the evidence behind "0 mutating calls".

Why: idempotency and "refuse before changing anything" are promises about calls, not states, so the
emulator counts every operation it serves, split into reads and mutations by the operation's verb.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

READ_PREFIXES = ("Get", "List", "Describe", "Head", "BatchGet", "Lookup", "Search", "Validate")


def is_mutating(operation: str) -> bool:
    """A call that can change state: anything but Get*/List*/Describe*/Head*…"""
    return not operation.startswith(READ_PREFIXES)


class CallLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, Counter[str]] = {}

    def record(self, account_id: str, service: str, operation: str) -> None:
        with self._lock:
            self._calls.setdefault(account_id, Counter())[f"{service}:{operation}"] += 1

    def summary(self, account_id: str) -> dict[str, Any]:
        with self._lock:
            calls = dict(self._calls.get(account_id, Counter()))
        mutating = {k: v for k, v in calls.items() if is_mutating(k.split(":", 1)[1])}
        return {
            "mutating": sum(mutating.values()),
            "read": sum(calls.values()) - sum(mutating.values()),
            "mutatingCalls": dict(sorted(mutating.items())),
            "calls": dict(sorted(calls.items())),
        }

    def reset(self, account_id: str | None = None) -> None:
        with self._lock:
            if account_id is None:
                self._calls.clear()
            else:
                self._calls.pop(account_id, None)


CALLS = CallLog()
