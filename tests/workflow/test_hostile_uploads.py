"""Hostile bundles through the other doors: a run started by an upload, names that collide, and
a deploy refused before it uploads or calls anything."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from deployer.bundle.normalize import MAX_FILE_BYTES
from deployer.core.errors import BundleInvalid
from hostile.corpus import CASES, EVIL, Edit
from lattice_deploy.emulator.events.models import DELIVERIES

from .conftest import EXAMPLE, Local
from .test_s3_trigger import finish, started, upload

CONFIG = (EXAMPLE / "ecspresso.yml").read_text()
SVC = "ecs-service-def.json"


def failure_of(local: Local, arn: str) -> str:
    """The run's failure message, as its report state gave it."""
    exited = [
        e["stateExitedEventDetails"]
        for e in local.history({"executionArn": arn})
        if e.get("stateExitedEventDetails", {}).get("name") == "report"
    ]
    return str(json.loads(exited[-1]["output"])["report"]["failure"]["message"])


def uploaded(local: Local, folder: str, files: dict[str, bytes | str]) -> str:
    """The bundle uploaded to ``definitions/<folder>/`` as `aws s3 cp` would, its bytes as they
    are and its service definition last; the run it started, ended."""
    service = files.pop("ecs-service-def.json", (EXAMPLE / "ecs-service-def.json").read_text())
    s3 = local.aws.client("s3")
    for name, body in [*files.items(), ("ecs-service-def.json", service)]:
        before = len(DELIVERIES)
        data = body.encode() if isinstance(body, str) else body
        s3.put_object(Bucket=local.stack.bucket, Key=f"definitions/{folder}/{name}", Body=data)
    run = started(DELIVERIES[before:][-1])
    assert finish(local, run["executionArn"]) == "FAILED"
    return str(run["executionArn"])


def nothing_made(local: Local) -> None:
    assert not local.aws.client("vpc-lattice").list_services()["items"]
    assert not local.aws.client("ecs").list_services(cluster="my-cluster")["serviceArns"]


def task() -> str:
    return (EXAMPLE / "ecs-task-def.json").read_text()


@pytest.mark.parametrize(
    ("files", "words"),
    [
        (
            {"ecspresso.yml": CONFIG.replace("ecs-task-def.json", "../other/ecs-task-def.json")},
            ["task_definition", "leaves the bundle"],
        ),
        (
            {"ecspresso.yml": CONFIG.replace("ecs-task-def.json", "/etc/passwd")},
            ["task_definition", "absolute path"],
        ),
        (
            {"ecspresso.yml": CONFIG, "ecs-task-def.json": "é".encode("latin-1") + b"{}"},
            ["ecs-task-def.json", "not UTF-8"],
        ),
        (
            {
                "ecspresso.yml": CONFIG,
                "ecs-task-def.json": task().replace("{", "{" + " " * 70_000, 1),
            },
            ["ecs-task-def.json", "64 KiB"],
        ),
    ],
    ids=["dotdot", "absolute", "latin-1", "big"],
)
def test_an_upload_that_reaches_out_or_is_malformed_fails_before_any_change(
    local: Local, files: dict[str, Any], words: list[str]
) -> None:
    message = failure_of(local, uploaded(local, "myservice", dict(files)))
    for word in words:
        assert word in message, message
    nothing_made(local)


def test_a_folder_deploys_only_the_service_it_is_named_after(local: Local) -> None:
    """Uploads to definitions/alias/ naming myservice held a turn of their own beside
    myservice's: both deployed at once. Now the folder is the service's turn."""
    arn = uploaded(local, "alias", {"ecspresso.yml": CONFIG, "ecs-task-def.json": task()})
    message = failure_of(local, arn)
    assert "upload it to definitions/myservice/" in message, message
    nothing_made(local)


def named(bundle: Any, service: str) -> Path:
    def edit(data: dict[str, Any]) -> None:
        data["serviceName"] = service

    return Path(bundle(service, service=edit, config=CONFIG.replace("myservice", service)))


def test_a_name_another_services_tags_own_is_refused_before_any_change(
    local: Local, bundle: Any
) -> None:
    """Service a-b in dev and service b in dev-a both name dev-a-b-targetgroup; b's tasks must
    never be registered in a-b's group."""
    first = local.deploy(named(bundle, "a-b"), "dev")
    assert first["status"] == "SUCCEEDED", first.get("failure")
    lattice = local.aws.client("vpc-lattice")
    (group,) = lattice.list_target_groups()["items"]
    before = lattice.list_targets(targetGroupIdentifier=group["id"])["items"]
    second = local.deploy(named(bundle, "b"), "dev-a")
    assert second["status"] == "FAILED"
    message = second["failure"]["message"]
    assert "belongs to service a-b of environment dev" in message, message
    assert second["calls"]["phases"]["deploy"]["mutating"] == 0
    assert lattice.list_targets(targetGroupIdentifier=group["id"])["items"] == before
    assert not local.aws.client("ecs").describe_services(cluster="my-cluster", services=["b"])[
        "services"
    ]


