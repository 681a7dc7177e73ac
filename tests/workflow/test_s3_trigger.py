"""The S3 trigger: an upload of ecs-service-def.json starts one deployment of that service,
pinned by object version and deduplicated by content (the EventBridge event as AWS delivers it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from deployer import start_deployment
from lattice_deploy.runner import execution

from .conftest import EXAMPLE, Local

SAMPLE = json.loads((Path(__file__).resolve().parents[2] / "events" / "s3-upload.json").read_text())


def upload(local: Local, name: str, text: str) -> dict[str, Any]:
    """Put one file as `aws s3 cp` would, and the event EventBridge would deliver for it."""
    key = f"definitions/myservice/{name}"
    put = local.aws.client("s3").put_object(Bucket=local.stack.bucket, Key=key, Body=text.encode())
    event = json.loads(json.dumps(SAMPLE))
    event["detail"]["bucket"]["name"] = local.stack.bucket
    event["detail"]["object"].update(key=key, **{"version-id": put["VersionId"]})
    return event


def run(local: Local, event: dict[str, Any]) -> dict[str, Any]:
    return start_deployment.handler(event, None)


def finish(local: Local, arn: str) -> str:
    sfn = local.aws.client("stepfunctions")
    for _ in execution.history(sfn, arn):
        pass
    return str(sfn.describe_execution(executionArn=arn)["status"])


def executions(local: Local) -> list[dict[str, Any]]:
    sfn = local.aws.client("stepfunctions")
    return list(sfn.list_executions(stateMachineArn=local.stack.state_machine_arn)["executions"])


def test_uploading_the_bundle_starts_exactly_one_deployment(local: Local) -> None:
    files = execution.read_bundle(EXAMPLE)
    for name in ("ecs-task-def.json", "ecspresso.yml"):
        assert run(local, upload(local, name, files[name]))["started"] is False  # not the trigger
    event = upload(local, "ecs-service-def.json", files["ecs-service-def.json"])
    started = run(local, event)
    assert started["started"] is True
    assert finish(local, started["executionArn"]) == "SUCCEEDED"
    assert len(executions(local)) == 1
    payload = json.loads(
        local.aws.client("stepfunctions").describe_execution(executionArn=started["executionArn"])[
            "input"
        ]
    )
    assert (
        payload["bundle"]["versions"]["ecs-service-def.json"]
        == event["detail"]["object"]["version-id"]
    )
    assert set(payload["bundle"]["versions"]) == {
        "ecs-service-def.json",
        "ecs-task-def.json",
        "ecspresso.yml",
    }


def test_duplicate_delivery_and_identical_reupload_start_nothing_new(local: Local) -> None:
    files = execution.read_bundle(EXAMPLE)
    for name in ("ecs-task-def.json", "ecspresso.yml"):
        upload(local, name, files[name])
    event = upload(local, "ecs-service-def.json", files["ecs-service-def.json"])
    first = run(local, event)
    finish(local, first["executionArn"])
    assert run(local, event)["started"] is False  # EventBridge delivered it twice
    again = upload(local, "ecs-service-def.json", files["ecs-service-def.json"])  # same content
    assert run(local, again)["started"] is False
    assert len(executions(local)) == 1


def test_a_malformed_upload_fails_clearly_and_changes_nothing(local: Local) -> None:
    files = execution.read_bundle(EXAMPLE)
    for name in ("ecs-task-def.json", "ecspresso.yml"):
        upload(local, name, files[name])
    local.aws.reset_calls()
    started = run(local, upload(local, "ecs-service-def.json", files["ecs-service-def.json"][:200]))
    assert finish(local, started["executionArn"]) == "FAILED"
    cause = local.aws.client("stepfunctions").describe_execution(
        executionArn=started["executionArn"]
    )["cause"]
    assert "ecs-service-def.json:" in cause and "invalid JSON" in cause
    deployed = [
        k
        for k in local.aws.calls()["mutatingCalls"]
        if k.split(":")[0] in ("ecs", "vpc-lattice", "ec2")
    ]
    assert deployed == []
