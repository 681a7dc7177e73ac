"""VPC Lattice across accounts: a service network another account shares through AWS RAM, as the
account it is shared with (the consumer) may use it.

What AWS documents, and what is done here:

- "When you share a VPC Lattice entity that you own with other AWS accounts, you enable those
  accounts to associate their entities with entities in your account. When you create an
  association against a shared entity, we generate an Amazon Resource Name (ARN) in the entity
  owner account and in the account that created the association. Therefore, both the entity owner
  and the account that created the association can delete the association." (VPC Lattice User
  Guide, "Share your VPC Lattice entities"). The consumer's association is stored in its account
  under its ARN, and a twin with the same id under an ARN of the owner's account (``createdBy``:
  the consumer); a delete from either side deletes both.
- The identifier of a network of another account is its ARN: "You must use the ARN if the
  resources specified in the operation are in different accounts" (API Reference,
  CreateServiceNetworkServiceAssociation, ``serviceNetworkIdentifier``). An id alone finds the
  caller's own networks only.
- ListServiceNetworks "Lists the service networks owned by or shared with this account. The
  account ID in the ARN shows which account owns the service network." (API Reference).
- What the consumer may do is what the resource policy RAM attaches for the share allows
  (AWS::VpcLattice::ResourcePolicy: "an IAM policy created on behalf of the resource owner when
  they share a resource"): GetServiceNetwork, CreateServiceNetworkVpcAssociation and
  CreateServiceNetworkServiceAssociation on the network. Anything else on it (UpdateServiceNetwork,
  DeleteServiceNetwork, PutAuthPolicy, tags, access logs...) is AccessDeniedException, 403 (API
  Reference: "The user does not have sufficient access to perform this action"); so is any call on
  a network of another account not shared with the caller (IAM User Guide, "Cross-account policy
  evaluation logic": no resource-based policy allows it). Chosen where AWS is silent: the
  consumer may list the associations of the shared network, and sees its own only.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from moto.utilities.paginator import paginate
from moto.vpclattice.models import VPCLatticeServiceNetwork

from ..ram.models import ram_backends, shared_with
from .exceptions import LatticeError
from .resources import KINDS, LatticeResources

ALLOWED = {
    "GetServiceNetwork",
    "CreateServiceNetworkVpcAssociation",
    "CreateServiceNetworkServiceAssociation",
    "ListServiceNetworkVpcAssociations",
    "ListServiceNetworkServiceAssociations",
}
NETWORK_PARAMETERS = ("serviceNetworkIdentifier", "resourceIdentifier", "resourceArn")
_NETWORK_ARN = re.compile(
    r"arn:aws[a-z-]*:vpc-lattice:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"servicenetwork/(?P<id>sn-[0-9a-z]{17})"
)


class AccessDeniedException(LatticeError):
    code = 403

    def __init__(self, message: str) -> None:
        super().__init__("AccessDeniedException", message)


def network_of(value: str | None) -> re.Match[str] | None:
    return _NETWORK_ARN.fullmatch(value or "")


class SharedNetworks(LatticeResources):
    """The consumer's side of a shared network (put before :class:`LatticeResources`)."""

    operation = ""  # the request being served (set by the response, under the state lock)
    accounts: Any = None
    """Every account's backends (:mod:`.models` sets its ``lattice_backends``): the owner's."""

    def _backend(self, account: str) -> LatticeResources:
        return self.accounts[account][self.region_name]

    def gate(self, operation: str, params: dict[str, Any]) -> None:
        """Refuse, before it runs, an operation on a network of another account that the share
        does not allow (or that is not shared with this account)."""
        self.operation = operation
        for name in NETWORK_PARAMETERS:
            if (arn := network_of(params.get(name))) and arn["account"] != self.account_id:
                self._shared(arn[0], operation)

    def _shared(self, arn: str, operation: str) -> VPCLatticeServiceNetwork:
        found = network_of(arn)
        if found is None:  # the callers pass a service network's ARN
            raise ValueError(f"not a service network ARN: {arn}")
        owner = self._backend(found["account"]) if found["region"] == self.region_name else None
        network = owner.service_networks.get(found["id"]) if owner else None
        who = f"User: arn:aws:iam::{self.account_id}:root is not authorized to perform"
        if network is None or not shared_with(self.account_id, self.region_name, arn):
            raise AccessDeniedException(
                f"{who}: vpc-lattice:{operation} on resource: {arn} because no resource-based "
                f"policy allows the vpc-lattice:{operation} action"
            )
        if operation not in ALLOWED:
            raise AccessDeniedException(
                f"{who}: vpc-lattice:{operation} on resource: {arn}: the service network is "
                f"shared with this account, which may associate its VPCs and services with it "
                "only; its owner changes it"
            )
        return network

    def find(self, kind: str, identifier: str | None) -> Any:
        arn = network_of(identifier) if kind == "service_network" else None
        if arn and arn["account"] != self.account_id:
            return self._shared(arn[0], self.operation or "GetServiceNetwork")
        return super().find(kind, identifier)

    @paginate(pagination_model=LatticeResources.PAGINATION_MODEL)
    def list_service_networks(self) -> list[VPCLatticeServiceNetwork]:
        shared = {
            arn
            for share in ram_backends[self.account_id][self.region_name].shares_with_me()
            for arn in share.resource_arns
        }
        theirs = [
            network
            for arn in sorted(shared)
            if (found := network_of(arn)) and found["region"] == self.region_name
            if (network := self._backend(found["account"]).service_networks.get(found["id"]))
        ]
        return [*self.service_networks.values(), *theirs]

    # ---- associations with a shared network: the consumer's, and the owner's twin
    def create_service_network_vpc_association(self, *args: Any, **kwargs: Any) -> Any:
        assoc = super().create_service_network_vpc_association(*args, **kwargs)
        self._twin("service_network_vpc_association", assoc, assoc.service_network_arn, {})
        return assoc

    def create_service_network_service_association(
        self,
        service_network_identifier: str,
        service_identifier: str,
        client_token: str,
        tags: dict[str, str] | None,
    ) -> Any:
        assoc = super().create_service_network_service_association(
            service_network_identifier, service_identifier, client_token, tags
        )
        network, service = (
            self.find("service_network", service_network_identifier),
            self.find("service", service_identifier),
        )
        if network.arn.split(":")[4] != self.account_id:  # the names AWS's summaries carry
            named = {"serviceNetworkName": network.name, "serviceNetworkArn": network.arn}
            setattr(assoc, "named", named)  # noqa: B010  (not moto's)
        named = {"serviceName": service.name, "serviceArn": service.arn}
        self._twin("service_network_service_association", assoc, network.arn, named)
        return assoc

    def _twin(self, kind: str, assoc: Any, network_arn: str, named: dict[str, str]) -> None:
        found = network_of(network_arn)
        if found is None or found["account"] == self.account_id:
            return
        store = getattr(self._backend(found["account"]), KINDS[kind][1])
        if assoc.id in store:  # a replay of the same create
            return
        twin = copy.copy(assoc)
        twin.arn = assoc.arn.replace(f":{self.account_id}:", f":{found['account']}:", 1)
        twin.created_by, twin.named = self.account_id, named
        assoc.twin, twin.twin = (found["account"], kind), (self.account_id, kind)
        store[twin.id] = twin

    def delete_twin(self, assoc: Any) -> None:
        """An association deleted on one side is deleted on the other too (same time left)."""
        if (where := getattr(assoc, "twin", None)) is None:
            return
        account, kind = where
        other = getattr(self._backend(account), KINDS[kind][1]).get(assoc.id)
        if other is not None:
            other.status, other.gone_at = assoc.status, getattr(assoc, "gone_at", None)
