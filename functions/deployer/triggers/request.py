"""What both triggers share: a bundle's objects as they are in the bucket, and the request that
turns them into one deployment execution of the deploy state machine.

A request is numbered in the service's order (:mod:`deployer.core.ordering`) and its execution named
by ticket and content, so a repeated request (EventBridge delivers at least once; an identical
upload) yields the same name, and Step Functions starts nothing new for it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ..bundle import ecspresso_yaml, render
from ..bundle import normalize as bundle
from ..core import aws, ordering
from ..core.errors import BundleInvalid
from ..core.step import logger


@dataclass
class BundleObject:
    version: str
    digest: str
    text: str
    metadata: dict[str, str]


def file_names(files: dict[str, BundleObject]) -> tuple[str, str]:
    """The service and task definition file names the bundle's config gives (or the defaults,
    also when it does not parse, or is Jsonnet not yet evaluated, or is one of two:
    ``load_bundle`` reports those)."""
    configs = {n: files[n].text for n in ecspresso_yaml.NAMES if n in files}
    try:
        return bundle.file_names(bundle.config_of(configs))
    except BundleInvalid:
        return bundle.SERVICE_FILE, bundle.TASK_FILE


def version_as_of(bucket: str, key: str, moment: datetime) -> str | None:
    """The version of ``key`` that was the newest at ``moment`` ("" when none existed then;
    None when the bucket keeps no versions). Why: a bundle's files are uploaded one by one, and
    the run an upload of the service definition starts must read the other files as they were
    then, not as a later upload left them. S3 orders versions of one key newest first
    (ListObjectVersions); ``LastModified`` has a second's precision on S3, so a file uploaded
    in the same second as the service definition counts as uploaded with it."""
    pages = (
        aws.client("s3").get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key)
    )
    seen = False
    for page in pages:
        for version in page.get("Versions") or []:
            if version["Key"] != key or version.get("VersionId") in (None, "null"):
                continue
            seen = True
            if version["LastModified"].replace(microsecond=0) <= moment.replace(microsecond=0):
                return str(version["VersionId"])
    return "" if seen else None


def read_objects(
    bucket: str, prefix: str, pinned: dict[str, str], as_of: datetime | None = None
) -> dict[str, BundleObject]:
    """The bundle's files under ``prefix``: ``pinned`` versions where given, else the newest
    (with ``as_of``: the newest at that moment, :func:`version_as_of`).

    The config (any of ecspresso's names) is read first, since it may name the two definition
    files; ``env.json`` (what the templates read) with them. A missing file is left out
    (``load_bundle`` reports a missing definition); a missing pinned version raises.
    """
    s3, found = aws.client("s3"), dict[str, BundleObject]()
    names = list(ecspresso_yaml.NAMES)
    while names:
        name = names.pop(0)
        request: dict[str, Any] = {"Bucket": bucket, "Key": prefix + name}
        if name in pinned:
            request["VersionId"] = pinned[name]
        elif (
            as_of is not None and (then := version_as_of(bucket, prefix + name, as_of)) is not None
        ):
            if not then:  # uploaded only after: not part of this bundle
                if name == ecspresso_yaml.NAMES[-1]:
                    names = [*file_names(found), render.ENV_FILE]
                continue
            request["VersionId"] = then
        try:
            body = s3.get_object(**request)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in ("NoSuchKey", "404") or name in pinned:
                raise
        else:
            raw = body["Body"].read(bundle.MAX_FILE_BYTES + 1)  # load_bundle refuses more
            found[name] = BundleObject(
                str(body.get("VersionId") or "null"),
                hashlib.sha256(raw).hexdigest(),
                raw.decode("utf-8", errors="replace"),
                dict(body.get("Metadata") or {}),
            )
        if name == ecspresso_yaml.NAMES[-1]:  # every config name looked for: the rest
            names = [*file_names(found), render.ENV_FILE]
    return found


def request(
    service: str, bucket: str, files: dict[str, BundleObject], **extra: Any
) -> tuple[str, dict[str, Any]] | str:
    """``(execution name, input)`` of a deployment of ``files``, or why none is due.

    ``extra``: ``by`` (who asks, for the report of a superseded run), ``sequencer`` (an S3
    upload's, to order uploads), ``pushed`` (an ECR push's image and time, to order pushes) and
    ``overrides`` (what the execution input adds, e.g. images).
    """
    overrides = extra.get("overrides") or {}
    content = sorted((n, f.digest) for n, f in files.items())
    digest = hashlib.sha256(json.dumps([content, overrides], sort_keys=True).encode()).hexdigest()
    ticket, stale = ordering.request(
        service, digest, extra["by"], extra.get("sequencer"), extra.get("pushed")
    )
    if not ticket:
        logger.info("stale request: nothing started", extra={"service": service, "why": stale})
        return stale
    name = f"{service[:50]}-{ticket}-{digest[:16]}"
    return name, {
        "deploymentId": name,
        "request": {"ticket": ticket, "by": extra["by"]},
        "bundle": {
            "bucket": bucket,
            "prefix": f"definitions/{service}/",
            "versions": {n: f.version for n, f in files.items()},
        },
        **overrides,
    }


def start(state_machine_arn: str, name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Start the execution ``name`` unless it exists (then this request was made before)."""
    try:
        started = aws.client("stepfunctions").start_execution(
            stateMachineArn=state_machine_arn, name=name, input=json.dumps(payload)
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise
        logger.info("duplicate request: nothing started", extra={"execution": name})
        return {"started": False, "reason": f"execution {name} exists: same request, same content"}
    return {"started": True, "executionArn": started["executionArn"], "name": name}
