"""Rollback: a failed deployment leaves ECS and VPC Lattice as it found them, and says so."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from bundles import renamed
from lattice_deploy.cli.main import main
from lattice_deploy.emulator import CLOCK, Fault
from lattice_deploy.runner import run

from .conftest import EXAMPLE, Local
from .snapshot import snapshot
from .test_ordering import until


def health_polls(local: Local, summary: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        json.loads(e["stateExitedEventDetails"]["output"])["health"]
        for e in local.history(summary)
        if e["type"] == "TaskStateExited" and e["stateExitedEventDetails"]["name"] == "check_health"
    ]


def test_unhealthy_targets_on_a_first_deploy_roll_everything_back(local: Local) -> None:
    before = snapshot(local.aws)
    local.aws.inject("unhealthy-targets")
    summary = local.deploy(EXAMPLE)
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    assert snapshot(local.aws) == before
    removed = {r["type"] for r in summary["rollback"]["removed"]}
    assert removed == {
        "ecsService",
        "taskDefinition",
        "serviceAssociation",
        "listener",
        "targetGroup",
        "latticeService",
        "vpcAssociation",
        "serviceNetwork",
    }
    message = summary["failure"]["message"]
    assert (
        message.startswith("check_health failed:")
        and "Task failed VPC Lattice health checks" in message
    )
    assert "Rolled back" in message


def test_the_health_gate_decides_within_one_poll_of_the_failure(local: Local) -> None:
    local.aws.inject("unhealthy-targets")
    summary = local.deploy(EXAMPLE)
    polls = health_polls(local, summary)
    # tasks run (and ECS registers them) at 30 s; the first check fails within one interval and
    # the second one interval later (UNHEALTHY by 90 s, whatever the first check's offset); the
    # gate looks as each interval after registration ends (60 s, 90 s)
    assert [p["status"] for p in polls] == ["WAITING"] * 4 + ["FAILED"]
    assert [p["waitSeconds"] for p in polls[:4]] == [15, 15, 30, 30]


def test_a_new_revision_that_never_turns_healthy_is_rolled_back_to_the_previous_one(
    local: Local, bundle: Any
) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    before = snapshot(local.aws)
    local.aws.inject("unhealthy-targets:myservice:2")
    summary = local.deploy(bundle(task=new_image))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    assert snapshot(local.aws) == before
    assert [r["taskDefinition"] for r in summary["rollback"]["restored"]] == [
        before["ecsServices"][0][1]
    ]


def new_image(task: dict[str, Any]) -> None:
    task["containerDefinitions"][0]["image"] = "nginx:broken"


def test_a_failed_scale_up_puts_the_desired_count_back(local: Local, bundle: Any) -> None:
    """The service runs 1 task; a deploy of a broken revision that also scales it to 3 fails:
    the rollback puts the revision and the count back (the report says the service is as the
    run found it, so it must be)."""
    one = bundle("one", service=lambda d: d.update(desiredCount=1))
    assert local.deploy(one)["status"] == "SUCCEEDED"
    before = snapshot(local.aws)
    local.aws.inject("unhealthy-targets:myservice:2")
    summary = local.deploy(bundle(task=new_image))  # the example's desiredCount: 3
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    assert "as the run found them" in summary["failure"]["message"]
    (service,) = local.aws.client("ecs").describe_services(
        cluster="my-cluster", services=["myservice"]
    )["services"]
    assert (service["desiredCount"], service["taskDefinition"]) == (1, before["ecsServices"][0][1])
    assert snapshot(local.aws) == before


def test_access_logs_a_failed_update_added_are_removed(local: Local, bundle: Any) -> None:
    """The Lattice service stays (an earlier run made it), so its delete cannot take the
    subscription with it: the rollback deletes the one this run added."""
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    before = snapshot(local.aws)
    logs = "arn:aws:logs:ap-northeast-1:123456789012:log-group:lattice-access"

    def logged(service: dict[str, Any]) -> None:
        service["vpcLatticeConfiguration"]["accessLogs"] = logs

    local.aws.inject("unhealthy-targets:myservice:2")
    summary = local.deploy(bundle(service=logged, task=new_image))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    added = next(r for r in summary["resources"] if r["type"] == "accessLogs")
    assert added["action"] == "created"
    assert snapshot(local.aws) == before
    removed = summary["rollback"]["removed"]
    assert [r["id"] for r in removed if r["type"] == "accessLogs"] == [added["id"]]


def test_a_timeout_fails_and_rolls_back(local: Local, bundle: Any) -> None:
    # the tasks run at 30 s: 20 s is too short for any check
    config = (EXAMPLE / "ecspresso.yml").read_text().replace("timeout: 10m", "timeout: 20s")
    before = snapshot(local.aws)
    summary = local.deploy(bundle(config=config))
    assert (
        summary["status"] == "FAILED"
        and "within the timeout of 20s" in summary["failure"]["message"]
    )
    assert summary["rolledBack"] and snapshot(local.aws) == before


def test_an_updated_health_check_is_put_back(local: Local, bundle: Any) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    before = snapshot(local.aws)

    def stricter(service: dict[str, Any]) -> None:
        service["vpcLatticeConfiguration"]["healthCheck"] = {
            "path": "/health",
            "healthyThresholdCount": 2,
        }

    local.aws.inject("fail:RegisterTaskDefinition")

    def new_image(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:1.27"

    summary = local.deploy(bundle(service=stricter, task=new_image))
    assert summary["rolledBack"] and [r["type"] for r in summary["rollback"]["restored"]] == [
        "targetGroup"
    ]
    assert snapshot(local.aws) == before


def test_a_rollback_that_cannot_finish_says_what_is_left_and_how_to_remove_it(local: Local) -> None:
    local.aws.inject("fail:CreateService")  # Lattice's and ECS's: the run fails early
    local.aws.inject("fail:DeleteServiceNetwork")
    summary = local.deploy(EXAMPLE)
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", False)
    left = summary["rollback"]["left"]
    assert [item["type"] for item in left] == ["serviceNetwork"]
    assert (
        left[0]["remove"]
        == f"aws vpc-lattice delete-service-network --service-network-identifier {left[0]['id']}"
    )
    assert (
        "ROLLBACK INCOMPLETE" in summary["failure"]["message"]
        and left[0]["remove"] in summary["failure"]["message"]
    )
    removed = {r["type"] for r in summary["rollback"]["removed"]}
    assert removed == {"vpcAssociation"}  # the rest of the rollback went on


@pytest.mark.parametrize(
    ("spec", "code", "rolled_back"),
    [
        ("unhealthy-targets", 1, True),
        ("fail:CreateTargetGroup", 1, True),
        ("crash-after:RegisterTaskDefinition", 1, True),
        ("throttle:CreateListener:2", 0, False),
    ],
)
def test_cli_inject(
    spec: str, code: int, rolled_back: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deploy", str(EXAMPLE), "--local", "--json", "--inject", spec]) == code
    summary = json.loads(capsys.readouterr().out)
    assert summary["rolledBack"] is rolled_back
    if rolled_back:
        assert summary["rollback"]["removed"] and not summary["rollback"]["left"]


def test_cli_refuses_bad_or_misplaced_faults(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deploy", str(EXAMPLE), "--local", "--inject", "explode"]) == 2
    assert "invalid --inject" in capsys.readouterr().out
    assert main(["deploy", str(Path(EXAMPLE)), "--inject", "fail:CreateService"]) == 2
    assert "--local or --endpoint-url" in capsys.readouterr().out


def test_direct_registration_is_undone_too(local: Local, bundle: Any) -> None:
    """In direct mode the workflow registered the task IPs itself, so the rollback deregisters them
    (ECS will not): the target group it created can then drain and go."""

    def direct(service: dict[str, Any]) -> None:
        service["vpcLatticeConfiguration"]["registration"] = "direct"

    before = snapshot(local.aws)
    local.aws.inject("unhealthy-targets")
    summary = local.deploy(bundle(service=direct))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True), summary["failure"][
        "message"
    ]
    assert snapshot(local.aws) == before


def test_a_rollback_keeps_the_network_another_service_joined_meanwhile(
    local: Local, tmp_path: Path
) -> None:
    """The lock is per service: while myservice's first deploy waits for health, ``other`` joins
    the network that run made. The failed run's rollback removes its own service and keeps the
    network and the VPC association, which ``other`` now needs, and says so."""
    sfn = local.aws.client("stepfunctions")

    def waiting_for_health(service: str) -> bool:
        runs = sfn.list_executions(stateMachineArn=local.stack.state_machine_arn)["executions"]
        return any(
            r["name"].startswith(service) and "wait_for_health" in str(local.history(r))
            for r in runs
        )

    local.aws.inject("unhealthy-targets:myservice")
    results: dict[str, dict[str, Any]] = {}
    held = CLOCK.started()  # virtual time stands still until both runs wait for health
    try:
        first = threading.Thread(target=lambda: results.update(first=local.deploy(EXAMPLE)))
        first.start()
        until(lambda: waiting_for_health("myservice"), "myservice's run made the network")
        other = renamed(EXAMPLE, tmp_path, "other")
        second = threading.Thread(target=lambda: results.update(second=local.deploy(other)))
        second.start()
        until(lambda: waiting_for_health("other"), "other joined it")
    finally:
        CLOCK.ended(held)
    first.join(timeout=120)
    second.join(timeout=120)
    failed, joined = results["first"], results["second"]
    assert (failed["status"], failed["rolledBack"], joined["status"]) == (
        "FAILED",
        True,
        "SUCCEEDED",
    )
    kept = {k["type"]: k["reason"] for k in failed["rollback"]["kept"]}
    reason = "now used by dev-other-service: kept"
    assert kept == dict.fromkeys(("serviceNetwork", "vpcAssociation"), reason)
    assert "except what other services use now" in failed["failure"]["message"]
    api = local.aws.client("vpc-lattice")
    (association,) = api.list_service_network_vpc_associations(vpcIdentifier="vpc-12345678")[
        "items"
    ]
    assert association["status"] == "ACTIVE"
    services = {s["name"] for s in api.list_services()["items"]}
    assert services == {"dev-other-service"}  # myservice's own Lattice service is gone


def test_a_deploy_whose_calls_cannot_be_counted_still_succeeds_and_says_so(local: Local) -> None:
    """The report's history read is denied after a good deploy: the new revision is live, so the
    run is SUCCEEDED (exit 0), its report written without the counts, and the notice's failure
    is said."""

    def report_denied(deployment_id: str, service: str) -> None:  # for this run's steps only
        rule = Fault.parse("fail:stepfunctions.GetExecutionHistory")
        local.aws.inject(rule.scoped(deployment_id, service))

    summary = run.deploy_bundle(local.target, EXAMPLE, None, local.lines.append, report_denied)
    assert (summary["status"], run.exit_code(summary)) == ("SUCCEEDED", 0)
    (failed,) = summary["noticeFailed"]
    assert "GetExecutionHistory" in failed["what"] and "AccessDenied" in failed["error"]
    assert "NOTICE FAILED (the deploy took effect" in run.headline(summary)
    assert summary["report"].startswith("s3://")
