"""State ``rollback``: put ECS and VPC Lattice back as this run found them.

Runs after any step fails (or the health gate does), as a loop with ``wait_for_rollback``:
each invocation looks at the account as it is now, undoes what is left, and answers ``DONE``,
``WAITING`` (a target group's targets are still draining, a delete conflicts with something
being removed) or, after the bundle's timeout, ``STUCK`` with the commands that remove what is
left. Re-entrant by construction: everything it does is found again, not remembered.
"""

from __future__ import annotations

import os
from typing import Any

from . import targets, undo_ecs
from .step import record, step
from .undo import Ledger
from .undo_lattice import LatticeUndo


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    plan, previous = event.get("plan"), event.get("rollback") or {}
    if not plan:
        return record("DONE", status="DONE", attempts=1, removed=[], restored=[], pending=[])
    attempts = int(previous.get("attempts", 0)) + 1
    ledger = Ledger(previous)
    undo_ecs.undo_service(plan, plan["baseline"], ledger)
    group = (event.get("resources") or {}).get("targetGroup")
    if plan["lattice"]["registration"] == "direct" and group:
        targets.sync(plan, group["arn"])  # ECS deregisters only what it registered itself
    undo_ecs.undo_task_definitions(plan, ledger)
    LatticeUndo(plan, plan["baseline"], event.get("resources") or {}, ledger).run()
    limit = max(
        10, int(plan["timeoutSeconds"]) // max(1, int(os.environ.get("POLL_SECONDS", "15")))
    )
    if not ledger.pending:
        status = "DONE"
    else:
        status = "STUCK" if ledger.stuck or attempts >= limit else "WAITING"
    return record(
        status,
        status=status,
        attempts=attempts,
        removed=ledger.removed,
        restored=ledger.restored,
        pending=ledger.pending,
    )
