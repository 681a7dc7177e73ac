"""The VPC Lattice quotas a create is refused past, at the account's applied values.

Why: AWS refuses the 501st target group of a Region and the 501st service of a service network
("Quotas for Amazon VPC Lattice", VPC Lattice User Guide: "Target groups per Region … 500",
"Service associations per service network … 500", both adjustable) with
ServiceQuotaExceededException (402, the quota's code in ``quotaCode``: the API Reference's
CreateTargetGroup and CreateServiceNetworkServiceAssociation errors). A fleet that passes them
must have had them raised; the emulator reads the applied values from its Service Quotas
(:mod:`..servicequotas.models`), so a test or bench raises them as an approved request does.
"""

from __future__ import annotations

from typing import Any

from ..servicequotas.models import DEFAULTS, servicequotas_backends
from .exceptions import ServiceQuotaExceededException

TARGET_GROUPS = "L-BB11C6B9"
ASSOCIATIONS_PER_NETWORK = "L-75D4A19E"


def applied(account_id: str, region: str, code: str) -> int:
    backend = servicequotas_backends[account_id][region]
    return int(backend.applied.get(("vpc-lattice", code), DEFAULTS[("vpc-lattice", code)][1]))


def check(backend: Any, code: str, used: int, resource_type: str) -> None:
    """Refuse one more of what ``used`` counts once it is at the quota."""
    limit = applied(backend.account_id, backend.region_name, code)
    if used >= limit:
        name = DEFAULTS[("vpc-lattice", code)][0]
        raise ServiceQuotaExceededException(
            resource_type,
            code,
            f"You have reached the quota for {name} ({limit}); request an increase in Service "
            "Quotas",
        )
