"""Check 7, the Cloud Map namespaces the bundles' Service Connect blocks use.

The namespace a block uses is its own ``namespace``, else its cluster's default (ECS
DescribeClusters: ``serviceConnectDefaults``); it must be one Cloud Map lists (ListNamespaces,
which lists the namespaces shared with the account too), or ECS refuses the service at
CreateService (NamespaceNotFoundException), after the Lattice side was made.
"""

from __future__ import annotations

from typing import Any

from deployer.ecs import api as ecs_names

from . import Check
from .account import Account
from .bundles import planned


def _namespaces(account: Account) -> set[str]:
    pages = account.client("servicediscovery").get_paginator("list_namespaces").paginate()
    return {v for page in pages for n in page["Namespaces"] for v in (n["Name"], n["Arn"], n["Id"])}


def _default(account: Account, cluster: str, known: dict[str, Any]) -> str | None:
    if cluster not in known:
        found = account.client("ecs").describe_clusters(clusters=[cluster])["clusters"]
        known[cluster] = (
            (found[0].get("serviceConnectDefaults") or {}).get("namespace") if found else None
        )
    value = known[cluster]
    return str(value) if value else None


def check(account: Account, result: Check) -> None:
    using: list[tuple[str, str, str]] = []
    defaults: dict[str, Any] = {}
    for found in planned(account):
        plan = found.plan or {}
        block = plan["serviceDefinition"].get(ecs_names.CONNECT) or {}
        if not block.get("enabled"):
            continue
        service, cluster = plan["serviceName"], plan["cluster"]
        wanted = block.get("namespace") or _default(account, cluster, defaults)
        if not wanted:
            result.fail(
                f"{service}: its Service Connect block names no namespace, and cluster "
                f"{cluster} has no default one",
                f"name one in serviceConnectConfiguration.namespace, or set the cluster's: aws "
                f"ecs update-cluster --cluster {cluster} --service-connect-defaults "
                "namespace=NAME",
            )
            continue
        using.append((service, str(wanted), "its own" if block.get("namespace") else cluster))
    known = _namespaces(account) if using else set()
    for service, wanted, whose in using:
        if wanted in known:
            continue
        given = "its block's" if whose == "its own" else f"cluster {whose}'s default"
        result.fail(
            f"{service}: Cloud Map namespace {wanted} ({given}) does not exist in "
            f"{account.region}; ECS would refuse the service (NamespaceNotFoundException)",
            f"create it (aws servicediscovery create-http-namespace --name {wanted}), or name "
            "an existing one",
        )
    result.summary = f"{len(using)} bundle(s) use Service Connect: " + (
        ", ".join(sorted({w for _, w, _ in using})) or "none"
    )
