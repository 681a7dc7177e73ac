"""State ``prepare_redeployment`` of ``statemachine/redeploy.asl.json`` (the fan-out of an ECR
push): one service's deployment request, made when its turn in the fan-out comes.

Why then and not when the push arrived: a fan-out of many services runs for minutes at the
account's pace, and a bundle may change meanwhile; the request is made of the bundle as it is
now (newest object versions), with the pushed image pinned by digest in the containers that run
its tag. Nothing is deployed, and the reason said, when the tag has moved on (a newer push
redeploys), the bundle no longer runs the image, or a newer request of the service exists.
"""

from __future__ import annotations

import os
from typing import Any

from ..bundle.lookups import AwsLookups
from ..core.step import step
from . import request as trigger
from .pushed import Push, current, images_to_pin, task_text


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    service, push = str(event["service"]), Push(**event["push"])
    now, pushed_at = current(push)
    if now != push.digest:
        return {"due": False, "reason": f"{push.name}:{push.tag} is {now} now: its push redeploys"}
    bucket = os.environ["BUNDLE_BUCKET"]
    files = trigger.read_objects(bucket, f"definitions/{service}/", {})
    service_file, task_file = trigger.file_names(files)
    if service_file not in files or task_file not in files:
        return {"due": False, "reason": f"s3://{bucket}/definitions/{service}/ is no whole bundle"}
    account = AwsLookups(lambda _: None)
    images = images_to_pin(
        task_text(files, task_file, account), push.repository, push.tag, push.digest
    )
    if not images:
        return {"due": False, "reason": f"the bundle of {service} no longer runs {push.key}"}
    asked = trigger.request(
        service,
        bucket,
        files,
        by=push.by,
        overrides={"images": images},
        pushed=(push.key, pushed_at) if pushed_at else None,
    )
    if isinstance(asked, str):
        return {"due": False, "reason": asked}
    return {"due": True, "name": asked[0], "input": asked[1]}
