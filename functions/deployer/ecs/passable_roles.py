"""Which IAM roles a bundle may hand to ECS, checked before any change.

Why: the stack's functions may pass (``iam:PassRole``, only to ECS) the stack's own
infrastructure role and this account's roles whose name starts with the ``BundleRolePrefix``
parameter; a bundle naming another role would get AccessDenied at RegisterTaskDefinition or
CreateService in the middle of a deployment. ``load_bundle`` (and ``validate --account``) refuse
it first, naming the role and both ways out.

The same bundle gets the same answer wherever it is checked: in a Lambda function the stack's
settings are its environment (template.yaml's ``INFRASTRUCTURE_ROLE_ARN`` and
``BUNDLE_ROLE_PREFIX``); outside one (``plan``, ``validate --endpoint-url``/``--account``) they
are read from the stack's own LoadBundle function (Lambda GetFunctionConfiguration, a read), so a
bundle written by ``lattice-deploy init`` (whose ``roleArn`` is the stack's infrastructure role)
passes there as it passes ``deploy``. No stack found: the roles are not judged, and a warning
says so (``deploy`` judges them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core import aws

DEFAULT_PREFIX = "ecs"
HANDLER = "deployer.states.load_bundle.handler"
"""template.yaml's LoadBundleFunction handler: the function whose environment holds the stack's
settings."""
STACK = "lattice-deploy"
"""The stack name the CLI deploys (samconfig.toml's default): preferred when an account holds
several stacks."""


@dataclass(frozen=True)
class Settings:
    stack_role: str | None
    prefix: str


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


def _from_stack(region: str | None) -> Settings | None:
    """The settings of the stack's LoadBundle function in this account (None: no stack)."""
    try:
        pages = aws.client("lambda", region).get_paginator("list_functions").paginate()
        found = [f for page in pages for f in page["Functions"] if f.get("Handler") == HANDLER]
    except (ClientError, BotoCoreError):
        return None
    found.sort(key=lambda f: not str(f["FunctionName"]).startswith(f"{STACK}-"))
    for function in found:
        env = (function.get("Environment") or {}).get("Variables") or {}
        if env.get("INFRASTRUCTURE_ROLE_ARN"):
            return Settings(
                env["INFRASTRUCTURE_ROLE_ARN"], env.get("BUNDLE_ROLE_PREFIX", DEFAULT_PREFIX)
            )
    return None


def settings(region: str | None) -> Settings | None:
    """The stack's settings: this function's environment, else the stack's (None: unknown)."""
    if stack_role := os.environ.get("INFRASTRUCTURE_ROLE_ARN"):
        return Settings(stack_role, os.environ.get("BUNDLE_ROLE_PREFIX", DEFAULT_PREFIX))
    return _from_stack(region)


def problems(plan: dict[str, Any]) -> list[str]:
    """Each role the stack may not pass, as ``file: field: what is wrong; fix``; with no stack
    found, a warning in ``plan["warnings"]`` instead."""
    found = settings(plan.get("region"))
    roles = _roles(plan)
    if found is None:
        if roles:
            plan.setdefault("warnings", []).append(
                f"{', '.join(where for where, _ in roles)}: no lattice-deploy stack found in this "
                "account, so whether it may pass these roles is not checked here (deploy checks it)"
            )
        return []
    account = found.stack_role.split(":")[4] if found.stack_role else None
    said = []
    for where, arn in roles:
        parts = arn.split(":", 5)
        path_and_name = parts[5].split("/", 1)[-1] if len(parts) == 6 else ""
        ours = arn == found.stack_role or (
            (account is None or parts[4] == account) and path_and_name.startswith(found.prefix)
        )
        if not ours:
            said.append(
                f"{where}: {arn} is not a role this stack may pass to ECS (its own "
                f"infrastructure role, or this account's roles named {found.prefix}*); use such a "
                f"role, or redeploy the stack with BundleRolePrefix set to cover it"
            )
    return said
