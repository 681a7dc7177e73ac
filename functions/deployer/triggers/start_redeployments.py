"""Trigger (not a state): an image pushed to ECR redeploys every service whose bundle runs it.

The event is ECR's ``ECR Image Action`` (``PUSH``, ``SUCCESS``) through EventBridge. Each bundle
under ``definitions/`` whose task definition names the pushed repository and tag (no tag counts
as ``latest``; an image already pinned by digest is left alone) is redeployed with that image
pinned by the pushed digest, so every task runs exactly what was pushed even if the tag moves on.
One execution of the fan-out state machine starts the deployments, at most
``RedeployConcurrency`` at a time, each still taking its service's turn. Its name is made of
the push, so a duplicate delivery starts nothing new; an event whose tag has moved on since
(delivered late) starts nothing, and says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from typing import Any

from ..bundle import definitions, jsonnet, render
from ..bundle.lookups import AwsLookups
from ..core import aws, events
from ..core.errors import BundleInvalid
from . import request as trigger


def _bundles(bucket: str) -> Iterator[str]:
    """The services with a bundle in the bucket (``definitions/<service>/``)."""
    pages = aws.client("s3").get_paginator("list_objects_v2")
    for page in pages.paginate(Bucket=bucket, Prefix="definitions/", Delimiter="/"):
        for common in page.get("CommonPrefixes") or []:
            yield str(common["Prefix"]).split("/")[1]


def images_to_pin(task_text: str, repository: str, tag: str, digest: str) -> dict[str, str]:
    """``{container: repository@digest}`` for the containers that run ``repository:tag``."""
    try:
        task = json.loads(task_text)
    except json.JSONDecodeError:
        return {}  # not this trigger's to report: the next upload's deployment says what is wrong
    task = definitions.inner(task)  # describe-task-definition's wrapper, as ecspresso reads it
    containers = (task.get("containerDefinitions") or []) if isinstance(task, dict) else []
    pinned = {}
    for container in containers:
        image = str(container.get("image") or "")
        if "@" in image:
            continue
        name, _, used = (
            image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "")
        )
        if name == repository and (used or "latest") == tag:
            pinned[str(container.get("name"))] = f"{repository}@{digest}"
    return pinned


def _task_text(files: dict[str, trigger.BundleObject], task_file: str, account: AwsLookups) -> str:
    """The task definition as its deployment will render it (a Jsonnet file evaluated, template
    actions replaced, with the ``env.json`` beside it and Parameter Store), so that an image
    named through ``must_env`` or Jsonnet is matched too; one that cannot be rendered matches
    nothing (its upload's deployment says why)."""
    text = files[task_file].text
    if not jsonnet.is_jsonnet(task_file) and "{{" not in text:
        return text
    variables: dict[str, str] = {}
    if render.ENV_FILE in files:
        try:
            given = json.loads(files[render.ENV_FILE].text)
        except json.JSONDecodeError:
            return ""
        variables = {str(k): str(v) for k, v in given.items()} if isinstance(given, dict) else {}
    try:
        account.read_ahead(render.ssm_names({task_file: text}, variables))
        return render.render(text, task_file, variables, account.ssm)
    except BundleInvalid:
        return ""


def _current_digest(repository: str, tag: str) -> str | None:
    ecr = aws.client("ecr")
    try:
        found = ecr.describe_images(repositoryName=repository, imageIds=[{"imageTag": tag}])
    except ecr.exceptions.ImageNotFoundException:
        return None
    return str(found["imageDetails"][0]["imageDigest"])


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
    if (current := _current_digest(name, tag)) != digest:
        return {"started": False, "reason": f"{name}:{tag} is {current} now, not {digest}"}
    repository = f"{pushed.account}.dkr.ecr.{pushed.region}.amazonaws.com/{name}"
    bucket, deployments = os.environ["BUNDLE_BUCKET"], []
    account = AwsLookups(lambda _: None)  # Parameter Store, read once for all the bundles
    for service in _bundles(bucket):
        files = trigger.read_objects(bucket, f"definitions/{service}/", {})
        service_file, task_file = trigger.file_names(files)
        if service_file not in files or task_file not in files:
            continue  # not a whole bundle yet: its upload will deploy it
        images = images_to_pin(_task_text(files, task_file, account), repository, tag, digest)
        if not images:
            continue
        by = f"ECR push of {name}:{tag} ({digest})"
        asked = trigger.request(service, bucket, files, by=by, overrides={"images": images})
        if not isinstance(asked, str):
            deployments.append({"service": service, "name": asked[0], "input": asked[1]})
    if not deployments:
        return {
            "started": False,
            "reason": f"no bundle in s3://{bucket}/definitions/ runs {repository}:{tag}",
        }
    payload = {"image": f"{repository}@{digest}", "tag": tag, "deployments": deployments}
    started = trigger.start(
        os.environ["REDEPLOY_STATE_MACHINE_ARN"], _name(name, tag, digest), payload
    )
    return {**started, "services": [d["service"] for d in deployments]}
