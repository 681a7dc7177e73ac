"""The run's own count of its AWS calls is complete: every phase (lock, deploy, health polls,
rollback, report), retried attempts and failed steps included, equal to what the emulator served
to that execution's Lambda invocations."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.runner import run

from .conftest import EXAMPLE, Local


def served(aws: EmbeddedAws, summary: dict[str, Any]) -> dict[str, int]:
    counted = aws.calls(execution=summary["deploymentId"])
    return {"mutating": counted["mutating"], "read": counted["read"]}


def totals(summary: dict[str, Any]) -> dict[str, int]:
    return {"mutating": summary["calls"]["mutating"], "read": summary["calls"]["read"]}


def test_a_first_deploy_counts_every_phase(local: Local) -> None:
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "SUCCEEDED"
    phases = summary["calls"]["phases"]
    assert phases["deploy"]["mutating"] == 8  # the ECS and Lattice changes of a first deploy
    assert phases["health"]["read"] > 4 * 3  # every poll's reads (4 polls), not the last one's
    assert phases["lock"]["mutating"] >= 3  # ticket, turn, release
    # its object, its event, the image index (the service's item, the index entries); the history
    assert phases["report"] == {"mutating": 4, "read": 1}
    assert totals(summary) == served(local.aws, summary)
    assert summary["calls"]["unaccounted"] == 0


@pytest.mark.parametrize(
    "fault", ["fail:CreateTargetGroup", "unhealthy-targets", "throttle:CreateListener:5"]
)
def test_a_failed_or_retried_run_counts_its_rollback_and_failed_attempts(
    local: Local, fault: str
) -> None:
    local.aws.inject(fault)
    summary = local.deploy(EXAMPLE)
    assert totals(summary) == served(local.aws, summary)
    if summary["status"] == "FAILED":
        assert summary["rolledBack"] is True
        assert summary["calls"]["phases"]["rollback"]["mutating"] > 0
        assert "this attempt made" not in summary["failure"]["message"]


def test_a_crashed_invocation_is_said_to_be_uncounted(local: Local) -> None:
    local.aws.inject("crash-after:RegisterTaskDefinition")
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "FAILED"
    assert summary["calls"]["unaccounted"] == 1
    assert "1 crashed invocation(s) uncounted" in run.headline(summary)
    emulator = served(local.aws, summary)
    assert totals(summary)["mutating"] < emulator["mutating"]  # the crashed call went unreported


def test_a_crash_is_said_with_lambdas_request_id_never_an_empty_one(local: Local) -> None:
    local.aws.inject("crash-after:RegisterTaskDefinition")
    message = local.deploy(EXAMPLE)["failure"]["message"]
    assert message.startswith(
        "register_task_definition failed: the function crashed: Runtime exited with error: "
    )
    assert re.search(r"\(Lambda RequestId [0-9a-f-]{36}\)\. Rolled back: ", message), message
    assert "RequestId: " not in message
