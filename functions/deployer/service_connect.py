"""Service Connect beside VPC Lattice: the account facts a bundle's block needs, and what its
change means, said before anything changes.

The origin document sets both: VPC Lattice for callers across VPCs and accounts (auth policies),
Service Connect inside one Cloud Map namespace. ECS refuses a namespace Cloud Map does not hold
(``NamespaceNotFoundException``) only at CreateService/UpdateService, after the Lattice side was
made; here it is refused first, naming the namespace and both fixes.
"""

from __future__ import annotations

from typing import Any

from . import aws, ecs
from .errors import BundleInvalid

WHERE = "ecs-service-def.json: serviceConnectConfiguration"


def check(plan: dict[str, Any], cluster: dict[str, Any], region: str | None) -> None:
    """The namespace the block uses (its own, else the cluster's default) exists in Cloud Map."""
    block = plan["serviceDefinition"].get(ecs.CONNECT) or {}
    if not block.get("enabled"):
        return
    default = (cluster.get("serviceConnectDefaults") or {}).get("namespace")
    wanted = block.get("namespace") or default
    create = "aws servicediscovery create-http-namespace --name"
    if not wanted:
        raise BundleInvalid(
            f"{WHERE}.namespace: not given, and cluster {plan['cluster']} has no default "
            f"Service Connect namespace; name one here, or set the cluster's: aws ecs "
            f"update-cluster --cluster {plan['cluster']} --service-connect-defaults namespace=NAME"
        )
    pages = aws.client("servicediscovery", region).get_paginator("list_namespaces")
    for page in pages.paginate():
        for namespace in page["Namespaces"]:
            if wanted in (namespace["Name"], namespace["Arn"], namespace["Id"]):
                return
    given = "namespace" if block.get("namespace") else f"cluster {plan['cluster']}'s default"
    raise BundleInvalid(
        f"{WHERE}.namespace: Cloud Map namespace {wanted} ({given}) does not exist in "
        f"{region or 'this region'}, and ECS refuses it (NamespaceNotFoundException); create "
        f"it ({create} {wanted}), or name an existing one, or leave namespace out to use the "
        "cluster's default"
    )


def turned_off(plan: dict[str, Any]) -> list[str]:
    """A bundle whose block turns Service Connect off while the service has it on: said."""
    block = plan["serviceDefinition"].get(ecs.CONNECT)
    running = ecs.connect_of((plan.get("baseline") or {}).get("ecsService") or {})
    if block is None or block.get("enabled") or running is None:
        return []
    return [
        f"{WHERE}.enabled: false turns Service Connect off for {plan['serviceName']} (it is on, "
        f"namespace {running.get('namespace')}); its clients in that namespace lose "
        f"{', '.join(_aliases(running)) or 'its aliases'}"
    ]


def _aliases(block: dict[str, Any]) -> list[str]:
    return [
        f"{alias.get('dnsName') or service.get('portName')}:{alias.get('port')}"
        for service in block.get("services") or []
        for alias in service.get("clientAliases") or []
    ]
