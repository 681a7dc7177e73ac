"""An execution's dates are virtual: its duration is its own, however old the clock is.

Through ``serve`` (time at 10x) moto's wall-clock ``startDate`` put a report's ``seconds`` at
195 s on the first deploy and 18,846 s on the 100th; here the clock is aged instead.
"""

from __future__ import annotations

import json
import time

from lattice_deploy.emulator import CLOCK, EmbeddedAws

WAIT = {
    "StartAt": "wait",
    "States": {
        "wait": {"Type": "Wait", "Seconds": 30, "End": True},
    },
}
ROLE = "arn:aws:iam::123456789012:role/sfn"


def run_once(sfn: object, arn: str, name: str) -> dict[str, object]:
    started = sfn.start_execution(stateMachineArn=arn, name=name)  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while True:
        described = sfn.describe_execution(executionArn=started["executionArn"])  # type: ignore[attr-defined]
        if described["status"] != "RUNNING" or time.monotonic() > deadline:
            return dict(described)
        time.sleep(0.01)


def test_start_and_stop_dates_are_virtual_whatever_the_clock_s_age(aws: EmbeddedAws) -> None:
    sfn = aws.client("stepfunctions")
    arn = sfn.create_state_machine(name="w", definition=json.dumps(WAIT), roleArn=ROLE)[
        "stateMachineArn"
    ]
    durations = []
    for run in range(2):
        aws.advance(5000)  # an old serve: its clock far from the wall clock
        before = CLOCK.datetime()
        done = run_once(sfn, arn, f"run{run}")
        assert done["status"] == "SUCCEEDED"
        start, stop = done["startDate"], done["stopDate"]
        assert abs((start - before).total_seconds()) < 1  # type: ignore[operator]
        first = sfn.get_execution_history(executionArn=done["executionArn"])["events"][0]
        assert first["type"] == "ExecutionStarted" and first["timestamp"] == start
        durations.append((stop - start).total_seconds())  # type: ignore[operator]
    assert [round(d) for d in durations] == [30, 30]
