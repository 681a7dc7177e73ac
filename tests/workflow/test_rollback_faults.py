"""A rollback that never gives up: its Lambda crashing, a second fault during it, a rollback
that cannot finish (each resource left listed with its command, and the next run of the service
finishing it), and a deploy whose notice fails after it took effect."""

from __future__ import annotations

import json
from typing import Any

from lattice_deploy.runner import run

from .conftest import EXAMPLE, Local
from .snapshot import snapshot
from .test_fault_matrix import tagged


def states(local: Local, summary: dict[str, Any]) -> list[str]:
    return [
        e["stateEnteredEventDetails"]["name"]
        for e in local.history(summary)
        if "stateEnteredEventDetails" in e
    ]


def test_a_rollback_lambda_that_crashes_is_retried_and_finishes(local: Local) -> None:
    before = snapshot(local.aws)
    local.aws.inject("unhealthy-targets")
    local.aws.inject("crash-after:vpc-lattice.ListTagsForResource:3@rollback")
    summary = local.deploy(EXAMPLE)
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    assert snapshot(local.aws) == before
    assert states(local, summary).count("list_left") == 0


def test_a_rollback_that_keeps_crashing_lists_everything_left_and_the_next_run_finishes_it(
    local: Local,
) -> None:
    """Every retry of the rollback dies (1 + 4 attempts): it is asked once more, to list only,
    and the run ends with each resource left and its command: exactly what the account still
    holds of the run. The next run of the service, without faults, removes them and deploys."""
    before = snapshot(local.aws)
    local.aws.inject("unhealthy-targets")
    local.aws.inject("crash-after:vpc-lattice.ListTagsForResource:5@rollback")
    summary = local.deploy(EXAMPLE)
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", False)
    assert "list_left" in states(local, summary)
    left = summary["rollback"]["left"]
    message = summary["failure"]["message"]
    assert "ROLLBACK INCOMPLETE (" in message and "the function crashed" in message
    assert all(item["remove"] in message for item in left)
    still = tagged(local.aws, summary["deploymentId"])
    assert still, "the crashes were to leave something"
    kinds = {i["type"] for i in left}
    assert {"serviceNetwork", "latticeService", "targetGroup"} <= kinds, left
    for arn in still:  # the list is complete: each resource the account holds is named
        assert any(arn.endswith(i["id"]) or arn == i["id"] for i in left), (arn, left)
    local.aws.clear_faults()
    again = local.deploy(EXAMPLE)
    assert again["status"] == "SUCCEEDED", again.get("failure")
    assert tagged(local.aws, summary["deploymentId"]) == []
    assert "finish_leftovers" in states(local, again)
    assert snapshot(local.aws)["serviceNetworks"] != before["serviceNetworks"]  # its own


def test_a_denied_delete_service_keeps_the_task_definition_it_runs(local: Local) -> None:
    local.aws.inject("unhealthy-targets")
    local.aws.inject("fail:ecs.DeleteService")
    summary = local.deploy(EXAMPLE)
    left = {i["type"]: i for i in summary["rollback"]["left"]}
    # the Lattice side went on; the group the surviving service registers in is kept
    assert set(left) == {"ecsService", "taskDefinition", "targetGroup"}, left
    assert "still runs it" in left["taskDefinition"]["reason"]
    assert left["taskDefinition"]["remove"].startswith("aws ecs deregister-task-definition")
    ecs = local.aws.client("ecs")
    (service,) = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"]
    described = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    assert described["taskDefinition"]["status"] == "ACTIVE"


def test_leftovers_that_still_cannot_go_stop_the_next_run_before_any_change(local: Local) -> None:
    local.aws.inject("unhealthy-targets")
    local.aws.inject("fail:DeleteServiceNetwork")
    first = local.deploy(EXAMPLE)
    assert [i["type"] for i in first["rollback"]["left"]] == ["serviceNetwork"]
    local.aws.clear_faults()
    local.aws.inject("fail:DeleteServiceNetwork")
    held = snapshot(local.aws)
    second = local.deploy(EXAMPLE)
    assert (second["status"], run.exit_code(second)) == ("FAILED", 1)
    assert second["failure"]["step"] == "finish_leftovers"
    assert "this run changed nothing" in second["failure"]["message"]
    assert "aws vpc-lattice delete-service-network" in second["failure"]["message"]
    assert snapshot(local.aws) == held
    local.aws.clear_faults()
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    assert tagged(local.aws, first["deploymentId"]) == []


def test_a_deploy_whose_event_or_report_fails_is_a_success_that_says_so(local: Local) -> None:
    local.aws.inject("fail:events.PutEvents@report")
    summary = local.deploy(EXAMPLE)
    assert (summary["status"], run.exit_code(summary)) == ("SUCCEEDED", 0)
    assert [f["what"] for f in summary["noticeFailed"]] == [
        "the outcome's event (events:PutEvents)"
    ]
    report = next(
        json.loads(e["stateExitedEventDetails"]["output"])["report"]
        for e in local.history(summary)
        if e["type"] == "TaskStateExited" and e["stateExitedEventDetails"]["name"] == "report"
    )
    assert report["noticeFailed"] == summary["noticeFailed"]
    assert "NOTICE FAILED" in run.headline(summary)


def test_a_report_lambda_that_keeps_dying_after_a_good_deploy_still_succeeds(local: Local) -> None:
    local.aws.inject("crash-after:stepfunctions.GetExecutionHistory:99@report")
    summary = local.deploy(EXAMPLE)
    assert (summary["status"], run.exit_code(summary)) == ("SUCCEEDED", 0)
    assert states(local, summary)[-2:] == ["unreported_verdict", "deployed_unreported"]
    assert "could not be written" in summary["noticeFailed"][0]["error"]


def test_a_report_lambda_that_keeps_dying_after_a_failure_fails_the_run(local: Local) -> None:
    local.aws.inject("unhealthy-targets")
    local.aws.inject("crash-after:stepfunctions.GetExecutionHistory:99@report")
    summary = local.deploy(EXAMPLE)
    assert (summary["status"], run.exit_code(summary)) == ("FAILED", 1)
    assert summary["failure"]["message"].startswith("The run ended but its report could not")


def test_a_deploy_whose_report_cannot_be_written_is_a_success_that_says_so(local: Local) -> None:
    local.aws.inject("fail:s3.PutObject@report")
    summary = local.deploy(EXAMPLE)
    assert (summary["status"], run.exit_code(summary)) == ("SUCCEEDED", 0)
    (notice,) = summary["noticeFailed"]
    assert notice["what"].startswith(f"the report s3://{local.stack.bucket}/reports/myservice/")
    assert "AccessDenied" in notice["error"]
    assert "report" not in summary  # no location: nothing was written
