"""The discrete-event clock: sleepers wake at their own deadlines, time jumps only when no cursor
runs, and a running cursor holds time back."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime

import pytest

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.emulator.clock import ClockReset, VirtualClock


def sleeper(clock: VirtualClock, seconds: float, woke: dict[float, float]) -> threading.Thread:
    """A cursor that sleeps once (count it with ``clock.started()`` first, as executions are)."""

    def run() -> None:
        clock.sleep(seconds)
        woke[seconds] = clock.now()
        clock.ended(0)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_each_sleeper_wakes_at_its_own_deadline() -> None:
    clock, woke = VirtualClock(), {}
    for _ in range(3):
        clock.started()
    threads = [sleeper(clock, s, woke) for s in (30.0, 15.0, 45.0)]
    for thread in threads:
        thread.join(timeout=10)
    assert woke == {15.0: 15.0, 30.0: 30.0, 45.0: 45.0}


def test_a_running_cursor_holds_time_until_it_waits_or_ends() -> None:
    clock, woke = VirtualClock(), {}
    generation = clock.started()  # a cursor busy elsewhere (a Lambda task running)
    clock.started()
    thread = sleeper(clock, 15.0, woke)
    deadline = time.monotonic() + 2
    while clock.state()["deadlines"] != [15.0] and time.monotonic() < deadline:
        time.sleep(0.001)
    assert clock.now() == 0.0 and thread.is_alive()
    clock.ended(generation)
    thread.join(timeout=10)
    assert woke == {15.0: 15.0}


def test_a_held_clock_does_not_jump_until_let_go() -> None:
    """``hold``: a sleeper alone waits for advance (or the rate), not the jump; letting go jumps."""
    clock, woke = VirtualClock(), dict[float, float]()
    clock.hold()
    clock.started()
    thread = sleeper(clock, 30.0, woke)
    deadline = time.monotonic() + 2
    while clock.state()["deadlines"] != [30.0] and time.monotonic() < deadline:
        time.sleep(0.001)
    assert clock.now() == 0.0 and thread.is_alive() and clock.state()["held"] is True
    clock.advance(10)
    assert thread.is_alive()
    clock.hold(False)
    thread.join(timeout=10)
    assert woke == {30.0: 30.0}


def test_a_pause_sleeps_as_the_cursor_whose_thread_it_is_in() -> None:
    """A cursor's own thread pauses as that cursor (time jumps: nobody else runs); a thread that
    is no cursor's pauses as one of its own, so a cursor running elsewhere holds it back."""
    clock, woke = VirtualClock(), dict[str, float]()

    def cursor() -> None:
        clock.in_cursor()
        clock.pause(20)
        woke["cursor"] = clock.now()
        clock.ended(0)

    clock.started()
    thread = threading.Thread(target=cursor)
    thread.start()
    thread.join(timeout=10)
    assert woke == {"cursor": 20.0}

    busy = clock.started()  # a cursor running elsewhere
    other = threading.Thread(target=lambda: (clock.pause(5), woke.update(other=clock.now())))
    other.start()
    other.join(timeout=0.2)
    assert other.is_alive() and clock.now() == 20.0
    clock.ended(busy)
    other.join(timeout=10)
    assert woke["other"] == 25.0 and clock.state()["running"] == 0


def test_advance_wakes_the_sleepers_it_reaches() -> None:
    clock, woke = VirtualClock(), {}
    blocker = clock.started()
    clock.started()
    thread = sleeper(clock, 60.0, woke)
    clock.advance(59)
    assert thread.is_alive()
    clock.advance(1)
    thread.join(timeout=10)
    assert woke == {60.0: 60.0}
    clock.ended(blocker)


def test_a_reset_ends_the_old_sleepers() -> None:
    clock, errors = VirtualClock(), []
    clock.started()
    clock.started()  # a second cursor keeps the first asleep

    def run() -> None:
        try:
            clock.sleep(15)
        except ClockReset as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    while not clock.state()["deadlines"]:
        time.sleep(0.001)
    clock.reset()
    thread.join(timeout=10)
    assert len(errors) == 1 and clock.state()["running"] == 0


def test_time_never_goes_back() -> None:
    with pytest.raises(ValueError):
        VirtualClock().advance(-1)


def test_execution_history_and_entered_time_are_virtual_dates() -> None:
    """A Wait of an hour lasts an hour in the history's timestamps, and ``$$.State.EnteredTime``
    is the date the history gives the state: a step reading it agrees with ECS's dates."""
    definition = {
        "StartAt": "pause",
        "States": {
            "pause": {"Type": "Wait", "Seconds": 3600, "Next": "stamp"},
            "stamp": {"Type": "Pass", "Parameters": {"at.$": "$$.State.EnteredTime"}, "End": True},
        },
    }
    with EmbeddedAws() as aws:
        sfn = aws.client("stepfunctions")
        machine = sfn.create_state_machine(
            name="clock",
            definition=json.dumps(definition),
            roleArn="arn:aws:iam::123456789012:role/sfn",
        )
        arn = sfn.start_execution(stateMachineArn=machine["stateMachineArn"])["executionArn"]
        while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING":
            time.sleep(0.01)
        events = sfn.get_execution_history(executionArn=arn)["events"]
        entered = {
            e["stateEnteredEventDetails"]["name"]: e["timestamp"]
            for e in events
            if "stateEnteredEventDetails" in e
        }
        assert (entered["stamp"] - entered["pause"]).total_seconds() >= 3600
        output = json.loads(sfn.describe_execution(executionArn=arn)["output"])
        stamp = datetime.fromisoformat(output["at"])
        assert abs((stamp - entered["stamp"]).total_seconds()) < 1