def test_a_refused_deploy_uploads_nothing_and_calls_nothing(local: Local, bundle: Any) -> None:
    directory = Path(bundle(config=CONFIG.replace("ecs-task-def.json", "/proc/self/environ")))
    before = local.aws.calls()
    with pytest.raises(BundleInvalid):
        local.deploy(directory)
    assert local.aws.calls() == before
    assert "Contents" not in local.aws.client("s3").list_objects_v2(Bucket=local.stack.bucket)


def test_a_late_event_reads_the_other_files_as_they_were_at_its_upload(
    local: Local, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task definition uploaded after the service definition is not that upload's: a late
    (EventBridge is at-least-once) delivery of the service definition's event must not deploy
    it with the newer task definition."""
    import moto.s3.models

    now = [datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)]
    monkeypatch.setattr(moto.s3.models, "utcnow", lambda: now[0].replace(tzinfo=None))
    upload(local, "ecspresso.yml", CONFIG)
    upload(local, "ecs-task-def.json", task())
    first = started(upload(local, "ecs-service-def.json", (EXAMPLE / SVC).read_text()))
    assert finish(local, first["executionArn"]) == "SUCCEEDED"
    s3 = local.aws.client("s3")
    key = f"definitions/myservice/{SVC}"
    version = s3.head_object(Bucket=local.stack.bucket, Key=key)["VersionId"]
    now[0] += timedelta(seconds=30)
    upload(local, "ecs-task-def.json", task().replace("nginx", "httpd"))  # starts nothing
    # S3's own event (events/s3-upload.json), redelivered late: its object is the first upload
    event = json.loads((EXAMPLE.parents[1] / "events" / "s3-upload.json").read_text())
    event["detail"]["bucket"] = {"name": local.stack.bucket}
    event["detail"]["object"] = {"key": key, "version-id": version, "etag": "0" * 32}
    answer = local.aws.client("lambda").invoke(
        FunctionName=local.stack.functions["StartDeploymentFunction"],
        Payload=json.dumps(event).encode(),
    )
    result = json.loads(answer["Payload"].read())
    assert result["started"] is False and "same request" in result["reason"], result


def test_a_task_definition_at_the_size_limit_deploys(local: Local, bundle: Any) -> None:
    """The limit is one a run can carry: the plan stays within Step Functions' 256 KiB."""
    directory = Path(bundle())
    definition = json.loads((directory / "ecs-task-def.json").read_text())
    container = definition["containerDefinitions"][0]
    container["environment"] = []
    while len(json.dumps(definition, indent=2)) < MAX_FILE_BYTES - 300:
        container["environment"].append(
            {"name": f"V{len(container['environment'])}", "value": "x" * 200}
        )
    (directory / "ecs-task-def.json").write_text(json.dumps(definition, indent=2))
    summary = local.deploy(directory)
    assert summary["status"] == "SUCCEEDED", summary.get("failure")


THROUGH_S3 = [case for case in CASES if case[1].__qualname__.startswith(("config.", "write."))]
"""The corpus's cases that are files' content (links, FIFOs and directories are not objects)."""


@pytest.mark.parametrize(("name", "edit", "words"), THROUGH_S3, ids=[c[0] for c in THROUGH_S3])
def test_the_hostile_corpus_by_upload_fails_before_any_change_naming_the_file(
    local: Local, tmp_path: Path, name: str, edit: Edit, words: list[str]
) -> None:
    bundle, outside = tmp_path / "bundle", tmp_path / "outside"
    shutil.copytree(EXAMPLE, bundle)
    outside.mkdir()
    edit(bundle, outside)
    variables = {"EVIL": EVIL, "NEWLINE": "my-cluster\nrole: admin", "T": "x", "TAG": "1"}
    files: dict[str, bytes | str] = {"env.json": json.dumps(variables)}
    files |= {p.name: p.read_bytes() for p in sorted(bundle.iterdir()) if p.suffix != ".md"}
    message = failure_of(local, uploaded(local, "myservice", files))
    for word in words:
        assert word in message, message
    nothing_made(local)


@pytest.mark.parametrize(
    ("bundle", "field"),
    [({"prefix": "definitions/myservice"}, "bundle.prefix"), (None, "bundle")],
)
def test_an_execution_started_by_hand_with_a_wrong_input_fails_naming_it(
    local: Local, bundle: dict[str, Any] | None, field: str
) -> None:
    """The deploy machine started by hand (the console, `aws stepfunctions start-execution`)
    with an input that is not a deployment request: refused by its first state, field and
    remedy in the report, nothing made."""
    given: dict[str, Any] = {"deploymentId": "by-hand-1"}
    if bundle is not None:
        given["bundle"] = {"bucket": local.stack.bucket, **bundle}
    sfn = local.aws.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=local.stack.state_machine_arn, name="by-hand-1", input=json.dumps(given)
    )["executionArn"]
    assert finish(local, arn) == "FAILED"
    said = failure_of(local, arn)
    assert field in said and "events/deploy-execution.json" in said, said
    nothing_made(local)
