"""Service Connect beside VPC Lattice, as the origin document configures both: deployed and
visible, refused before any change without its namespace, updated, rolled back, turned off."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deployer.bundle import plan as planner
from deployer.bundle.account_check import plan_of
from deployer.core.errors import BundleInvalid
from lattice_deploy.runner import execution

from .conftest import EXAMPLE, Local

ORIGIN_BLOCK = json.loads((EXAMPLE / "ecs-service-def.json").read_text())[
    "serviceConnectConfiguration"
]


def deployment(local: Local) -> dict[str, Any]:
    (service,) = local.aws.client("ecs").describe_services(
        cluster="my-cluster", services=["myservice"]
    )["services"]
    return dict(service["deployments"][0])


def aliased(port: int) -> Any:
    def edit(service: dict[str, Any]) -> None:
        service["serviceConnectConfiguration"]["services"][0]["clientAliases"][0]["port"] = port

    return edit


def test_the_origin_documents_bundle_deploys_with_its_service_connect_block(local: Local) -> None:
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "SUCCEEDED"
    newest = deployment(local)
    assert newest["serviceConnectConfiguration"] == ORIGIN_BLOCK
    (resource,) = newest["serviceConnectResources"]
    assert resource["discoveryName"] == "http"
    cloud_map = local.aws.client("servicediscovery").list_services()["Services"]
    assert [s["Arn"] for s in cloud_map] == [resource["discoveryArn"]]


def test_without_the_namespace_it_fails_before_any_change_naming_it(local: Local) -> None:
    cloud_map = local.aws.client("servicediscovery")
    for namespace in cloud_map.list_namespaces()["Namespaces"]:
        cloud_map.delete_namespace(Id=namespace["Id"])
    local.aws.reset_calls()
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "FAILED" and summary["failure"]["error"] == "BundleInvalid"
    message = summary["failure"]["message"]
    assert "serviceConnectConfiguration.namespace: Cloud Map namespace my-namespace" in message
    assert "aws servicediscovery create-http-namespace --name my-namespace" in message
    changed = [k for k in local.aws.calls()["mutatingCalls"] if k.startswith(("ecs", "vpc-lat"))]
    assert changed == []


def test_a_change_of_the_block_alone_is_an_update_plan_shows(local: Local, bundle: Any) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    edited = bundle(service=aliased(8080))
    files = execution.rendered(execution.read_bundle(edited))
    changes = {i["resource"]: i for i in planner.plan_changes(plan_of(files, "plan", "dev"))}
    assert changes["ecsService"]["action"] == "change"
    assert changes["ecsService"]["diff"] == [
        {
            "path": "serviceConnectConfiguration.services[0].clientAliases[0].port",
            "current": 80,
            "desired": 8080,
        }
    ]
    summary = local.deploy(edited)
    assert summary["status"] == "SUCCEEDED"
    ecs_service = next(r for r in summary["resources"] if r["type"] == "ecsService")
    assert ecs_service["action"] == "updated"
    assert deployment(local)["serviceConnectConfiguration"]["services"][0]["clientAliases"] == [
        {"port": 8080, "dnsName": "myservice"}
    ]


def test_the_rollback_of_an_update_restores_the_block(local: Local, bundle: Any) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"

    def new_image(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:1.27"

    edited = Path(bundle(service=aliased(8080), task=new_image))
    local.aws.inject("unhealthy-targets:myservice:2")
    failed = local.deploy(edited)
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    assert deployment(local)["serviceConnectConfiguration"] == ORIGIN_BLOCK


def test_a_first_block_rolled_back_is_turned_off_again(local: Local, bundle: Any) -> None:
    def without(service: dict[str, Any]) -> None:
        del service["serviceConnectConfiguration"]

    assert local.deploy(bundle("plain", service=without))["status"] == "SUCCEEDED"
    local.aws.inject("unhealthy-targets")  # the tasks the update starts
    failed = local.deploy(EXAMPLE)  # the same service, now with Service Connect
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    assert deployment(local)["serviceConnectConfiguration"] == {"enabled": False}


def test_turning_it_off_is_said_in_the_summary(local: Local, bundle: Any) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"

    def off(service: dict[str, Any]) -> None:
        service["serviceConnectConfiguration"] = {"enabled": False}

    summary = local.deploy(bundle(service=off))
    assert summary["status"] == "SUCCEEDED"
    (said,) = [w for w in summary.get("warnings", []) if "serviceConnectConfiguration" in w]
    assert "turns Service Connect off for myservice" in said and "myservice:80" in said
    assert deployment(local)["serviceConnectConfiguration"] == {"enabled": False}


def test_the_clusters_default_namespace_serves_a_block_that_names_none(
    local: Local, bundle: Any
) -> None:
    def unnamed(service: dict[str, Any]) -> None:
        del service["serviceConnectConfiguration"]["namespace"]

    directory = bundle(service=unnamed)
    refused = local.deploy(directory)
    assert (
        "cluster my-cluster has no default Service Connect namespace"
        in (refused["failure"]["message"])
    )
    (namespace,) = local.aws.client("servicediscovery").list_namespaces()["Namespaces"]
    local.aws.client("ecs").update_cluster(
        cluster="my-cluster", serviceConnectDefaults={"namespace": namespace["Arn"]}
    )
    assert local.deploy(directory)["status"] == "SUCCEEDED"
    assert deployment(local)["serviceConnectConfiguration"]["namespace"] == namespace["Arn"]


def test_another_accounts_namespace_arn_is_left_to_ram_sharing_not_refused(
    local: Local, bundle: Any
) -> None:
    """Cloud Map namespaces can be shared through AWS RAM and are then named by ARN: one of
    another account is warned about (not listed as shared here), never refused; an ARN of this
    account that Cloud Map does not hold still is."""
    shared = "arn:aws:servicediscovery:ap-northeast-1:210987654321:namespace/ns-0123456789abcdef"
    own = shared.replace("210987654321", "123456789012")

    def named(namespace: str) -> Any:
        def edit(service: dict[str, Any]) -> None:
            service["serviceConnectConfiguration"]["namespace"] = namespace

        return edit

    files = execution.rendered(execution.read_bundle(bundle("shared", service=named(shared))))
    warnings = plan_of(files, "plan", "dev")["warnings"]
    assert any(f"{shared} is account 210987654321's Cloud Map namespace" in w for w in warnings)
    assert any("through AWS RAM" in w for w in warnings)
    files = execution.rendered(execution.read_bundle(bundle("own", service=named(own))))
    with pytest.raises(BundleInvalid, match=f"Cloud Map namespace {own} .* does not exist"):
        plan_of(files, "plan", "dev")
