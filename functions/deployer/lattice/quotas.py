"""The VPC Lattice quotas a deploy could exceed, checked against the account before any change.

Why before: a create refused for a quota (ServiceQuotaExceededException) comes mid-run, after the
other Lattice resources were made, and is rolled back; the account's count is known up front. The
quota (VPC Lattice User Guide, "Quotas for Amazon VPC Lattice"): "Target groups per Region | Each
supported Region: 500 | Yes | The maximum number of target groups per Region." A rolling deploy
makes one group; a progressive strategy two (the production group and the alternate one).

The quota's value is the account's applied one (Service Quotas, GetServiceQuota of
``vpc-lattice`` ``L-BB11C6B9``; where the account has none applied, Service Quotas answers
NoSuchResourceException and the documented default holds): a fleet of more than 500 services
has had it raised, and a check against the default would refuse its 501st service. Where
Service Quotas cannot be asked (its API refused), the documented default is used, and the
refusal says so.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..core import aws
from ..core.errors import BundleInvalid
from . import find_or_create as lattice
from . import known as known_names

TARGET_GROUPS_PER_REGION = 500
"""The default quota (adjustable), used when Service Quotas cannot be read."""
QUOTA_CODE = "L-BB11C6B9"
"""AWS General Reference, "Amazon VPC Lattice endpoints and quotas": Target groups per Region."""


def target_group_quota(plan: dict[str, Any]) -> tuple[int, str]:
    """The account's quota of target groups per Region, and where it was read."""
    quotas = aws.client("service-quotas", plan.get("region") or None)
    asked = {"ServiceCode": "vpc-lattice", "QuotaCode": QUOTA_CODE}
    try:
        found = quotas.get_service_quota(**asked)
    except ClientError as exc:  # NoSuchResourceException: none applied, the default holds
        code = exc.response["Error"]["Code"]
        return TARGET_GROUPS_PER_REGION, f"the documented default (Service Quotas: {code})"
    return int(found["Quota"]["Value"]), "the account's (Service Quotas)"


def new_target_groups(plan: dict[str, Any], existing: set[str]) -> list[str]:
    """The names of the groups this deploy would create: neither given by ARN nor found by
    name among ``existing``."""
    wanted = [plan["lattice"]["targetGroup"]]
    if progressive := plan["lattice"].get("progressive"):
        wanted.append(progressive["alternateGroup"])
    return [g["name"] for g in wanted if "arn" not in g and g.get("name") not in existing]


def _remember_found(plan: dict[str, Any], names: list[str], items: list[dict[str, Any]]) -> None:
    """What :func:`.find_or_create.find_named` would find for each name, from the listing of
    every group: the first in the service's VPC not being deleted (:func:`.known.remember`)."""
    vpc = plan["lattice"]["vpcId"]
    for name in names:

        def named(item: dict[str, Any], name: str = name) -> bool:
            return bool(item["name"] == name and item.get("vpcIdentifier") == vpc)

        known_names.remember("target_group", name, lattice.first(items, named))


def check_target_groups(plan: dict[str, Any]) -> None:
    """Refuse a deploy whose new target groups would pass the Region's quota, saying how many
    the account has (counted through every page of ListTargetGroups, all VPCs). A deploy whose
    groups are all the ones its ECS service is wired to (a redeploy: :mod:`.known`) makes none,
    and lists nothing: a fleet's redeploys do not each read every group of the Region."""
    known = (plan["lattice"].get("known") or {}).get("target_group") or {}
    wanted = new_target_groups(plan, set())
    if all(name in known for name in wanted):
        return
    pages = (
        lattice.client(plan)
        .get_paginator("list_target_groups")
        .paginate(PaginationConfig=lattice.FULL_PAGES)
    )
    items = [dict(item) for page in pages for item in page["items"]]
    _remember_found(plan, wanted, items)
    existing = [item["name"] for item in items]
    new = new_target_groups(plan, set(existing))
    if not new:
        return
    limit, source = target_group_quota(plan)
    if len(existing) + len(new) <= limit:
        return
    region = plan["region"] or "this Region"
    raise BundleInvalid(
        f"ecs-service-def.json: vpcLatticeConfiguration: this deploy creates {len(new)} VPC "
        f"Lattice target group(s) ({', '.join(new)}), and the account has {len(existing)} in "
        f"{region}; the quota is {limit} target groups per Region ({source}; VPC "
        'Lattice User Guide, "Quotas for Amazon VPC Lattice"). Delete unused target groups '
        "(aws vpc-lattice list-target-groups; delete-target-group), adopt an existing group "
        "(vpcLatticeConfiguration.targetGroup: its ARN), or ask for a higher quota (Service "
        "Quotas, VPC Lattice, Target groups per Region)"
    )
