"""A service network of another account, shared with the deploy account through AWS RAM: adopted
by its ARN, the service and VPC associations made here, nothing ever done to the network, and a
network not (yet) shared refused before any change with the command that fixes it."""

from __future__ import annotations

from typing import Any

import pytest

from lattice_deploy.emulator.account import SECOND_ACCOUNT

from .conftest import Local

OWNER = SECOND_ACCOUNT


def owned_network(local: Local, name: str = "platform-network") -> dict[str, Any]:
    """A network of the second account, with a tag and an auth policy of its owner's."""
    owner = local.aws.client("vpc-lattice", account=OWNER)
    network = owner.create_service_network(name=name, tags={"team": "platform"})
    owner.put_auth_policy(resourceIdentifier=network["arn"], policy='{"Statement": []}')
    return dict(network)


def share(local: Local, arn: str, accept: bool = True) -> None:
    ram = local.aws.client("ram", account=OWNER)
    ram.create_resource_share(name="lattice", resourceArns=[arn], principals=[local.aws.account_id])
    if accept:
        mine = local.aws.client("ram")
        for invitation in mine.get_resource_share_invitations()["resourceShareInvitations"]:
            mine.accept_resource_share_invitation(
                resourceShareInvitationArn=invitation["resourceShareInvitationArn"]
            )


def seen_by_owner(local: Local, network: dict[str, Any]) -> dict[str, Any]:
    """The network as its owner sees it: itself, its tags, its auth policy, its associations."""
    owner = local.aws.client("vpc-lattice", account=OWNER)
    ident = network["arn"]
    got = owner.get_service_network(serviceNetworkIdentifier=ident)
    return {
        "network": {k: got[k] for k in ("name", "authType", "arn")},
        "tags": owner.list_tags_for_resource(resourceArn=ident)["tags"],
        "auth": owner.get_auth_policy(resourceIdentifier=ident)["policy"],
        "services": sorted(
            i["serviceName"]
            for i in owner.list_service_network_service_associations(
                serviceNetworkIdentifier=ident
            )["items"]
        ),
        "vpcs": sorted(
            (i["vpcId"], i["createdBy"])
            for i in owner.list_service_network_vpc_associations(serviceNetworkIdentifier=ident)[
                "items"
            ]
        ),
    }


def in_network(network: dict[str, Any]) -> Any:
    def edit(service: dict[str, Any]) -> None:
        service["vpcLatticeConfiguration"]["serviceNetwork"] = network["arn"]

    return edit


def test_a_service_deploys_into_a_network_shared_from_another_account(
    local: Local, bundle: Any
) -> None:
    network = owned_network(local)
    share(local, network["arn"])
    before = seen_by_owner(local, network)
    summary = local.deploy(bundle(service=in_network(network)))
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    made = {r["type"]: r for r in summary["resources"]}
    assert (made["serviceNetwork"]["action"], made["serviceNetwork"]["arn"]) == (
        "adopted",
        network["arn"],
    )
    assert made["serviceAssociation"]["action"] == made["vpcAssociation"]["action"] == "created"
    after = seen_by_owner(local, network)
    assert after["services"] == [made["latticeService"]["name"]]
    assert after["vpcs"] == [("vpc-12345678", local.aws.account_id)]
    untouched = ("network", "tags", "auth")
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    mine = local.aws.client("vpc-lattice").list_service_network_service_associations(
        serviceNetworkIdentifier=network["arn"]
    )["items"]
    assert [a["arn"].split(":")[4] for a in mine] == [local.aws.account_id]  # this account's


def test_a_failed_run_removes_only_its_associations_and_leaves_the_network(
    local: Local, bundle: Any
) -> None:
    network = owned_network(local)
    share(local, network["arn"])
    before = seen_by_owner(local, network)
    local.aws.inject("unhealthy-targets")
    summary = local.deploy(bundle(service=in_network(network)))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    removed = {r["type"] for r in summary["rollback"]["removed"]}
    assert {"serviceAssociation", "vpcAssociation"} <= removed
    assert "serviceNetwork" not in removed
    local.aws.advance(60)  # the association deletes finish
    assert seen_by_owner(local, network) == before


def test_plan_shows_the_shared_network_as_adopted_from_its_owner(
    local: Local, bundle: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from lattice_deploy.cli.main import main

    network = owned_network(local)
    share(local, network["arn"])
    path = bundle(service=in_network(network))
    assert main(["plan", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert f"(shared from {OWNER})" in out and '"adopt"' in out


def _refused(local: Local, bundle: Any, network: dict[str, Any]) -> str:
    local.aws.reset_calls()
    summary = local.deploy(bundle(service=in_network(network)))
    assert summary["status"] == "FAILED" and summary["failure"]["error"] == "BundleInvalid"
    changed = [k for k in local.aws.calls()["mutatingCalls"] if k.startswith(("ecs", "vpc-lat"))]
    assert changed == []
    return str(summary["failure"]["message"])


def test_a_network_of_another_account_not_shared_is_refused_before_any_change(
    local: Local, bundle: Any
) -> None:
    network = owned_network(local)
    before = seen_by_owner(local, network)
    message = _refused(local, bundle, network)
    assert f"belongs to account {OWNER} and is not shared with this account" in message
    assert (
        f"aws ram create-resource-share --name <name> --resource-arns {network['arn']} "
        f"--principals {local.aws.account_id}"
    ) in message
    assert seen_by_owner(local, network) == before


def test_a_share_whose_invitation_is_pending_is_refused_naming_the_accept_command(
    local: Local, bundle: Any
) -> None:
    network = owned_network(local)
    share(local, network["arn"], accept=False)
    message = _refused(local, bundle, network)
    invitation = local.aws.client("ram").get_resource_share_invitations()[
        "resourceShareInvitations"
    ][0]
    assert "whose invitation is not accepted yet" in message
    assert (
        "aws ram accept-resource-share-invitation --resource-share-invitation-arn "
        f"{invitation['resourceShareInvitationArn']}"
    ) in message


def test_validate_account_refuses_it_until_shared_then_accepts_it(
    local: Local, bundle: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from lattice_deploy.cli.main import main

    network = owned_network(local)
    path = bundle(service=in_network(network))
    capsys.readouterr()
    assert main(["validate", str(path), "--account"]) == 2
    out = capsys.readouterr().out
    assert "vpcLatticeConfiguration.serviceNetwork: service network" in out
    assert "aws ram create-resource-share" in out
    share(local, network["arn"])
    assert main(["validate", str(path), "--account"]) == 0


def test_network_auth_asked_of_a_shared_network_is_said_and_never_tried(
    local: Local, bundle: Any
) -> None:
    """``networkAuth`` for another account's network: its auth is its owner's (and even reading
    it is refused to this account): the run says so and deploys, touching none of it."""
    network = owned_network(local)
    share(local, network["arn"])
    before = seen_by_owner(local, network)

    def edit(service: dict[str, Any]) -> None:
        in_network(network)(service)
        service["vpcLatticeConfiguration"]["networkAuth"] = {"type": "NONE"}

    summary = local.deploy(bundle(service=edit))
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    said = "\n".join(local.lines)
    assert f"is shared from account {SECOND_ACCOUNT}: its auth is its owner's" in said, said
    after = seen_by_owner(local, network)
    assert {k: after[k] for k in ("network", "tags", "auth")} == {
        k: before[k] for k in ("network", "tags", "auth")
    }
