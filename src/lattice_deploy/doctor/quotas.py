"""Check 5, the quotas: what the account uses, plus what the bundles would create, fits.

Each quota's value is the account's applied one (Service Quotas GetServiceQuota; the AWS default,
GetAWSDefaultServiceQuota, where no applied value is kept). Usage is counted from the resources
(ListTargetGroups, ListServices, ListServiceNetworks, ECS ListServices per cluster). What a
bundle would create is what the workflow would: its Lattice service, target group (and the
alternate one of a progressive strategy) and service network unless given by ARN or found by
name, and its ECS service unless the cluster has it; its tasks are targets of one group
(``desiredCount`` times ``maximumPercent`` while a rolling update runs both revisions).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from botocore.exceptions import ClientError

from . import Check
from .account import Account
from .bundles import Bundle, cached

LATTICE = {
    "targetGroups": ("L-BB11C6B9", "Target groups per region"),
    "services": ("L-620C821E", "Services per region"),
    "serviceNetworks": ("L-9CAD07FB", "Service networks per region"),
    "targets": ("L-D71303F3", "Targets per target group"),
}
ECS = {
    "services": ("L-9EF96962", "Services per cluster"),
    "tasks": ("L-92E49DE3", "Tasks per service"),
}
"""The codes and names AWS gives (AWS General Reference, "Amazon VPC Lattice endpoints and
quotas", "Amazon ECS endpoints and quotas")."""


def quota(account: Account, service: str, code: str) -> float:
    sq = account.client("service-quotas")
    try:
        return float(sq.get_service_quota(ServiceCode=service, QuotaCode=code)["Quota"]["Value"])
    except sq.exceptions.NoSuchResourceException:
        found = sq.get_aws_default_service_quota(ServiceCode=service, QuotaCode=code)
        return float(found["Quota"]["Value"])


def _names(account: Account, operation: str) -> set[str]:
    pages = account.client("vpc-lattice").get_paginator(operation).paginate()
    return {item["name"] for page in pages for item in page["items"]}


def _wanted(plan: dict[str, Any]) -> dict[str, list[str]]:
    """The Lattice names the plan would find or create (those given by ARN are adopted)."""
    lattice = plan["lattice"]
    groups = [lattice["targetGroup"]]
    if progressive := lattice.get("progressive"):
        groups.append(progressive["alternateGroup"])
    return {
        "targetGroups": [g["name"] for g in groups if "arn" not in g],
        "services": [lattice["service"]["name"]] if "arn" not in lattice["service"] else [],
        "serviceNetworks": [lattice["serviceNetwork"]["name"]]
        if "arn" not in lattice["serviceNetwork"]
        else [],
    }


def _tasks(plan: dict[str, Any]) -> tuple[int, int]:
    """(desired tasks, targets while a rolling update runs both revisions)."""
    definition = plan["serviceDefinition"]
    desired = int(definition.get("desiredCount") or 1)
    percent = int((definition.get("deploymentConfiguration") or {}).get("maximumPercent") or 200)
    return desired, desired * max(percent, 100) // 100


def _over(
    result: Check,
    service: str,
    code: str,
    name: str,
    used: int,
    new: int,
    value: float,
    detail: str,
) -> None:
    if used + new <= value:
        return
    result.fail(
        f"{name}: {used} used + {new} the bundles create ({detail}) > the quota {value:g} "
        f"({service} {code})",
        f"ask for more (aws service-quotas request-service-quota-increase --service-code "
        f"{service} --quota-code {code} --desired-value {used + new}), or delete unused ones",
    )


def _lattice(account: Account, result: Check, plans: list[dict[str, Any]]) -> list[str]:
    said = []
    existing = {
        kind: _names(account, f"list_{snake}")
        for kind, snake in (
            ("targetGroups", "target_groups"),
            ("services", "services"),
            ("serviceNetworks", "service_networks"),
        )
    }
    for kind in ("targetGroups", "services", "serviceNetworks"):
        code, name = LATTICE[kind]
        new = sorted({n for p in plans for n in _wanted(p)[kind]} - existing[kind])
        value = quota(account, "vpc-lattice", code)
        used = len(existing[kind])
        _over(result, "vpc-lattice", code, name, used, len(new), value, ", ".join(new) or "none")
        said.append(f"{name} {used}+{len(new)}/{value:g}")
    code, name = LATTICE["targets"]
    value = quota(account, "vpc-lattice", code)
    for plan in plans:
        _, targets = _tasks(plan)
        _over(
            result,
            "vpc-lattice",
            code,
            name,
            0,
            targets,
            value,
            f"{plan['serviceName']}'s tasks in {plan['lattice']['targetGroup'].get('name')}",
        )
    return said


def _ecs(account: Account, result: Check, plans: list[dict[str, Any]]) -> list[str]:
    said, ecs = [], account.client("ecs")
    by_cluster = Counter(p["cluster"] for p in plans)
    code, name = ECS["services"]
    value = quota(account, "ecs", code) if plans else 0.0
    for cluster in sorted(by_cluster):
        try:
            arns = [
                a
                for page in ecs.get_paginator("list_services").paginate(cluster=cluster)
                for a in page["serviceArns"]
            ]
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ClusterNotFoundException":
                raise
            result.fail(
                f"ECS cluster {cluster} does not exist in {account.region}",
                f"create it (aws ecs create-cluster --cluster-name {cluster}) or fix the "
                "bundle's cluster",
            )
            continue
        names = {a.rsplit("/", 1)[-1] for a in arns}
        new = sorted({p["serviceName"] for p in plans if p["cluster"] == cluster} - names)
        _over(
            result,
            "ecs",
            code,
            f"{name} ({cluster})",
            len(names),
            len(new),
            value,
            ", ".join(new) or "none",
        )
        said.append(f"{name} {cluster} {len(names)}+{len(new)}/{value:g}")
    code, name = ECS["tasks"]
    tasks_quota = quota(account, "ecs", code) if plans else 0.0
    for plan in plans:
        desired, _ = _tasks(plan)
        _over(result, "ecs", code, name, 0, desired, tasks_quota, plan["serviceName"])
    return said


def check(account: Account, result: Check) -> None:
    found: list[Bundle] = cached(account)
    for broken in (b for b in found if b.plan is None):
        result.warn(
            f"bundle {broken.where} cannot be read, so what it would create is not counted: "
            f"{broken.problem}",
            "fix it (lattice-deploy validate DIR says every problem), then upload it again",
        )
    plans = [b.plan for b in found if b.plan is not None]
    said = _lattice(account, result, plans) + _ecs(account, result, plans)
    result.summary = f"{len(plans)} bundle(s): " + ", ".join(said)
