"""ECS services wired to VPC Lattice: tasks start, get IPs, register, turn healthy; rollouts end."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from botocore.exceptions import ClientError

from lattice_deploy.emulator.ecs.tasks import PROVISIONING_SECONDS, STARTUP_SECONDS
from lattice_deploy.emulator.vpclattice.targets import DRAIN_SECONDS

from .helpers import (
    describe,
    lattice_service,
    served_target_group,
    target_group,
    targets,
    task_definition,
    task_ips,
)

BREAKER = {"deploymentCircuitBreaker": {"enable": True, "rollback": True}}
HEALTHY_AFTER = STARTUP_SECONDS + 30  # RUNNING, then one passing check (its first, at 30 s)


def statuses(ecs: Any) -> set[str]:
    arns = ecs.list_tasks(cluster="my-cluster", serviceName="myservice")["taskArns"]
    return {t["lastStatus"] for t in ecs.describe_tasks(cluster="my-cluster", tasks=arns)["tasks"]}


def rollouts(ecs: Any) -> list[tuple[str, str]]:
    return [(d["status"], d["rolloutState"]) for d in describe(ecs)["deployments"]]


def test_tasks_start_in_the_subnets_and_turn_healthy_in_the_target_group(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    tg = served_target_group(lattice)
    service = lattice_service(ecs, tg["arn"], task_definition(ecs))
    deployment = service["deployments"][0]
    assert deployment["rolloutState"] == "IN_PROGRESS"
    assert deployment["vpcLatticeConfigurations"][0]["portName"] == "http"
    ips = task_ips(ecs)
    assert len(ips) == 3
    nets = [ipaddress.ip_network("10.0.1.0/24"), ipaddress.ip_network("10.0.2.0/24")]
    assert all(any(ipaddress.ip_address(ip) in n for n in nets) for ip in ips)
    assert {ipaddress.ip_address(ip) in nets[0] for ip in ips} == {True, False}  # both subnets used
    assert statuses(ecs) == {"PROVISIONING"} and targets(lattice, tg["id"]) == {}
    aws.advance(PROVISIONING_SECONDS)
    assert statuses(ecs) == {"PENDING"} and targets(lattice, tg["id"]) == {}
    aws.advance(STARTUP_SECONDS - PROVISIONING_SECONDS)  # RUNNING: ECS registers the targets
    assert statuses(ecs) == {"RUNNING"}
    assert targets(lattice, tg["id"]) == dict.fromkeys(ips, "INITIAL")
    aws.advance(29)
    assert rollouts(ecs) == [("PRIMARY", "IN_PROGRESS")]
    aws.advance(1)
    assert targets(lattice, tg["id"]) == dict.fromkeys(ips, "HEALTHY")
    got = describe(ecs)
    assert (got["runningCount"], got["deployments"][0]["rolloutState"]) == (3, "COMPLETED")
    tasks = ecs.describe_tasks(
        cluster="my-cluster",
        tasks=ecs.list_tasks(cluster="my-cluster", serviceName="myservice")["taskArns"],
    )["tasks"]
    # no container health check: UNKNOWN, whatever Lattice says (API Reference, Container)
    assert {(t["lastStatus"], t["healthStatus"]) for t in tasks} == {("RUNNING", "UNKNOWN")}


def test_targets_register_at_the_port_portname_names(aws: Any, lattice: Any, ecs: Any) -> None:
    tg = served_target_group(lattice)
    arn = ecs.register_task_definition(
        family="myservice",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {
                "name": "web",
                "image": "nginx",
                "portMappings": [
                    {"name": "admin", "containerPort": 9000},
                    {"name": "http", "containerPort": 8080},
                ],
            }
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    lattice_service(ecs, tg["arn"], arn, desired=1)
    aws.advance(STARTUP_SECONDS)
    assert [t["port"] for t in lattice.list_targets(targetGroupIdentifier=tg["id"])["items"]] == [
        8080
    ]


def test_new_task_definition_rolls_out_and_old_tasks_drain_and_stop(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    tg = served_target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs))
    aws.advance(HEALTHY_AFTER)
    old_ips = task_ips(ecs)
    ecs.update_service(
        cluster="my-cluster", service="myservice", taskDefinition=task_definition(ecs, "nginx:1.27")
    )
    assert rollouts(ecs) == [("PRIMARY", "IN_PROGRESS"), ("ACTIVE", "COMPLETED")]
    assert len(task_ips(ecs)) == 6  # old tasks keep serving until the new ones are healthy
    aws.advance(HEALTHY_AFTER)
    new_ips = task_ips(ecs)
    assert rollouts(ecs) == [("PRIMARY", "COMPLETED")]
    assert len(new_ips) == 3 and not set(new_ips) & set(old_ips)
    assert describe(ecs)["taskDefinition"].endswith("myservice:2")
    assert targets(lattice, tg["id"]) == {
        **dict.fromkeys(old_ips, "DRAINING"),
        **dict.fromkeys(new_ips, "HEALTHY"),
    }
    aws.advance(DRAIN_SECONDS)
    assert targets(lattice, tg["id"]) == dict.fromkeys(new_ips, "HEALTHY")


def test_unhealthy_revision_trips_the_circuit_breaker_and_ecs_rolls_back(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    tg = served_target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs), deploymentConfiguration=BREAKER)
    aws.advance(HEALTHY_AFTER)
    aws.inject("unhealthy-targets:myservice:2")
    ecs.update_service(
        cluster="my-cluster", service="myservice", taskDefinition=task_definition(ecs, "broken:1")
    )
    aws.advance(STARTUP_SECONDS + 59)
    assert rollouts(ecs)[0] == ("PRIMARY", "IN_PROGRESS")
    aws.advance(1)  # started, then 2 failed checks x 30 s: all 3 new tasks fail, threshold 3
    failed = [d for d in describe(ecs)["deployments"] if d["rolloutState"] == "FAILED"]
    assert len(failed) == 1 and failed[0]["failedTasks"] == 3
    assert describe(ecs)["taskDefinition"].endswith("myservice:1")
    aws.advance(HEALTHY_AFTER)
    assert rollouts(ecs) == [("PRIMARY", "COMPLETED")]
    stopped = ecs.list_tasks(cluster="my-cluster", desiredStatus="STOPPED")["taskArns"]
    reasons = {
        t["stoppedReason"] for t in ecs.describe_tasks(cluster="my-cluster", tasks=stopped)["tasks"]
    }
    assert "Task failed VPC Lattice health checks" in reasons


def test_without_the_breaker_failing_tasks_are_replaced_and_the_rollout_never_completes(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    tg = served_target_group(lattice)
    aws.inject("unhealthy-targets:myservice")
    lattice_service(ecs, tg["arn"], task_definition(ecs), desired=2)
    aws.advance(600)
    got = describe(ecs)
    assert got["deployments"][0]["rolloutState"] == "IN_PROGRESS"
    # a new pair fails every 90 s: 30 s to start, then 2 failed checks x 30 s
    assert got["deployments"][0]["failedTasks"] == 2 * 6
    assert len(task_ips(ecs)) == 2


def test_tasks_that_fail_to_start_never_register(aws: Any, lattice: Any, ecs: Any) -> None:
    tg = served_target_group(lattice)
    aws.inject("tasks-fail-to-start:myservice")
    lattice_service(ecs, tg["arn"], task_definition(ecs), deploymentConfiguration=BREAKER)
    assert targets(lattice, tg["id"]) == {}
    aws.advance(15)
    assert statuses(ecs) == {"PENDING"}
    aws.advance(15)
    got = describe(ecs)["deployments"][0]
    assert (got["rolloutState"], got["failedTasks"]) == ("FAILED", 3)
    stopped = ecs.list_tasks(cluster="my-cluster", desiredStatus="STOPPED")["taskArns"]
    codes = {
        t["stopCode"] for t in ecs.describe_tasks(cluster="my-cluster", tasks=stopped)["tasks"]
    }
    assert codes == {"TaskFailedToStart"}


def test_scaling_and_deleting_deregister_tasks(aws: Any, lattice: Any, ecs: Any) -> None:
    tg = served_target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs))
    aws.advance(HEALTHY_AFTER)
    ecs.update_service(cluster="my-cluster", service="myservice", desiredCount=1)
    assert len(task_ips(ecs)) == 1
    assert sorted(targets(lattice, tg["id"]).values()) == ["DRAINING", "DRAINING", "HEALTHY"]
    with pytest.raises(ClientError) as exc:
        ecs.delete_service(cluster="my-cluster", service="myservice")
    assert exc.value.response["Error"]["Code"] == "InvalidParameterException"
    ecs.update_service(cluster="my-cluster", service="myservice", desiredCount=0)
    assert (
        ecs.delete_service(cluster="my-cluster", service="myservice")["service"]["status"]
        == "INACTIVE"
    )
    # "no longer visible ... in ListServices" (ECS API Reference, DeleteService)
    assert ecs.list_services(cluster="my-cluster")["serviceArns"] == []
    aws.advance(DRAIN_SECONDS)
    assert targets(lattice, tg["id"]) == {}
    lattice_service(ecs, tg["arn"], task_definition(ecs), desired=1)  # the name is free again
    assert len(ecs.list_services(cluster="my-cluster")["serviceArns"]) == 1
    assert len(task_ips(ecs)) == 1


def test_port_name_and_target_group_are_checked(lattice: Any, ecs: Any) -> None:
    tg = served_target_group(lattice)
    with pytest.raises(ClientError) as exc:
        lattice_service(ecs, tg["arn"], task_definition(ecs, port_name="web"))
    assert exc.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "'http'" in exc.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as exc:
        lattice_service(
            ecs, tg["arn"].replace(tg["id"], "tg-12345678901234567"), task_definition(ecs)
        )
    assert "targetGroupArn" in exc.value.response["Error"]["Message"]


def test_creating_a_live_service_twice_is_refused(lattice: Any, ecs: Any) -> None:
    tg = served_target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs))
    with pytest.raises(ClientError) as exc:
        lattice_service(ecs, tg["arn"], task_definition(ecs))
    assert exc.value.response["Error"]["Code"] == "InvalidParameterException"


def test_a_task_says_when_it_started_running_and_not_before(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    """ECS API Reference, Task: ``startedAt`` is when the task went from PENDING to RUNNING
    (absent before), ``createdAt`` when it was created; dates follow the virtual clock."""
    lattice_service(ecs, served_target_group(lattice)["arn"], task_definition(ecs))

    def dates() -> list[dict[str, Any]]:
        arns = ecs.list_tasks(cluster="my-cluster", serviceName="myservice")["taskArns"]
        return ecs.describe_tasks(cluster="my-cluster", tasks=arns)["tasks"]

    created = {t["createdAt"] for t in dates()}
    aws.advance(STARTUP_SECONDS - 1)
    assert [t.get("startedAt") for t in dates()] == [None] * 3
    aws.advance(100)
    tasks = dates()
    assert {t["createdAt"] for t in tasks} == created
    assert {(t["startedAt"] - t["createdAt"]).total_seconds() for t in tasks} == {STARTUP_SECONDS}


def test_describe_tasks_refuses_more_than_100_tasks(ecs: Any, lattice: Any) -> None:
    """ "A list of up to 100 task IDs or full ARN entries" (ECS API Reference, DescribeTasks)."""
    arns = [f"arn:aws:ecs:us-east-1:123456789012:task/my-cluster/{n:032x}" for n in range(101)]
    with pytest.raises(ClientError) as refused:
        ecs.describe_tasks(cluster="my-cluster", tasks=arns)
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert ecs.describe_tasks(cluster="my-cluster", tasks=arns[:100])["tasks"] == []


def test_a_group_deleted_under_a_service_leaves_the_account_working(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    """A teardown in the wrong order (the group first) must not break every later call: ECS
    says it cannot register there, and stopping the tasks has nothing to deregister."""
    tg = target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs))
    lattice.delete_target_group(targetGroupIdentifier=tg["id"])  # no targets yet: allowed
    aws.advance(STARTUP_SECONDS)  # RUNNING: nowhere to register
    assert statuses(ecs) == {"RUNNING"}
    assert lattice.list_target_groups()["items"] == []
    messages = [e["message"] for e in describe(ecs)["events"]]
    assert any("unable to register targets" in m and tg["arn"] in m for m in messages)
    ecs.update_service(cluster="my-cluster", service="myservice", desiredCount=0)
    aws.advance(60)
    assert describe(ecs)["runningCount"] == 0
    assert lattice.list_services()["items"] == []
