"""Part ``ensure_dns`` of state ``ensure_lattice``: the bundle's Route 53 record, a CNAME from the
service's custom domain to its generated name (``dnsEntry.domainName``; User Guide, "Configure a
custom domain name"). One already pointing there is adopted unchanged; none → made (UPSERT, so a
retried invocation makes nothing twice). One pointing elsewhere was refused before any change
(:func:`.custom_domain.check_dns`); the rollback removes only a record the run made."""

from __future__ import annotations

from typing import Any

from ..core import aws
from ..core.step import record
from . import custom_domain
from . import find_or_create as lattice


def ensure(event: dict[str, Any]) -> dict[str, Any] | None:
    plan, resources = event["plan"], event["resources"]
    dns = plan["lattice"].get("dns")
    if not dns:
        return None
    service = lattice.client(plan).get_service(serviceIdentifier=resources["latticeService"]["id"])
    target = service["dnsEntry"]["domainName"]
    fields = {"name": dns["name"], "id": dns["hostedZoneId"], "target": target}
    if custom_domain.points_to(custom_domain.record_of(plan), target):
        return record("unchanged", **fields)
    aws.client("route53").change_resource_record_sets(
        HostedZoneId=dns["hostedZoneId"],
        ChangeBatch=custom_domain.record_change("UPSERT", dns["name"], target),
    )
    return record("created", **fields)
