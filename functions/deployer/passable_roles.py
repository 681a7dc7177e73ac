"""Which IAM roles a bundle may hand to ECS, checked before any change.

Why: the stack's functions may pass (``iam:PassRole``, only to ECS) the stack's own
infrastructure role and this account's roles whose name starts with the ``BundleRolePrefix``
parameter; a bundle naming another role would get AccessDenied at RegisterTaskDefinition or
CreateService in the middle of a deployment. ``load_bundle`` (and ``validate --account``) refuse
it first, naming the role and both ways out.
"""

from __future__ import annotations

import os
from typing import Any

from .errors import BundleInvalid

DEFAULT_PREFIX = "ecs"


def _roles(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """``(where, role ARN)`` for each role the bundle hands to ECS."""
    task = plan["taskDefinition"]
    found = [
        (f"ecs-task-def.json: {key}", str(task[key]))
        for key in ("executionRoleArn", "taskRoleArn")
        if task.get(key)
    ]
    if plan["lattice"]["registration"] != "direct" and plan["lattice"].get("roleArn"):
        found.append(("ecs-service-def.json: the Lattice roleArn", str(plan["lattice"]["roleArn"])))
    return found


def check(plan: dict[str, Any]) -> None:
    prefix = os.environ.get("BUNDLE_ROLE_PREFIX", DEFAULT_PREFIX)
    stack_role = os.environ.get("INFRASTRUCTURE_ROLE_ARN")
    account = (stack_role or "").split(":")[4] if stack_role else None
    problems = []
    for where, arn in _roles(plan):
        parts = arn.split(":", 5)
        path_and_name = parts[5].split("/", 1)[-1] if len(parts) == 6 else ""
        ours = arn == stack_role or (
            (account is None or parts[4] == account) and path_and_name.startswith(prefix)
        )
        if not ours:
            problems.append(
                f"{where}: {arn} is not a role this stack may pass to ECS (its own "
                f"infrastructure role, or this account's roles named {prefix}*); use such a "
                f"role, or redeploy the stack with BundleRolePrefix set to cover it"
            )
    if problems:
        raise BundleInvalid("; ".join(problems))
