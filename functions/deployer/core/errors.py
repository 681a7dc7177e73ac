"""Errors a deployment step raises, named for the state machine's Retry/Catch.

Why typed: Step Functions matches a Lambda error by its ``errorType`` (the exception's class
name), so each kind of failure is one class, and its message is what a user reads in the console
and in the CLI: what failed, and how to fix it.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

REMEDIES = {
    "ResourceNotFoundException": (
        "check that the resource exists, that its ARN is right, and that the region is right"
    ),
    "AccessDeniedException": (
        "grant the missing action to the deployer's IAM role (template.yaml gives each function "
        "only the actions it calls)"
    ),
}


class DeployError(Exception):
    """A step failed for a reason the user must fix; the deployment stops (and rolls back)."""


class BundleInvalid(DeployError):
    """The bundle (ecspresso.yml, ecs-service-def.json, ecs-task-def.json) is not deployable."""


class NotFound(DeployError):
    """A resource the bundle names (by ARN or identifier) does not exist."""


class AccessDenied(DeployError):
    """The deployer's role may not make a call."""


class Throttled(Exception):
    """AWS throttled a call past botocore's own retries; the state machine retries the step."""


class Conflict(Exception):
    """AWS refused a call because of the resource's state (e.g. still in use); retried."""


class NotReady(Exception):
    """A resource this run just created cannot be used yet: a VPC Lattice target group is
    CREATE_IN_PROGRESS before ACTIVE (API Reference, TargetGroupStatus), or a read right after
    the create does not find it yet (eventual consistency). The state machine retries the step
    (its Retry names this error), which finds what the last attempt made."""


class EventInvalid(Exception):
    """A function was handed an event from outside the workflow that is not the one it serves
    (:mod:`deployer.core.events`): nothing is read or started."""


class AwsCallFailed(DeployError):
    """Any other AWS error."""


def from_client_error(exc: ClientError) -> Exception:
    """The typed error for a failed AWS call, with a message naming the call and the remedy."""
    error: Any = exc.response.get("Error", {})
    code, message = str(error.get("Code", "")), str(error.get("Message", ""))
    text = f"{exc.operation_name} failed with {code}: {message}"
    if code in ("ThrottlingException", "Throttling", "TooManyRequestsException"):
        return Throttled(text)
    if code == "ConflictException":
        return Conflict(text)
    if code in ("ResourceNotFoundException", "NotFoundException", "ServiceNotFoundException"):
        return NotFound(f"{text}. Remedy: {REMEDIES['ResourceNotFoundException']}.")
    if code in ("AccessDeniedException", "AccessDenied", "UnauthorizedOperation"):
        return AccessDenied(f"{text}. Remedy: {REMEDIES['AccessDeniedException']}.")
    return AwsCallFailed(text)
