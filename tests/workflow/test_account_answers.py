"""The account's answer about a bundle: the same from plan, validate --account and deploy, and
every problem said at once, each ``file: field: what is wrong; fix``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lattice_deploy.cli.main import main

from .conftest import EXAMPLE, Local
from .test_adopt_and_errors import PLACEHOLDER_SERVICE, lattice_config

VPC = "vpc-12345678"


def outside_lambda(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a CLI process is: without the stack's function environment (the in-process stack
    puts it in this process's)."""
    monkeypatch.delenv("INFRASTRUCTURE_ROLE_ARN", raising=False)
    monkeypatch.delenv("BUNDLE_ROLE_PREFIX", raising=False)


def answers(
    directory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[tuple[int, str]]:
    """``(exit code, output)`` of plan and of validate --account, run outside Lambda."""
    capsys.readouterr()
    found = []
    with monkeypatch.context() as outside:
        outside_lambda(outside)
        for argv in (["plan", str(directory)], ["validate", str(directory), "--account"]):
            found.append((main(argv), capsys.readouterr().out))
    return found


def test_the_bundle_init_writes_gets_one_answer_from_plan_validate_and_deploy(
    local: Local,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    written = tmp_path / "bundle"
    argv = ["init", "--cluster", "my-cluster", "--service", "myservice", "--dir", str(written)]
    assert main(argv) == 0
    assert "lattice-deploy-EcsInfrastructureRole" in (written / "ecs-service-def.json").read_text()
    (plan, validated) = answers(written, monkeypatch, capsys)
    assert plan[0] == 0 and plan[1].rstrip().endswith("No changes."), plan[1]
    assert validated == (0, f"{written}: valid\n")
    assert local.deploy(written)["status"] == "SUCCEEDED"


@pytest.mark.parametrize(
    "role",
    [
        "arn:aws:iam::123456789012:role/someone-elses-role",  # not named BundleRolePrefix*
        "arn:aws:iam::210987654321:role/ecsTaskRole",  # so named, in another account
    ],
)
def test_a_role_the_stack_may_not_pass_is_refused_alike_by_plan_validate_and_deploy(
    role: str,
    local: Local,
    bundle: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def other_role(task: dict[str, Any]) -> None:
        task["taskRoleArn"] = role

    directory = bundle(task=other_role)
    said = f"ecs-task-def.json: taskRoleArn: {role} is not a role this stack may pass to ECS"
    for code, out in answers(directory, monkeypatch, capsys):
        assert code == 2 and said in out, out
    local.aws.reset_calls()
    summary = local.deploy(directory)
    assert summary["status"] == "FAILED" and said in summary["failure"]["message"]
    assert summary["failure"]["step"] == "load_bundle"  # refused before any change
    assert not [k for k in local.aws.calls()["mutatingCalls"] if k.startswith(("ecs", "vpc-la"))]


def test_the_origin_documents_three_problems_are_said_together(
    local: Local, bundle: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Made by hand as its procedure does: a service, an INSTANCE group, a listener forwarding
    to it; the bundle keeps the document's placeholder service ARN."""
    api = local.aws.client("vpc-lattice")
    service = api.create_service(name="myservice", authType="NONE")
    group = api.create_target_group(
        name="myservice-tg",
        type="INSTANCE",
        config={"port": 80, "protocol": "HTTP", "vpcIdentifier": VPC},
    )
    listener = api.create_listener(
        serviceIdentifier=service["id"],
        name="myservice-listener",
        protocol="HTTP",
        port=80,
        defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": group["id"]}]}},
    )
    directory = bundle(
        service=lattice_config(serviceArn=PLACEHOLDER_SERVICE, targetGroupArn=group["arn"])
    )
    capsys.readouterr()
    assert main(["validate", str(directory), "--account"]) == 2
    out = capsys.readouterr().out
    field = "ecs-service-def.json: vpcLatticeConfiguration"
    lines = [line for line in out.splitlines() if line.lstrip("- ").startswith(field)]
    assert len(lines) == 3, out
    listener_line, service_line, group_line = sorted(lines)  # .listener, .serviceArn, .target…
    assert ".listener: listener myservice-listener" in listener_line
    assert f"--listener-identifier {listener['id']}" in listener_line
    assert ".serviceArn: ResourceNotFoundException" in service_line
    assert f"in use by Lattice service {service['arn']}: name that one" in service_line
    assert ".targetGroupArn: Target group" in group_line and "--type IP" in group_line
    local.aws.reset_calls()
    summary = local.deploy(directory)
    assert summary["status"] == "FAILED"
    assert "3 problem(s) against the account:" in summary["failure"]["message"]
    assert not [k for k in local.aws.calls()["mutatingCalls"] if k.startswith(("ecs", "vpc-la"))]
