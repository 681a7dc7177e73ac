"""Do the tasks' security groups let VPC Lattice in? A warning when they do not.

Why: VPC Lattice sends health checks and client traffic to the tasks from its managed prefix
list ``com.amazonaws.<region>.vpc-lattice``; security groups that do not admit it on the task's
port drop both, so every target turns UNHEALTHY on AWS (VPC Lattice User Guide, "Control traffic
to resources using security groups"). A warning rather than a refusal: a rule by CIDR may admit
the same addresses, which this check cannot see.
"""

from __future__ import annotations

from typing import Any


def _admits(group: dict[str, Any], prefix_list: str, port: int) -> bool:
    for rule in group.get("IpPermissions") or []:
        if prefix_list not in {p.get("PrefixListId") for p in rule.get("PrefixListIds") or []}:
            continue
        if rule.get("IpProtocol") == "-1":
            return True
        if int(rule.get("FromPort", 0)) <= port <= int(rule.get("ToPort", 65535)):
            return True
    return False


def warnings(ec2: Any, groups: list[dict[str, Any]], ports: set[int]) -> list[str]:
    """One line per port no group admits Lattice on (nothing when the list is unknown)."""
    region = ec2.meta.region_name
    name = f"com.amazonaws.{region}.vpc-lattice"
    found = ec2.describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [name]}]
    )["PrefixLists"]
    if not found or not groups:
        return []
    prefix_list = found[0]["PrefixListId"]
    ids = ", ".join(g["GroupId"] for g in groups)
    return [
        f"ecs-service-def.json: networkConfiguration.awsvpcConfiguration.securityGroups: none "
        f"of {ids} admits VPC Lattice ({name}, {prefix_list}) on port {port}, so its health "
        f"checks and traffic would be dropped on AWS; add an inbound rule from that prefix list"
        for port in sorted(ports)
        if not any(_admits(g, prefix_list, port) for g in groups)
    ]
