"""What ECS reports of a deployment's tasks, as the ECS API Reference words it: ``failedTasks``
once a task runs healthy, task and container states and timestamps, the service's current
deployment, a deregistered revision."""

from __future__ import annotations

from typing import Any

import pytest

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
