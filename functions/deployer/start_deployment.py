"""Trigger (not a state): an upload of ``definitions/<service>/ecs-service-def.json`` to the
bundle bucket starts one deployment of that service.

The event is S3's ``Object Created`` through EventBridge (chosen over S3 notifications: rules
filter on the key, several targets can listen, and the same bus carries ECR's push events). The
bundle is pinned by object version, so a later upload cannot change a running deployment's
input; the execution is named by the bundle's content digest, so a duplicate delivery
(EventBridge is at-least-once) or an identical re-upload starts nothing new.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any

from botocore.exceptions import ClientError

from . import aws, bundle
from .step import logger

STARTED_BY = "lattice-deploy-started-by"
"""Object metadata of a bundle the CLI uploaded: the CLI starts that deployment itself."""
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
        if name == bundle.SERVICE_FILE and STARTED_BY in (body.get("Metadata") or {}):
            return {}
        digest = hashlib.sha256(body["Body"].read()).hexdigest()
        found[name] = (str(body.get("VersionId") or "null"), digest)
    return found


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
    pinned = (
        {bundle.SERVICE_FILE: detail["object"]["version-id"]}
        if detail["object"].get("version-id")
        else {}
    )
    files = _versions(bucket, prefix, pinned)
    if not files:
        return {"started": False, "reason": "uploaded by lattice-deploy deploy, which starts it"}
    digest = hashlib.sha256(
        json.dumps(sorted((n, d) for n, (_, d) in files.items())).encode()
    ).hexdigest()
    name = f"{service[:60]}-{digest[:16]}"
    payload = {
        "deploymentId": name,
        "bundle": {
            "bucket": bucket,
            "prefix": prefix,
            "versions": {n: v for n, (v, _) in files.items()},
        },
    }
    try:
        started = aws.client("stepfunctions").start_execution(
            stateMachineArn=os.environ["STATE_MACHINE_ARN"], name=name, input=json.dumps(payload)
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise
        logger.info("duplicate upload or delivery: nothing started", extra={"execution": name})
        return {"started": False, "reason": f"execution {name} exists: same bundle content"}
    return {"started": True, "executionArn": started["executionArn"], "deploymentId": name}
