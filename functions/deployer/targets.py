"""Reading a target group's targets (shared by the health check and direct registration)."""

from __future__ import annotations

from typing import Any

from . import lattice


def statuses(plan: dict[str, Any], group_arn: str) -> dict[str, dict[str, Any]]:
    """``{ip: {id, port, status, reasonCode?}}`` of every target in the group."""
    api = lattice.client(plan)
    return {
        item["id"]: dict(item)
        for page in api.get_paginator("list_targets").paginate(targetGroupIdentifier=group_arn)
        for item in page["items"]
    }
