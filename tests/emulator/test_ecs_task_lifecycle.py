"""A task's states, health and containers as DescribeTasks reports them (ECS Developer Guide,
"Amazon ECS task lifecycle"; ECS API Reference, Task and Container)."""

from __future__ import annotations

from typing import Any

from lattice_deploy.emulator.ecs.tasks import (
    DEACTIVATING_SECONDS,
    DEPROVISIONING_SECONDS,
    STARTUP_SECONDS,
    STOPPING_SECONDS,
)

from .helpers import describe, lattice_service, served_target_group, task_definition


def all_tasks(ecs: Any, desired: str = "RUNNING") -> list[dict[str, Any]]:
    arns = ecs.list_tasks(cluster="my-cluster", serviceName="myservice", desiredStatus=desired)
    if not arns["taskArns"]:
        return []
    return ecs.describe_tasks(cluster="my-cluster", tasks=arns["taskArns"])["tasks"]


def stopped_one(aws: Any, lattice: Any, ecs: Any, **container: Any) -> dict[str, Any]:
    """One healthy task, then scaled to 0: the task stopping, read at once."""
    tg = served_target_group(lattice)
    arn = task_definition(ecs, **container)
    lattice_service(ecs, tg["arn"], arn, desired=1)
    aws.advance(STARTUP_SECONDS + 300)
    assert describe(ecs)["deployments"][0]["rolloutState"] == "COMPLETED"
    ecs.update_service(cluster="my-cluster", service="myservice", desiredCount=0)
    return tg


def test_a_task_without_a_container_health_check_reports_unknown(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    """Healthy Lattice targets do not make the task HEALTHY: "If health checks aren't configured
    for this container in its task definition, then it reports the health status as UNKNOWN"
    (API Reference, Container), and the task's follows its essential containers'."""
    tg = served_target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs), desired=1)
    aws.advance(STARTUP_SECONDS + 300)
    assert describe(ecs)["deployments"][0]["rolloutState"] == "COMPLETED"
    (task,) = all_tasks(ecs)
    assert task["healthStatus"] == "UNKNOWN"
    assert [c["healthStatus"] for c in task["containers"]] == ["UNKNOWN"]


def test_a_task_with_a_container_health_check_reports_its_containers_health(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    tg = served_target_group(lattice)
    check = {"command": ["CMD-SHELL", "true"], "interval": 30}
    lattice_service(ecs, tg["arn"], task_definition(ecs), desired=1)
    sidecar = {"name": "sidecar", "image": "envoy", "essential": False}
    arn = task_definition(ecs, "nginx:2", sidecars=(sidecar,), healthCheck=check)
    ecs.update_service(cluster="my-cluster", service="myservice", taskDefinition=arn)
    aws.advance(STARTUP_SECONDS)
    (task,) = [t for t in all_tasks(ecs) if t["taskDefinitionArn"] == arn]
    assert task["healthStatus"] == "HEALTHY"  # the non-essential sidecar does not count
    assert {c["name"]: c["healthStatus"] for c in task["containers"]} == {
        "web": "HEALTHY",
        "sidecar": "UNKNOWN",
    }


def test_a_stopping_task_passes_the_lifecycle_states_while_its_target_drains(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    """RUNNING -> DEACTIVATING (its Lattice target DRAINING) -> STOPPING -> DEPROVISIONING ->
    STOPPED (Developer Guide, "Amazon ECS task lifecycle"); desiredStatus STOPPED throughout."""
    stopped_one(aws, lattice, ecs)
    assert all_tasks(ecs) == []  # no longer desired RUNNING
    seen = []
    for step in (0, DEACTIVATING_SECONDS, STOPPING_SECONDS, DEPROVISIONING_SECONDS):
        aws.advance(step)
        (task,) = all_tasks(ecs, "STOPPED")
        seen.append((task["lastStatus"], task["desiredStatus"], "stoppedAt" in task))
    assert seen == [
        ("DEACTIVATING", "STOPPED", False),
        ("STOPPING", "STOPPED", False),
        ("DEPROVISIONING", "STOPPED", False),
        ("STOPPED", "STOPPED", True),
    ]
    assert task["stoppingAt"] < task["executionStoppedAt"] < task["stoppedAt"]
    assert task["stopCode"] == "ServiceSchedulerInitiated"


def test_the_target_drains_while_the_task_deactivates(aws: Any, lattice: Any, ecs: Any) -> None:
    tg = stopped_one(aws, lattice, ecs)
    aws.advance(1)
    (task,) = all_tasks(ecs, "STOPPED")
    listed = lattice.list_targets(targetGroupIdentifier=tg["id"])["items"]
    assert (task["lastStatus"], [t["status"] for t in listed]) == ("DEACTIVATING", ["DRAINING"])


def test_a_stopped_tasks_containers_are_stopped_with_their_exit_code(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    stopped_one(aws, lattice, ecs)
    (running,) = all_tasks(ecs, "STOPPED")
    assert [(c["lastStatus"], "exitCode" in c) for c in running["containers"]] == [
        ("RUNNING", False)
    ]
    aws.advance(DEACTIVATING_SECONDS + STOPPING_SECONDS + DEPROVISIONING_SECONDS)
    (task,) = all_tasks(ecs, "STOPPED")
    assert [(c["lastStatus"], c.get("exitCode")) for c in task["containers"]] == [("STOPPED", 0)]
