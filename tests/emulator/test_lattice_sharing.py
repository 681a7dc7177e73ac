"""A service network shared from another account through AWS RAM, as the embedded AWS serves it:
what the consumer may do with it (read it, list it, associate its service and VPC) and what it
may not (change or delete it, its auth policy, its tags), invitations, and both sides of an
association."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from lattice_deploy.emulator.account import SECOND_ACCOUNT
from lattice_deploy.emulator.vpclattice.models import ASSOCIATION_DELETE_SECONDS

from .helpers import VPC


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    return (
        str(exc.value.response["Error"]["Code"]),
        int(exc.value.response["ResponseMetadata"]["HTTPStatusCode"]),
    )


@pytest.fixture
def owner(aws: Any) -> Any:
    return aws.client("vpc-lattice", account=SECOND_ACCOUNT)


@pytest.fixture
def network(owner: Any) -> dict[str, Any]:
    return dict(owner.create_service_network(name="platform", tags={"team": "platform"}))


def share(aws: Any, arn: str, accept: bool = True) -> str:
    """Share ``arn`` with the default account; the invitation's ARN."""
    aws.client("ram", account=SECOND_ACCOUNT).create_resource_share(
        name="lattice", resourceArns=[arn], principals=[aws.account_id]
    )
    ram = aws.client("ram")
    invitation = ram.get_resource_share_invitations()["resourceShareInvitations"][0]
    if accept:
        ram.accept_resource_share_invitation(
            resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
        )
    return str(invitation["resourceShareInvitationArn"])


def test_clients_of_two_accounts_see_their_own_networks(aws: Any, lattice: Any, owner: Any) -> None:
    theirs = owner.create_service_network(name="theirs")
    assert theirs["arn"].split(":")[4] == SECOND_ACCOUNT
    assert [n["name"] for n in lattice.list_service_networks()["items"]] == []
    assert [n["name"] for n in owner.list_service_networks()["items"]] == ["theirs"]


def test_a_network_not_shared_is_refused_by_arn_and_unknown_by_id(
    lattice: Any, network: dict[str, Any]
) -> None:
    with pytest.raises(ClientError) as exc:
        lattice.get_service_network(serviceNetworkIdentifier=network["arn"])
    assert error(exc) == ("AccessDeniedException", 403)
    assert "no resource-based policy allows" in str(exc.value)
    with pytest.raises(ClientError) as exc:
        lattice.get_service_network(serviceNetworkIdentifier=network["id"])
    assert error(exc) == ("ResourceNotFoundException", 404)


def test_a_pending_invitation_shares_nothing_until_accepted(
    aws: Any, lattice: Any, network: dict[str, Any]
) -> None:
    invitation = share(aws, network["arn"], accept=False)
    ram = aws.client("ram")
    assert ram.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []
    with pytest.raises(ClientError) as exc:
        lattice.get_service_network(serviceNetworkIdentifier=network["arn"])
    assert error(exc)[0] == "AccessDeniedException"
    accepted = ram.accept_resource_share_invitation(resourceShareInvitationArn=invitation)
    assert accepted["resourceShareInvitation"]["status"] == "ACCEPTED"
    listed = ram.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]
    assert [(r["arn"], r["type"]) for r in listed] == [
        (network["arn"], "vpc-lattice:ServiceNetwork")
    ]
    assert lattice.get_service_network(serviceNetworkIdentifier=network["arn"])["name"] == (
        "platform"
    )
    with pytest.raises(ClientError) as exc:
        ram.accept_resource_share_invitation(resourceShareInvitationArn=invitation)
    assert error(exc)[0] == "ResourceShareInvitationAlreadyAcceptedException"


def test_within_an_organization_with_sharing_enabled_there_is_no_invitation(
    aws: Any, lattice: Any, network: dict[str, Any]
) -> None:
    orgs = aws.client("organizations", account=SECOND_ACCOUNT)
    orgs.create_organization(FeatureSet="ALL")
    member = orgs.create_account(AccountName="deploy", Email="deploy@example.com")
    account = member["CreateAccountStatus"]["AccountId"]
    owner_ram = aws.client("ram", account=SECOND_ACCOUNT)
    owner_ram.enable_sharing_with_aws_organization()
    owner_ram.create_resource_share(name="org", resourceArns=[network["arn"]], principals=[account])
    theirs = aws.client("ram", account=account)
    assert theirs.get_resource_share_invitations()["resourceShareInvitations"] == []
    assert [
        r["arn"] for r in theirs.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]
    ] == [network["arn"]]


