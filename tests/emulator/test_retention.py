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


@pytest.mark.parametrize("step", [1, 0], ids=["time-moves", "time-stopped"])
def test_only_the_newest_histories_are_kept_whole(
    aws: EmbeddedAws, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    """Also when they all end at one virtual moment (serve at --time-rate 0): the one that just
    ended is whole, or the CLI following it loses its report."""
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
        if step:
            aws.advance(step)
    kept = [len(sfn.get_execution_history(executionArn=r)["events"]) for r in runs]
    assert kept[3:] == [kept[5]] * 3 and kept[5] > 2 and kept[:3] == [2, 2, 2], kept
    executions = retention.executions(aws.account_id)
    assert all(isinstance(e.exec_worker, retention.EndedWorker) for e in executions)
    assert [e["status"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]] == [
        "SUCCEEDED"
    ] * 6


@pytest.mark.parametrize("step", [1, 0], ids=["time-moves", "time-stopped"])
def test_only_the_newest_ended_executions_are_kept_at_all(
    aws: EmbeddedAws, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    """Beyond KEPT_EXECUTIONS an ended execution is gone, as on AWS after 90 days; the kept ones
    describe their input and output as they were (kept as JSON text)."""
    monkeypatch.setattr(retention, "KEPT_EXECUTIONS", 4)
    sfn = aws.client("stepfunctions")
    arn = sfn.create_state_machine(
        name="p", definition=json.dumps(PASS), roleArn="arn:aws:iam::123456789012:role/sfn"
    )["stateMachineArn"]
    runs = []
    for n in range(6):
        given = json.dumps({"n": n, "nested": {"list": [1, "two", None]}})
        runs.append(
            sfn.start_execution(stateMachineArn=arn, name=f"r{n}", input=given)["executionArn"]
        )
        deadline = time.monotonic() + 10
        while sfn.describe_execution(executionArn=runs[-1])["status"] == "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        if step:
            aws.advance(step)
    listed = [e["executionArn"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]]
    assert sorted(listed) == sorted(runs[2:])
    for gone in runs[:2]:
        with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
            sfn.describe_execution(executionArn=gone)
    last = sfn.describe_execution(executionArn=runs[-1])
    expected = {"n": 5, "nested": {"list": [1, "two", None]}}
    assert json.loads(last["input"]) == json.loads(last["output"]) == expected
    kept = retention.executions(aws.account_id)
    assert all(isinstance(e.output, retention.JsonText) for e in kept)
