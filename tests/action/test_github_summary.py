"""``deploy --github``'s writer (:mod:`lattice_deploy.runner.github`) on summaries the serve tests
cannot easily make: a rollback that left something, values that would break markdown or a
workflow command, the console links of a deploy on AWS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lattice_deploy.runner import github

from .runner import read_outputs

ARN = (
    "arn:aws:states:eu-west-1:111122223333:execution:lattice-deploy-DeployStateMachine:"
    "api-20261202T000000000000-abcdef12"
)
REMOVE = "aws vpc-lattice delete-service-network --service-network-identifier sn-1"
REPORT = "s3://lattice-deploy-bundles-111122223333-eu-west-1/reports/api/api-1.json"


def left_behind() -> dict[str, Any]:
    return {
        "status": "FAILED",
        "executionArn": ARN,
        "service": "api",
        "resources": [{"type": "targetGroup", "action": "created", "name": "a|b", "arn": "x"}],
        "targets": [],
        "calls": {"mutating": 3, "read": 9, "phases": {"rollback": {"mutating": 2, "read": 4}}},
        "rolledBack": False,
        "rollback": {
            "removed": [{"type": "listener", "id": "listener-1"}],
            "restored": [{"type": "ecsService", "id": "svc", "taskDefinition": "api:3"}],
            "kept": [{"type": "taskDefinition", "id": "api:4", "reason": "the service runs it"}],
            "left": [
                {
                    "type": "serviceNetwork",
                    "id": "sn-1",
                    "reason": "AccessDeniedException: no",
                    "remove": REMOVE,
                    "retry": False,
                }
            ],
        },
        "failure": {"error": "HealthCheckFailed", "step": "check_health", "message": "a\n```b"},
        "report": REPORT,
    }


def test_a_rollback_that_left_something_names_it_with_its_command() -> None:
    text = github.markdown(left_behind())
    assert "### Rollback" in text, text
    rollback = text.split("### Rollback", 1)[1]
    assert "The run was NOT rolled back in full." in rollback
    assert "Removed: 1" in rollback and "| listener | listener-1 |" in rollback
    assert "| ecsService | svc | taskDefinition: api:3 |" in rollback
    assert "| taskDefinition | api:4 | the service runs it |" in rollback
    assert "Left: 1" in rollback
    assert f"| serviceNetwork | sn-1 | AccessDeniedException: no | {REMOVE} |" in rollback


def test_values_cannot_break_the_markdown() -> None:
    text = github.markdown(left_behind())
    assert "| a\\|b |" in text  # a pipe in a cell
    failure = text.split("### Failure", 1)[1].split("### Rollback", 1)[0]
    assert "````text\na\n```b\n````" in failure  # a fence longer than the message's


def test_on_aws_the_summary_links_the_console_and_the_output_stays_the_uri() -> None:
    text = github.markdown(left_behind(), links=True)
    assert "https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/" in text
    assert "https://s3.console.aws.amazon.com/s3/object/lattice-deploy-bundles-" in text
    assert "prefix=reports/api/api-1.json" in text
    assert github.outputs(left_behind())["report-url"] == REPORT
    china = {**left_behind(), "executionArn": ARN.replace("arn:aws:", "arn:aws-cn:")}
    assert github.console_links(china) == []  # another partition's console: not guessed


def test_outputs_and_summary_are_appended_to_the_runners_files(tmp_path: Path) -> None:
    env = {"GITHUB_OUTPUT": str(tmp_path / "out"), "GITHUB_STEP_SUMMARY": str(tmp_path / "sum")}
    (tmp_path / "out").write_text("earlier=1\n")
    error = github.write(left_behind(), environ=env)
    assert read_outputs(tmp_path / "out") == {
        "earlier": "1",
        "execution-arn": ARN,
        "status": "FAILED",
        "report-url": REPORT,
    }
    assert (tmp_path / "sum").read_text().startswith("## ❌ lattice-deploy: api FAILED")
    assert error is not None and error.startswith("::error title=lattice-deploy FAILED::")
    assert "\n" not in error and "%0A```b" in error  # the message's newline, escaped


def test_nothing_is_written_outside_github_actions(tmp_path: Path) -> None:
    assert github.write({**left_behind(), "status": "SUCCEEDED"}, environ={}) is None
    assert github.refused("invalid bundle: x", environ={}).endswith("::invalid bundle: x")
    assert list(tmp_path.iterdir()) == []
