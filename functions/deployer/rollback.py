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

from botocore.exceptions import ClientError

from . import ecs, targets, undo_ecs
from .step import record, step
from .undo import Ledger
from .undo_lattice import LatticeUndo


def _follow_tasks(plan: dict[str, Any], group_arn: str, ledger: Ledger) -> None:
    """``registration: direct``: ECS registers nothing, so the rollback keeps the group equal to
    the running tasks until the service is steady again. Why wait: the restored revision's tasks
    start after the rollback's first pass, and a group left with only the failed revision's
    targets would serve nothing."""
    try:
        added, _ = targets.sync(plan, group_arn)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            return  # the run's own group, deleted by an earlier pass
        raise
    if added:
        ledger.restore("targets", group_arn, registered=added)
    service = ecs.describe_service(plan)
    steady = service is None or (
        len(service.get("deployments") or []) == 1
        and service["runningCount"] == service["desiredCount"]
    )
    if not steady:
        ledger.pending.append(
            {
                "type": "targets",
                "id": group_arn,
                "reason": "the restored tasks are starting; each is registered once it runs",
                "remove": f"aws vpc-lattice register-targets --target-group-identifier "
                f"{group_arn} --targets id=<task IP>,port={plan['lattice']['containerPort']}",
                "retry": True,
            }
        )


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
        _follow_tasks(plan, group["arn"], ledger)
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
        kept=ledger.kept,
        pending=ledger.pending,
    )
