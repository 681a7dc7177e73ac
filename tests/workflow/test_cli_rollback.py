"""``lattice-deploy rollback`` as a user runs it, against the real-stack path of the CLI (a
CloudFormation stack with ``sam deploy``'s outputs, found with ``--stack``) on the embedded AWS:
real deploys, real executions of the deploy state machine, the health gate, the workflow's own
rollback when the redeployed version fails it, and each refusal before anything starts.

Why not ``--local``: rollback has none (a fresh embedded AWS has no history to go back to).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lattice_deploy.cli.main import main
from lattice_deploy.cli.status import render
from lattice_deploy.console import api as console
from lattice_deploy.runner.status import status

from .conftest import Local
from .test_github_role import sam_deployed

WHERE = ["--stack", "lattice-deploy", "--region", "ap-northeast-1"]


def cli(*args: str) -> int:
    return main([*args, *WHERE])


def executions(local: Local) -> list[dict[str, Any]]:
    """The deploy state machine's executions, newest first."""
    sfn = local.aws.client("stepfunctions")
    found = sfn.list_executions(stateMachineArn=local.stack.state_machine_arn)["executions"]
    return sorted(found, key=lambda e: e["startDate"], reverse=True)


def running_image(local: Local) -> str:
    """The image the ECS service's task definition runs now."""
    ecs = local.aws.client("ecs")
    (service,) = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"]
    task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    return str(task["taskDefinition"]["containerDefinitions"][0]["image"])


def pinned(local: Local, execution: dict[str, Any]) -> dict[str, Any]:
    described = local.aws.client("stepfunctions").describe_execution(
        executionArn=execution["executionArn"]
    )
    return dict(json.loads(described["input"]))


@pytest.fixture
def deployed(local: Local, bundle: Callable[..., Path]) -> Callable[[str], str]:
    """``deployed("nginx:1.27")``: deploy myservice running that image with the CLI (exit 0);
    its execution's name."""
    sam_deployed(local)

    def deploy(image: str) -> str:
        def edit(task: dict[str, Any]) -> None:
            task["containerDefinitions"][0]["image"] = image

        directory = bundle(f"{image.replace(':', '-')}-{len(executions(local))}", task=edit)
        # the virtual clock moves only on waits: a deploy that changes nothing takes no time,
        # and the next would start at the same millisecond (AWS's clock always moves)
        local.aws.advance(1)
        assert cli("deploy", str(directory)) == 0
        return str(executions(local)[0]["name"])

    return deploy


