"""The ECR trigger through the template's wiring: ``put_image`` emits ECR's push event, the rule
hands it to ``start_redeployments``, and the fan-out state machine redeploys every service whose
bundle runs that repository and tag, pinned by the pushed digest, and no other."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from bundles import renamed
from deployer.triggers import pushed, start_redeployments
from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.emulator.events.models import DELIVERIES

from .conftest import EXAMPLE, Local
from .test_s3_trigger import settle

ORDERS = EXAMPLE.parent / "orders"
REGISTRY = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com"
SAMPLE = json.loads((EXAMPLE.parents[1] / "events" / "ecr-push.json").read_text())


def copy_of_orders(tmp_path: Path, service: str) -> Path:
    return renamed(ORDERS, tmp_path, service)


def push(local: Local, repository: str = "myapp", tag: str = "latest", n: int = 1) -> str:
    """Push an image (its manifest varied by ``n``); the pushed digest."""
    manifest = json.loads((ORDERS / "image-manifest.json").read_text())
    manifest["config"]["size"] = 1000 + n
    ecr = local.aws.client("ecr")
    put = ecr.put_image(repositoryName=repository, imageTag=tag, imageManifest=json.dumps(manifest))
    return str(put["image"]["imageId"]["imageDigest"])


def fan_outs(local: Local) -> list[dict[str, Any]]:
    """The fan-out executions, described, once none is running."""
    sfn = local.aws.client("stepfunctions")
    runs = settle(local, "RedeployStateMachine")
    return [sfn.describe_execution(executionArn=r["executionArn"]) for r in runs]


def execution_arn(local: Local, name: str) -> str:
    """A deploy execution's ARN from the name a fan-out's result gives."""
    machine = local.stack.state_machine_arn
    return f"{machine.replace(':stateMachine:', ':execution:')}:{name}"


def image_of(local: Local, service: str) -> tuple[str, int]:
    ecs = local.aws.client("ecs")
    found = ecs.describe_services(cluster="my-cluster", services=[service])["services"][0]
    task = ecs.describe_task_definition(taskDefinition=found["taskDefinition"])["taskDefinition"]
    return str(task["containerDefinitions"][0]["image"]), int(task["revision"])


def last_delivery() -> dict[str, Any]:
    delivered = [d for d in DELIVERIES if d["function"].endswith("StartRedeploymentsFunction")]
    assert delivered and not delivered[-1]["failed"], delivered[-1:]
    return dict(json.loads(delivered[-1]["result"]))


def test_a_push_redeploys_every_service_running_the_image_and_no_other(
    local: Local, tmp_path: Path
) -> None:
    for bundle in (EXAMPLE, ORDERS, copy_of_orders(tmp_path, "payments")):
        assert local.deploy(bundle)["status"] == "SUCCEEDED"
    untouched = image_of(local, "myservice")
    digest = push(local)
    assert sorted(last_delivery()["services"]) == ["orders", "payments"]
    (run,) = fan_outs(local)
    assert run["status"] == "SUCCEEDED"
    results = json.loads(run["output"])["results"]
    assert sorted((r["service"], r["status"]) for r in results) == [
        ("orders", "SUCCEEDED"),
        ("payments", "SUCCEEDED"),
    ]
    for service in ("orders", "payments"):
        image, revision = image_of(local, service)
        assert image == f"{REGISTRY}/myapp@{digest}" and revision == 2
        ecs = local.aws.client("ecs")
        found = ecs.describe_services(cluster="my-cluster", services=[service])["services"][0]
        assert found["deployments"][0]["rolloutState"] == "COMPLETED"
    assert image_of(local, "myservice") == untouched
    bundle_text = (
        local.aws.client("s3")
        .get_object(Bucket=local.stack.bucket, Key="definitions/orders/ecs-task-def.json")["Body"]
        .read()
    )
    assert b"myapp:latest" in bundle_text  # the bundle keeps its tag; the run pinned the digest


def test_a_push_to_a_repository_no_bundle_uses_starts_nothing(local: Local) -> None:
    assert local.deploy(ORDERS)["status"] == "SUCCEEDED"
    local.aws.client("ecr").create_repository(repositoryName="unused")
    push(local, "unused")
    assert last_delivery()["started"] is False
    assert "no service deployed runs" in last_delivery()["reason"]
    push(local, "myapp", tag="v2")  # the same repository, a tag the bundle does not run
    assert last_delivery()["started"] is False
    assert fan_outs(local) == []


def test_duplicate_and_late_push_events_start_nothing_new(local: Local) -> None:
    assert local.deploy(ORDERS)["status"] == "SUCCEEDED"
    first = push(local, n=1)
    event = json.loads(json.dumps(SAMPLE)) | {"account": "123456789012"}
    event["detail"]["image-digest"] = first
    again = start_redeployments.handler(event, None)  # EventBridge delivered it again
    assert again.get("executionArn") in (None, fan_outs(local)[0]["executionArn"])
    assert len(fan_outs(local)) == 1
    second = push(local, n=2)  # the tag moves on; the first push's event arrives late
    late = start_redeployments.handler(event, None)
    assert late["started"] is False and second in late["reason"]
    runs = fan_outs(local)
    assert len(runs) == 2 and {r["status"] for r in runs} == {"SUCCEEDED"}
    assert image_of(local, "orders")[0] == f"{REGISTRY}/myapp@{second}"


@pytest.fixture
def one_at_a_time() -> Any:
    """A stack deployed with ``RedeployConcurrency=1``."""
    with EmbeddedAws() as aws:
        yield Local(aws, {"RedeployConcurrency": 1})


def test_the_fan_out_runs_no_more_deployments_at_once_than_allowed(
    one_at_a_time: Local, tmp_path: Path
) -> None:
    local = one_at_a_time
    services = ["orders", "payments", "billing"]
    for service in services:
        bundle = ORDERS if service == "orders" else copy_of_orders(tmp_path, service)
        assert local.deploy(bundle)["status"] == "SUCCEEDED"
    push(local)
    (run,) = fan_outs(local)
    sfn = local.aws.client("stepfunctions")
    spans = []
    for result in json.loads(run["output"])["results"]:
        described = sfn.describe_execution(executionArn=execution_arn(local, result["execution"]))
        spans.append((described["startDate"], described["stopDate"]))
    assert len(spans) == 3
    spans.sort()
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start, "two redeployments ran at once with RedeployConcurrency=1"


def test_which_containers_a_push_pins() -> None:
    repository = f"{REGISTRY}/myapp"
    task = {
        "containerDefinitions": [
            {"name": "tagged", "image": f"{repository}:latest"},
            {"name": "untagged", "image": repository},
            {"name": "other-tag", "image": f"{repository}:v2"},
            {"name": "pinned", "image": f"{repository}@sha256:{'0' * 64}"},
            {"name": "elsewhere", "image": "nginx:latest"},
            {"name": "other-repo", "image": f"{REGISTRY}/myapp-worker:latest"},
        ]
    }
    pinned = pushed.images_to_pin(json.dumps(task), repository, "latest", "sha256:ab")
    assert pinned == {
        "tagged": f"{repository}@sha256:ab",
        "untagged": f"{repository}@sha256:ab",
    }
    assert pushed.images_to_pin("{not json", repository, "latest", "sha256:ab") == {}


def test_a_push_skips_a_bundle_still_being_uploaded(local: Local) -> None:
    assert local.deploy(ORDERS)["status"] == "SUCCEEDED"
    half = json.loads((ORDERS / "ecs-task-def.json").read_text()) | {"family": "half"}
    local.aws.client("s3").put_object(  # its task definition is there, its service one not yet
        Bucket=local.stack.bucket, Key="definitions/half/ecs-task-def.json", Body=json.dumps(half)
    )
    push(local)
    assert last_delivery()["services"] == ["orders"]
    (run,) = fan_outs(local)
    assert run["status"] == "SUCCEEDED"


def test_a_push_redeploys_a_bundle_naming_its_image_through_templates_or_jsonnet(
    local: Local, tmp_path: Path
) -> None:
    """The image a task definition names through ``must_env`` (JSON) or Jsonnet is matched as
    its deployment renders it, with the ``env.json`` uploaded beside the bundle."""
    from .test_s3_trigger import finish, started, upload

    catalog = EXAMPLE.parent / "catalog"
    upload(local, "env.json", json.dumps({"REPOSITORY": f"{REGISTRY}/myapp"}), "catalog")
    upload(local, "ecspresso.yml", (catalog / "ecspresso.yml").read_text(), "catalog")
    task = (catalog / "ecs-task-def.jsonnet").read_text()
    task = task.replace("'nginx:' + must_env('IMAGE_TAG')", "must_env('REPOSITORY') + ':latest'")
    role = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"  # an ECR image needs it
    task = task.replace("networkMode:", f"executionRoleArn: '{role}',\n  networkMode:")
    upload(local, "ecs-task-def.jsonnet", task, "catalog")
    service = (catalog / "ecs-service-def.jsonnet").read_text()
    run = started(upload(local, "ecs-service-def.jsonnet", service, "catalog"))
    assert finish(local, run["executionArn"]) == "SUCCEEDED"
    digest = push(local)
    assert last_delivery()["services"] == ["catalog"]
    (fan_out,) = fan_outs(local)
    assert fan_out["status"] == "SUCCEEDED"
    assert image_of(local, "catalog")[0] == f"{REGISTRY}/myapp@{digest}"
