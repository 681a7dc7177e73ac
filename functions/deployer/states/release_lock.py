"""State ``release_lock``: give the service's turn back once the run has deployed or rolled
back (before ``report``, so that the report counts this state's calls too).

Idempotent, and never fatal: a turn that is not given back (the execution was stopped, or this
call failed) is taken over by the next execution once Step Functions says its holder has ended.
"""

from __future__ import annotations

from typing import Any

from ..core import ordering
from ..core.step import step


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    turn = event["state"].get("turn") or {}
    if not turn.get("service"):  # acquire_lock failed: this run never held the turn
        return {"released": False}
    # Whatever the verdict: a retried acquire_lock may have taken the turn and then found its
    # request superseded.
    return {"released": ordering.release(turn["service"], event["execution"])}
