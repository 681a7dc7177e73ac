"""The VPC Lattice quotas a deploy could exceed, checked against the account before any change.

Why before: a create refused for a quota (ServiceQuotaExceededException) comes mid-run, after the
other Lattice resources were made, and is rolled back; the account's count is known up front. The
quota (VPC Lattice User Guide, "Quotas for Amazon VPC Lattice"): "Target groups per Region | Each
supported Region: 500 | Yes | The maximum number of target groups per Region." A rolling deploy
makes one group; a progressive strategy two (the production group and the alternate one).
"""

from __future__ import annotations

from typing import Any

from ..core.errors import BundleInvalid
from . import find_or_create as lattice

TARGET_GROUPS_PER_REGION = 500
"""The default quota (adjustable: a raised one is not read here; see the module doc)."""


def new_target_groups(plan: dict[str, Any], existing: set[str]) -> list[str]:
    """The names of the groups this deploy would create: neither given by ARN nor found by
    name among ``existing``."""
    wanted = [plan["lattice"]["targetGroup"]]
    if progressive := plan["lattice"].get("progressive"):
        wanted.append(progressive["alternateGroup"])
    return [g["name"] for g in wanted if "arn" not in g and g.get("name") not in existing]


def check_target_groups(plan: dict[str, Any]) -> None:
    """Refuse a deploy whose new target groups would pass the Region's quota, saying how many
    the account has (counted through every page of ListTargetGroups, all VPCs)."""
    pages = lattice.client(plan).get_paginator("list_target_groups").paginate()
    existing = [item["name"] for page in pages for item in page["items"]]
    new = new_target_groups(plan, set(existing))
    if len(existing) + len(new) <= TARGET_GROUPS_PER_REGION:
        return
    region = plan["region"] or "this Region"
    raise BundleInvalid(
        f"ecs-service-def.json: vpcLatticeConfiguration: this deploy creates {len(new)} VPC "
        f"Lattice target group(s) ({', '.join(new)}), and the account has {len(existing)} in "
        f"{region}; the quota is {TARGET_GROUPS_PER_REGION} target groups per Region (VPC "
        'Lattice User Guide, "Quotas for Amazon VPC Lattice"). Delete unused target groups '
        "(aws vpc-lattice list-target-groups; delete-target-group), adopt an existing group "
        "(vpcLatticeConfiguration.targetGroup: its ARN), or ask for a higher quota (Service "
        "Quotas, VPC Lattice, Target groups per Region)"
    )
