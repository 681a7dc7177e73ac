"""Per-service ordering: never two deployments of a service at once; the newest request wins and
the older ones end having changed nothing, saying why."""

from __future__ import annotations

import itertools
import json
import threading
import time
from datetime import datetime
from typing import Any

from deployer.triggers import start_deployment
from lattice_deploy.emulator import CLOCK
from lattice_deploy.emulator.s3.notifications import sequencer
from lattice_deploy.runner import execution

from .conftest import EXAMPLE, Local
from .test_s3_trigger import SAMPLE, executions, finish, settle, started, upload

KEY = "definitions/myservice/ecs-service-def.json"
RULE = "lattice-deploy-StartDeploymentFunction-ServiceDefinitionUploaded"


def history(local: Local, arn: str) -> list[dict[str, Any]]:
    pages = local.aws.client("stepfunctions").get_paginator("get_execution_history")
    return [e for page in pages.paginate(executionArn=arn) for e in page["events"]]


def window(events: list[dict[str, Any]]) -> tuple[datetime, datetime] | None:
    """From entering ``load_bundle`` to entering ``release_lock``: when the run may change AWS."""
    entered = {
        e["stateEnteredEventDetails"]["name"]: e["timestamp"]
        for e in events
        if e["type"].endswith("StateEntered")
    }
    if "load_bundle" not in entered:
        return None
    return entered["load_bundle"], entered["release_lock"]


def output(local: Local, arn: str) -> dict[str, Any]:
    described = local.aws.client("stepfunctions").describe_execution(executionArn=arn)
    return dict(json.loads(described.get("output") or "{}"))


def delayed_upload(local: Local, body: bytes) -> dict[str, Any]:
    """Put the service definition with its event held back (the rule is off meanwhile); the
    event EventBridge delivers late, with the sequencer S3 gave that put."""
    events, rule = local.aws.client("events"), RULE
    events.disable_rule(Name=rule)
    put = local.aws.client("s3").put_object(Bucket=local.stack.bucket, Key=KEY, Body=body)
    held = sequencer()  # the next one S3 hands out: after this put's, before any later put's
    events.enable_rule(Name=rule)
    late = json.loads(json.dumps(SAMPLE))
    late["detail"]["bucket"]["name"] = local.stack.bucket
    late["detail"]["object"].update(key=KEY, sequencer=held, **{"version-id": put["VersionId"]})
    return late


def running_image(local: Local) -> str:
    ecs = local.aws.client("ecs")
    service = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"][0]
    task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    return str(task["taskDefinition"]["containerDefinitions"][0]["image"])


def test_twenty_uploads_in_a_burst_deploy_the_newest_and_never_overlap(local: Local) -> None:
    files = execution.read_bundle(EXAMPLE)
    upload(local, "ecspresso.yml", files["ecspresso.yml"])
    task = json.loads(files["ecs-task-def.json"])
    for k in range(1, 21):
        task["containerDefinitions"][0]["image"] = f"nginx:1.{k}"
        upload(local, "ecs-task-def.json", json.dumps(task))
        assert started(upload(local, "ecs-service-def.json", files["ecs-service-def.json"]))[
            "started"
        ]
    runs = settle(local)
    assert len(runs) == 20 and {r["status"] for r in runs} == {"SUCCEEDED"}
    assert running_image(local) == "nginx:1.20"
    windows, superseded = [], 0
    for run in runs:
        report = output(local, run["executionArn"])["report"]
        span = window(history(local, run["executionArn"]))
        if report["status"] == "SUPERSEDED":
            superseded += 1
            assert span is None and report["awsCalls"]["phases"]["deploy"]["mutating"] == 0
            assert "superseded by request #" in report["reason"]
        else:
            assert span is not None and report["status"] == "SUCCEEDED"
            windows.append(span)
    assert superseded >= 1 and superseded + len(windows) == 20
    windows.sort()
    for (_, end), (start, _) in itertools.pairwise(windows):
        assert end <= start, "two deployments of myservice overlapped"
    newest = next(r for r in runs if r["name"].startswith("myservice-20-"))
    assert output(local, newest["executionArn"])["report"]["status"] == "SUCCEEDED"


def test_an_older_upload_whose_event_arrives_late_starts_nothing(local: Local) -> None:
    files = execution.read_bundle(EXAMPLE)
    upload(local, "ecspresso.yml", files["ecspresso.yml"])
    upload(local, "ecs-task-def.json", files["ecs-task-def.json"])
    late = delayed_upload(local, b'{"serviceName": "myservice"}')
    newest = started(upload(local, "ecs-service-def.json", files["ecs-service-def.json"]))
    assert finish(local, newest["executionArn"]) == "SUCCEEDED"
    count = len(executions(local))
    result = start_deployment.handler(late, None)  # the older put's event, after the newer one
    assert result["started"] is False and "newer upload" in result["reason"]
    assert len(executions(local)) == count


