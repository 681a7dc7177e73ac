"""An ECR push's fan-out as a fleet needs it: the services come from the image index (what each
service's last successful deployment ran), start at the pace the stack's parameters set, and
each is deployed from its bundle as it is when its turn comes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from deployer.core import image_index
from deployer.triggers import start_redeployments
from lattice_deploy.emulator import CLOCK, EmbeddedAws
from lattice_deploy.emulator.calls import CALLS

from . import policies
from .conftest import Local
from .test_ecr_trigger import (
    ORDERS,
    REGISTRY,
    copy_of_orders,
    execution_arn,
    fan_outs,
    image_of,
    last_delivery,
    push,
)

IMAGE = f"{REGISTRY}/myapp"


@pytest.fixture
def paced() -> Iterator[Local]:
    """A stack whose fan-out starts one deployment, then one each 10 s."""
    CALLS.reset()
    with EmbeddedAws() as aws:
        made = Local(aws, {"RedeployBurst": 1, "RedeployRate": 0.1})
        yield made
        missing = policies.not_granted(made.stack.functions)
    assert not missing, "actions called but not granted in template.yaml:\n" + "\n".join(missing)


def indexed(local: Local, image: str) -> list[str]:
    found = local.aws.client("dynamodb").query(
        TableName="lattice-deploy-ImagesTable",
        KeyConditionExpression="image = :i",
        ExpressionAttributeValues={":i": {"S": image}},
    )
    return sorted(item["service"]["S"] for item in found["Items"])


def retagged(directory: Path, tag: str) -> Path:
    task = json.loads((directory / "ecs-task-def.json").read_text())
    task["containerDefinitions"][0]["image"] = f"{IMAGE}:{tag}"
    (directory / "ecs-task-def.json").write_text(json.dumps(task))
    return directory


def starts(local: Local, fan_out: dict[str, Any]) -> dict[str, float]:
    """Each deployment the fan-out ran: seconds from the fan-out's start to its own."""
    sfn = local.aws.client("stepfunctions")
    began: datetime = fan_out["startDate"]
    found = {}
    for result in json.loads(fan_out["output"])["results"]:
        run = sfn.describe_execution(executionArn=execution_arn(local, result["execution"]))
        found[result["service"]] = (run["startDate"] - began).total_seconds()
    return found


def test_the_index_holds_what_each_service_last_deployed_successfully(
    local: Local, tmp_path: Path
) -> None:
    assert local.deploy(ORDERS)["status"] == "SUCCEEDED"
    assert indexed(local, f"{IMAGE}:latest") == ["orders"]
    v2 = retagged(copy_of_orders(tmp_path, "orders"), "v2")
    assert local.deploy(v2)["status"] == "SUCCEEDED"  # the service runs another tag now
    assert indexed(local, f"{IMAGE}:latest") == [] and indexed(local, f"{IMAGE}:v2") == ["orders"]
    local.aws.inject("unhealthy-targets:orders")
    failed = retagged(copy_of_orders(tmp_path / "f", "orders"), "v3")
    assert local.deploy(failed)["status"] == "FAILED"  # rolled back: it still runs v2
    local.aws.clear_faults()
    assert indexed(local, f"{IMAGE}:v3") == [] and indexed(local, f"{IMAGE}:v2") == ["orders"]
    push(local, tag="latest")
    assert last_delivery()["started"] is False  # nothing deployed runs myapp:latest now


def test_an_image_key_names_repository_and_tag_as_a_task_definition_does() -> None:
    assert image_index.key_of(f"{IMAGE}") == f"{IMAGE}:latest"
    assert image_index.key_of(f"{IMAGE}:v1") == f"{IMAGE}:v1"
    assert image_index.key_of("localhost:5000/app") == "localhost:5000/app:latest"  # a port
    assert image_index.key_of(f"{IMAGE}@sha256:{'0' * 64}") is None  # pinned: a push moves no pin


def test_the_push_reads_the_index_not_the_bundles(local: Local, tmp_path: Path) -> None:
    for service in ("orders", "payments"):
        assert local.deploy(copy_of_orders(tmp_path, service))["status"] == "SUCCEEDED"
    push(local)
    needed = CALLS.actions()[local.stack.functions["StartRedeploymentsFunction"]]
    assert needed == {
        "ecr:DescribeImages",
        "dynamodb:Query",
        "s3:PutObject",
        "states:StartExecution",
    }
    assert sorted(last_delivery()["services"]) == ["orders", "payments"]


