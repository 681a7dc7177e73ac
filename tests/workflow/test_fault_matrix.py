"""The fault matrix: every mutating operation the workflow calls x {permanent failure, throttle,
crash right after the call}, on a first deploy and on an update of a deployed service.

Every run must end SUCCEEDED, or FAILED and rolled back with the account exactly as it was before
(compared resource by resource, settings and tags included), the ECS service back on its previous
task definition; a SUCCEEDED run must leave exactly what a clean deploy leaves (no duplicates)."""

from __future__ import annotations

from typing import Any

import pytest

from deployer.rollback.undo import TAG
from lattice_deploy.emulator import EmbeddedAws

from .conftest import EXAMPLE, Local
from .snapshot import shape, snapshot

FIRST_DEPLOY_OPS = [
    "vpc-lattice.CreateServiceNetwork",
    "vpc-lattice.CreateServiceNetworkVpcAssociation",
    "vpc-lattice.CreateService",
    "vpc-lattice.CreateTargetGroup",
    "vpc-lattice.CreateListener",
    "vpc-lattice.CreateServiceNetworkServiceAssociation",
    "ecs.RegisterTaskDefinition",
    "ecs.CreateService",
]
UPDATE_OPS = ["ecs.RegisterTaskDefinition", "ecs.UpdateService"]
MODES = {"fail": "fail:{op}", "throttle": "throttle:{op}:5", "crash": "crash-after:{op}"}
CASES = [("first", op, mode) for op in FIRST_DEPLOY_OPS for mode in MODES] + [
    ("update", op, mode) for op in UPDATE_OPS for mode in MODES
]


