"""A service network of another account, shared with this one through AWS RAM: checked (reads
only) before any change, then adopted by its ARN and never changed.

Why: "When you share a VPC Lattice entity that you own with other AWS accounts, you enable those
accounts to associate their entities with entities in your account" (VPC Lattice User Guide,
"Share your VPC Lattice entities"): this account may associate its service and its VPC with the
network, nothing more (its name, auth type, auth policy, tags and access logs are its owner's).
A network not shared with this account, or offered by an invitation not yet accepted ("If you
specify an AWS account that doesn't exist in the same organization as the account that owns the
resource share, the owner of the specified account receives an invitation to accept the resource
share. After the owner accepts the invitation, they can access the resources", RAM API
Reference), is refused here with the command that fixes it, before any change, instead of an
AccessDeniedException half-way through ``ensure_lattice``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core import aws
from ..core.errors import BundleInvalid

WHERE = "ecs-service-def.json: vpcLatticeConfiguration.serviceNetwork"
Collect = Callable[[str, Exception], None]


def owner_of(arn: str) -> str:
    """The account in a resource's ARN (``arn:aws:vpc-lattice:REGION:ACCOUNT:...``)."""
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 else ""


def shared_from(plan: dict[str, Any]) -> str | None:
    """The account that shares the bundle's network with this one (None: this account's)."""
    owner = plan["lattice"]["serviceNetwork"].get("sharedFrom")
    return str(owner) if owner else None


def _invitations(ram: Any, owner: str) -> list[dict[str, Any]]:
    pages = ram.get_paginator("get_resource_share_invitations").paginate()
    return [
        i
        for page in pages
        for i in page["resourceShareInvitations"]
        if i.get("status") == "PENDING" and i.get("senderAccountId") == owner
    ]


def check(plan: dict[str, Any], collect: Collect) -> bool:
    """True when the network the bundle names by ARN, if any, is this account's or shared with
    it (then ``plan.lattice.serviceNetwork.sharedFrom`` says by whom); else the problem, with its
    fix, collected."""
    ref = plan["lattice"]["serviceNetwork"]
    arn, region = ref.get("arn"), plan["region"] or None
    if not arn:
        return True
    me = aws.client("sts", region).get_caller_identity()["Account"]
    owner = owner_of(arn)
    if owner == me:
        return True
    ram = aws.client("ram", region)
    pages = ram.get_paginator("list_resources").paginate(
        resourceOwner="OTHER-ACCOUNTS", resourceArns=[arn]
    )
    if any(r.get("status") == "AVAILABLE" for page in pages for r in page["resources"]):
        ref["sharedFrom"] = owner
        return True
    if pending := _invitations(ram, owner):
        collect(
            WHERE,
            BundleInvalid(
                f"service network {arn} of account {owner} is offered to this account ({me}) by "
                f"resource share {pending[0].get('resourceShareName')}, whose invitation is not "
                "accepted yet; accept it first: aws ram accept-resource-share-invitation "
                f"--resource-share-invitation-arn {pending[0]['resourceShareInvitationArn']}"
            ),
        )
        return False
    collect(
        WHERE,
        BundleInvalid(
            f"service network {arn} belongs to account {owner} and is not shared with this "
            f"account ({me}); its owner shares it through AWS RAM (in account {owner}: aws ram "
            f"create-resource-share --name <name> --resource-arns {arn} --principals {me}), and "
            "this account accepts the invitation if one comes (aws ram "
            "accept-resource-share-invitation); or name a network of this account"
        ),
    )
    return False
