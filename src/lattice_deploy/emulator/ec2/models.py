"""EC2's DescribeSubnets naming the subnet that is missing.

Why: moto 5.2 works out the missing ids as ``set(subnet_ids) - set(matches)`` (ids minus Subnet
objects: every id), so with ``subnet-12345678`` (exists) and ``subnet-0deadbeef0000000`` (does not)
its InvalidSubnetID.NotFound may name the one that exists; the deployer's error then names the
wrong subnet. AWS names a subnet that does not exist ("The subnet ID '…' does not exist").
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import InvalidSubnetIdError
from moto.ec2.models.subnets import SubnetBackend

_original = SubnetBackend.describe_subnets


def describe_subnets(
    self: SubnetBackend, subnet_ids: list[str] | None = None, filters: Any | None = None
) -> Any:
    if subnet_ids:
        known = {sn.id for subnets in self.subnets.values() for sn in subnets.values()}
        missing = [i for i in subnet_ids if i not in known]
        if missing:
            raise InvalidSubnetIdError(missing[0])
    return _original(self, subnet_ids, filters)


def install() -> None:
    SubnetBackend.describe_subnets = describe_subnets  # type: ignore[method-assign]
