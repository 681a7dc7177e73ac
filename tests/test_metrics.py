"""The report's EMF record: printed once per deployment when metrics are on, never when off."""

from __future__ import annotations

import json

import pytest

from deployer.states import report


def test_disabled_metrics_print_nothing_even_after_a_hundred_deployments(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    for _ in range(101):
        report.publish_metrics({"status": "SUCCEEDED"})
    assert capsys.readouterr().out == ""


def test_enabled_metrics_print_one_record_per_deployment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    report.publish_metrics({"status": "FAILED"})
    report.publish_metrics({"status": "SUCCEEDED"})
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 2
    assert records[0]["DeploymentsFailed"] == records[1]["DeploymentsSucceeded"] == [1.0]
    assert "DeploymentsSucceeded" not in records[0]
    assert records[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "LatticeDeploy"


def test_a_deployment_records_its_polls_rollbacks_and_time_to_healthy(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    health = {"status": "HEALTHY", "polls": 5, "since": "2026-11-26T09:00:00+00:00"}
    report.publish_metrics(
        {"status": "SUCCEEDED", "seconds": 200.5}, health, "2026-11-26T09:03:00+00:00"
    )
    report.publish_metrics({"status": "FAILED", "rolledBack": True}, {"polls": 4}, "")
    healthy, failed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (healthy["SecondsToHealthy"], healthy["HealthPolls"], healthy["Rollbacks"]) == (
        [180.0],
        [5.0],
        [0.0],
    )
    assert healthy["DeploymentSeconds"] == [200.5]
    assert (failed["Rollbacks"], failed["HealthPolls"]) == ([1.0], [4.0])
    assert "SecondsToHealthy" not in failed
