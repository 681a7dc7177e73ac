"""Rollback of the service's own domain: the Route 53 record is removed if the run made it (none
was there when ``load_bundle`` looked: :func:`before`), never when it was adopted; a certificate
the run put on an existing service is put back (UpdateService)."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from ..core import aws
from ..lattice import custom_domain
from ..lattice import find_or_create as lattice
from .undo import GONE, Ledger


def before(plan: dict[str, Any], service: dict[str, Any] | None) -> dict[str, Any]:
    """``{record?, certificateArn?}`` as they are before the run."""
    found: dict[str, Any] = {}
    if plan["lattice"].get("dns"):
        found["record"] = custom_domain.record_of(plan)
    if service and plan["lattice"]["service"].get("certificateArn"):
        got = lattice.client(plan).get_service(serviceIdentifier=service["id"])
        found["certificateArn"] = got.get("certificateArn") or None
    return found


def undo(
    plan: dict[str, Any], baseline: dict[str, Any], service_id: str | None, ledger: Ledger
) -> None:
    was = baseline.get("domain") or {}
    dns = plan["lattice"].get("dns")
    if dns and "record" in was and was["record"] is None:
        record = custom_domain.record_of(plan)
        if record and record["Type"] == "CNAME":  # made by this run: the name had none
            batch = {"Changes": [{"Action": "DELETE", "ResourceRecordSet": record}]}
            command = (
                f"aws route53 change-resource-record-sets --hosted-zone-id "
                f"{dns['hostedZoneId']} --change-batch '{json.dumps(batch)}'"
            )
            call = partial(
                aws.client("route53").change_resource_record_sets,
                HostedZoneId=dns["hostedZoneId"],
                ChangeBatch=batch,
            )
            ledger.remove("dnsRecord", dns["name"], call, command)
    certificate = was.get("certificateArn")
    if service_id and certificate:
        api = lattice.client(plan)
        try:
            now = api.get_service(serviceIdentifier=service_id).get("certificateArn")
        except ClientError as exc:
            if exc.response["Error"]["Code"] in GONE:
                return  # the service went: nothing to put back
            raise
        if now != certificate:
            command = (
                f"aws vpc-lattice update-service --service-identifier {service_id} "
                f"--certificate-arn {certificate}"
            )
            call = partial(
                api.update_service, serviceIdentifier=service_id, certificateArn=certificate
            )
            if ledger.attempt("latticeService", service_id, call, command):
                ledger.restore("latticeService", service_id, certificateArn=certificate)
