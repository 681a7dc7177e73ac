"""Trigger (not a state): an image pushed to ECR redeploys every service that runs it.

The event is ECR's ``ECR Image Action`` (``PUSH``, ``SUCCESS``) through EventBridge. The services
are read from the image index (:mod:`deployer.core.image_index`: what each service's last
successful deployment ran), not from every bundle, so the invocation's time does not grow with
the fleet's bundles. Their list is written to the bucket (``fan-outs/<name>.json``) and one
execution of the fan-out state machine reads it (a Distributed Map's ItemReader: no 256 KiB input
limit, no 40-iteration cap). Each service gets a start delay, so that the deployments begin at
the pace the account's request rates allow (:func:`delays`); each reads its newest bundle only
when its turn comes (``prepare_redeployment``).

The execution is named by the push, so a duplicate delivery starts nothing new; an event whose
tag has moved on since (delivered late) starts nothing, and says so.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import asdict
from typing import Any

from ..core import aws, events, image_index
from . import request as trigger
from .pushed import Push, current


def delays(count: int, rate: float, burst: int) -> list[int]:
    """Each service's start delay in whole seconds (a Wait state's ``Seconds`` is an integer):
    the first ``burst`` at once, then ``rate`` a second. Why: the ECS calls a deployment makes
    once each (RegisterTaskDefinition, UpdateService) take tokens from buckets that hold ``burst``
    and refill at ``rate``; started faster, the deployments would only queue on throttling
    retries, and each retry is a call the bucket also counts."""
    return [math.ceil(max(0, i + 1 - burst) / rate) for i in range(count)]


def _name(repository: str, tag: str, digest: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", f"{repository}-{tag}")[:50]
    return f"{safe}-{hashlib.sha256(digest.encode()).hexdigest()[:16]}"


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    pushed = events.read(event, events.EcrImageAction, "start_redeployments")
    detail = pushed.detail
    name, digest, tag = detail.repository_name, detail.image_digest, detail.image_tag
    if (detail.action_type, detail.result) != ("PUSH", "SUCCESS"):
        return {"started": False, "reason": f"{detail.action_type} {detail.result}: not a push"}
    if not tag:
        return {"started": False, "reason": "an untagged push: no bundle names its image"}
    push = Push(f"{pushed.account}.dkr.ecr.{pushed.region}.amazonaws.com/{name}", name, tag, digest)
    if (now := current(push)[0]) != digest:
        return {"started": False, "reason": f"{name}:{tag} is {now} now, not {digest}"}
    services = sorted(set(image_index.services_running(push.key)))
    if not services:
        return {"started": False, "reason": f"no service deployed runs {push.key}"}
    bucket, execution = os.environ["BUNDLE_BUCKET"], _name(name, tag, digest)
    rate, burst = float(os.environ["REDEPLOY_RATE"]), int(os.environ["REDEPLOY_BURST"])
    items = [
        {"service": s, "delay": d}
        for s, d in zip(services, delays(len(services), rate, burst), strict=True)
    ]
    key = f"fan-outs/{execution}.json"
    aws.client("s3").put_object(Bucket=bucket, Key=key, Body=json.dumps(items).encode())
    payload = {"push": asdict(push), "items": {"bucket": bucket, "key": key}}
    started = trigger.start(os.environ["REDEPLOY_STATE_MACHINE_ARN"], execution, payload)
    return {**started, "services": services}
