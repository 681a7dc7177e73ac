"""Part ``ensure_vpc_association`` of state ``ensure_lattice``: associate the service's VPC with the
service network.

A VPC can be associated with one service network only; if it already is with another one, the
step fails with the remedy (name that network in the bundle) instead of a bare ConflictException.

The association's security groups decide which clients in the VPC may reach the service network,
so they are the environment's (stack parameter ``VpcAssociationSecurityGroupIds``), not the
tasks': none given, every client in the VPC may.
"""

from __future__ import annotations

import os
from typing import Any

from ..core.errors import DeployError
from . import find_or_create as lattice


def association_groups() -> list[str]:
    value = os.environ.get("VPC_ASSOCIATION_SECURITY_GROUPS", "")
    return [g.strip() for g in value.split(",") if g.strip()]


def ensure(event: dict[str, Any]) -> dict[str, Any]:
    plan, network = event["plan"], event["resources"]["serviceNetwork"]
    vpc, api = plan["lattice"]["vpcId"], lattice.client(plan)
    existing = lattice.find(
        api, "list_service_network_vpc_associations", lambda _: True, vpcIdentifier=vpc
    )
    if existing and existing["serviceNetworkId"] != network["id"]:
        raise DeployError(
            f"VPC {vpc} is already associated with service network "
            f"{existing['serviceNetworkName']} "
            f"({existing['serviceNetworkArn']}); a VPC joins one service network only. Remedy: set "
            f'vpcLatticeConfiguration.serviceNetwork to "{existing["serviceNetworkArn"]}"'
        )
    if existing:
        return lattice.summary("unchanged", existing, vpcId=vpc)
    created = api.create_service_network_vpc_association(
        serviceNetworkIdentifier=network["arn"],  # an ARN: the network may be another account's
        vpcIdentifier=vpc,
        **({"securityGroupIds": groups} if (groups := association_groups()) else {}),
        clientToken=lattice.token(plan, "snva"),
        tags=plan["tags"],
    )
    return lattice.summary("created", created, vpcId=vpc)