def test_a_shared_network_is_listed_read_and_joined_by_the_consumer(
    aws: Any, lattice: Any, owner: Any, network: dict[str, Any]
) -> None:
    share(aws, network["arn"])
    assert [n["arn"] for n in lattice.list_service_networks()["items"]] == [network["arn"]]
    svc = lattice.create_service(name="myservice")
    joined = lattice.create_service_network_service_association(
        serviceNetworkIdentifier=network["arn"], serviceIdentifier=svc["id"]
    )
    vpc = lattice.create_service_network_vpc_association(
        serviceNetworkIdentifier=network["arn"], vpcIdentifier=VPC
    )
    for made in (joined, vpc):  # the consumer's, under its own ARN
        assert (made["arn"].split(":")[4], made["createdBy"]) == (aws.account_id,) * 2
    seen = owner.list_service_network_service_associations(serviceNetworkIdentifier=network["id"])
    (item,) = seen["items"]  # the owner's twin: same id, an ARN of its own account
    assert (item["id"], item["arn"].split(":")[4], item["createdBy"]) == (
        joined["id"],
        SECOND_ACCOUNT,
        aws.account_id,
    )
    assert (item["serviceName"], item["serviceArn"]) == ("myservice", svc["arn"])
    (vpcs,) = owner.list_service_network_vpc_associations(serviceNetworkIdentifier=network["id"])[
        "items"
    ]
    assert (vpcs["vpcId"], vpcs["createdBy"]) == (VPC, aws.account_id)
    mine = lattice.list_service_network_service_associations(serviceIdentifier=svc["id"])["items"]
    assert (mine[0]["serviceNetworkName"], mine[0]["serviceNetworkArn"]) == (
        "platform",
        network["arn"],
    )
    with pytest.raises(ClientError) as exc:  # across accounts, the ARN only
        lattice.create_service_network_vpc_association(
            serviceNetworkIdentifier=network["id"], vpcIdentifier=VPC
        )
    assert error(exc)[0] == "ResourceNotFoundException"


@pytest.mark.parametrize(
    ("operation", "call"),
    [
        (
            "DeleteServiceNetwork",
            lambda api, arn: api.delete_service_network(serviceNetworkIdentifier=arn),
        ),
        (
            "UpdateServiceNetwork",
            lambda api, arn: api.update_service_network(
                serviceNetworkIdentifier=arn, authType="AWS_IAM"
            ),
        ),
        (
            "PutAuthPolicy",
            lambda api, arn: api.put_auth_policy(
                resourceIdentifier=arn, policy='{"Statement": []}'
            ),
        ),
        ("TagResource", lambda api, arn: api.tag_resource(resourceArn=arn, tags={"a": "b"})),
        (
            "CreateAccessLogSubscription",
            lambda api, arn: api.create_access_log_subscription(
                resourceIdentifier=arn, destinationArn="arn:aws:s3:::access-logs-bucket"
            ),
        ),
    ],
)
def test_the_consumer_cannot_change_the_owners_network(
    aws: Any, lattice: Any, owner: Any, network: dict[str, Any], operation: str, call: Any
) -> None:
    share(aws, network["arn"])
    with pytest.raises(ClientError) as exc:
        call(lattice, network["arn"])
    assert error(exc) == ("AccessDeniedException", 403)
    assert f"vpc-lattice:{operation} on resource: {network['arn']}" in str(exc.value)
    got = owner.get_service_network(serviceNetworkIdentifier=network["id"])
    assert (got["name"], got["authType"]) == ("platform", "NONE")
    assert owner.list_tags_for_resource(resourceArn=network["arn"])["tags"] == {"team": "platform"}


def test_either_side_deletes_the_association_and_the_owner_waits_for_it(
    aws: Any, lattice: Any, owner: Any, network: dict[str, Any]
) -> None:
    share(aws, network["arn"])
    svc = lattice.create_service(name="myservice")
    joined = lattice.create_service_network_service_association(
        serviceNetworkIdentifier=network["arn"], serviceIdentifier=svc["id"]
    )
    with pytest.raises(ClientError) as exc:  # the consumer's association holds the network
        owner.delete_service_network(serviceNetworkIdentifier=network["id"])
    assert error(exc)[0] == "ConflictException"
    owner.delete_service_network_service_association(
        serviceNetworkServiceAssociationIdentifier=joined["id"]
    )
    mine = lattice.list_service_network_service_associations(serviceIdentifier=svc["id"])["items"]
    assert [a["status"] for a in mine] == ["DELETE_IN_PROGRESS"]
    aws.advance(ASSOCIATION_DELETE_SECONDS)
    assert (
        lattice.list_service_network_service_associations(serviceIdentifier=svc["id"])["items"]
        == []
    )
    owner.delete_service_network(serviceNetworkIdentifier=network["id"])
