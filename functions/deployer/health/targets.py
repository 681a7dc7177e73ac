"""A target group's targets: reading their health, and (``registration: direct``) keeping them
equal to the service's running task IPs, which both the deployment and its rollback do."""

from __future__ import annotations

from typing import Any

from ..ecs import api as ecs
from ..lattice import find_or_create as lattice


def statuses(plan: dict[str, Any], group_arn: str) -> dict[str, dict[str, Any]]:
    """``{ip: {id, port, status, reasonCode?}}`` of every target in the group."""
    api = lattice.client(plan)
    return {
        item["id"]: dict(item)
        for page in api.get_paginator("list_targets").paginate(targetGroupIdentifier=group_arn)
        for item in page["items"]
    }


def sync(plan: dict[str, Any], group_arn: str) -> tuple[list[str], list[str]]:
    """Register the service's RUNNING task IPs, deregister the others; ``(added, removed)``."""
    port = plan["lattice"]["containerPort"]
    running = {ip for ip, status in ecs.task_ips(plan).items() if status == "RUNNING"}
    current = {ip for ip, t in statuses(plan, group_arn).items() if t["status"] != "DRAINING"}
    api = lattice.client(plan)
    add, remove = sorted(running - current), sorted(current - running)
    for start in range(0, len(add), 100):
        batch = [{"id": ip, "port": port} for ip in add[start : start + 100]]
        api.register_targets(targetGroupIdentifier=group_arn, targets=batch)
    for start in range(0, len(remove), 100):
        batch = [{"id": ip, "port": port} for ip in remove[start : start + 100]]
        api.deregister_targets(targetGroupIdentifier=group_arn, targets=batch)
    return add, remove
