"""Bundles written for ecspresso, templates and all: by CLI (the caller's environment), by
upload (an env.json beside the bundle) and from Parameter Store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lattice_deploy.cli.main import main
from lattice_deploy.runner import execution

from .conftest import EXAMPLE, Local
from .test_s3_trigger import finish, started, upload


def templated(
    bundle: Any, image: str = "nginx:{{ must_env `IMAGE_TAG` }}", name: str = "myservice"
) -> Path:
    def task(data: dict[str, Any]) -> None:
        data["containerDefinitions"][0]["image"] = image

    config = (
        (EXAMPLE / "ecspresso.yml")
        .read_text()
        .replace("cluster: my-cluster", "cluster: '{{ env `CLUSTER` `my-cluster` }}'")
    )
    return Path(bundle(name, task=task, config=config))


def image_of(local: Local, summary: dict[str, Any]) -> str:
    arn = next(r["arn"] for r in summary["resources"] if r["type"] == "taskDefinition")
    described = local.aws.client("ecs").describe_task_definition(taskDefinition=arn)
    return str(described["taskDefinition"]["containerDefinitions"][0]["image"])


def test_the_cli_renders_with_the_callers_environment(
    local: Local, bundle: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMAGE_TAG", "1.27")
    summary = local.deploy(templated(bundle))
    assert summary["status"] == "SUCCEEDED"
    assert image_of(local, summary) == "nginx:1.27"
    execution_input = json.loads(
        local.aws.client("stepfunctions").describe_execution(executionArn=summary["executionArn"])[
            "input"
        ]
    )
    assert execution_input["templateEnv"] == {"IMAGE_TAG": "1.27"}  # only what it reads


def test_an_unset_must_env_stops_the_cli_before_anything_is_uploaded(
    bundle: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("IMAGE_TAG", raising=False)
    directory = templated(bundle)
    assert main(["validate", str(directory)]) == 2
    assert "must_env `IMAGE_TAG`: the variable IMAGE_TAG is not set" in capsys.readouterr().out
    assert main(["deploy", str(directory), "--local"]) == 2
    assert "IMAGE_TAG is not set" in capsys.readouterr().out
    monkeypatch.setenv("IMAGE_TAG", "1.27")
    assert main(["validate", str(directory)]) == 0


def test_an_upload_renders_with_the_env_json_beside_it(local: Local, bundle: Any) -> None:
    files = execution.read_bundle(templated(bundle))
    upload(local, "env.json", json.dumps({"IMAGE_TAG": "1.26"}))
    for name in ("ecspresso.yml", "ecs-task-def.json"):
        upload(local, name, files[name])
    run = started(upload(local, "ecs-service-def.json", files["ecs-service-def.json"]))
    assert finish(local, run["executionArn"]) == "SUCCEEDED"
    ecs = local.aws.client("ecs")
    (service,) = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"]
    task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    assert task["taskDefinition"]["containerDefinitions"][0]["image"] == "nginx:1.26"


def test_parameter_store_values_are_read_in_the_account(local: Local, bundle: Any) -> None:
    local.aws.client("ssm").put_parameter(
        Name="/myservice/image", Value="nginx:1.25", Type="SecureString"
    )
    summary = local.deploy(templated(bundle, image="{{ ssm `/myservice/image` }}"))
    assert summary["status"] == "SUCCEEDED"
    assert image_of(local, summary) == "nginx:1.25"
    missing = local.deploy(templated(bundle, "{{ ssm `/myservice/nothing` }}", "again"))
    assert (
        missing["status"] == "FAILED"
        and "ssm `/myservice/nothing`" in (missing["failure"]["message"])
    )


def test_parameter_store_values_are_read_in_batches_of_ten(local: Local, bundle: Any) -> None:
    """Twelve names a render reads: two GetParameters (ten names a call), none alone; a name
    that does not exist among them is still named, by AWS's own error for it alone."""
    ssm = local.aws.client("ssm")
    names = [f"/myservice/env/V{i:02d}" for i in range(12)]
    for name in names:
        ssm.put_parameter(Name=name, Value=f"value of {name}", Type="SecureString")

    def task(data: dict[str, Any]) -> None:
        data["containerDefinitions"][0]["environment"] = [
            {"name": name.rsplit("/", 1)[1], "value": "{{ ssm `" + name + "` }}"} for name in names
        ]

    summary = local.deploy(Path(bundle("myservice", task=task)))
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    arn = next(r["arn"] for r in summary["resources"] if r["type"] == "taskDefinition")
    described = local.aws.client("ecs").describe_task_definition(taskDefinition=arn)
    environment = described["taskDefinition"]["containerDefinitions"][0]["environment"]
    assert {e["name"]: e["value"] for e in environment} == {
        n.rsplit("/", 1)[1]: f"value of {n}" for n in names
    }
    calls = local.aws.calls(execution=summary["deploymentId"])["calls"]
    assert calls.get("ssm:GetParameters") == 2 and "ssm:GetParameter" not in calls, calls

    names.append("/myservice/env/missing")
    failed = local.deploy(Path(bundle("again", task=task)))
    assert failed["status"] == "FAILED"
    assert "ssm `/myservice/env/missing`: ParameterNotFound" in failed["failure"]["message"]


