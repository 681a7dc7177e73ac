"""A ``startExecution.sync:2`` task waits for its child's end, not by polling DescribeExecution
(moto's loop asks twice a real second): an ECR fan-out's hundreds of waiting parents must cost
nothing while they wait, and still hear of their child's end at once."""

from __future__ import annotations

import json
import time

import boto3
import pytest
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_callback as callback_task,
)

from lattice_deploy.emulator import CLOCK, EmbeddedAws

ROLE = "arn:aws:iam::123456789012:role/states"


def machine(sfn: object, name: str, definition: dict[str, object]) -> str:
    made = sfn.create_state_machine(  # type: ignore[attr-defined]
        name=name, definition=json.dumps(definition), roleArn=ROLE
    )
    return str(made["stateMachineArn"])


def test_a_parent_describes_its_child_once_when_it_has_ended(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # moto's loop asks every 0.01 s here: in 0.2 s it would have asked about twenty times
    monkeypatch.setattr(callback_task, "_DELAY_SECONDS_SYNC_CONDITION_CHECK", 0.01)
    with EmbeddedAws() as aws:
        sfn = boto3.client("stepfunctions", region_name=aws.region)
        child = machine(
            sfn,
            "child",
            {"StartAt": "w", "States": {"w": {"Type": "Wait", "Seconds": 60, "End": True}}},
        )
        task = {
            "Type": "Task",
            "Resource": "arn:aws:states:::states:startExecution.sync:2",
            "Parameters": {"StateMachineArn": child, "Input": {}},
            "End": True,
        }
        parent = machine(sfn, "parent", {"StartAt": "t", "States": {"t": task}})
        CLOCK.hold()  # the child waits its 60 s while the clock is held: real time passes
        run = sfn.start_execution(stateMachineArn=parent)["executionArn"]
        time.sleep(0.2)
        assert aws.calls()["calls"].get("stepfunctions:DescribeExecution", 0) == 0
        CLOCK.hold(False)
        deadline = time.monotonic() + 30
        while sfn.describe_execution(executionArn=run)["status"] == "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert sfn.describe_execution(executionArn=run)["status"] == "SUCCEEDED"
