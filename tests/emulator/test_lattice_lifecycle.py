"""VPC Lattice deletes and updates: refused while something depends on the resource, as on AWS."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from lattice_deploy.emulator.vpclattice.models import ASSOCIATION_DELETE_SECONDS
from lattice_deploy.emulator.vpclattice.targets import DRAIN_SECONDS

from .helpers import VPC, served_target_group, target_group


def code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def test_service_network_delete_waits_for_its_associations(lattice: Any, aws: Any) -> None:
    sn = lattice.create_service_network(name="net-a")
    svc = lattice.create_service(name="myservice")
    vpc_assoc = lattice.create_service_network_vpc_association(
        serviceNetworkIdentifier=sn["id"], vpcIdentifier=VPC
    )
    svc_assoc = lattice.create_service_network_service_association(
        serviceNetworkIdentifier=sn["id"], serviceIdentifier=svc["id"]
    )
    with pytest.raises(ClientError) as exc:
        lattice.delete_service_network(serviceNetworkIdentifier=sn["id"])
    assert code(exc) == "ConflictException"
    deleted = lattice.delete_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=vpc_assoc["arn"]
    )
    assert deleted["status"] == "DELETE_IN_PROGRESS"
    with pytest.raises(ClientError) as exc:
        lattice.delete_service_network(serviceNetworkIdentifier=sn["arn"])
    assert code(exc) == "ConflictException"
    lattice.delete_service_network_service_association(
        serviceNetworkServiceAssociationIdentifier=svc_assoc["id"]
    )
    with pytest.raises(ClientError) as exc:  # both associations are still being deleted
        lattice.delete_service_network(serviceNetworkIdentifier=sn["arn"])
    assert code(exc) == "ConflictException"
    listed = lattice.list_service_network_vpc_associations(vpcIdentifier=VPC)["items"]
    assert [a["status"] for a in listed] == ["DELETE_IN_PROGRESS"]
    aws.advance(ASSOCIATION_DELETE_SECONDS)
    with pytest.raises(ClientError) as exc:
        lattice.get_service_network_vpc_association(
            serviceNetworkVpcAssociationIdentifier=vpc_assoc["id"]
        )
    assert code(exc) == "ResourceNotFoundException"
    assert (
        lattice.delete_service_network(serviceNetworkIdentifier=sn["arn"])["ResponseMetadata"][
            "HTTPStatusCode"
        ]
        == 204
    )
    assert lattice.list_service_networks()["items"] == []
    with pytest.raises(ClientError) as exc:
        lattice.delete_service_network(serviceNetworkIdentifier=sn["id"])
    assert code(exc) == "ResourceNotFoundException"


def test_service_delete_refused_while_associated_and_takes_listeners_with_it(
    lattice: Any, aws: Any
) -> None:
    sn = lattice.create_service_network(name="net-a")
    tg = served_target_group(lattice)
    assoc = lattice.create_service_network_service_association(
        serviceNetworkIdentifier=sn["id"], serviceIdentifier=tg["serviceId"]
    )
    lattice.create_access_log_subscription(
        resourceIdentifier=tg["serviceId"], destinationArn="arn:aws:s3:::my-access-logs"
    )
    with pytest.raises(ClientError) as exc:
        lattice.delete_service(serviceIdentifier=tg["serviceId"])
    assert code(exc) == "ConflictException"
    deleting = lattice.delete_service_network_service_association(
        serviceNetworkServiceAssociationIdentifier=assoc["arn"]
    )
    assert deleting["status"] == "DELETE_IN_PROGRESS"
    with pytest.raises(ClientError) as exc:
        lattice.delete_service(serviceIdentifier=tg["serviceId"])
    assert code(exc) == "ConflictException"
    aws.advance(ASSOCIATION_DELETE_SECONDS - 1)
    with pytest.raises(ClientError):
        lattice.delete_service(serviceIdentifier=tg["serviceId"])
    aws.advance(1)
    assert (
        lattice.delete_service(serviceIdentifier=tg["serviceArn"])["status"] == "DELETE_IN_PROGRESS"
    )
    assert lattice.get_target_group(targetGroupIdentifier=tg["id"])["serviceArns"] == []
    with pytest.raises(ClientError) as exc:
        lattice.list_listeners(serviceIdentifier=tg["serviceId"])
    assert code(exc) == "ResourceNotFoundException"
    # the listener went with the service, so the group is free to go
    lattice.delete_target_group(targetGroupIdentifier=tg["id"])


def test_target_group_delete_refused_while_a_listener_forwards_to_it(lattice: Any) -> None:
    tg = served_target_group(lattice)
    with pytest.raises(ClientError) as exc:
        lattice.delete_target_group(targetGroupIdentifier=tg["arn"])
    assert (
        code(exc) == "ConflictException"
        and exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    )
    listener = lattice.list_listeners(serviceIdentifier=tg["serviceId"])["items"][0]
    lattice.delete_listener(serviceIdentifier=tg["serviceId"], listenerIdentifier=listener["arn"])
    assert (
        lattice.delete_target_group(targetGroupIdentifier=tg["arn"])["status"]
        == "DELETE_IN_PROGRESS"
    )


def test_target_group_delete_waits_for_targets_to_drain(lattice: Any, aws: Any) -> None:
    tg = target_group(lattice)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.50"}])
    lattice.deregister_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.50"}])
    with pytest.raises(ClientError) as exc:
        lattice.delete_target_group(targetGroupIdentifier=tg["id"])
    assert "1 draining target(s)" in exc.value.response["Error"]["Message"]
    aws.advance(DRAIN_SECONDS - 1)
    with pytest.raises(ClientError):
        lattice.delete_target_group(targetGroupIdentifier=tg["id"])
    aws.advance(1)
    lattice.delete_target_group(targetGroupIdentifier=tg["id"])
    assert lattice.list_target_groups()["items"] == []


def test_registered_targets_go_with_their_target_group(lattice: Any) -> None:
    """Only a listener rule or draining targets hold a group (API reference, DeleteTargetGroup)."""
    tg = target_group(lattice)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.50"}])
    lattice.delete_target_group(targetGroupIdentifier=tg["id"])
    with pytest.raises(ClientError) as exc:
        lattice.list_targets(targetGroupIdentifier=tg["id"])
    assert code(exc) == "ResourceNotFoundException"


def test_deleted_resources_lose_their_tags(lattice: Any) -> None:
    tg = target_group(lattice)
    lattice.tag_resource(resourceArn=tg["arn"], tags={"DeploymentId": "d-1"})
    lattice.delete_target_group(targetGroupIdentifier=tg["id"])
    assert lattice.list_tags_for_resource(resourceArn=tg["arn"])["tags"] == {}


def test_update_target_group_health_check_merges(lattice: Any) -> None:
    tg = target_group(lattice)
    updated = lattice.update_target_group(
        targetGroupIdentifier=tg["arn"],
        healthCheck={"enabled": True, "path": "/health", "healthyThresholdCount": 2},
    )
    health = updated["config"]["healthCheck"]
    assert (health["path"], health["healthyThresholdCount"], health["unhealthyThresholdCount"]) == (
        "/health",
        2,
        2,
    )
    assert (
        lattice.get_target_group(targetGroupIdentifier=tg["id"])["config"]["healthCheck"]["path"]
        == "/health"
    )


def test_update_listener_default_action_moves_traffic(lattice: Any) -> None:
    old = served_target_group(lattice)
    new = target_group(lattice, "myservice-tg-2")
    listener = lattice.list_listeners(serviceIdentifier=old["serviceId"])["items"][0]
    updated = lattice.update_listener(
        serviceIdentifier=old["serviceArn"],
        listenerIdentifier=listener["id"],
        defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": new["arn"]}]}},
    )
    assert (
        updated["defaultAction"]["forward"]["targetGroups"][0]["targetGroupIdentifier"]
        == new["arn"]
    )
    assert lattice.get_target_group(targetGroupIdentifier=old["id"])["serviceArns"] == []
    assert lattice.get_target_group(targetGroupIdentifier=new["id"])["serviceArns"] == [
        old["serviceArn"]
    ]
    lattice.delete_target_group(targetGroupIdentifier=old["id"])  # no longer in use


def test_update_service_and_vpc_association(lattice: Any, aws: Any) -> None:
    svc = lattice.create_service(name="myservice", authType="NONE")
    assert (
        lattice.update_service(serviceIdentifier=svc["arn"], authType="AWS_IAM")["authType"]
        == "AWS_IAM"
    )
    assert lattice.get_service(serviceIdentifier=svc["id"])["authType"] == "AWS_IAM"
    sn = lattice.create_service_network(name="net-a")
    assoc = lattice.create_service_network_vpc_association(
        serviceNetworkIdentifier=sn["id"], vpcIdentifier=VPC
    )
    sg = aws.client("ec2").create_security_group(GroupName="lattice", Description="x", VpcId=VPC)[
        "GroupId"
    ]
    lattice.update_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=assoc["id"], securityGroupIds=[sg]
    )
    got = lattice.get_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=assoc["id"]
    )
    assert got["securityGroupIds"] == [sg]


def test_access_log_subscription_delete(lattice: Any) -> None:
    svc = lattice.create_service(name="myservice")
    sub = lattice.create_access_log_subscription(
        resourceIdentifier=svc["id"], destinationArn="arn:aws:s3:::my-access-logs"
    )
    lattice.delete_access_log_subscription(accessLogSubscriptionIdentifier=sub["arn"])
    assert lattice.list_access_log_subscriptions(resourceIdentifier=svc["arn"])["items"] == []
    with pytest.raises(ClientError) as exc:
        lattice.delete_access_log_subscription(accessLogSubscriptionIdentifier=sub["id"])
    assert code(exc) == "ResourceNotFoundException"
