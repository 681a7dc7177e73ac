"""ECS Service Connect in the embedded AWS: kept on each deployment with the Cloud Map services
ECS makes, a namespace Cloud Map lacks refused, the cluster's default applied, an update that
leaves the block out keeping it."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .helpers import describe, lattice_service, served_target_group, task_definition

CONNECT = {
    "enabled": True,
    "namespace": "my-namespace",
    "services": [{"portName": "http", "clientAliases": [{"port": 80, "dnsName": "myservice"}]}],
}


def test_the_block_is_on_each_deployment_with_the_cloud_map_service_ecs_made(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    tg = served_target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs), serviceConnectConfiguration=CONNECT)
    (deployment,) = describe(ecs)["deployments"]
    assert deployment["serviceConnectConfiguration"] == CONNECT
    (resource,) = deployment["serviceConnectResources"]
    cloud_map = aws.client("servicediscovery")
    (made,) = cloud_map.list_services()["Services"]
    assert resource == {"discoveryName": "http", "discoveryArn": made["Arn"]}
    namespaces = {n["Id"]: n["Name"] for n in cloud_map.list_namespaces()["Namespaces"]}
    namespace = cloud_map.get_service(Id=made["Id"])["Service"]["NamespaceId"]
    assert namespaces[namespace] == "my-namespace"


def refused(lattice: Any, ecs: Any, connect: dict[str, Any]) -> dict[str, str]:
    """The error CreateService answers for a service with this Service Connect block."""
    tg = served_target_group(lattice)
    with pytest.raises(ClientError) as caught:
        lattice_service(ecs, tg["arn"], task_definition(ecs), serviceConnectConfiguration=connect)
    return dict(caught.value.response["Error"])


def test_a_namespace_cloud_map_does_not_hold_is_refused_as_aws_refuses_it(
    lattice: Any, ecs: Any
) -> None:
    error = refused(lattice, ecs, {**CONNECT, "namespace": "nowhere"})
    assert error["Code"] == "NamespaceNotFoundException" and "nowhere" in error["Message"]
    assert ecs.list_services(cluster="my-cluster")["serviceArns"] == []


def test_the_clusters_default_namespace_applies_when_the_block_names_none(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    cloud_map = aws.client("servicediscovery")
    (namespace,) = cloud_map.list_namespaces()["Namespaces"]
    ecs.update_cluster(cluster="my-cluster", serviceConnectDefaults={"namespace": namespace["Arn"]})
    tg = served_target_group(lattice)
    no_namespace = {k: v for k, v in CONNECT.items() if k != "namespace"}
    lattice_service(ecs, tg["arn"], task_definition(ecs), serviceConnectConfiguration=no_namespace)
    assert (
        describe(ecs)["deployments"][0]["serviceConnectConfiguration"]["namespace"]
        == (namespace["Arn"])
    )


def test_an_update_without_the_block_keeps_it_and_a_changed_block_deploys_anew(
    lattice: Any, ecs: Any
) -> None:
    tg = served_target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs), serviceConnectConfiguration=CONNECT)
    ecs.update_service(cluster="my-cluster", service="myservice", desiredCount=2)
    assert len(describe(ecs)["deployments"]) == 1
    renamed = {**CONNECT, "services": [{**CONNECT["services"][0], "discoveryName": "web"}]}
    ecs.update_service(
        cluster="my-cluster", service="myservice", serviceConnectConfiguration=renamed
    )
    newest, older = describe(ecs)["deployments"]
    assert newest["serviceConnectConfiguration"] == renamed
    assert newest["serviceConnectResources"][0]["discoveryName"] == "web"
    assert older["serviceConnectConfiguration"] == CONNECT


def test_services_listed_while_disabled_are_refused(lattice: Any, ecs: Any) -> None:
    error = refused(lattice, ecs, {**CONNECT, "enabled": False})
    assert error["Code"] == "InvalidParameterException"
