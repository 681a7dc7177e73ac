"""The functions read the events from outside the workflow through Parser models
(``deployer.core.events``): each sample event in ``events/`` is one, and an event that is not
one is refused naming the field at fault and the sample to copy, before any AWS call."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from deployer.core import aws, events
from deployer.core.errors import EventInvalid
from deployer.hooks import lifecycle_hook
from deployer.triggers import clean_up_stopped, start_deployment, start_redeployments

EVENTS = Path(__file__).resolve().parents[1] / "events"
TRIGGERS: dict[str, tuple[Callable[..., Any], str]] = {
    "start_deployment": (start_deployment.handler, "s3-upload.json"),
    "start_redeployments": (start_redeployments.handler, "ecr-push.json"),
    "clean_up_stopped": (clean_up_stopped.handler, "sfn-stopped.json"),
}


def sample(name: str) -> dict[str, Any]:
    return dict(json.loads((EVENTS / name).read_text()))


@pytest.fixture(autouse=True)
def no_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused event reaches no AWS: any client asked for fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"an AWS client was made: {args}")

    monkeypatch.setattr(aws, "client", refuse)


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (events.S3ObjectCreated, "s3-upload.json"),
        (events.EcrImageAction, "ecr-push.json"),
        (events.ExecutionStatusChange, "sfn-stopped.json"),
        (events.EcsLifecycleHook, "lifecycle_hook.json"),
    ],
)
def test_each_sample_event_is_its_model(model: type[Any], name: str) -> None:
    assert isinstance(events.read(sample(name), model, "test"), model)


def without(event: dict[str, Any], *path: str) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    node = changed
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return changed


def replaced(event: dict[str, Any], value: Any, *path: str) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    node = changed
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return changed


HOSTILE = [
    ("start_deployment", lambda e: without(e, "detail", "object", "key"), "detail.object.key"),
    ("start_deployment", lambda e: replaced(e, ["x"], "detail", "bucket"), "detail.bucket"),
    ("start_deployment", lambda e: without(e, "detail"), "detail"),
    ("start_redeployments", lambda e: without(e, "detail", "image-digest"), "image-digest"),
    ("start_redeployments", lambda e: replaced(e, {"a": 1}, "detail", "image-tag"), "image-tag"),
    ("start_redeployments", lambda e: without(e, "account"), "account"),
    ("clean_up_stopped", lambda e: without(e, "detail", "status"), "detail.status"),
    ("clean_up_stopped", lambda e: replaced(e, 7, "detail", "executionArn"), "executionArn"),
    ("clean_up_stopped", lambda e: replaced(e, "soon", "time"), "time"),
]


@pytest.mark.parametrize(("function", "change", "field"), HOSTILE)
def test_a_trigger_refuses_an_event_that_is_not_its_own(
    function: str, change: Callable[[dict[str, Any]], dict[str, Any]], field: str
) -> None:
    handler, name = TRIGGERS[function]
    with pytest.raises(EventInvalid) as refused:
        handler(change(sample(name)), None)
    said = str(refused.value)
    assert function in said and field in said and f"events/{name}" in said, said


@pytest.mark.parametrize("function", sorted(TRIGGERS))
@pytest.mark.parametrize("given", [None, [], "text", {}])
def test_a_trigger_refuses_what_is_not_an_event_at_all(function: str, given: Any) -> None:
    handler, name = TRIGGERS[function]
    with pytest.raises(EventInvalid, match=f"events/{name}"):
        handler(given, None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda e: without(e, "executionDetails"), "executionDetails"),
        (
            lambda e: without(e, "executionDetails", "targetServiceRevisionArn"),
            "executionDetails.targetServiceRevisionArn",
        ),
        (lambda e: replaced(e, "many", "hookDetails", "alarms"), "hookDetails.alarms"),
        (
            lambda e: replaced(e, {"r": "heavy"}, "executionDetails", "productionTrafficWeights"),
            "productionTrafficWeights",
        ),
    ],
)
def test_the_hook_answers_failed_to_a_payload_that_is_not_ecs(
    change: Callable[[dict[str, Any]], dict[str, Any]], field: str
) -> None:
    """ECS rolls back on FAILED: a payload the gate cannot read must not let the revision on."""
    answer = lifecycle_hook.handler(change(sample("lifecycle_hook.json")), None)
    assert answer["hookStatus"] == "FAILED", answer
    assert "EventInvalid" in answer["reason"] and field in answer["reason"], answer


@pytest.mark.parametrize("name", ["deploy-execution.json", "load_bundle.json"])
def test_the_deploy_machines_input_is_a_deployment_request(name: str) -> None:
    request = events.read(sample(name), events.DeploymentRequest, "test")
    assert request.bundle.prefix == "definitions/myservice/" and request.bundle.versions


REQUESTS = [
    (lambda e: without(e, "bundle"), "bundle"),
    (lambda e: without(e, "bundle", "bucket"), "bundle.bucket"),
    (lambda e: replaced(e, 42, "bundle", "bucket"), "bundle.bucket"),
    (lambda e: replaced(e, "definitions/myservice", "bundle", "prefix"), "bundle.prefix"),
    (lambda e: replaced(e, ["v1"], "bundle", "versions"), "bundle.versions"),
    (lambda e: replaced(e, "", "deploymentId"), "deploymentId"),
    (lambda e: replaced(e, ["web=img"], "images"), "images"),
    (lambda e: replaced(e, {"ticket": "first"}, "request"), "request.ticket"),
]


def as_acquire_lock(request: dict[str, Any]) -> dict[str, Any]:
    """What the state machine hands acquire_lock (statemachine/deploy.asl.json Parameters)."""
    return {"execution": "arn:aws:states:::execution:m:x", "deploymentId": "x", "state": request}


@pytest.mark.parametrize(("change", "field"), REQUESTS)
@pytest.mark.parametrize("state", ["acquire_lock", "load_bundle"])
def test_a_run_started_by_hand_with_an_input_that_is_not_a_request_is_refused(
    change: Callable[[dict[str, Any]], dict[str, Any]], field: str, state: str
) -> None:
    """A user may start the deploy machine by hand: a wrong input is said, field and remedy, by
    the first states that read it, before any AWS call (no_aws)."""
    from deployer.states import acquire_lock, load_bundle
    from lattice_deploy.emulator.awslambda.models import LambdaContext

    given, context = change(sample("deploy-execution.json")), LambdaContext(state, "arn:f")
    with pytest.raises(EventInvalid) as refused:
        if state == "acquire_lock":
            acquire_lock.handler(as_acquire_lock(given), context)  # type: ignore[arg-type]
        else:
            load_bundle.handler(given, context)  # type: ignore[arg-type]
    said = str(refused.value)
    assert state in said and field in said, said
    assert "events/deploy-execution.json" in said and "lattice-deploy deploy" in said, said
