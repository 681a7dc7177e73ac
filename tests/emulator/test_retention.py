"""What an ended execution keeps is bounded: its interpreter goes, only the newest histories stay
whole (``serve``'s memory grew ~0.7 MB per deploy without this)."""

from __future__ import annotations

import json
import time

import pytest

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.emulator.stepfunctions import retention

PASS = {
    "StartAt": "a",
    "States": {"a": {"Type": "Pass", "Next": "b"}, "b": {"Type": "Pass", "End": True}},
}


def test_only_the_newest_histories_are_kept_whole(
    aws: EmbeddedAws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention, "KEPT_HISTORIES", 3)
    sfn = aws.client("stepfunctions")
    arn = sfn.create_state_machine(
        name="p", definition=json.dumps(PASS), roleArn="arn:aws:iam::123456789012:role/sfn"
    )["stateMachineArn"]
    runs = []
    for n in range(6):
        runs.append(sfn.start_execution(stateMachineArn=arn, name=f"r{n}")["executionArn"])
        deadline = time.monotonic() + 10
        while sfn.describe_execution(executionArn=runs[-1])["status"] == "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        aws.advance(1)
    kept = [len(sfn.get_execution_history(executionArn=r)["events"]) for r in runs]
    assert kept[3:] == [kept[5]] * 3 and kept[5] > 2 and kept[:3] == [2, 2, 2], kept
    executions = retention.executions(aws.account_id)
    assert all(isinstance(e.exec_worker, retention.EndedWorker) for e in executions)
    assert [e["status"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]] == [
        "SUCCEEDED"
    ] * 6
