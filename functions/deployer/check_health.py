"""State ``check_health``: one poll of the rollout and of the Lattice targets' health.

Answers ``HEALTHY`` (the ECS rollout is COMPLETED and every task of the new deployment is a
HEALTHY target), ``FAILED`` (the rollout FAILED, a new task's target is UNHEALTHY, or the bundle's
timeout passed) or ``WAITING``; the state machine's Wait/Choice loop does the waiting, so no
Lambda ever sleeps. Elapsed time is counted as polls x poll interval, the Wait's own clock.
"""

from __future__ import annotations

import os
from typing import Any

from . import aws, ecs, targets
from .step import record, step


def _verdict(
    plan: dict[str, Any], service: dict[str, Any] | None, mine: dict[str, str], elapsed: int
) -> tuple[str, str]:
    if service is None:
        return "FAILED", f"ECS service {plan['serviceName']} is gone from cluster {plan['cluster']}"
    primary: dict[str, Any] = next(
        (d for d in service["deployments"] if d["status"] == "PRIMARY"), {}
    )
    rollout = primary.get("rolloutState", "")
    if rollout == "FAILED":
        return "FAILED", f"ECS rollout FAILED: {primary.get('rolloutStateReason', '')}"
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
    deployments = (service or {}).get("deployments", [])
    primary: dict[str, Any] = next((d for d in deployments if d["status"] == "PRIMARY"), {})
    running = [ip for ip, s in ecs.task_ips(plan, primary.get("id")).items() if s == "RUNNING"]
    health = targets.statuses(plan, resources["targetGroup"]["arn"])
    mine = {ip: health.get(ip, {}).get("status", "UNREGISTERED") for ip in running}
    status, reason = _verdict(plan, service, mine, elapsed)
    calls = aws.counts()
    return record(
        status,
        status=status,
        reason=reason,
        polls=polls,
        rolloutState=primary.get("rolloutState"),
        targets=[health[ip] for ip in sorted(health)],
        pollCalls={
            k: int(before.get("pollCalls", {}).get(k, 0)) + calls[k] for k in ("mutating", "read")
        },
    )