def test_a_turn_held_by_an_execution_that_ended_is_taken_over(local: Local) -> None:
    ghost = f"{local.stack.state_machine_arn.replace(':stateMachine:', ':execution:')}:gone"
    local.aws.client("dynamodb").put_item(
        TableName="lattice-deploy-DeploymentsTable",
        Item={"service": {"S": "myservice"}, "latest": {"N": "0"}, "holder": {"S": ghost}},
    )
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "SUCCEEDED"
    assert any("✓ acquire_lock                 ACQUIRED" in line for line in local.lines)


def until(condition: Any, what: str) -> None:
    for _ in range(2000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"never: {what}")


def test_a_cli_deploy_waits_for_the_running_one_then_deploys(local: Local) -> None:
    files = execution.read_bundle(EXAMPLE)
    for name in ("ecspresso.yml", "ecs-task-def.json"):
        upload(local, name, files[name])
    held = CLOCK.started()  # virtual time stands still: the upload's run stops at its first Wait
    try:
        first = started(upload(local, "ecs-service-def.json", files["ecs-service-def.json"]))
        until(
            lambda: "wait_for_health" in str(history(local, first["executionArn"])),
            "the upload's run waits for health, holding the turn",
        )
        result: dict[str, Any] = {}
        cli = threading.Thread(target=lambda: result.update(local.deploy(EXAMPLE)))
        cli.start()
        until(
            lambda: any("acquire_lock" in ln and "WAITING" in ln for ln in list(local.lines)),
            "the CLI's run is told to wait for its turn",
        )
    finally:
        CLOCK.ended(held)
    cli.join(timeout=120)
    assert result["status"] == "SUCCEEDED"
    assert finish(local, first["executionArn"]) == "SUCCEEDED"
    first_span = window(history(local, first["executionArn"]))
    cli_span = window(history(local, result["executionArn"]))
    assert first_span and cli_span and first_span[1] <= cli_span[0]


def test_a_run_that_cannot_take_its_turn_fails_clearly_and_changes_nothing(local: Local) -> None:
    local.aws.inject("fail:dynamodb.GetItem")
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "FAILED" and summary["rolledBack"] is True
    assert summary["failure"]["step"] == "acquire_lock"
    assert "AccessDenied" in summary["failure"]["message"]
    assert "grant the missing action" in summary["failure"]["message"]
    deployed = [
        k
        for k in local.aws.calls()["mutatingCalls"]
        if k.split(":")[0] in ("ecs", "vpc-lattice", "ec2")
    ]
    assert deployed == []


def test_a_late_event_older_than_a_cli_deploy_starts_nothing(local: Local) -> None:
    late = delayed_upload(local, b'{"serviceName": "myservice"}')
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"  # uploads (newer) and starts itself
    count = len(executions(local))
    result = start_deployment.handler(late, None)
    assert result["started"] is False and "newer upload" in result["reason"]
    assert len(executions(local)) == count


def test_a_retry_after_a_crash_before_the_start_still_deploys_the_newest_upload(
    local: Local,
) -> None:
    """start_deployment took the upload's ticket, then died before StartExecution; Lambda retries
    the asynchronous invocation with the same event. It is still the newest upload's: it gets
    its ticket back (not a second one) and starts the deployment."""
    files = execution.read_bundle(EXAMPLE)
    for name in ("ecspresso.yml", "ecs-task-def.json"):
        upload(local, name, files[name])
    event = delayed_upload(local, files["ecs-service-def.json"].encode())
    local.aws.inject("crash-after:dynamodb.UpdateItem")  # the ticket's write, once
    function, api = local.stack.functions["StartDeploymentFunction"], local.aws.client("lambda")
    answers = [
        api.invoke(FunctionName=function, Payload=json.dumps(event)) for _ in ("first", "retry")
    ]
    crashed, retried = ({**a, "Payload": json.loads(a["Payload"].read())} for a in answers)
    assert crashed.get("FunctionError") and crashed["Payload"]["errorType"] == "Runtime.ExitError"
    assert "FunctionError" not in retried and retried["Payload"]["started"] is True
    (run,) = executions(local)
    assert finish(local, run["executionArn"]) == "SUCCEEDED"
    request = json.loads(
        local.aws.client("stepfunctions").describe_execution(executionArn=run["executionArn"])[
            "input"
        ]
    )["request"]
    assert request["ticket"] == 1
