"""Check 6, the bundles' network: their subnets and security groups exist, in one VPC, and the
groups let VPC Lattice in.

VPC Lattice sends health checks and client traffic to the tasks from its managed prefix list
``com.amazonaws.<region>.vpc-lattice`` (EC2 DescribeManagedPrefixLists); security groups that do
not admit it on the container's port (and the health check's, when it has its own) drop both,
and every target turns UNHEALTHY (VPC Lattice User Guide, "Control traffic to resources using
security groups"). A rule admits them when it names the prefix list, or a CIDR that holds every
range the list has (GetManagedPrefixListEntries: 169.254.171.0/24 for IPv4), on the port, TCP
or all protocols.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from botocore.exceptions import ClientError

from . import Check
from .account import Account
from .bundles import planned


def _from_lattice(rule: dict[str, Any], prefix_list: str, ranges: list[str]) -> bool:
    if prefix_list in {p.get("PrefixListId") for p in rule.get("PrefixListIds") or []}:
        return True
    cidrs = [ipaddress.ip_network(r["CidrIp"]) for r in rule.get("IpRanges") or []]
    wanted = [ipaddress.ip_network(r) for r in ranges if ":" not in r]
    return bool(wanted) and all(
        any(w.version == c.version and w.subnet_of(c) for c in cidrs)  # type: ignore[arg-type]
        for w in wanted
    )


def _admits(group: dict[str, Any], prefix_list: str, ranges: list[str], port: int) -> bool:
    for rule in group.get("IpPermissions") or []:
        if not _from_lattice(rule, prefix_list, ranges):
            continue
        if rule.get("IpProtocol") == "-1":
            return True
        if rule.get("IpProtocol") == "tcp" and int(rule.get("FromPort", 0)) <= port <= int(
            rule.get("ToPort", 65535)
        ):
            return True
    return False


def _ports(plan: dict[str, Any]) -> set[int]:
    group = plan["lattice"]["targetGroup"]
    check = group.get("healthCheck") or {}
    return {int(plan["lattice"]["containerPort"]), int(check.get("port") or 0)} - {0}


def _stand_in(value: str) -> bool:
    """A value only the account's Parameter Store knows (rendered as a stand-in here)."""
    return value.startswith("<")


def _described(ec2: Any, what: str, ids: list[str]) -> tuple[list[Any], str]:
    """The subnets or security groups by id, and (when some do not exist) EC2's message."""
    if not ids:
        return [], ""
    operation, key, given = {
        "subnets": ("describe_subnets", "Subnets", "SubnetIds"),
        "groups": ("describe_security_groups", "SecurityGroups", "GroupIds"),
    }[what]
    try:
        return list(getattr(ec2, operation)(**{given: ids})[key]), ""
    except ClientError as exc:
        return [], str(exc.response["Error"]["Message"])


def check(account: Account, result: Check) -> None:
    ec2 = account.client("ec2")
    name = f"com.amazonaws.{account.region}.vpc-lattice"
    lists = ec2.describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [name]}]
    )["PrefixLists"]
    prefix_list = lists[0]["PrefixListId"] if lists else None
    ranges = (
        [
            e["Cidr"]
            for e in ec2.get_managed_prefix_list_entries(PrefixListId=prefix_list)["Entries"]
        ]
        if prefix_list
        else []
    )
    if prefix_list is None:
        result.warn(
            f"no managed prefix list {name} in {account.region}: is VPC Lattice offered here?",
            "deploy to a Region VPC Lattice supports (AWS General Reference, VPC Lattice "
            "endpoints)",
        )
    checked = 0
    for found in planned(account):
        plan = found.plan or {}
        network = plan["serviceDefinition"].get("networkConfiguration") or {}
        awsvpc = network.get("awsvpcConfiguration") or {}
        subnets = [s for s in awsvpc.get("subnets") or [] if not _stand_in(str(s))]
        groups = [g for g in awsvpc.get("securityGroups") or [] if not _stand_in(str(g))]
        service = plan["serviceName"]
        described, problem = _described(ec2, "subnets", subnets)
        if problem:
            result.fail(
                f"{service}: subnets {', '.join(subnets)}: {problem}",
                f"name subnets that exist in {account.region} (aws ec2 describe-subnets)",
            )
        vpcs = {s["VpcId"] for s in described}
        if len(vpcs) > 1:
            result.fail(
                f"{service}: subnets span VPCs {', '.join(sorted(vpcs))}",
                "use the subnets of one VPC",
            )
        security, problem = _described(ec2, "groups", groups)
        if problem:
            result.fail(
                f"{service}: security groups {', '.join(groups)}: {problem}",
                "name groups that exist (aws ec2 describe-security-groups)",
            )
        for group in security:
            if vpcs and group["VpcId"] not in vpcs:
                result.fail(
                    f"{service}: security group {group['GroupId']} is in {group['VpcId']}, "
                    f"its subnets in {', '.join(sorted(vpcs))}",
                    f"use groups of {', '.join(sorted(vpcs))}",
                )
        if prefix_list and security:
            for port in sorted(_ports(plan)):
                if any(_admits(g, prefix_list, ranges, port) for g in security):
                    continue
                ids = ", ".join(g["GroupId"] for g in security)
                result.fail(
                    f"{service}: none of its security groups ({ids}) admits VPC Lattice "
                    f"({name}, {prefix_list}) on tcp {port}: its targets would never be HEALTHY",
                    f"aws ec2 authorize-security-group-ingress --group-id "
                    f"{security[0]['GroupId']} --ip-permissions 'IpProtocol=tcp,FromPort={port},"
                    f"ToPort={port},PrefixListIds=[{{PrefixListId={prefix_list}}}]'",
                )
        checked += 1
    result.summary = f"{checked} bundle(s): subnets, security groups and {name}" + (
        f" ({prefix_list})" if prefix_list else " (absent)"
    )