def test_the_fan_out_starts_deployments_at_the_stacks_pace(paced: Local, tmp_path: Path) -> None:
    services = [f"svc{n}" for n in range(4)]
    for service in services:
        assert paced.deploy(copy_of_orders(tmp_path, service))["status"] == "SUCCEEDED"
    push(paced)
    (fan_out,) = fan_outs(paced)
    assert fan_out["status"] == "SUCCEEDED"
    began = starts(paced, fan_out)
    assert sorted(began) == services
    expected = start_redeployments.delays(4, 0.1, 1)
    assert expected == [0, 10, 20, 30]
    for service, due in zip(services, expected, strict=True):
        assert due <= began[service] < due + 5, began  # its Wait, then its request made


def test_a_bundle_changed_before_its_turn_is_deployed_as_changed(
    paced: Local, tmp_path: Path
) -> None:
    for service in ("first", "second"):
        assert paced.deploy(copy_of_orders(tmp_path, service))["status"] == "SUCCEEDED"
    CLOCK.hold()  # nothing moves in virtual time until let go: "second" waits for its turn
    digest = push(paced)
    task = json.loads((copy_of_orders(tmp_path / "b", "second") / "ecs-task-def.json").read_text())
    task["containerDefinitions"][0]["environment"] = [{"name": "RELEASE", "value": "2"}]
    paced.aws.client("s3").put_object(  # the task definition alone: no deployment of its own
        Bucket=paced.stack.bucket,
        Key="definitions/second/ecs-task-def.json",
        Body=json.dumps(task),
    )
    CLOCK.hold(False)
    (fan_out,) = fan_outs(paced)
    results = {r["service"]: r["status"] for r in json.loads(fan_out["output"])["results"]}
    assert results == {"first": "SUCCEEDED", "second": "SUCCEEDED"}
    ecs = paced.aws.client("ecs")
    found = ecs.describe_services(cluster="my-cluster", services=["second"])["services"][0]
    registered = ecs.describe_task_definition(taskDefinition=found["taskDefinition"])
    container = registered["taskDefinition"]["containerDefinitions"][0]
    assert container["image"] == f"{IMAGE}@{digest}"  # pinned, in the bundle as it is now
    assert {"name": "RELEASE", "value": "2"} in container["environment"]
    assert image_of(paced, "first")[0] == f"{IMAGE}@{digest}"


def test_a_request_of_an_older_push_made_after_a_newer_ones_is_stale(local: Local) -> None:
    """The race the digest check leaves open: an older push's turn checked its tag just before
    a newer push, whose turn then asked first. The push's time orders them."""
    from deployer.core import ordering

    key = f"{IMAGE}:latest"
    newer = ordering.request("orders", "d2", "push 2", pushed=(key, "2026-12-03T00:00:02+00:00"))
    assert newer == (1, "")
    older = ordering.request("orders", "d1", "push 1", pushed=(key, "2026-12-03T00:00:01+00:00"))
    assert older[0] == 0 and "a newer push" in older[1]
    other = ordering.request(
        "orders", "d3", "push 3", pushed=(f"{IMAGE}:v2", "2026-12-03T00:00:00+00:00")
    )
    assert other == (2, "")  # another tag's pushes are ordered on their own


def test_index_writes_left_unprocessed_are_counted_not_dropped(
    local: Local, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BatchWriteItem answers what it could not write in UnprocessedItems (it throttled them);
    they are written again, and those still left are said, not dropped."""
    from deployer.core import aws

    client = aws.client("dynamodb")
    real = client.batch_write_item

    def throttled(**request: Any) -> dict[str, Any]:
        real(**request)  # written, yet answered as all left over: the worst DynamoDB may say
        return {"UnprocessedItems": request["RequestItems"]}

    monkeypatch.setattr(client, "batch_write_item", throttled)
    done = image_index.record("orders", [f"{IMAGE}:latest", f"{IMAGE}:v2"])
    assert done["unprocessed"] == 2
    monkeypatch.undo()
    assert "unprocessed" not in image_index.record("orders", [f"{IMAGE}:latest"])
    assert indexed(local, f"{IMAGE}:v2") == []  # the second record took it out
