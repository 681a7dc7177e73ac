"""Trigger (not a state): an upload of ``definitions/<service>/ecs-service-def.json`` (or of
``ecs-service-def.jsonnet``, a Jsonnet bundle's) to the bundle bucket starts one deployment of
that service.

The event is S3's ``Object Created`` through EventBridge (chosen over S3 notifications: rules
filter on the key, several targets can listen, and the same bus carries ECR's push events). The
bundle is pinned by object version, so a later upload cannot change a running deployment's
input. Each upload takes a ticket in the service's order (:mod:`deployer.core.ordering`) by S3's
sequencer, so events arriving out of order cannot let an older upload win; the execution is
named by ticket and content, so a duplicate delivery (EventBridge is at-least-once) or an
identical re-upload starts nothing new.
"""

from __future__ import annotations

import os
import re
from typing import Any

from ..bundle import normalize as bundle
from ..core import aws, events, ordering
from . import request as trigger

SERVICE_KEY = re.compile(
    r"definitions/(?P<service>[A-Za-z0-9_-]{1,255})/(?P<file>"
    + re.escape(bundle.SERVICE_FILE)
    + r"(?:net)?)"
)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    detail = events.read(event, events.S3ObjectCreated, "start_deployment").detail
    bucket, key = detail.bucket.name, detail.object.key
    match = SERVICE_KEY.fullmatch(key)
    if not match:
        return {
            "started": False,
            "reason": f"{key!r} is not definitions/<service>/{bundle.SERVICE_FILE}[net]",
        }
    service, version = match["service"], detail.object.version_id
    sequencer = detail.object.sequencer
    pinned = {match["file"]: version} if version else {}
    as_of = None  # the other files as they were when this one was uploaded
    if version:
        as_of = aws.client("s3").head_object(Bucket=bucket, Key=key, VersionId=version)[
            "LastModified"
        ]
    files = trigger.read_objects(bucket, f"definitions/{service}/", pinned, as_of)
    uploaded = files.get(match["file"])
    if uploaded and bundle.STARTED_BY in uploaded.metadata:
        if sequencer:
            ordering.note_upload(service, sequencer)
        return {"started": False, "reason": "uploaded by lattice-deploy deploy, which starts it"}
    by = f"upload of s3://{bucket}/{key} version {version or 'null'}"
    asked = trigger.request(service, bucket, files, by=by, sequencer=sequencer)
    if isinstance(asked, str):
        return {"started": False, "reason": asked}
    return trigger.start(os.environ["STATE_MACHINE_ARN"], *asked)