def test_a_batch_ssm_refuses_leaves_each_name_read_alone(local: Local, bundle: Any) -> None:
    """GetParameters refused (a name AWS finds malformed fails the whole request with
    ValidationException): each name is then read with GetParameter, and the run goes on."""
    ssm = local.aws.client("ssm")
    for name in ("/myservice/a", "/myservice/b"):
        ssm.put_parameter(Name=name, Value=name, Type="String")

    def task(data: dict[str, Any]) -> None:
        data["containerDefinitions"][0]["environment"] = [
            {"name": n, "value": "{{ ssm `/myservice/" + n + "` }}"} for n in ("a", "b")
        ]

    local.aws.inject("fail:GetParameters:ValidationException")
    summary = local.deploy(Path(bundle("myservice", task=task)))
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    calls = local.aws.calls(execution=summary["deploymentId"])["calls"]
    assert calls.get("ssm:GetParameters") == 1 and calls.get("ssm:GetParameter") == 2, calls


JSONNET = EXAMPLE.parent / "catalog"


def test_a_jsonnet_bundle_deploys_by_cli_with_the_callers_environment(
    local: Local, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMAGE_TAG", "1.27")
    monkeypatch.setenv("DESIRED_COUNT", "3")
    summary = local.deploy(JSONNET)
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    assert image_of(local, summary) == "nginx:1.27"
    (service,) = local.aws.client("ecs").describe_services(
        cluster="my-cluster", services=["catalog"]
    )["services"]
    assert service["desiredCount"] == 3
    sfn = local.aws.client("stepfunctions")
    given = json.loads(sfn.describe_execution(executionArn=summary["executionArn"])["input"])
    assert given["templateEnv"] == {"DESIRED_COUNT": "3", "IMAGE_TAG": "1.27"}


def upload_catalog(local: Local) -> dict[str, Any]:
    """The Jsonnet bundle uploaded as `aws s3 cp` would, its service definition last: the run."""
    for name in ("ecspresso.yml", "ecs-task-def.jsonnet"):
        upload(local, name, (JSONNET / name).read_text(), service="catalog")
    text = (JSONNET / "ecs-service-def.jsonnet").read_text()
    return started(upload(local, "ecs-service-def.jsonnet", text, service="catalog"))


def test_a_jsonnet_bundle_deploys_by_upload_with_env_json(local: Local) -> None:
    upload(local, "env.json", json.dumps({"IMAGE_TAG": "1.26"}), service="catalog")
    run = upload_catalog(local)
    assert finish(local, run["executionArn"]) == "SUCCEEDED"
    ecs = local.aws.client("ecs")
    (service,) = ecs.describe_services(cluster="my-cluster", services=["catalog"])["services"]
    task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    assert task["taskDefinition"]["containerDefinitions"][0]["image"] == "nginx:1.26"
    assert service["desiredCount"] == 2  # env('DESIRED_COUNT', '2'): env.json has none


def test_a_jsonnet_bundle_without_its_variable_fails_before_any_change(local: Local) -> None:
    run = upload_catalog(local)
    assert finish(local, run["executionArn"]) == "FAILED"
    sfn = local.aws.client("stepfunctions")
    cause = sfn.describe_execution(executionArn=run["executionArn"]).get("cause", "")
    assert "ecs-task-def.jsonnet: must_env `IMAGE_TAG`" in cause
    assert not local.aws.client("vpc-lattice").list_services()["items"]


def test_a_failure_reads_as_sentences_a_list_indented_under_its_line(
    local: Local, bundle: Any
) -> None:
    """Through the S3 door (the CLI refuses such a bundle before it uploads anything)."""
    directory = Path(bundle("broken"))
    upload(local, "ecs-task-def.json", '{"family": ', service="broken")
    config = "service: broken\ncluster: my-cluster\ntimeout: soon\n"
    upload(local, "ecspresso.yml", config, service="broken")
    text = (directory / "ecs-service-def.json").read_text()
    run = started(upload(local, "ecs-service-def.json", text, service="broken"))
    assert finish(local, run["executionArn"]) == "FAILED"
    exited = [
        e["stateExitedEventDetails"]
        for e in local.history({"executionArn": run["executionArn"]})
        if e.get("stateExitedEventDetails", {}).get("name") == "report"
    ]
    message = json.loads(exited[-1]["output"])["report"]["failure"]["message"]
    first, *listed, tail = message.split("\n")
    assert first == "load_bundle failed: 2 problem(s) in the bundle:"
    assert [line[:4] for line in listed] == ["  - ", "  - "], message
    assert listed[-1].endswith("; fix the syntax there."), message
    assert tail.startswith("Rolled back: removed 0 resource(s)"), message
