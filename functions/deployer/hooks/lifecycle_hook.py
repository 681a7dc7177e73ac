"""ECS lifecycle hook (not a state): the health gate, asked by ECS during a progressive deployment
whether the green revision may go on (:mod:`deployer.ecs.progressive`).

ECS invokes it at POST_SCALE_UP (before any production traffic) and around each traffic shift
with its payload (``executionDetails.targetServiceRevisionArn``; ``hookDetails`` as the workflow
registered them: both target groups, the alarms). It answers ``FAILED`` as soon as a green target
is UNHEALTHY, as many green tasks failed as the bundle tolerates (``maxFailedTasks``, else
ECS's circuit-breaker threshold) or a named alarm is in ALARM (ECS then rolls back),
``SUCCEEDED`` when every green task is a HEALTHY target, or at a traffic shift that leaves the
target revision at weight 0 (ECS's rollback), ``IN_PROGRESS`` otherwise (ECS asks again after
``callBackDelay``).
The green tasks are those running the target revision's task definition. Reads only.
"""

from __future__ import annotations

import os
from typing import Any

from ..core import aws, events

CALL_BACK_SECONDS = 15
DESCRIBE_TASKS_LIMIT = 100
"""DescribeTasks takes "up to 100 task IDs or full ARN entries" (ECS API Reference): a blue/green
service above 50 tasks runs more than that during a deployment, so the hook asks in batches."""


def _alarm(names: list[str]) -> str | None:
    if not names:
        return None
    found = aws.client("cloudwatch").describe_alarms(AlarmNames=names)["MetricAlarms"]
    return next((a["AlarmName"] for a in found if a.get("StateValue") == "ALARM"), None)


def _green_ips(service_arn: str, revision_arn: str) -> tuple[set[str], int, int]:
    """The addresses of the tasks running the target revision, how many it asks for, and how
    many of its tasks ECS stopped as failed (a task whose target turned UNHEALTHY is replaced
    at once, so its UNHEALTHY target may never be seen)."""
    ecs = aws.client("ecs")
    revision = ecs.describe_service_revisions(serviceRevisionArns=[revision_arn])[
        "serviceRevisions"
    ][0]
    cluster, service = service_arn.split(":service/", 1)[1].split("/", 1)
    arns = [
        arn
        for page in ecs.get_paginator("list_tasks").paginate(cluster=cluster, serviceName=service)
        for arn in page["taskArns"]
    ]
    tasks = [
        task
        for start in range(0, len(arns), DESCRIBE_TASKS_LIMIT)
        for task in ecs.describe_tasks(
            cluster=cluster, tasks=arns[start : start + DESCRIBE_TASKS_LIMIT]
        )["tasks"]
    ]
    ips = {
        d["value"]
        for t in tasks
        if t["taskDefinitionArn"] == revision["taskDefinition"]
        for a in t.get("attachments") or []
        for d in a.get("details") or []
        if d["name"] == "privateIPv4Address"
    }
    described = ecs.describe_services(cluster=cluster, services=[service])["services"]
    if not described:
        return ips, len(ips), 0
    green = [
        d
        for d in described[0].get("deployments") or []
        if d["taskDefinition"] == revision["taskDefinition"]
    ]
    failed = sum(int(d.get("failedTasks") or 0) for d in green)
    return ips, int(described[0]["desiredCount"]), failed


SHIFT_WEIGHTS = {
    "PRODUCTION_TRAFFIC_SHIFT": "productionTrafficWeights",
    "TEST_TRAFFIC_SHIFT": "testTrafficWeights",
}
"""The traffic-shift stages, and the payload's weights each moves."""


def _at_weight_zero(event: events.EcsLifecycleHook) -> bool:
    """A traffic-shift stage with the target revision at weight 0: ECS rolling back ("There is
    no dedicated ROLLBACK lifecycle stage": it runs these stages' hooks again while it shifts
    the traffic back; ECS Developer Guide, "Lifecycle hooks for Amazon ECS service
    deployments"). No traffic reaches the revision, so there is nothing to gate; an answer
    other than SUCCEEDED would hold or fail ECS's own rollback."""
    key = SHIFT_WEIGHTS.get(event.lifecycleStage)
    execution = event.executionDetails
    weights: dict[str, float] = getattr(execution, key) if key else {}
    target = execution.targetServiceRevisionArn
    return target in weights and weights[target] == 0.0


def verdict(event: events.EcsLifecycleHook) -> dict[str, Any]:
    details, stage = event.hookDetails, event.lifecycleStage
    if _at_weight_zero(event):
        return {"hookStatus": "SUCCEEDED"}
    if alarm := _alarm(details.alarms):
        return {"hookStatus": "FAILED", "reason": f"alarm {alarm} is in ALARM at {stage}"}
    execution = event.executionDetails
    ips, wanted, failed = _green_ips(execution.serviceArn, execution.targetServiceRevisionArn)
    limit = details.maxFailedTasks or 1
    if failed >= limit:
        return {
            "hookStatus": "FAILED",
            "reason": f"{failed} green task(s) failed VPC Lattice health checks (UNHEALTHY) and "
            f"were replaced by ECS at {stage}, the limit of {limit}",
        }
    lattice = aws.client("vpc-lattice")
    statuses: dict[str, str] = {}
    for group in details.targetGroups:
        for page in lattice.get_paginator("list_targets").paginate(targetGroupIdentifier=group):
            for target in page["items"]:
                if target["id"] in ips:
                    statuses[target["id"]] = target.get("status", "UNAVAILABLE")
    if bad := sorted(ip for ip, status in statuses.items() if status == "UNHEALTHY"):
        return {"hookStatus": "FAILED", "reason": f"green targets UNHEALTHY at {stage}: {bad}"}
    healthy = sum(status == "HEALTHY" for status in statuses.values())
    if healthy >= wanted and len(statuses) == healthy:
        return {"hookStatus": "SUCCEEDED"}
    delay = int(os.environ.get("POLL_SECONDS", CALL_BACK_SECONDS)) or CALL_BACK_SECONDS
    return {"hookStatus": "IN_PROGRESS", "callBackDelay": delay}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Any error answers FAILED with its reason (an event that is not ECS's payload too, naming
    the field at fault): ECS rolls back rather than guess."""
    try:
        return verdict(events.read(event, events.EcsLifecycleHook, "lifecycle_hook"))
    except Exception as exc:  # a hook that cannot look must not let the revision through
        return {"hookStatus": "FAILED", "reason": f"{type(exc).__name__}: {exc}"}
