"""AWS RAM state registered in moto's place: shares reach other accounts, as on AWS.

moto 5.2's RAM keeps each share in its owner's account only: no invitation, nothing listed as
shared with another account, and a VPC Lattice service network cannot be shared. Added:

- ``servicenetwork`` is shareable (RAM User Guide, "Shareable AWS resources": VPC Lattice,
  resource type ``vpc-lattice:ServiceNetwork``).
- An account principal outside the owner's organization (or inside it, when the owner did not
  enable sharing with AWS Organizations) gets an invitation it must accept: "If you specify an
  AWS account that doesn't exist in the same organization as the account that owns the resource
  share, the owner of the specified account receives an invitation to accept the resource share.
  After the owner accepts the invitation, they can access the resources in the resource share"
  (RAM API Reference, Welcome). With sharing enabled, an account of the organization gets the
  resources at once, without an invitation (RAM User Guide, "Enable resource sharing within AWS
  Organizations").
- The invitee's side: GetResourceShareInvitations, AcceptResourceShareInvitation, ListResources
  and GetResourceShares with ``resourceOwner=OTHER-ACCOUNTS``.
"""

from __future__ import annotations

from typing import Any

from moto.core.base_backend import BackendDict
from moto.core.exceptions import JsonRESTError
from moto.core.utils import unix_time, utcnow
from moto.moto_api._internal import mock_random as random
from moto.organizations.models import organizations_backends
from moto.ram.exceptions import InvalidParameterException
from moto.ram.models import ResourceAccessManagerBackend, ResourceShare

SHAREABLE = ("servicenetwork",)  # VPC Lattice (RAM User Guide, "Shareable AWS resources")
if not set(SHAREABLE) <= set(ResourceShare.SHAREABLE_RESOURCES):
    ResourceShare.SHAREABLE_RESOURCES = [*ResourceShare.SHAREABLE_RESOURCES, *SHAREABLE]
TYPES = {"servicenetwork": "vpc-lattice:ServiceNetwork"}


class RamError(JsonRESTError):
    """RAM's errors carry ``message`` only (the botocore model)."""


class InvitationNotFound(RamError):
    code = 400

    def __init__(self, arn: str) -> None:
        super().__init__(
            "ResourceShareInvitationArnNotFoundException",
            f"ResourceShareInvitation {arn} could not be found.",
        )


class AlreadyAccepted(RamError):
    code = 400

    def __init__(self, arn: str) -> None:
        super().__init__(
            "ResourceShareInvitationAlreadyAcceptedException",
            f"ResourceShareInvitation {arn} has already been accepted.",
        )


class Invitation:
    def __init__(self, share: ResourceShare, receiver: str) -> None:
        self.share, self.receiver = share, receiver
        self.arn = (
            f"arn:aws:ram:{share.region}:{share.account_id}:"
            f"resource-share-invitation/{random.uuid4()}"
        )
        self.at, self.status = utcnow(), "PENDING"

    def describe(self) -> dict[str, Any]:
        return {
            "resourceShareInvitationArn": self.arn,
            "resourceShareName": self.share.name,
            "resourceShareArn": self.share.arn,
            "senderAccountId": self.share.account_id,
            "receiverAccountId": self.receiver,
            "invitationTimestamp": unix_time(self.at),
            "status": self.status,
        }


class EmulatedRamBackend(ResourceAccessManagerBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.invitations: list[Invitation] = []  # those this account sent
        self.organization_sharing = False

    # ---- the owner's side
    def enable_sharing_with_aws_organization(self) -> dict[str, Any]:
        done = super().enable_sharing_with_aws_organization()
        self.organization_sharing = True
        return done

    def _in_organization(self, account: str) -> bool:
        org = organizations_backends[self.account_id][self.partition]
        return self.organization_sharing and any(a.id == account for a in org.accounts)

    def create_resource_share(self, **kwargs: Any) -> dict[str, Any]:
        made = super().create_resource_share(**kwargs)
        share = self.resource_shares[-1]
        for principal in share.principals:
            outside = principal.isdigit() and not self._in_organization(principal)
            if outside and principal != self.account_id:
                self.invitations.append(Invitation(share, principal))
        return made

    # ---- the receiver's side (shares of every other account in this Region)
    def _others(self) -> list[EmulatedRamBackend]:
        return [
            ram_backends[account][self.region_name]
            for account in list(ram_backends)
            if account != self.account_id
        ]

    def _received(self) -> list[Invitation]:
        return [i for b in self._others() for i in b.invitations if i.receiver == self.account_id]

    def shares_with_me(self) -> list[ResourceShare]:
        """Active shares of other accounts naming this one whose invitation, if any, was
        accepted."""
        invited = {i.share.arn: i.status for i in self._received()}
        return [
            share
            for backend in self._others()
            for share in backend.resource_shares
            if share.status == "ACTIVE"
            and self.account_id in share.principals
            and invited.get(share.arn, "ACCEPTED") == "ACCEPTED"
        ]

    def get_resource_share_invitations(
        self, arns: list[str] | None, share_arns: list[str] | None
    ) -> dict[str, Any]:
        found = [
            i.describe()
            for i in self._received()
            if (not arns or i.arn in arns) and (not share_arns or i.share.arn in share_arns)
        ]
        return {"resourceShareInvitations": found}

    def accept_resource_share_invitation(self, arn: str, token: str | None) -> dict[str, Any]:
        invitation = next((i for i in self._received() if i.arn == arn), None)
        if invitation is None:
            raise InvitationNotFound(arn)
        if invitation.status == "ACCEPTED":
            raise AlreadyAccepted(arn)
        invitation.status = "ACCEPTED"
        return {
            "resourceShareInvitation": invitation.describe(),
            **({"clientToken": token} if token else {}),
        }

    def get_resource_shares(self, resource_owner: str | None) -> dict[str, Any]:
        if resource_owner != "OTHER-ACCOUNTS":
            return super().get_resource_shares(resource_owner)
        return {"resourceShares": [s.describe() for s in self.shares_with_me()]}

    def list_resources(
        self, resource_owner: str | None, arns: list[str] | None, resource_type: str | None
    ) -> dict[str, Any]:
        if resource_owner not in ("SELF", "OTHER-ACCOUNTS"):
            raise InvalidParameterException(
                f"{resource_owner} is not a valid resource owner. "
                "Specify either SELF or OTHER-ACCOUNTS and try again."
            )
        shares = (
            self.shares_with_me()
            if resource_owner == "OTHER-ACCOUNTS"
            else [s for s in self.resource_shares if s.status == "ACTIVE"]
        )
        found = []
        for share in shares:
            for arn in share.resource_arns:
                kind = TYPES.get(arn.split(":")[5].split("/")[0], arn.split(":")[2])
                if (arns and arn not in arns) or (resource_type and kind != resource_type):
                    continue
                found.append(
                    {
                        "arn": arn,
                        "type": kind,
                        "resourceShareArn": share.arn,
                        "status": "AVAILABLE",
                        "creationTime": unix_time(share.creation_time),
                        "lastUpdatedTime": unix_time(share.last_updated_time),
                        "resourceRegionScope": "REGIONAL",
                    }
                )
        return {"resources": found}


def shared_with(account: str, region: str, arn: str) -> bool:
    """Whether a resource of another account is shared with ``account`` (an accepted invitation,
    or none needed)."""
    backend = ram_backends[account][region]
    return any(arn in share.resource_arns for share in backend.shares_with_me())


ram_backends: BackendDict[EmulatedRamBackend] = BackendDict(EmulatedRamBackend, "ram")
