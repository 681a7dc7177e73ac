"""Every run ends by telling the account: one EventBridge event on the default bus.

Why: with triggers nobody watches a deploy command, so whoever cares (an SNS topic, a chat
hook, a pager) subscribes with a rule on ``source: lattice-deploy``. The ``detail-type`` names
the outcome; the detail is the run's report (service, execution, trigger, images, resources,
rollback, the report's S3 location).
"""

from __future__ import annotations

import json
from typing import Any

from . import aws

SOURCE = "lattice-deploy"


def detail_type(report: dict[str, Any]) -> str:
    if report["status"] == "SUCCEEDED":
        return "Deployment Succeeded"
    if report["status"] == "SUPERSEDED":
        return "Deployment Superseded"
    return "Deployment Rolled Back" if report.get("rolledBack") else "Deployment Failed"


def send(report: dict[str, Any], execution: str) -> None:
    detail = {k: v for k, v in report.items() if k != "awsCalls"} | {"executionArn": execution}
    aws.client("events").put_events(
        Entries=[
            {
                "Source": SOURCE,
                "DetailType": detail_type(report),
                "Detail": json.dumps(detail, default=str),
                "Resources": [execution],
            }
        ]
    )
