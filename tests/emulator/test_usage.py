"""The billed units the fleet bench prices: every state entered counts as a transition, a
Distributed Map's iterations too (moto keeps no history for them, AWS bills them)."""

from __future__ import annotations

import json
import time

import boto3

from lattice_deploy.emulator import CLOCK, EmbeddedAws
from lattice_deploy.emulator.usage import USAGE

MAP = {
    "StartAt": "each",
    "States": {
        "each": {
            "Type": "Map",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "JSON"},
                "Parameters": {"Bucket": "usage-items", "Key": "items.json"},
            },
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "wait",
                "States": {
                    "wait": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "done"},
                    "done": {"Type": "Pass", "End": True},
                },
            },
            "End": True,
        }
    },
}


def test_each_state_entered_is_counted_map_iterations_included() -> None:
    with EmbeddedAws() as aws:
        s3 = boto3.client("s3", region_name=aws.region)
        where = {"LocationConstraint": aws.region}
        s3.create_bucket(Bucket="usage-items", CreateBucketConfiguration=where)
        items = [{"delay": n} for n in range(7)]
        s3.put_object(Bucket="usage-items", Key="items.json", Body=json.dumps(items))
        sfn = boto3.client("stepfunctions", region_name=aws.region)
        role = "arn:aws:iam::123456789012:role/states"
        arn = sfn.create_state_machine(name="m", definition=json.dumps(MAP), roleArn=role)
        began, before = CLOCK.now(), USAGE.snapshot()["transitions"]
        run = sfn.start_execution(stateMachineArn=arn["stateMachineArn"])["executionArn"]
        deadline = time.monotonic() + 30
        while (described := sfn.describe_execution(executionArn=run))["status"] == "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert described["status"] == "SUCCEEDED"
        assert USAGE.snapshot()["transitions"] - before == 1 + 7 * 2  # the Map, each item's two
        assert CLOCK.now() - began >= 6  # each item waited its own delay, the longest 6 s
