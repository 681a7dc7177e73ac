"""What ECS reports of a deployment's tasks, as the ECS API Reference words it: ``failedTasks``
once a task runs healthy, task and container states and timestamps, the service's current
deployment, a deregistered revision."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .helpers import describe, lattice_service, served_target_group, task_definition
from .test_ecs_lattice import BREAKER, HEALTHY_AFTER

FIRST_TASK = "10.0.1.4"
"""The first task's address (its subnet's first free one: AWS reserves .1 to .3)."""


@pytest.mark.parametrize(("reset", "after"), [(None, 0), (True, 0), (False, 1)])
def test_failed_tasks_reset_once_a_task_runs_healthy(
    aws: Any, lattice: Any, ecs: Any, reset: bool | None, after: int
) -> None:
    """One of 3 tasks cannot start: counted, then the count resets to 0 once another task is
    RUNNING and HEALTHY, unless ``resetOnHealthyTask`` is false."""
    aws.inject(f"tasks-fail-to-start:{FIRST_TASK}")
    breaker = dict(BREAKER["deploymentCircuitBreaker"])
    if reset is not None:
        breaker["resetOnHealthyTask"] = reset
    tg = served_target_group(lattice)
    lattice_service(
        ecs,
        tg["arn"],
        task_definition(ecs),
        deploymentConfiguration={"deploymentCircuitBreaker": breaker},
    )
    aws.advance(30)
    assert describe(ecs)["deployments"][0]["failedTasks"] == 1
    aws.advance(HEALTHY_AFTER)
    got = describe(ecs)["deployments"][0]
    assert (got["rolloutState"], got["failedTasks"]) == ("COMPLETED", after)


def test_the_service_names_its_current_service_deployment(aws: Any, lattice: Any, ecs: Any) -> None:
    """ "The ARN of the current service deployment" (API Reference, Service): the newest one,
    from UpdateService's answer on."""
    tg = served_target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs))
    first = describe(ecs)["currentServiceDeployment"]
    updated = ecs.update_service(
        cluster="my-cluster", service="myservice", taskDefinition=task_definition(ecs, "nginx:2")
    )["service"]
    listed = ecs.list_service_deployments(cluster="my-cluster", service="myservice")
    newest = max(listed["serviceDeployments"], key=lambda d: d["createdAt"])
    assert updated["currentServiceDeployment"] == newest["serviceDeploymentArn"] != first
    assert describe(ecs)["currentServiceDeployment"] == updated["currentServiceDeployment"]


def test_a_deregistered_revision_stays_describable_as_inactive(ecs: Any) -> None:
    """ "You can retrieve an INACTIVE task definition by calling DescribeTaskDefinition"
    (Developer Guide, "Amazon ECS task definition states"); the family alone names "the latest
    ACTIVE revision" (API Reference, DescribeTaskDefinition)."""
    first, second = task_definition(ecs, "nginx:1"), task_definition(ecs, "nginx:2")
    ecs.deregister_task_definition(taskDefinition=second)
    got = ecs.describe_task_definition(taskDefinition=second)["taskDefinition"]
    assert got["status"] == "INACTIVE"
    family = ecs.describe_task_definition(taskDefinition="myservice")["taskDefinition"]
    assert family["taskDefinitionArn"] == first
    assert task_definition(ecs, "nginx:3").endswith(":3")  # the number is not reused


def test_a_deleted_revision_is_delete_in_progress_while_a_service_uses_it(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    """ "A task definition revision will stay in DELETE_IN_PROGRESS status until all the
    associated tasks and services have been terminated"; "You can't use a DELETE_IN_PROGRESS
    task definition revision to ... create new services" (API Reference,
    DeleteTaskDefinitions)."""
    tg = served_target_group(lattice)
    used, unused = task_definition(ecs, "nginx:1"), task_definition(ecs, "nginx:2")
    lattice_service(ecs, tg["arn"], used, desired=1)
    for arn in (used, unused):
        ecs.deregister_task_definition(taskDefinition=arn)
    deleted = ecs.delete_task_definitions(taskDefinitions=[used, unused])["taskDefinitions"]
    assert {d["status"] for d in deleted} == {"DELETE_IN_PROGRESS"}
    got = ecs.describe_task_definition(taskDefinition=used)["taskDefinition"]
    assert got["status"] == "DELETE_IN_PROGRESS"
    listed = ecs.list_task_definitions(familyPrefix="myservice", status="DELETE_IN_PROGRESS")
    assert listed["taskDefinitionArns"] == [used]
    with pytest.raises(ClientError):  # nothing references it: gone
        ecs.describe_task_definition(taskDefinition=unused)
    with pytest.raises(ClientError, match="DELETE_IN_PROGRESS"):
        ecs.create_service(
            cluster="my-cluster",
            serviceName="other",
            taskDefinition=used,
            desiredCount=1,
            launchType="FARGATE",
            networkConfiguration=describe(ecs)["networkConfiguration"],
        )
    ecs.delete_service(cluster="my-cluster", service="myservice", force=True)
    aws.advance(3600)  # its task has STOPPED
    with pytest.raises(ClientError):
        ecs.describe_task_definition(taskDefinition=used)


def test_a_rolling_deployment_is_updated_as_it_moves_and_finished_when_completed(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    """Deployment ``updatedAt``: "The Unix timestamp for the time when the service deployment was
    last updated"; ServiceDeployment ``finishedAt``: "The time the service deployment finished"
    (ECS API Reference). A rolling deployment moves as its tasks start and ends COMPLETED."""
    tg = served_target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs))
    created = describe(ecs)["deployments"][0]
    aws.advance(30)
    moving = describe(ecs)["deployments"][0]
    assert moving["updatedAt"] > created["createdAt"], moving
    aws.advance(HEALTHY_AFTER)
    done = describe(ecs)["deployments"][0]
    assert done["rolloutState"] == "COMPLETED" and done["updatedAt"] > moving["updatedAt"]
    arn = describe(ecs)["currentServiceDeployment"]
    (found,) = ecs.describe_service_deployments(serviceDeploymentArns=[arn])["serviceDeployments"]
    assert found["status"] == "SUCCESSFUL", found
    assert found["finishedAt"] == done["updatedAt"] and found["updatedAt"] == done["updatedAt"]
