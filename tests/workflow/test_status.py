"""``status``: a service's turn and its recent executions, however they were started."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lattice_deploy.cli.status import exit_code, render
from lattice_deploy.runner.status import status

from .conftest import EXAMPLE, Local
from .test_s3_trigger import settle, upload


def test_status_lists_the_services_runs_newest_first_with_who_started_them(
    local: Local, bundle: Any
) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    other = bundle("other", service=lambda d: d.update(serviceName="other"))
    (other / "ecspresso.yml").write_text(
        (other / "ecspresso.yml").read_text().replace("service: myservice", "service: other")
    )
    assert local.deploy(other)["status"] == "SUCCEEDED"
    local.aws.inject("unhealthy-targets")
    failed = local.deploy(bundle("edited", task=lambda d: d.update(cpu="512", memory="1024")))
    assert failed["status"] == "FAILED"
    local.aws.clear_faults()
    text = (EXAMPLE / "ecs-service-def.json").read_text()
    upload(local, "ecs-service-def.json", text.replace('"desiredCount": 3', '"desiredCount": 2'))
    settle(local)

    found = status(local.target, "myservice")
    runs = found["executions"]
    assert [r["status"] for r in runs] == ["SUCCEEDED", "FAILED", "SUCCEEDED"]
    assert runs[0]["by"].startswith("upload of s3://") and runs[2]["by"] == "lattice-deploy deploy"
    assert "Rolled back" in runs[1]["why"]
    assert {r["service"] for r in runs} == {"myservice"}  # not the other service's run
    assert found["turn"] == {
        "holder": None,
        "newestRequest": 3,
        "newestRequestBy": runs[0]["by"],
    }
    lines = render(found)
    assert lines[0] == "myservice: deploying now: nobody"
    assert lines[1].startswith("  newest request #3: upload of s3://")
    assert lines[2] == "  healthy"  # then ECS and Lattice as they are now, then the runs
    runs_at = next(i for i, line in enumerate(lines) if line.startswith(("  ✓", "  ✗")))
    assert lines[runs_at].startswith("  ✓ SUCCEEDED")
    assert any(line.startswith("  VPC Lattice: target group arn:") for line in lines[3:runs_at])
    assert len(status(local.target, None)["executions"]) == 4
    assert len(status(local.target, "myservice", limit=1)["executions"]) == 1


def test_status_without_a_stack_exits_2(capsys: Any) -> None:
    from lattice_deploy.cli.main import main

    assert main(["status", "myservice", "--endpoint-url", "http://127.0.0.1:9"]) == 2
    assert "lattice-deploy serve" in capsys.readouterr().out


def test_status_says_whether_the_service_is_healthy_now(local: Local, bundle: Any) -> None:
    deployed = local.deploy(EXAMPLE)
    found = status(local.target, "myservice")
    health = found["health"]
    assert health["healthy"] is True and exit_code(found) == 0
    assert health["ecs"]["running"] == health["ecs"]["desired"] == 3
    assert [d["rolloutState"] for d in health["ecs"]["deployments"]] == ["COMPLETED"]
    group = next(r["arn"] for r in deployed["resources"] if r["type"] == "targetGroup")
    listed = local.aws.client("vpc-lattice").list_targets(targetGroupIdentifier=group)["items"]
    assert {(t["id"], t["status"]) for t in health["lattice"]["targets"]} == {
        (t["id"], "HEALTHY") for t in listed
    }
    assert render(found)[2] == "  healthy"

    local.aws.inject("unhealthy-targets:myservice:2")
    failed = local.deploy(bundle("broken", task=lambda d: d.update(cpu="512", memory="1024")))
    assert failed["status"] == "FAILED"
    after = status(local.target, "myservice")
    assert exit_code(after) == 1  # the newest deployment failed (rolled back)


def test_status_after_a_canary_reads_the_group_the_new_tasks_are_in(
    local: Local, tmp_path: Path
) -> None:
    """After a successful canary the running revision's tasks are in the alternate target group,
    not the service's primary ``targetGroupArn``: status reads where they are registered."""
    from .test_progressive import bundle_of

    assert local.deploy(bundle_of(tmp_path, "nginx:1.27"))["status"] == "SUCCEEDED"
    assert local.deploy(bundle_of(tmp_path, "nginx:1.28"))["status"] == "SUCCEEDED"
    found = status(local.target, "checkout")
    health = found["health"]
    assert health["healthy"] is True and exit_code(found) == 0, health
    names = {
        g["arn"]: g["name"] for g in local.aws.client("vpc-lattice").list_target_groups()["items"]
    }
    assert names[health["lattice"]["targetGroup"]] == "dev-checkout-targetgroup-alt"
    assert [t["status"] for t in health["lattice"]["targets"]] == ["HEALTHY"] * 2
