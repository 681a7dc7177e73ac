"""Bundles that name capacity providers, or no launch type at all, as ecspresso users' do."""

from __future__ import annotations

from typing import Any

import pytest

from deployer.states import check_health
from lattice_deploy.cli.main import main
from lattice_deploy.emulator.ecs.capacity import NO_INSTANCES

from .conftest import Local

SPOT = [
    {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
    {"capacityProvider": "FARGATE_SPOT", "weight": 2},
]


def strategy(items: list[dict[str, Any]] | None) -> Any:
    def edit(service: dict[str, Any]) -> None:
        del service["launchType"]
        if items is not None:
            service["capacityProviderStrategy"] = items

    return edit


def described(local: Local) -> dict[str, Any]:
    ecs = local.aws.client("ecs")
    return dict(ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"][0])


def lattice_or_ecs_changes(local: Local) -> list[str]:
    return [k for k in local.aws.calls()["mutatingCalls"] if k.startswith(("ecs", "vpc-lattice"))]


def test_a_capacity_provider_strategy_deploys_healthy(local: Local, bundle: Any) -> None:
    summary = local.deploy(bundle(service=strategy(SPOT)))
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    assert len(summary["targets"]) == 3
    service = described(local)
    assert "launchType" not in service
    assert [i["capacityProvider"] for i in service["capacityProviderStrategy"]] == [
        "FARGATE",
        "FARGATE_SPOT",
    ]


def test_no_launch_type_runs_on_the_clusters_default_strategy(local: Local, bundle: Any) -> None:
    summary = local.deploy(bundle(service=strategy(None)))
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    assert described(local)["capacityProviderStrategy"] == [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 0}
    ]


def test_a_provider_the_cluster_lacks_is_refused_before_any_change_with_the_fix(
    local: Local, bundle: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = bundle(service=strategy([{"capacityProvider": "my-ec2-provider", "weight": 1}]))
    local.aws.reset_calls()
    summary = local.deploy(directory)
    assert summary["status"] == "FAILED" and summary["failure"]["error"] == "BundleInvalid"
    message = summary["failure"]["message"]
    assert (
        "ecs-service-def.json: capacityProviderStrategy[0].capacityProvider: 'my-ec2-provider' "
        "is not associated with cluster my-cluster (associated: FARGATE, FARGATE_SPOT)"
    ) in message
    assert "aws ecs put-cluster-capacity-providers --cluster my-cluster" in message
    assert lattice_or_ecs_changes(local) == []
    capsys.readouterr()
    assert main(["validate", str(directory), "--account"]) == 2
    assert "'my-ec2-provider' is not associated with cluster my-cluster" in capsys.readouterr().out


def test_a_cluster_without_a_default_strategy_refuses_a_bundle_without_launch_type(
    local: Local, bundle: Any
) -> None:
    local.aws.client("ecs").put_cluster_capacity_providers(
        cluster="my-cluster", capacityProviders=[], defaultCapacityProviderStrategy=[]
    )
    summary = local.deploy(bundle(service=strategy(None)))
    assert summary["status"] == "FAILED"
    assert (
        "launchType: neither launchType nor capacityProviderStrategy"
        in (summary["failure"]["message"])
    )


def test_the_health_wait_says_ecs_could_place_no_task() -> None:
    plan = {"serviceName": "myservice", "cluster": "c", "timeoutSeconds": 600, "lattice": {}}
    service = {
        "desiredCount": 1,
        "deployments": [{"status": "PRIMARY", "rolloutState": "IN_PROGRESS", "failedTasks": 0}],
        "events": [{"message": NO_INSTANCES.format(name="myservice")}],
    }
    status, reason = check_health._verdict(plan, service, {}, 600)
    assert status == "FAILED"
    assert "no targets; ECS: (service myservice) was unable to place a task" in reason
    assert "unable to place a task" in check_health._verdict(plan, service, {}, 10)[1]