def test_rollback_deploys_the_previous_version_through_the_gate(
    local: Local, deployed: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    v1, v2 = deployed("nginx:1.27"), deployed("nginx:1.28")
    assert running_image(local) == "nginx:1.28"
    capsys.readouterr()

    assert cli("rollback", "myservice", "--json") == 0
    out, err = capsys.readouterr()
    summary = json.loads(out)
    newest = executions(local)[0]
    assert summary["status"] == "SUCCEEDED" and summary["executionArn"] == newest["executionArn"]
    assert newest["status"] == "SUCCEEDED" and newest["name"] not in (v1, v2)
    assert running_image(local) == "nginx:1.27"  # v1's task definition runs again
    assert sum(t["status"] == "HEALTHY" for t in summary["targets"]) == 3  # through the gate
    # the new run pins v1's objects (nothing uploaded) and says who asked
    again, first = pinned(local, newest), pinned(local, executions(local)[2])
    assert again["bundle"] == first["bundle"] and again["deploymentId"] == newest["name"]
    assert again["templateEnv"] == first["templateEnv"] == {}  # present, as its run had it
    assert again["redeployOf"]["by"] == f"lattice-deploy rollback --to {v1}"
    assert summary["redeployOf"]["execution"] == v1
    lines = err.splitlines()
    assert lines[0].startswith(f"lattice-deploy rollback: myservice to {v1} (started ")
    assert f"  running now: {v2} (started " in lines[1]
    assert any(line.startswith("lattice-deploy: rolling back myservice to") for line in lines)
    assert any(line.lstrip().startswith("✓ check_health") for line in lines)  # as deploy prints
    assert lines[-1].startswith("SUCCEEDED: myservice is behind VPC Lattice")

    found = status(local.target, "myservice")
    assert found["executions"][0]["by"] == f"lattice-deploy rollback --to {v1}"
    # what runs now is v1's bundle again: the one before it is v2, rollback's default now
    choices = [(c["execution"], c["running"], c["default"]) for c in found["rollbackTo"]]
    assert choices == [(newest["name"], True, False), (v2, False, True), (v1, True, False)]
    listed = {e["name"]: e["trigger"] for e in console.executions()}
    assert (listed[newest["name"]], listed[v1]) == ("rollback", "CLI")  # the console says so


def test_a_rollback_that_fails_the_health_gate_is_rolled_back_leaving_what_ran(
    local: Local, deployed: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    deployed("nginx:1.27")
    deployed("nginx:1.28")
    local.aws.inject("unhealthy-targets:myservice")
    capsys.readouterr()
    try:
        assert cli("rollback", "myservice", "--json") == 1
    finally:
        local.aws.clear_faults()
    summary = json.loads(capsys.readouterr().out)
    assert summary["status"] == "FAILED" and summary["rolledBack"] is True
    assert summary["failure"]["step"] == "check_health"
    assert executions(local)[0]["status"] == "FAILED"
    assert running_image(local) == "nginx:1.28"  # v2 still runs


def test_to_an_older_version_by_a_unique_start_of_its_name(
    local: Local, deployed: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    v1 = deployed("nginx:1.27")
    deployed("nginx:1.28")
    deployed("nginx:1.29")
    assert cli("rollback", "myservice", "--to", v1[:-6]) == 0
    assert running_image(local) == "nginx:1.27"
    assert pinned(local, executions(local)[0])["redeployOf"]["execution"] == v1
    assert capsys.readouterr().out.splitlines()[-1].startswith("SUCCEEDED")


def test_dry_run_says_what_it_would_deploy_and_starts_nothing(
    local: Local, deployed: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    v1 = deployed("nginx:1.27")
    deployed("nginx:1.28")
    before = executions(local)
    capsys.readouterr()
    assert cli("rollback", "myservice", "--dry-run") == 0
    out = capsys.readouterr().out
    assert executions(local) == before and running_image(local) == "nginx:1.28"
    versions = pinned(local, before[1])["bundle"]["versions"]
    assert f"myservice to {v1} (started {before[1]['startDate']}" in out
    for name, version in versions.items():
        assert f"  {name}" in out and f"version {version}" in out
    assert out.splitlines()[-1] == "nothing started (--dry-run)"
    assert cli("rollback", "myservice", "--dry-run", "--json") == 0
    document = json.loads(capsys.readouterr().out)
    assert document["to"]["execution"] == v1 and document["versions"] == versions
    assert document["started"] is False and executions(local) == before


def test_each_refusal_exits_2_naming_what_is_wrong_before_anything_starts(
    local: Local, deployed: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    v1 = deployed("nginx:1.27")

    def refused(*args: str) -> str:
        before = executions(local)
        capsys.readouterr()
        assert cli("rollback", *args) == 2
        out = capsys.readouterr().out
        assert executions(local) == before, "an execution was started"
        assert len(out.strip().splitlines()) == 1 and "Traceback" not in out
        return out

    assert "no deployment of nobody on this stack" in refused("nobody")
    assert "no earlier version of myservice" in refused("myservice")
    deployed("nginx:1.27")  # the same bundle again: still no earlier version
    assert "every succeeded deployment deployed what runs now" in refused("myservice")
    v2 = deployed("nginx:1.28")
    local.aws.inject("unhealthy-targets:myservice")
    assert cli("deploy", str(Path(__file__).parents[2] / "examples" / "myservice")) == 1
    local.aws.clear_faults()
    failed = str(executions(local)[0]["name"])

    assert "--to myservice-nope: no deployment of myservice is named so" in refused(
        "myservice", "--to", "myservice-nope"
    )
    assert "names more than one deployment of myservice" in refused(
        "myservice", "--to", "myservice-"
    )
    assert f"--to {failed}: that deployment did not succeed (FAILED)" in refused(
        "myservice", "--to", failed[:-3]
    )
    assert f"--to {v2}: it is what runs now" in refused("myservice", "--to", v2)
    # a pinned object version deleted from the bucket: named, with its version
    s3 = local.aws.client("s3")
    version = pinned(local, executions(local)[-1])["bundle"]["versions"]["ecs-task-def.json"]
    s3.delete_object(
        Bucket=local.stack.bucket, Key="definitions/myservice/ecs-task-def.json", VersionId=version
    )
    out = refused("myservice", "--to", v1)
    assert f"{v1}: its ecs-task-def.json version {version} is no longer in s3://" in out
    assert running_image(local) == "nginx:1.28"


def test_status_lists_the_versions_rollback_can_go_to(
    local: Local, deployed: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    v1, v2 = deployed("nginx:1.27"), deployed("nginx:1.28")
    capsys.readouterr()
    assert cli("status", "myservice", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert [(c["execution"], c["running"], c["default"]) for c in found["rollbackTo"]] == [
        (v2, True, False),
        (v1, False, True),
    ]
    assert (
        found["rollbackTo"][1]["versions"]
        == pinned(local, executions(local)[1])["bundle"]["versions"]
    )
    lines = render(found)
    at = lines.index("  versions to roll back to (`lattice-deploy rollback myservice --to NAME`):")
    assert lines[at + 1].startswith(f"    {v2}  ") and lines[at + 1].endswith(" (running now)")
    assert lines[at + 2].startswith(f"    {v1}  ") and lines[at + 2].endswith(
        " (rollback's default)"
    )


def test_an_unreachable_endpoint_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rollback", "myservice", "--endpoint-url", "http://127.0.0.1:9"]) == 2
    assert "lattice-deploy serve" in capsys.readouterr().out