def new_image(bundle: Any) -> Any:
    def edit(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:1.27"

    return bundle(task=edit)


@pytest.fixture(scope="module")
def clean_shapes() -> dict[str, Any]:
    """What a fault-free first deploy leaves, and the operations it calls (its own account,
    closed before the matrix's runs open theirs)."""
    with EmbeddedAws() as aws:
        local = Local(aws)
        aws.reset_calls()
        assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
        served = aws.calls()["mutatingCalls"]
        first_ops = sorted(
            k.replace(":", ".") for k in served if k.split(":")[0] in ("ecs", "vpc-lattice")
        )
        return {"first": shape(snapshot(aws)), "firstOps": first_ops}


def test_the_matrix_covers_every_mutating_operation_of_a_clean_deploy(
    clean_shapes: dict[str, Any],
) -> None:
    assert clean_shapes["firstOps"] == sorted(FIRST_DEPLOY_OPS)


@pytest.mark.parametrize(
    ("scenario", "operation", "mode"), CASES, ids=[f"{s}-{o}-{m}" for s, o, m in CASES]
)
def test_fault(
    local: Local,
    bundle: Any,
    clean_shapes: dict[str, Any],
    scenario: str,
    operation: str,
    mode: str,
) -> None:
    directory = EXAMPLE
    if scenario == "update":
        assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
        directory = new_image(bundle)
    before = snapshot(local.aws)
    previous_task_definition = [s[1] for s in before["ecsServices"]]
    local.aws.inject(MODES[mode].format(op=operation))
    summary = local.deploy(directory)
    after = snapshot(local.aws)
    if summary["status"] == "SUCCEEDED":
        assert mode == "throttle", f"{operation} {mode} should have failed the run"
        if scenario == "first":
            assert shape(after) == clean_shapes["first"]
        else:
            assert [s[1] for s in after["ecsServices"]] != previous_task_definition
        return
    assert mode != "throttle", summary["failure"]
    assert summary["rolledBack"] is True, summary["failure"]["message"]
    assert after == before, "the rollback left the account changed"
    assert [s[1] for s in after["ecsServices"]] == previous_task_definition
    assert "Rolled back" in summary["failure"]["message"]


ROLLBACK_OPS = [
    "ecs.DeleteService",
    "ecs.DeregisterTaskDefinition",
    "ecs.DeleteTaskDefinitions",
    "vpc-lattice.DeleteServiceNetworkServiceAssociation",
    "vpc-lattice.DeleteListener",
    "vpc-lattice.DeleteTargetGroup",
    "vpc-lattice.DeleteService",
    "vpc-lattice.DeleteServiceNetworkVpcAssociation",
    "vpc-lattice.DeleteServiceNetwork",
]
UPDATE_ROLLBACK_OPS = [
    "ecs.UpdateService",
    "ecs.DeregisterTaskDefinition",
    "ecs.DeleteTaskDefinitions",
]
SECOND = {"fail": "fail:{op}@rollback", "crash": "crash-after:{op}@rollback"}
SECOND_CASES = [("first", op, m) for op in ROLLBACK_OPS for m in SECOND] + [
    ("update", op, m) for op in UPDATE_ROLLBACK_OPS for m in SECOND
]


COVERED = {("first", "vpc-lattice.DeleteListener")}
"""A refusal the rest of the rollback makes good: the run's listener goes with its service (VPC
Lattice API reference, DeleteService: "If you delete a service, all resources related to the
service, such as the resource policy, auth policy, listeners, listener rules, and access log
subscriptions, are also deleted")."""


def tagged(aws: EmbeddedAws, deployment_id: str) -> list[str]:
    """Every ECS and Lattice resource still carrying ``deployment_id``'s tag (what that run made
    and nothing removed)."""
    lattice, ecs = aws.client("vpc-lattice"), aws.client("ecs")
    found = []
    for operation, kwargs in (
        ("list_service_networks", {}),
        ("list_services", {}),
        ("list_target_groups", {}),
        ("list_service_network_vpc_associations", {"vpcIdentifier": "vpc-12345678"}),
    ):
        for item in getattr(lattice, operation)(**kwargs)["items"]:
            if item.get("status") == "DELETE_IN_PROGRESS":
                continue
            tags = lattice.list_tags_for_resource(resourceArn=item["arn"])["tags"]
            if tags.get(TAG) == deployment_id:
                found.append(item["arn"])
    for status in ("ACTIVE", "INACTIVE"):
        for arn in ecs.list_task_definitions(status=status)["taskDefinitionArns"]:
            described = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
            if {t["key"]: t["value"] for t in described.get("tags") or []}.get(
                TAG
            ) == deployment_id:
                found.append(arn)
    return sorted(found)


@pytest.mark.parametrize(
    ("scenario", "operation", "mode"),
    SECOND_CASES,
    ids=[f"{s}-{o}-{m}" for s, o, m in SECOND_CASES],
)
def test_a_second_fault_during_the_rollback(
    local: Local, bundle: Any, scenario: str, operation: str, mode: str
) -> None:
    """The deploy fails (its targets never turn healthy), then the rollback meets a second fault.
    A crash is retried: rolled back whole. A refusal: the run lists each resource left with its
    command, the list is exactly what the account still holds of the run, and the next run of
    the service (no faults) finishes the cleanup and deploys."""
    directory = EXAMPLE
    if scenario == "update":
        assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
        directory = new_image(bundle)
    before = snapshot(local.aws)
    local.aws.inject(
        "unhealthy-targets:myservice:2" if scenario == "update" else "unhealthy-targets"
    )
    local.aws.inject(SECOND[mode].format(op=operation))
    summary = local.deploy(directory)
    assert summary["status"] == "FAILED"
    if mode == "crash" or (scenario, operation) in COVERED:
        assert summary["rolledBack"] is True, summary["failure"]["message"]
        assert snapshot(local.aws) == before
        return
    assert summary["rolledBack"] is False
    left = summary["rollback"]["left"]
    assert left and all(item["remove"].startswith("aws ") for item in left), left
    message = summary["failure"]["message"]
    assert "ROLLBACK INCOMPLETE" in message and all(i["remove"] in message for i in left)
    still = tagged(local.aws, summary["deploymentId"])
    named = {i["id"] for i in left}
    assert all(any(arn.endswith(n) or arn == n for n in named) for arn in still), (still, left)
    if snapshot(local.aws)["ecsServices"] != before["ecsServices"]:  # not put back: said so
        assert any(i["type"] == "ecsService" for i in left), left
    local.aws.clear_faults()
    again = local.deploy(directory)
    assert again["status"] == "SUCCEEDED", again.get("failure")
    assert tagged(local.aws, summary["deploymentId"]) == []
