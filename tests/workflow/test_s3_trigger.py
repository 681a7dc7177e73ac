"""The S3 trigger through the template's own wiring: a put into the bucket emits S3's EventBridge
event, the template's rule hands it to ``start_deployment``, and exactly one deployment runs,
pinned by object version and deduplicated by content."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from deployer.triggers import start_deployment
from lattice_deploy.emulator.events.models import DELIVERIES
from lattice_deploy.runner import execution

from .conftest import EXAMPLE, Local

SAMPLE = json.loads((Path(__file__).resolve().parents[2] / "events" / "s3-upload.json").read_text())


def upload(local: Local, name: str, text: str, service: str = "myservice") -> dict[str, Any]:
    """Put one file as `aws s3 cp` would; the event EventBridge delivered for it, if any."""
    before = len(DELIVERIES)
    key = f"definitions/{service}/{name}"
    local.aws.client("s3").put_object(Bucket=local.stack.bucket, Key=key, Body=text.encode())
    delivered = DELIVERIES[before:]
    return delivered[-1] if delivered else {}


def started(delivery: dict[str, Any]) -> dict[str, Any]:
    assert not delivery["failed"], delivery["result"]
    return dict(json.loads(delivery["result"]))


def finish(local: Local, arn: str) -> str:
    sfn = local.aws.client("stepfunctions")
    for _ in execution.history(sfn, arn, poll=0.01):
        pass
    return str(sfn.describe_execution(executionArn=arn)["status"])


def executions(local: Local, machine: str = "DeployStateMachine") -> list[dict[str, Any]]:
    sfn = local.aws.client("stepfunctions")
    arn = local.stack.state_machines[machine]
    return list(sfn.list_executions(stateMachineArn=arn)["executions"])


def settle(
    local: Local, machine: str = "DeployStateMachine", limit: float = 120.0, at_least: int = 0
) -> list[dict[str, Any]]:
    """Every execution once ``at_least`` exist (one started by an event may not have yet) and
    none is running (bounded: a hang fails the test, not CI)."""
    deadline = time.monotonic() + limit
    while True:
        found = executions(local, machine)
        if len(found) >= at_least and not any(e["status"] == "RUNNING" for e in found):
            return found
        assert time.monotonic() < deadline, f"{machine} executions still running (or missing)"
        time.sleep(0.02)


def test_uploading_the_bundle_starts_exactly_one_deployment(local: Local) -> None:
    files = execution.read_bundle(EXAMPLE)
    for name in ("ecs-task-def.json", "ecspresso.yml"):
        assert upload(local, name, files[name]) == {}  # no rule matches: not the trigger
    delivery = upload(local, "ecs-service-def.json", files["ecs-service-def.json"])
    result = started(delivery)
    assert result["started"] is True
    assert finish(local, result["executionArn"]) == "SUCCEEDED"
    assert len(executions(local)) == 1
    sfn = local.aws.client("stepfunctions")
    payload = json.loads(sfn.describe_execution(executionArn=result["executionArn"])["input"])
    versions = local.aws.client("s3").list_object_versions(
        Bucket=local.stack.bucket, Prefix="definitions/myservice/"
    )["Versions"]
    assert payload["bundle"]["versions"] == {
        v["Key"].split("/")[-1]: v["VersionId"] for v in versions
    }
    assert payload["request"]["ticket"] == 1


def test_an_identical_reupload_starts_nothing_new(local: Local) -> None:
    files = execution.read_bundle(EXAMPLE)
    for name in ("ecs-task-def.json", "ecspresso.yml"):
        upload(local, name, files[name])
    delivery = upload(local, "ecs-service-def.json", files["ecs-service-def.json"])
    first = started(delivery)
    finish(local, first["executionArn"])
    again = upload(local, "ecs-service-def.json", files["ecs-service-def.json"])  # same content
    assert started(again)["started"] is False
    assert len(executions(local)) == 1


def test_an_event_delivered_twice_starts_one_deployment(local: Local) -> None:
    files = execution.read_bundle(EXAMPLE)
    for name in ("ecs-task-def.json", "ecspresso.yml"):
        upload(local, name, files[name])
    key = "definitions/myservice/ecs-service-def.json"
    put = local.aws.client("s3").put_object(
        Bucket=local.stack.bucket, Key=key, Body=files["ecs-service-def.json"].encode()
    )
    event = json.loads(json.dumps(SAMPLE))
    event["detail"]["bucket"]["name"] = local.stack.bucket
    event["detail"]["object"].update(key=key, **{"version-id": put["VersionId"]})
    # The rule delivered the put once already; EventBridge may deliver it again, even twice.
    for _ in range(2):
        start_deployment.handler(event, None)
    assert len(executions(local)) == 1
    assert finish(local, executions(local)[0]["executionArn"]) == "SUCCEEDED"


def test_a_malformed_upload_fails_clearly_and_changes_nothing(local: Local) -> None:
    files = execution.read_bundle(EXAMPLE)
    for name in ("ecs-task-def.json", "ecspresso.yml"):
        upload(local, name, files[name])
    local.aws.reset_calls()
    delivery = upload(local, "ecs-service-def.json", files["ecs-service-def.json"][:200])
    arn = started(delivery)["executionArn"]
    assert finish(local, arn) == "FAILED"
    cause = local.aws.client("stepfunctions").describe_execution(executionArn=arn)["cause"]
    assert "ecs-service-def.json:" in cause and "invalid JSON" in cause
    deployed = [
        k
        for k in local.aws.calls()["mutatingCalls"]
        if k.split(":")[0] in ("ecs", "vpc-lattice", "ec2")
    ]
    assert deployed == []
