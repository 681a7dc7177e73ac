"""Part ``ensure_access_logs`` of state ``ensure_lattice``: the Lattice service's access log
subscription, when the bundle asks for one (``vpcLatticeConfiguration.accessLogs``: an S3,
CloudWatch Logs or Firehose ARN)."""

from __future__ import annotations

from typing import Any

from ..core.step import record
from . import find_or_create as lattice


def ensure(event: dict[str, Any]) -> dict[str, Any]:
    plan, service = event["plan"], event["resources"]["latticeService"]
    destination = plan["lattice"].get("accessLogs")
    if not destination:
        return record("skipped")
    api = lattice.client(plan)
    found = lattice.find(
        api,
        "list_access_log_subscriptions",
        lambda i: i["destinationArn"] == destination,
        resourceIdentifier=service["id"],
    )
    if found:
        return lattice.summary("unchanged", found)
    created = api.create_access_log_subscription(
        resourceIdentifier=service["id"],
        destinationArn=destination,
        clientToken=lattice.token(plan, "als"),
        tags=plan["tags"],
    )
    return lattice.summary("created", created)
