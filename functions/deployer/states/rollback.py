"""State ``rollback``: put ECS and VPC Lattice back as this run found them.

Runs after any step fails (or the health gate does), as a loop with ``wait_for_rollback``:
each invocation looks at the account as it is now, undoes what is left, and answers ``DONE``,
``WAITING`` (a target group's targets are still draining, a delete conflicts with something
being removed) or, after the bundle's timeout, ``STUCK`` with the commands that remove what is
left. Re-entrant by construction: everything it does is found again, not remembered.

The loop waits at least as long as a target drains (:data:`DRAIN_SECONDS`): a target group can be
deleted only once its targets are gone, and a short bundle timeout must not leave it STUCK while
Lattice is merely draining.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from ..core.step import record, step
from ..ecs import api as ecs
from ..health import targets
from ..rollback import leftovers, undo_domain, undo_ecs, undo_routes
from ..rollback.undo import Ledger, guarded
from ..rollback.undo_lattice import LatticeUndo

DRAIN_SECONDS = 300
"""VPC Lattice's draining time, not configurable on a target group. API reference,
TargetSummary: "The default draining time is 5 minutes"."""


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


def undo(state: dict[str, Any], ledger: Ledger) -> None:
    """One pass over everything the run of ``state`` may have changed, part by part: a part that
    fails is left in the ledger and the others still run."""
    plan, resources = state["plan"], state.get("resources") or {}
    group = resources.get("targetGroup")
    parts: list[tuple[str, Callable[[], Any]]] = [
        ("ecsService", partial(undo_ecs.undo_service, plan, plan["baseline"], ledger)),
        ("taskDefinition", partial(undo_ecs.undo_task_definitions, plan, ledger)),
        ("lattice", LatticeUndo(plan, plan["baseline"], resources, ledger).run),
    ]
    known = (plan["baseline"].get("latticeService") or {}).get("arn", "").rsplit("/", 1)[-1]
    service_id = (resources.get("latticeService") or {}).get("id") or known or None
    if service_id and ("routes" in plan["baseline"] or resources.get("routes")):
        parts.insert(
            2, ("routes", partial(undo_routes.undo, plan, plan["baseline"], service_id, ledger))
        )
    if "domain" in plan["baseline"]:
        parts.insert(
            2, ("domain", partial(undo_domain.undo, plan, plan["baseline"], service_id, ledger))
        )
    if plan["lattice"]["registration"] == "direct" and group and not ledger.dry:
        parts.insert(1, ("targets", partial(_follow_tasks, plan, group["arn"], ledger)))
    for part, run in parts:
        guarded(plan, ledger, part, run)


def _poll() -> int:
    return max(1, int(os.environ.get("POLL_SECONDS", "15")))


def wait_seconds(attempts: int) -> int:
    """How long to wait after pass ``attempts``: ``PollSeconds``, doubling, at most a minute (or
    ``PollSeconds`` if longer). Why not a fixed beat: what waiting removes is mostly a 5 min
    drain, and each pass is a Lambda invocation and three state transitions."""
    poll = _poll()
    return min(max(poll, 60), poll * (1 << max(0, min(attempts - 1, 10))))


def verdict(plan: dict[str, Any], ledger: Ledger, attempts: int) -> str:
    poll = _poll()
    # the drain starts once ECS stops the tasks, a pass or two in: wait for it and ten polls more
    budget = max(10 * poll, int(plan["timeoutSeconds"]), DRAIN_SECONDS + 10 * poll)
    waited = sum(wait_seconds(k) for k in range(1, attempts))
    if not ledger.pending:
        return "DONE"
    # a refusal does not end the loop while something else is still draining: waiting removes
    # that, and the list left is then only what waiting cannot remove
    waits = any(p.get("retry") for p in ledger.pending)
    return "WAITING" if waits and waited < budget else "STUCK"


def outcome(ledger: Ledger, status: str, attempts: int) -> dict[str, Any]:
    return {
        "status": status,
        "attempts": attempts,
        "waitSeconds": wait_seconds(attempts),
        "removed": ledger.removed,
        "restored": ledger.restored,
        "kept": ledger.kept,
        "pending": ledger.pending,
    }


def one_pass(state: dict[str, Any]) -> dict[str, Any]:
    """One invocation of the loop: the ledger so far (``state["rollback"]``), one more pass."""
    previous = state.get("rollback") or {}
    attempts = int(previous.get("attempts", 0)) + 1
    ledger = Ledger(previous)
    undo(state, ledger)
    return outcome(ledger, verdict(state["plan"], ledger, attempts), attempts)


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    if not event.get("plan"):
        return record("DONE", status="DONE", attempts=1, removed=[], restored=[], pending=[])
    if event.get("rollbackError") and event.get("inventoryTried"):  # the loop gave up
        ledger = Ledger(event.get("rollback"), dry=True)
        undo(event, ledger)
        attempts = int((event.get("rollback") or {}).get("attempts", 0))
        return record("STUCK", **outcome(ledger, "STUCK", attempts))
    first = not event.get("rollback")
    unrecorded = leftovers.save(event) if first else None  # before any change: see leftovers
    result = one_pass(event)
    if result["status"] == "DONE":
        leftovers.drop(event["plan"]["serviceName"], event["plan"]["deploymentId"])
    return record(result["status"], **result, unrecorded=unrecorded)
