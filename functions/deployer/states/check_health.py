"""State ``check_health``: one poll of the rollout and of the Lattice targets' health.

Answers ``HEALTHY`` (the ECS rollout is COMPLETED and every task of the new deployment is a
HEALTHY target), ``FAILED`` (the rollout FAILED, a task of the new deployment failed (ECS counts
it in ``failedTasks`` and replaces it at once, so its UNHEALTHY target may never be seen), a new
task's target is UNHEALTHY, or the bundle's timeout passed) or ``WAITING`` with ``waitSeconds``,
when the next poll can learn something (:mod:`deployer.health.health_schedule`); the state machine's
Wait does the waiting, so no Lambda ever sleeps. It runs first right after ``update_service``: a
deploy that changed nothing is healthy at once. Time is the state's ``$$.State.EnteredTime``, the
clock of the execution history: the timeout counts from the first poll.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from ..core.step import record, step
from ..ecs import api as ecs
from ..ecs import failures
from ..health import follow_deployment, health_schedule, targets
from ..lattice import find_or_create as lattice


def _latest_failure(service: dict[str, Any]) -> str:
    """ECS's newest event about stopped tasks: the reason a user would read in the console."""
    for event in service.get("events") or []:
        if "stopped" in event.get("message", ""):
            return str(event["message"])
    return "no stop reason in the service events"


def _unplaced(service: dict[str, Any]) -> str:
    """ECS's newest event, when it says no task could be placed (the capacity the service asks
    for is not there): why a rollout has no targets at all. Not a failure by itself: ECS keeps
    trying, and capacity may come (an Auto Scaling group scaling out)."""
    events = service.get("events") or []
    newest = str(events[0].get("message", "")) if events else ""
    return f"; ECS: {newest}" if "unable to place a task" in newest else ""


def _verdict(
    plan: dict[str, Any], service: dict[str, Any] | None, mine: dict[str, str], elapsed: float
) -> tuple[str, str]:
    if service is None:
        return "FAILED", f"ECS service {plan['serviceName']} is gone from cluster {plan['cluster']}"
    primary = ecs.primary(service)
    rollout = primary.get("rolloutState", "")
    if rollout == "FAILED":
        return "FAILED", f"ECS rollout FAILED: {primary.get('rolloutStateReason', '')}"
    failed, limit = (
        int(primary.get("failedTasks") or 0),
        failures.failed_task_limit(plan, int(service["desiredCount"])),
    )
    if failed >= limit:
        return "FAILED", (
            f"{failed} task(s) of the new deployment failed and were stopped by ECS, the limit "
            f"of {limit} (latest: {_latest_failure(service)})"
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
            f"(rollout {rollout}; {waiting}{_unplaced(service)})",
        )
    replaced = f"; {failed} failed task(s) replaced (limit {limit})" if failed else ""
    return (
        "WAITING",
        f"rollout {rollout}; "
        f"{sum(s == 'HEALTHY' for s in mine.values())}/{service['desiredCount']} HEALTHY"
        + replaced
        + _unplaced(service),
    )


def _registered(
    state: dict[str, Any], plan: dict[str, Any], running: dict[str, float]
) -> dict[str, float]:
    """``{ip: epoch seconds}``: when each running task of the new deployment was registered, by
    the workflow (``registration: direct``), else by ECS as the task started running."""
    if plan["lattice"]["registration"] != "direct":
        return running
    ours = ((state.get("resources") or {}).get("targets") or {}).get("registeredAt") or {}
    return {ip: datetime.fromisoformat(ours[ip]).timestamp() for ip in running if ip in ours}


def _follows_ecs(state: dict[str, Any]) -> bool:
    """An update of a progressive service: ECS shifts traffic and rolls back by itself."""
    updated = state["resources"].get("ecsService", {}).get("action") == "updated"
    return bool(state["plan"]["lattice"].get("progressive")) and updated


def _production_rule(state: dict[str, Any]) -> str | None:
    made = ((state["resources"].get("rules") or {}).get("production") or {}).get("arn")
    adopted = (state["plan"]["lattice"]["progressive"].get("adopted") or {}).get(
        "productionListenerRule"
    )
    return str(made or adopted or "") or None


def _groups(state: dict[str, Any]) -> list[str]:
    resources = state["resources"]
    alternate = (resources.get("alternateGroup") or {}).get("arn") or (
        ((state["plan"]["lattice"].get("progressive") or {}).get("adopted") or {}).get(
            "alternateTargetGroupArn"
        )
    )
    return [resources["targetGroup"]["arn"], *([alternate] if alternate else [])]


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    state, now = event["state"], datetime.fromisoformat(event["now"])
    plan, group = state["plan"], state["resources"]["targetGroup"]["arn"]
    before = state.get("health") or {}
    polls, since = int(before.get("polls", 0)) + 1, before.get("since") or event["now"]
    elapsed = (now - datetime.fromisoformat(since)).total_seconds()
    check = before.get("healthCheck")
    if check is None:  # read once: the gate does not change the group
        got = lattice.client(plan).get_target_group(targetGroupIdentifier=group)
        check = got["config"].get("healthCheck") or {}
    fallback = int(os.environ.get("POLL_SECONDS", "15"))
    service = ecs.describe_service(plan)
    primary = ecs.primary(service)
    running = ecs.running_since(plan, primary.get("id"))
    health, group_of = {}, {}  # a progressive service's tasks may be in either of its groups
    for arn in _groups(state):
        for ip, target in targets.statuses(plan, arn).items():
            if ip not in health:
                health[ip], group_of[ip] = target, arn
    if _follows_ecs(state):
        new = [group_of[ip] for ip in running if ip in group_of]
        share = follow_deployment.rule_share(
            _production_rule(state), max(set(new), key=new.count) if new else None, plan
        )
        status, reason, detail = follow_deployment.verdict(
            plan, elapsed, share, state["resources"].get("ecsService")
        )
        wait = follow_deployment.next_poll(plan, detail, fallback)
        shown = [health[ip] for ip in sorted(health) if ip in running]
    else:
        registered = _registered(state, plan, running)
        mine = {ip: health.get(ip, {}).get("status", "UNREGISTERED") for ip in running}
        status, reason = _verdict(plan, service, mine, elapsed)
        wait = health_schedule.next_poll(check, registered, mine, now.timestamp(), fallback)
        detail, shown = (
            {"rolloutState": primary.get("rolloutState")},
            [health[ip] for ip in sorted(health)],
        )
    return record(
        status,
        status=status,
        reason=reason,
        polls=polls,
        since=since,
        waitSeconds=max(1, min(wait, int(plan["timeoutSeconds"] - elapsed))),
        healthCheck=check,
        targets=shown,
        **detail,
    )
