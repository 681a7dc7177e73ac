"""Trigger (not a state): an upload of ``definitions/<service>/ecs-service-def.json`` to the
bundle bucket starts one deployment of that service.

The event is S3's ``Object Created`` through EventBridge (chosen over S3 notifications: rules
filter on the key, several targets can listen, and the same bus carries ECR's push events). The
bundle is pinned by object version, so a later upload cannot change a running deployment's
input. Each upload takes a ticket in the service's order (:mod:`deployer.ordering`, by S3's
sequencer, so events arriving out of order cannot let an older upload win); the execution is
named by ticket and content, so a duplicate delivery (EventBridge is at-least-once) or an
identical re-upload starts nothing new.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any

from botocore.exceptions import ClientError

from . import aws, bundle, ordering
from .step import logger

SERVICE_KEY = re.compile(
    r"definitions/(?P<service>[A-Za-z0-9_-]{1,255})/" + re.escape(bundle.SERVICE_FILE)
)


def _versions(bucket: str, prefix: str, pinned: dict[str, str]) -> dict[str, tuple[str, str]]:
    """``{file: (version id, content digest)}`` of the bundle's files present now; empty when
    the CLI uploaded the service definition (it starts its own execution)."""
    s3, found = aws.client("s3"), {}
    for name in (bundle.CONFIG_FILE, bundle.TASK_FILE, bundle.SERVICE_FILE):
        request: dict[str, Any] = {"Bucket": bucket, "Key": prefix + name}
        if name in pinned:
            request["VersionId"] = pinned[name]
        try:
            body = s3.get_object(**request)
        except ClientError as exc:
            if (
                exc.response["Error"]["Code"] in ("NoSuchKey", "404")
                and name != bundle.SERVICE_FILE
            ):
                continue
            raise
        if name == bundle.SERVICE_FILE and bundle.STARTED_BY in (body.get("Metadata") or {}):
            return {}
        digest = hashlib.sha256(body["Body"].read()).hexdigest()
        found[name] = (str(body.get("VersionId") or "null"), digest)
    return found


def start(
    service: str, prefix: str, bucket: str, files: dict[str, tuple[str, str]], **extra: Any
) -> dict[str, Any]:
    """Ask for a deployment of ``service`` and start its execution, named by its ticket and
    content, so a repeated request (duplicate delivery, identical content) starts nothing new.

    ``extra``: ``by`` (who asks, for the report of a superseded run), ``sequencer`` (an S3
    upload's, to order uploads) and ``overrides`` (what the execution input adds, e.g. images).
    """
    overrides = extra.get("overrides") or {}
    content = sorted((n, d) for n, (_, d) in files.items())
    digest = hashlib.sha256(json.dumps([content, overrides], sort_keys=True).encode()).hexdigest()
    ticket, stale = ordering.request(service, digest, extra["by"], extra.get("sequencer"))
    if not ticket:
        logger.info("stale request: nothing started", extra={"service": service, "why": stale})
        return {"started": False, "reason": stale}
    name = f"{service[:50]}-{ticket}-{digest[:16]}"
    payload = {
        "deploymentId": name,
        "request": {"ticket": ticket, "by": extra["by"]},
        "bundle": {
            "bucket": bucket,
            "prefix": prefix,
            "versions": {n: v for n, (v, _) in files.items()},
        },
        **overrides,
    }
    try:
        started = aws.client("stepfunctions").start_execution(
            stateMachineArn=os.environ["STATE_MACHINE_ARN"], name=name, input=json.dumps(payload)
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise
        logger.info("duplicate request: nothing started", extra={"execution": name})
        return {"started": False, "reason": f"execution {name} exists: same request, same content"}
    return {"started": True, "executionArn": started["executionArn"], "deploymentId": name}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    detail = event.get("detail") or {}
    bucket, key = detail.get("bucket", {}).get("name"), detail.get("object", {}).get("key", "")
    match = SERVICE_KEY.fullmatch(key)
    if not bucket or not match:
        return {
            "started": False,
            "reason": f"{key!r} is not definitions/<service>/{bundle.SERVICE_FILE}",
        }
    service, prefix = match["service"], f"definitions/{match['service']}/"
    version = detail["object"].get("version-id")
    files = _versions(bucket, prefix, {bundle.SERVICE_FILE: version} if version else {})
    if not files:
        return {"started": False, "reason": "uploaded by lattice-deploy deploy, which starts it"}
    by = f"upload of s3://{bucket}/{key} version {version or 'null'}"
    return start(service, prefix, bucket, files, by=by, sequencer=detail["object"].get("sequencer"))
