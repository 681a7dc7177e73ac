"""Where a rollback that has not finished is remembered, so that a later run of the service
finishes it: ``s3://<bucket>/leftovers/<service>/<deploymentId>.json``.

Why written first: the rollback's first pass writes the record before it changes anything, and
the pass that ends DONE deletes it. So a rollback whose Lambda kept dying, a denied delete, or a
stopped cleanup all leave the record behind, and ``finish_leftovers`` (the next run's first step
after its turn) runs the same rollback on it. The record is the failed run's state document
(plan with its baseline, resources, the rollback's ledger): what the rollback needs to find
again everything the run made, by its deployment-id tag.
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any

from botocore.exceptions import ClientError

from ..core import aws

PREFIX = "leftovers"
KEPT = ("deploymentId", "plan", "resources", "rollback")


def _bucket() -> str | None:
    return os.environ.get("REPORT_BUCKET") or None


def key(service: str, deployment_id: str) -> str:
    return f"{PREFIX}/{service}/{deployment_id}.json"


def save(state: dict[str, Any]) -> str | None:
    """Remember ``state``'s unfinished rollback; the error said as text if it cannot (the
    rollback goes on: the record is what lets a later run help, not a condition of undoing)."""
    bucket, plan = _bucket(), state.get("plan") or {}
    if not bucket or not plan.get("serviceName"):
        return None
    body = {k: state[k] for k in KEPT if k in state} | {"deploymentId": plan["deploymentId"]}
    try:
        aws.client("s3").put_object(
            Bucket=bucket,
            Key=key(plan["serviceName"], plan["deploymentId"]),
            Body=json.dumps(body, default=str).encode(),
        )
    except ClientError as exc:
        return f"{exc.response['Error']['Code']}: {exc.response['Error']['Message']}"
    return None


def drop(service: str, deployment_id: str) -> None:
    """Forget a record whose rollback is done (idempotent; one that stays is harmless: the next
    run's pass over it finds nothing and drops it)."""
    if bucket := _bucket():
        with contextlib.suppress(ClientError):
            aws.client("s3").delete_object(Bucket=bucket, Key=key(service, deployment_id))


def any_for(service: str) -> bool:
    """Whether an earlier run of ``service`` left a rollback to finish: one read of at most one
    key, so a run with none goes straight to ``load_bundle`` (two state transitions fewer)."""
    bucket = _bucket()
    if not bucket:
        return False
    found = aws.client("s3").list_objects_v2(
        Bucket=bucket, Prefix=f"{PREFIX}/{service}/", MaxKeys=1
    )
    return bool(found.get("KeyCount"))


def pending(service: str) -> list[dict[str, Any]]:
    """The unfinished rollbacks of ``service``'s earlier runs, oldest first."""
    bucket = _bucket()
    if not bucket:
        return []
    s3 = aws.client("s3")
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=f"{PREFIX}/{service}/"
    )
    found = sorted(
        (o for page in pages for o in page.get("Contents") or []), key=lambda o: o["LastModified"]
    )
    return [json.loads(s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()) for o in found]
