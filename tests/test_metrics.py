"""The report's EMF record: printed once per deployment when metrics are on, never when off."""

from __future__ import annotations

import json

import pytest

from deployer import report


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
