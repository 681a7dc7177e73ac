"""Adopting existing Lattice resources by ARN, and the origin document's troubleshooting errors."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import EXAMPLE, Local

PLACEHOLDER_SERVICE = (
    "arn:aws:vpc-lattice:ap-northeast-1:123456789012:service/svc-12345678901234567"
)
PLACEHOLDER_TG = "arn:aws:vpc-lattice:ap-northeast-1:123456789012:targetgroup/tg-12345678901234567"


def lattice_config(**fields: Any) -> Any:
    def edit(service: dict[str, Any]) -> None:
        service["vpcLatticeConfiguration"] = {"enabled": True, **fields}

    return edit


def existing(local: Local, group_type: str = "IP") -> tuple[dict[str, Any], dict[str, Any]]:
    lattice = local.aws.client("vpc-lattice")
    svc = lattice.create_service(name="hand-made")
    config = {"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}
    if group_type == "INSTANCE":
        group = lattice.create_target_group(name="hand-made-tg", type="INSTANCE", config=config)
    else:
        group = lattice.create_target_group(name="hand-made-tg", type="IP", config=config)
    return svc, group


def test_resources_named_by_arn_are_adopted_and_nothing_is_made_in_their_place(
    local: Local, bundle: Any
) -> None:
    svc, group = existing(local)
    summary = local.deploy(
        bundle(service=lattice_config(serviceArn=svc["arn"], targetGroupArn=group["arn"]))
    )
    assert summary["status"] == "SUCCEEDED"
    by_type = {r["type"]: r for r in summary["resources"]}
    assert (by_type["latticeService"]["action"], by_type["latticeService"]["arn"]) == (
        "adopted",
        svc["arn"],
    )
    assert (by_type["targetGroup"]["action"], by_type["targetGroup"]["arn"]) == (
        "adopted",
        group["arn"],
    )
    lattice = local.aws.client("vpc-lattice")
    assert [s["name"] for s in lattice.list_services()["items"]] == ["hand-made"]
    assert [g["name"] for g in lattice.list_target_groups()["items"]] == ["hand-made-tg"]
    assert len(summary["targets"]) == 3


def test_the_native_ecs_shape_is_taken_as_is(local: Local, bundle: Any) -> None:
    _, group = existing(local)
    role = "arn:aws:iam::123456789012:role/ecs-own-lattice-role"  # BundleRolePrefix "ecs"

    def native(service: dict[str, Any]) -> None:
        del service["vpcLatticeConfiguration"]
        service["vpcLatticeConfigurations"] = [
            {"roleArn": role, "targetGroupArn": group["arn"], "portName": "http"}
        ]

    summary = local.deploy(bundle(service=native))
    assert summary["status"] == "SUCCEEDED"
    ecs = local.aws.client("ecs")
    wiring = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"][0][
        "deployments"
    ][0]
    assert wiring["vpcLatticeConfigurations"] == [
        {"roleArn": role, "targetGroupArn": group["arn"], "portName": "http"}
    ]


def test_the_origin_documents_placeholder_arns_fail_with_its_remedy_before_any_change(
    local: Local, bundle: Any
) -> None:
    local.aws.reset_calls()
    summary = local.deploy(
        bundle(
            service=lattice_config(serviceArn=PLACEHOLDER_SERVICE, targetGroupArn=PLACEHOLDER_TG)
        )
    )
    assert summary["status"] == "FAILED"
    failure = summary["failure"]
    assert failure["error"] == "NotFound"
    assert "The specified VPC Lattice service was not found" in failure["message"]
    assert (
        "check that the service was created, that the ARN is right, and that the region is right"
        in failure["message"]
    )
    assert summary["calls"]["phases"]["deploy"]["mutating"] == 0
    # the bundle, executions, steps, turns, and the event that tells the outcome
    own = ("s3:", "stepfunctions:", "awslambda:", "dynamodb:", "events:PutEvents")
    assert not [k for k in local.aws.calls()["mutatingCalls"] if not k.startswith(own)]


def test_a_missing_subnet_is_named_by_its_own_id(local: Local, bundle: Any) -> None:
    missing = "subnet-0deadbeef0000000"

    def subnets(service: dict[str, Any]) -> None:
        service["networkConfiguration"]["awsvpcConfiguration"]["subnets"] = [
            "subnet-12345678",
            missing,
        ]

    summary = local.deploy(bundle(service=subnets))
    assert summary["status"] == "FAILED"
    message = summary["failure"]["message"]
    assert f"'{missing}' does not exist" in message and "'subnet-12345678'" not in message
    ec2 = local.aws.client("ec2")
    with pytest.raises(ClientError) as raised:
        ec2.describe_subnets(SubnetIds=["subnet-12345678", missing])
    assert missing in str(raised.value) and "subnet-12345678" not in str(raised.value)


def test_an_instance_target_group_is_refused_with_the_reason(local: Local, bundle: Any) -> None:
    _, group = existing(local, "INSTANCE")
    summary = local.deploy(bundle(service=lattice_config(targetGroupArn=group["arn"])))
    assert summary["status"] == "FAILED"
    assert summary["calls"]["phases"]["deploy"]["mutating"] == 0  # refused before any change
    assert (
        "register by IP address" in summary["failure"]["message"]
        and "--type IP" in summary["failure"]["message"]
    )


def test_access_denied_names_the_action_and_the_remedy(local: Local) -> None:
    local.aws.inject("fail:CreateService")
    from .conftest import EXAMPLE

    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "FAILED"
    assert summary["failure"]["error"] == "AccessDenied"
    assert "vpc-lattice:CreateService" in summary["failure"]["message"]
    assert "grant the missing action" in summary["failure"]["message"]


def test_throttling_is_absorbed_by_retries(local: Local) -> None:
    from .conftest import EXAMPLE

    local.aws.inject("throttle:CreateListener:5")  # more than botocore's own 3 retries
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "SUCCEEDED"
    assert any("Throttled" in line for line in local.lines)


def test_direct_registration_registers_task_ips_without_ecs_wiring(
    local: Local, bundle: Any
) -> None:
    summary = local.deploy(bundle(service=lattice_config(registration="direct")))
    assert summary["status"] == "SUCCEEDED"
    assert [t["status"] for t in summary["targets"]] == ["HEALTHY"] * 3
    ecs = local.aws.client("ecs")
    deployment = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"][0][
        "deployments"
    ][0]
    assert not deployment.get("vpcLatticeConfigurations")


def test_security_groups_that_keep_lattice_out_are_warned_about(local: Local, bundle: Any) -> None:
    ec2 = local.aws.client("ec2")
    closed = ec2.create_security_group(
        GroupName="closed", Description="no rule for Lattice", VpcId="vpc-12345678"
    )["GroupId"]

    def in_closed_group(service: dict[str, Any]) -> None:
        service["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"] = [closed]

    summary = local.deploy(bundle(service=in_closed_group))
    (warning,) = summary["warnings"]
    assert f"none of {closed} admits VPC Lattice" in warning
    assert "com.amazonaws.ap-northeast-1.vpc-lattice" in warning and "port 80" in warning
    assert "add an inbound rule from that prefix list" in warning
    assert "\n      ! ecs-service-def.json: networkConfiguration" in "\n".join(local.lines)
    assert "warnings" not in local.deploy(EXAMPLE)  # the demo group admits it


def test_the_vpc_association_gets_the_environments_groups_not_the_tasks(
    local: Local, monkeypatch: pytest.MonkeyPatch
) -> None:
    ec2 = local.aws.client("ec2")
    clients = ec2.create_security_group(
        GroupName="clients", Description="who may reach the network", VpcId="vpc-12345678"
    )["GroupId"]
    monkeypatch.setenv("VPC_ASSOCIATION_SECURITY_GROUPS", clients)  # the stack parameter
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    lattice = local.aws.client("vpc-lattice")
    (association,) = lattice.list_service_network_vpc_associations(vpcIdentifier="vpc-12345678")[
        "items"
    ]
    got = lattice.get_service_network_vpc_association(
        serviceNetworkVpcAssociationIdentifier=association["id"]
    )
    assert got["securityGroupIds"] == [clients]


def _network_made_by_hand(local: Local) -> tuple[dict[str, Any], dict[str, Any]]:
    """The origin document's first two commands: a service network, the VPC associated to it."""
    api = local.aws.client("vpc-lattice")
    network = api.create_service_network(name="my-service-network", authType="NONE")
    association = api.create_service_network_vpc_association(
        serviceNetworkIdentifier=network["id"],
        vpcIdentifier="vpc-12345678",
        securityGroupIds=["sg-12345678"],
    )
    return network, association


