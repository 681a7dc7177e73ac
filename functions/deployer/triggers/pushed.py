"""What both halves of an ECR push's redeployment share: the pushed image as the registry has it
now, and which containers of a task definition run its tag.

``start_redeployments`` (the push's trigger) finds the services; ``prepare_redeployment`` (each
service's turn in the fan-out) reads its newest bundle and pins the image. Both ask the registry
first: a push whose tag has moved on since is not redeployed (the newer push is).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC

from ..bundle import definitions, jsonnet, render
from ..bundle.lookups import AwsLookups
from ..core import aws, image_index
from ..core.errors import BundleInvalid
from . import request as trigger


@dataclass(frozen=True)
class Push:
    """One pushed image: ``repository`` is the registry's full name (as task definitions name
    it), ``name`` the repository's own."""

    repository: str
    name: str
    tag: str
    digest: str

    @property
    def key(self) -> str:
        """The image index's key of what the push changes: ``repository:tag``."""
        return f"{self.repository}:{self.tag}"

    @property
    def by(self) -> str:
        return f"ECR push of {self.name}:{self.tag} ({self.digest})"


def current(push: Push) -> tuple[str | None, str]:
    """The digest ``push``'s tag points at now (None: no such image any more), and when it was
    pushed (ISO text; "" when unknown): what orders two pushes of one tag."""
    ecr = aws.client("ecr")
    try:
        found = ecr.describe_images(repositoryName=push.name, imageIds=[{"imageTag": push.tag}])
    except ecr.exceptions.ImageNotFoundException:
        return None, ""
    detail = found["imageDetails"][0]
    at = detail.get("imagePushedAt")  # one form (UTC, microseconds): the texts compare as times
    when = at.astimezone(UTC).isoformat(timespec="microseconds") if at is not None else ""
    return str(detail["imageDigest"]), when


def images_to_pin(task_text: str, repository: str, tag: str, digest: str) -> dict[str, str]:
    """``{container: repository@digest}`` for the containers that run ``repository:tag``."""
    try:
        task = json.loads(task_text)
    except json.JSONDecodeError:
        return {}  # not this trigger's to report: the next upload's deployment says what is wrong
    task = definitions.inner(task)  # describe-task-definition's wrapper, as ecspresso reads it
    containers = (task.get("containerDefinitions") or []) if isinstance(task, dict) else []
    return {
        str(c.get("name")): f"{repository}@{digest}"
        for c in containers
        if isinstance(c, dict)
        and image_index.key_of(str(c.get("image") or "")) == f"{repository}:{tag}"
    }


def task_text(files: dict[str, trigger.BundleObject], task_file: str, account: AwsLookups) -> str:
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
