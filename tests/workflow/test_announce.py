"""Every run ends with one event on the default bus that a rule can route (here to SQS)."""

from __future__ import annotations

import json
from typing import Any

from deployer.core import announce

from .conftest import EXAMPLE, Local


def _subscribed(local: Local) -> Any:
    sqs, events = local.aws.client("sqs"), local.aws.client("events")
    queue = sqs.create_queue(QueueName="deployments")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(Name="deployments", EventPattern=json.dumps({"source": ["lattice-deploy"]}))
    events.put_targets(Rule="deployments", Targets=[{"Id": "queue", "Arn": arn}])

    def received() -> list[dict[str, Any]]:
        got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in got]

    return received


def test_each_outcome_reaches_a_rule_with_the_runs_report(local: Local, bundle: Any) -> None:
    received = _subscribed(local)
    deployed = local.deploy(EXAMPLE)
    (event,) = received()
    assert (event["source"], event["detail-type"]) == ("lattice-deploy", "Deployment Succeeded")
    detail = event["detail"]
    assert (detail["service"], detail["status"]) == ("myservice", "SUCCEEDED")
    assert detail["executionArn"] == deployed["executionArn"]
    assert detail["location"] == deployed["report"]  # the report in S3

    local.aws.inject("unhealthy-targets:myservice:2")

    def broken(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:broken"

    failed = local.deploy(bundle(task=broken))
    (event,) = received()
    assert event["detail-type"] == "Deployment Rolled Back"
    assert event["detail"]["failure"]["message"] == failed["failure"]["message"]


def test_the_detail_type_names_the_outcome() -> None:
    assert [
        announce.detail_type(report)
        for report in (
            {"status": "SUCCEEDED"},
            {"status": "SUPERSEDED"},
            {"status": "FAILED", "rolledBack": True},
            {"status": "FAILED", "rolledBack": False},
        )
    ] == [
        "Deployment Succeeded",
        "Deployment Superseded",
        "Deployment Rolled Back",
        "Deployment Failed",
    ]
