"""VPC Lattice creates and reads: ids as AWS shapes them, idempotency, conflicts, errors, pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .helpers import VPC, served_target_group, target_group


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    response: Any = exc.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


def test_ids_have_aws_shape_and_resolve_by_id_and_arn(lattice: Any) -> None:
    sn = lattice.create_service_network(name="my-service-network")
    svc = lattice.create_service(name="myservice")
    tg = target_group(lattice)
    assert re.fullmatch(r"sn-[0-9a-z]{17}", sn["id"])
    assert re.fullmatch(r"svc-[0-9a-z]{17}", svc["id"])
    assert tg["arn"] == f"arn:aws:vpc-lattice:ap-northeast-1:123456789012:targetgroup/{tg['id']}"
    for ident in (svc["id"], svc["arn"]):
        assert lattice.get_service(serviceIdentifier=ident)["name"] == "myservice"
    for ident in (tg["id"], tg["arn"]):
        assert lattice.get_target_group(targetGroupIdentifier=ident)["status"] == "ACTIVE"


def test_creates_answer_in_progress_with_201_then_read_active(lattice: Any) -> None:
    svc = lattice.create_service(name="myservice")
    assert svc["status"] == "CREATE_IN_PROGRESS"
    assert svc["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert lattice.get_service(serviceIdentifier=svc["id"])["status"] == "ACTIVE"


def test_client_token_makes_create_idempotent(lattice: Any) -> None:
    first = lattice.create_service_network(name="net-a", clientToken="tok-1")
    again = lattice.create_service_network(name="net-a", clientToken="tok-1")
    assert again["id"] == first["id"]
    assert len(lattice.list_service_networks()["items"]) == 1
    with pytest.raises(ClientError) as exc:
        lattice.create_service_network(name="net-b", clientToken="tok-1")
    assert error(exc)[:2] == ("ConflictException", 409)


@pytest.mark.parametrize(
    "create",
    [
        lambda lat: lat.create_service_network(name="dup"),
        lambda lat: lat.create_service(name="dup"),
        lambda lat: target_group(lat, "dup"),
    ],
)
def test_duplicate_names_conflict(lattice: Any, create: Any) -> None:
    create(lattice)
    with pytest.raises(ClientError) as exc:
        create(lattice)
    code, status, message = error(exc)
    assert (code, status) == ("ConflictException", 409) and "dup" in message


def test_unknown_identifiers_are_not_found_with_the_seeds_wording(lattice: Any) -> None:
    with pytest.raises(ClientError) as exc:
        lattice.get_service(serviceIdentifier="svc-12345678901234567")
    code, status, message = error(exc)
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert "The specified VPC Lattice service was not found" in message
    with pytest.raises(ClientError) as exc:
        lattice.get_target_group(
            targetGroupIdentifier="arn:aws:vpc-lattice:ap-northeast-1:123456789012:targetgroup/tg-12345678901234567"
        )
    assert "target group was not found" in error(exc)[2]


def test_names_are_not_identifiers(lattice: Any) -> None:
    """The origin document passes a name as --service-network-identifier; AWS refuses that."""
    lattice.create_service_network(name="my-service-network")
    with pytest.raises(ClientError) as exc:
        lattice.create_service_network_vpc_association(
            serviceNetworkIdentifier="my-service-network", vpcIdentifier=VPC
        )
    code, status, message = error(exc)
    assert (code, status) == ("ValidationException", 400)
    assert "serviceNetworkIdentifier" in message and "sn-" in message


@pytest.mark.parametrize("name", ["UPPER", "-lead", "trail-", "two--hyphens", "svc-reserved"])
def test_invalid_service_names_are_refused(lattice: Any, name: str) -> None:
    with pytest.raises(ClientError) as exc:
        lattice.create_service(name=name)
    assert error(exc)[0] == "ValidationException"


def test_vpc_association_checks_vpc_security_groups_and_one_network_per_vpc(
    lattice: Any, aws: Any
) -> None:
    sn = lattice.create_service_network(name="net-a")
    other = lattice.create_service_network(name="net-b")
    with pytest.raises(ClientError) as exc:
        lattice.create_service_network_vpc_association(
            serviceNetworkIdentifier=sn["id"], vpcIdentifier="vpc-0000000a"
        )
    assert error(exc)[0] == "ResourceNotFoundException"
    foreign = aws.client("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    foreign_sg = aws.client("ec2").create_security_group(
        GroupName="x", Description="x", VpcId=foreign
    )["GroupId"]
    with pytest.raises(ClientError) as exc:
        lattice.create_service_network_vpc_association(
            serviceNetworkIdentifier=sn["id"], vpcIdentifier=VPC, securityGroupIds=[foreign_sg]
        )
    assert error(exc)[0] == "ValidationException" and foreign_sg in error(exc)[2]
    assoc = lattice.create_service_network_vpc_association(
        serviceNetworkIdentifier=sn["arn"], vpcIdentifier=VPC, securityGroupIds=["sg-12345678"]
    )
    assert (
        lattice.get_service_network_vpc_association(
            serviceNetworkVpcAssociationIdentifier=assoc["arn"]
        )["vpcId"]
        == VPC
    )
    with pytest.raises(ClientError) as exc:
        lattice.create_service_network_vpc_association(
            serviceNetworkIdentifier=other["id"], vpcIdentifier=VPC
        )
    assert error(exc)[0] == "ConflictException"


def test_service_association_and_listener_conflicts(lattice: Any) -> None:
    sn = lattice.create_service_network(name="net-a")
    tg = served_target_group(lattice)
    lattice.create_service_network_service_association(
        serviceNetworkIdentifier=sn["id"], serviceIdentifier=tg["serviceArn"]
    )
    with pytest.raises(ClientError) as exc:
        lattice.create_service_network_service_association(
            serviceNetworkIdentifier=sn["arn"], serviceIdentifier=tg["serviceId"]
        )
    assert error(exc)[0] == "ConflictException"
    listed = lattice.list_service_network_service_associations(serviceIdentifier=tg["serviceArn"])[
        "items"
    ]
    assert [a["serviceNetworkId"] for a in listed] == [sn["id"]]
    with pytest.raises(ClientError) as exc:  # a second listener on port 80
        lattice.create_listener(
            serviceIdentifier=tg["serviceId"],
            name="other",
            protocol="HTTP",
            port=80,
            defaultAction={"fixedResponse": {"statusCode": 404}},
        )
    assert error(exc)[0] == "ConflictException" and "80" in error(exc)[2]


def test_listener_forwarding_to_missing_target_group_is_refused(lattice: Any) -> None:
    svc = lattice.create_service(name="myservice")
    with pytest.raises(ClientError) as exc:
        lattice.create_listener(
            serviceIdentifier=svc["id"],
            name="web",
            protocol="HTTP",
            defaultAction={
                "forward": {"targetGroups": [{"targetGroupIdentifier": "tg-12345678901234567"}]}
            },
        )
    assert error(exc)[:2] == ("ResourceNotFoundException", 404)


def test_target_group_defaults_and_service_arns(lattice: Any) -> None:
    tg = served_target_group(lattice)
    got = lattice.get_target_group(targetGroupIdentifier=tg["arn"])
    health = got["config"]["healthCheck"]
    assert (
        health["healthCheckIntervalSeconds"],
        health["healthyThresholdCount"],
        health["unhealthyThresholdCount"],
    ) == (30, 5, 2)
    assert got["serviceArns"] == [tg["serviceArn"]]
    assert lattice.list_target_groups(vpcIdentifier=VPC)["items"][0]["serviceArns"] == [
        tg["serviceArn"]
    ]


def test_tags_on_create_and_tag_untag(lattice: Any) -> None:
    svc = lattice.create_service(
        name="myservice", tags={"Service": "myservice", "Environment": "Production"}
    )
    assert lattice.list_tags_for_resource(resourceArn=svc["arn"])["tags"] == {
        "Service": "myservice",
        "Environment": "Production",
    }
    lattice.untag_resource(resourceArn=svc["arn"], tagKeys=["Environment"])
    lattice.tag_resource(resourceArn=svc["arn"], tags={"DeploymentId": "d-1"})
    assert lattice.list_tags_for_resource(resourceArn=svc["arn"])["tags"] == {
        "Service": "myservice",
        "DeploymentId": "d-1",
    }


@pytest.mark.parametrize(
    ("operation", "item_key"),
    [("list_services", "name"), ("list_service_networks", "name"), ("list_target_groups", "name")],
)
def test_lists_paginate(lattice: Any, operation: str, item_key: str) -> None:
    for i in range(5):
        if operation == "list_services":
            lattice.create_service(name=f"svc-name-{i}".replace("svc-", "s-"))
        elif operation == "list_service_networks":
            lattice.create_service_network(name=f"net-{i}")
        else:
            target_group(lattice, f"group-{i}")
    first = getattr(lattice, operation)(maxResults=2)
    assert len(first["items"]) == 2 and first["nextToken"]
    pages = list(lattice.get_paginator(operation).paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert len({i[item_key] for p in pages for i in p["items"]}) == 5


def test_access_log_subscriptions(lattice: Any) -> None:
    svc = lattice.create_service(name="myservice")
    sub = lattice.create_access_log_subscription(
        resourceIdentifier=svc["arn"], destinationArn="arn:aws:s3:::my-access-logs"
    )
    assert (
        lattice.get_access_log_subscription(accessLogSubscriptionIdentifier=sub["arn"])[
            "resourceId"
        ]
        == svc["id"]
    )
    with pytest.raises(ClientError) as exc:
        lattice.create_access_log_subscription(
            resourceIdentifier=svc["id"], destinationArn="arn:aws:s3:::other-log-bucket"
        )
    assert error(exc)[0] == "ConflictException"
    assert [
        s["id"]
        for s in lattice.list_access_log_subscriptions(resourceIdentifier=svc["id"])["items"]
    ] == [sub["id"]]


def test_the_first_create_makes_lattices_service_linked_role(lattice: Any, aws: Any) -> None:
    iam = aws.client("iam")

    def roles() -> list[tuple[str, str]]:
        return [
            (r["RoleName"], r["Path"])
            for r in iam.list_roles()["Roles"]
            if r["RoleName"] == "AWSServiceRoleForVpcLattice"
        ]

    assert roles() == []  # a fresh account
    lattice.create_service_network(name="first-network")
    lattice.create_service(name="then-a-service")
    assert roles() == [
        ("AWSServiceRoleForVpcLattice", "/aws-service-role/vpc-lattice.amazonaws.com/")
    ]


def test_creates_past_the_accounts_lattice_quotas_are_refused_at_the_applied_values(
    lattice: Any,
) -> None:
    """AWS's "Target groups per Region" and "Service associations per service network" (500 each,
    adjustable): the next create is ServiceQuotaExceededException (402, the quota's code),
    until the account's applied value is raised."""
    from lattice_deploy.emulator.demo_account import ACCOUNT_ID, REGION
    from lattice_deploy.emulator.servicequotas.models import servicequotas_backends

    api, quotas = lattice, servicequotas_backends[ACCOUNT_ID][REGION]
    quotas.apply("vpc-lattice", "L-BB11C6B9", 2)
    quotas.apply("vpc-lattice", "L-75D4A19E", 1)
    config = {"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}
    for n in range(2):
        api.create_target_group(name=f"quota-{n}", type="IP", config=config)
    with pytest.raises(ClientError) as refused:
        api.create_target_group(name="quota-2", type="IP", config=config)
    error = refused.value.response
    assert error["Error"]["Code"] == "ServiceQuotaExceededException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert error["quotaCode"] == "L-BB11C6B9" and error["serviceCode"] == "vpc-lattice"
    quotas.apply("vpc-lattice", "L-BB11C6B9", 3)  # raised: one more fits
    api.create_target_group(name="quota-2", type="IP", config=config)
    network = api.create_service_network(name="quota-net")["id"]
    first, second = (api.create_service(name=f"quota-svc-{n}")["id"] for n in range(2))
    api.create_service_network_service_association(
        serviceNetworkIdentifier=network, serviceIdentifier=first
    )
    with pytest.raises(ClientError) as full:
        api.create_service_network_service_association(
            serviceNetworkIdentifier=network, serviceIdentifier=second
        )
    assert full.value.response["quotaCode"] == "L-75D4A19E"
