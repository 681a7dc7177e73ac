"""State ``check_health``: one poll of the rollout and of the Lattice targets' health.

Answers ``HEALTHY`` (the ECS rollout is COMPLETED and every task of the new deployment is a
HEALTHY target), ``FAILED`` (the rollout FAILED, a task of the new deployment failed (ECS counts
it in ``failedTasks`` and replaces it at once, so its UNHEALTHY target may never be seen), a new
task's target is UNHEALTHY, or the bundle's timeout passed) or ``WAITING``; the state machine's
Wait/Choice loop does the waiting, so no Lambda ever sleeps. Elapsed time is counted as
polls x poll interval, the Wait's own clock.
"""

from __future__ import annotations

import os
from typing import Any

from . import ecs, targets
from .step import record, step


def _latest_failure(service: dict[str, Any]) -> str:
    """ECS's newest event about stopped tasks: the reason a user would read in the console."""
    for event in service.get("events") or []:
        if "stopped" in event.get("message", ""):
            return str(event["message"])
    return "no stop reason in the service events"


def _verdict(
    plan: dict[str, Any], service: dict[str, Any] | None, mine: dict[str, str], elapsed: int
) -> tuple[str, str]:
    if service is None:
        return "FAILED", f"ECS service {plan['serviceName']} is gone from cluster {plan['cluster']}"
    primary = ecs.primary(service)
    rollout = primary.get("rolloutState", "")
    if rollout == "FAILED":
        return "FAILED", f"ECS rollout FAILED: {primary.get('rolloutStateReason', '')}"
    if failed := int(primary.get("failedTasks") or 0):
        return "FAILED", (
            f"{failed} task(s) of the new deployment failed and were stopped by ECS "
            f"(latest: {_latest_failure(service)})"
        )
    if bad := sorted(ip for ip, status in mine.items() if status == "UNHEALTHY"):
        return "FAILED", f"targets of the new tasks turned UNHEALTHY: {', '.join(bad)}"
    if (
        rollout == "COMPLETED"
        and len(mine) >= service["desiredCount"]
        and set(mine.values()) <= {"HEALTHY"}
    ):
        return "HEALTHY", f"rollout COMPLETED and {len(mine)} target(s) HEALTHY"
    if elapsed >= plan["timeoutSeconds"]:
        waiting = ", ".join(f"{ip} {status}" for ip, status in sorted(mine.items())) or "no targets"
        return (
            "FAILED",
            f"not healthy within the timeout of {plan['timeoutSeconds']}s "
            f"(rollout {rollout}; {waiting})",
        )
    return (
        "WAITING",
        f"rollout {rollout}; "
        f"{sum(s == 'HEALTHY' for s in mine.values())}/{service['desiredCount']} HEALTHY",
    )


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    plan, resources = event["plan"], event["resources"]
    before = event.get("health") or {}
    polls = int(before.get("polls", 0)) + 1
    elapsed = (polls - 1) * int(os.environ.get("POLL_SECONDS", "15"))
    service = ecs.describe_service(plan)
    primary = ecs.primary(service)
    running = [ip for ip, s in ecs.task_ips(plan, primary.get("id")).items() if s == "RUNNING"]
    health = targets.statuses(plan, resources["targetGroup"]["arn"])
    mine = {ip: health.get(ip, {}).get("status", "UNREGISTERED") for ip in running}
    status, reason = _verdict(plan, service, mine, elapsed)
    return record(
        status,
        status=status,
        reason=reason,
        polls=polls,
        rolloutState=primary.get("rolloutState"),
        targets=[health[ip] for ip in sorted(health)],
    )
