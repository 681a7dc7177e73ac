"""Service Connect beside VPC Lattice: the account facts a bundle's block needs, and what its
change means, said before anything changes.

The origin document sets both: VPC Lattice for callers across VPCs and accounts (auth policies),
Service Connect inside one Cloud Map namespace. ECS refuses a namespace Cloud Map does not hold
(``NamespaceNotFoundException``) only at CreateService/UpdateService, after the Lattice side was
made; here it is refused first, naming the namespace and both fixes.
"""

from __future__ import annotations

import re
from typing import Any

from ..core import aws
from ..core.errors import BundleInvalid
from . import api as ecs

WHERE = "ecs-service-def.json: serviceConnectConfiguration"
NAMESPACE_ARN = re.compile(
    r"arn:aws[\w-]*:servicediscovery:[\w-]+:(?P<account>\d{12}):namespace/[\w-]+"
)


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
    if owner := _other_owner(wanted, cluster):
        plan.setdefault("warnings", []).append(
            f"{WHERE}.namespace: {wanted} is account {owner}'s Cloud Map namespace and is not "
            "listed as shared with this account (ListNamespaces lists the namespaces shared with "
            "it too); left to ECS, which refuses it (NamespaceNotFoundException) unless its "
            "owner shares it with this account through AWS RAM"
        )
        return
    given = "namespace" if block.get("namespace") else f"cluster {plan['cluster']}'s default"
    raise BundleInvalid(
        f"{WHERE}.namespace: Cloud Map namespace {wanted} ({given}) does not exist in "
        f"{region or 'this region'}, and ECS refuses it (NamespaceNotFoundException); create "
        f"it ({create} {wanted}), or name an existing one, or leave namespace out to use the "
        "cluster's default"
    )


def _other_owner(wanted: str, cluster: dict[str, Any]) -> str:
    """The account of a namespace ARN not the cluster's ("" for a name, an id or our own ARN).

    Why not refused: a namespace can be another account's, shared through AWS RAM (Cloud Map
    Developer Guide, "Shared AWS Cloud Map namespaces"), and is then named by its ARN ("Specify
    the namespace ARN for namespaces that are shared with your AWS account": Cloud Map API
    reference, ServiceFilter). ListNamespaces lists "the namespaces that were created by the
    current AWS account and shared with the current AWS account" (API reference), but a share
    being accepted, or a Region where listing lags, is not this check's to judge: a plausible
    shared namespace is warned about, not refused."""
    found = NAMESPACE_ARN.fullmatch(wanted)
    own = str(cluster.get("clusterArn") or "").split(":")[4:5]
    return found["account"] if found and [found["account"]] != own else ""


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


DNS_NAME = re.compile(r"(?!-)[a-z0-9_.-]{1,127}")
DISCOVERY_NAME = re.compile(r"(?!-)[a-z0-9_-]{1,64}")


def problems(service: dict[str, Any], task: dict[str, Any], files: tuple[str, str]) -> list[str]:
    """What ECS would refuse in the block, said offline (ECS API Reference,
    ``ServiceConnectService``, ``ServiceConnectClientAlias``), each with its fix."""
    service_file, task_file = files
    block = service.get(ecs.CONNECT)
    if not isinstance(block, dict):
        return []
    where = f"{service_file}: {ecs.CONNECT}"
    found: list[str] = []
    listed = block.get("services") or []
    if block.get("enabled") is False and listed:
        found.append(
            f"{where}: enabled is false but services are listed; set enabled to true, or remove "
            "services to turn Service Connect off"
        )
    names = {
        m.get("name")
        for c in task.get("containerDefinitions") or []
        if isinstance(c, dict)
        for m in c.get("portMappings") or []
        if isinstance(m, dict) and m.get("name")
    }
    for index, entry in enumerate(listed):
        if not isinstance(entry, dict):
            continue
        at = f"{where}.services[{index}]"
        if entry.get("portName") not in names:
            found.append(
                f"{at}: portName {entry.get('portName')!r} names no port mapping of {task_file} "
                f"(names there: {', '.join(sorted(map(str, names))) or 'none'}); use one of them"
            )
        discovery = entry.get("discoveryName")
        if discovery is not None and not DISCOVERY_NAME.fullmatch(str(discovery)):
            found.append(
                f"{at}.discoveryName: {discovery!r} is not a Cloud Map service name (1-64 of "
                "a-z, 0-9, _ and -, not starting with -)"
            )
        for number, alias in enumerate(entry.get("clientAliases") or []):
            if not isinstance(alias, dict):
                continue
            port, dns = alias.get("port"), alias.get("dnsName")
            if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
                found.append(
                    f"{at}.clientAliases[{number}].port: {port!r} is not a port; give 1-65535"
                )
            if dns is not None and not DNS_NAME.fullmatch(str(dns)):
                found.append(
                    f"{at}.clientAliases[{number}].dnsName: {dns!r} is not a DNS name ECS "
                    "accepts (1-127 of a-z, 0-9, _, - and ., not starting with -)"
                )
    return found