def test_a_vpc_already_in_a_network_made_by_hand_is_deployed_into_it(local: Local) -> None:
    network, association = _network_made_by_hand(local)
    local.aws.inject("unhealthy-targets")
    failed = local.deploy(EXAMPLE)  # rolled back: the hand-made network and association stay
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    local.aws.clear_faults()
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "SUCCEEDED"
    made = {r["type"]: r for r in summary["resources"]}
    assert (made["serviceNetwork"]["action"], made["serviceNetwork"]["arn"]) == (
        "adopted",
        network["arn"],
    )
    assert (made["vpcAssociation"]["action"], made["vpcAssociation"]["id"]) == (
        "unchanged",
        association["id"],
    )
    api = local.aws.client("vpc-lattice")
    assert [n["name"] for n in api.list_service_networks()["items"]] == ["my-service-network"]


def test_a_bundle_naming_another_network_than_the_vpcs_is_refused_before_any_change(
    local: Local, bundle: Any
) -> None:
    network, association = _network_made_by_hand(local)

    def other_network(service: dict[str, Any]) -> None:
        service["vpcLatticeConfiguration"]["serviceNetwork"] = "team-network"

    local.aws.reset_calls()
    summary = local.deploy(bundle(service=other_network))
    assert summary["status"] == "FAILED" and summary["failure"]["error"] == "BundleInvalid"
    message = summary["failure"]["message"]
    assert f"already associated with service network my-service-network ({network['arn']})" in (
        message
    )
    assert "the bundle names team-network" in message and association["id"] in message
    changed = [k for k in local.aws.calls()["mutatingCalls"] if k.startswith(("ecs", "vpc-lat"))]
    assert changed == []
