"""The events that reach the functions from outside the workflow, as Powertools Parser models.

Why models: the triggers read three services' events (S3's ``Object Created`` and ECR's
``ECR Image Action`` through EventBridge, Step Functions' ``Execution Status Change``), the
hook reads ECS's lifecycle payload, and the deploy machine's first states read its input, which
a user may give by hand (:class:`DeploymentRequest`). A model checks the shape once, at the
door, and types what the handler reads, so an event that is not one (misrouted, hand-made,
truncated) is refused with what is wrong and how to send a right one (:class:`EventInvalid`),
never a ``KeyError`` deep in a handler or a call made on a half-read event.

The models ask only for what AWS's documents say every such event carries and the handlers read;
what else a service sends is kept (``extra="allow"``), so a field AWS adds changes nothing.
pydantic comes with the Powertools layer: its v3 layers are built with the ``[all]`` extras
(powertools-lambda-python, ``layer_v3/layer_constructors/helpers.py``, ``include_extras=True``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from aws_lambda_powertools.utilities.parser import BaseModel, Field, ValidationError, parse
from aws_lambda_powertools.utilities.parser.models import (
    EventBridgeModel,
    S3EventNotificationEventBridgeModel,
)
from pydantic import ConfigDict

from .errors import EventInvalid

__all__ = [
    "DeploymentRequest",
    "EcrImageAction",
    "EcsLifecycleHook",
    "EventInvalid",
    "ExecutionStatusChange",
    "S3ObjectCreated",
    "read",
]


class S3ObjectCreated(S3EventNotificationEventBridgeModel):
    """S3's ``Object Created`` through EventBridge (Powertools' own model: ``detail.bucket.name``,
    ``detail.object.key``, and ``version-id`` / ``sequencer`` when S3 sends them)."""


class EcrImageActionDetail(BaseModel):
    """ECR User Guide, "Amazon ECR events and EventBridge": an image push's detail. ``image-tag``
    is absent for a push by digest only; ``action-type`` and ``result`` name what happened."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    action_type: str = Field(alias="action-type")
    result: str
    repository_name: str = Field(alias="repository-name")
    image_digest: str = Field(alias="image-digest")
    image_tag: str | None = Field(default=None, alias="image-tag")


class EcrImageAction(EventBridgeModel):
    detail: EcrImageActionDetail


class ExecutionStatusDetail(BaseModel):
    """Step Functions Developer Guide, "Step Functions events" (Execution Status Change): the
    execution, its machine, its name and its new status; ``input``/``output`` are JSON text or
    null, the dates epoch milliseconds."""

    model_config = ConfigDict(extra="allow")

    executionArn: str  # the names are AWS's own (camelCase)
    stateMachineArn: str
    name: str
    status: str
    startDate: int | None = None
    stopDate: int | None = None
    input: str | None = None
    output: str | None = None


class ExecutionStatusChange(EventBridgeModel):
    detail: ExecutionStatusDetail


class HookExecutionDetails(BaseModel):
    """ECS Developer Guide, "Lifecycle hooks for Amazon ECS service deployments": every stage's
    payload names the service, the target revision and both traffic weight maps."""

    model_config = ConfigDict(extra="allow")

    serviceArn: str
    targetServiceRevisionArn: str
    testTrafficWeights: dict[str, float] = Field(default_factory=dict)
    productionTrafficWeights: dict[str, float] = Field(default_factory=dict)


class HookDetails(BaseModel):
    """What the workflow registered with the hook (``deployer.ecs.progressive``): ECS hands it
    back unchanged."""

    model_config = ConfigDict(extra="allow")

    targetGroups: list[str] = Field(default_factory=list)
    alarms: list[str] = Field(default_factory=list)
    maxFailedTasks: int | None = None
    deploymentId: str | None = None


class EcsLifecycleHook(BaseModel):
    model_config = ConfigDict(extra="allow")

    executionDetails: HookExecutionDetails
    lifecycleStage: str = ""
    hookDetails: HookDetails = Field(default_factory=HookDetails)


class BundleRef(BaseModel):
    """Where the bundle is: the stack's bucket, its folder ``definitions/<service>/``, and the
    object version of each file (what the trigger or the CLI saw; empty: the newest)."""

    model_config = ConfigDict(extra="allow")

    bucket: str = Field(min_length=3, max_length=63)
    prefix: str = Field(pattern=r"^(?:[^/]+/)+$", max_length=1024)
    versions: dict[str, str] = Field(default_factory=dict)


class Turn(BaseModel):
    """A trigger's ticket in the service's order (:mod:`deployer.core.ordering`)."""

    model_config = ConfigDict(extra="allow")

    ticket: int = Field(ge=0)
    by: str = ""


class DeploymentRequest(BaseModel):
    """The deploy state machine's input, which the states after it keep: a trigger's
    (:mod:`deployer.triggers.request`) or the CLI's; a user may start one by hand too, so
    ``acquire_lock`` and ``load_bundle`` read it through this model. The states' own results
    (``turn``, ``plan``, ...) are the workflow's and pass through (``extra="allow"``)."""

    model_config = ConfigDict(extra="allow")

    deploymentId: str = Field(min_length=1, max_length=80)  # an execution name's limit
    bundle: BundleRef
    request: Turn | None = None
    templateEnv: dict[str, Any] | None = None
    environment: str | None = None
    images: dict[str, str] = Field(default_factory=dict)


M = TypeVar("M", bound=BaseModel)
SHOWN = 8
"""Faults named in one message: enough to see a wrong shape, short enough to read."""

SAMPLES = {
    S3ObjectCreated: ("S3's Object Created through EventBridge", "events/s3-upload.json"),
    EcrImageAction: ("ECR's Image Action through EventBridge", "events/ecr-push.json"),
    ExecutionStatusChange: (
        "Step Functions' Execution Status Change through EventBridge",
        "events/sfn-stopped.json",
    ),
    EcsLifecycleHook: ("ECS's lifecycle hook payload", "events/lifecycle_hook.json"),
    DeploymentRequest: ("a deployment request", "events/deploy-execution.json"),
}
REMEDY: dict[type[BaseModel], str] = {
    DeploymentRequest: "start a deployment with `lattice-deploy deploy` or an upload to the "
    "bucket; to start an execution by hand, give it an input shaped as "
    "events/deploy-execution.json.",
}


def read(event: Any, model: type[M], function: str) -> M:
    """``event`` as ``model``, or :class:`EventInvalid` naming each field at fault and the
    sample event to copy (the stack's own rule sends the right shape; a hand-made test event or
    a rule pointed at the wrong function does not)."""
    what, sample = SAMPLES.get(model, (model.__name__, "events/"))
    if not isinstance(event, dict):
        raise EventInvalid(
            f"{function} was invoked with a {type(event).__name__}, not {what}. Remedy: send "
            f"an event shaped as {sample}."
        )
    try:
        return parse(event=event, model=model)
    except ValidationError as exc:
        errors = exc.errors()
        faults = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or '(the event)'}: {error['msg']}"
            for error in errors[:SHOWN]
        ) + (f"; and {len(errors) - SHOWN} more" if len(errors) > SHOWN else "")
        remedy = REMEDY.get(model) or (
            "this function is started by the stack's own rule; to invoke it by hand, send an "
            f"event shaped as {sample}."
        )
        raise EventInvalid(
            f"{function} was invoked with an event that is not {what} ({faults}). Remedy: {remedy}"
        ) from None
