"""A Task state's ``TimeoutSeconds`` runs on the virtual clock: a slow emulator never times a
Task out, and a Task whose work sleeps (virtually) past it gets States.Timeout, as on AWS."""

from __future__ import annotations

import threading
import time
from typing import Any

from lattice_deploy.emulator import CLOCK, EmbeddedAws
from lattice_deploy.emulator.stepfunctions.timing import _VirtualTimeout

from .helpers import state_machine


def test_the_wait_ends_by_the_virtual_clock_not_by_real_seconds() -> None:
    with EmbeddedAws(seed=False) as aws:
        event, results = _VirtualTimeout(), []
        waiter = threading.Thread(target=lambda: results.append(event.wait(0.05)))
        waiter.start()
        time.sleep(0.3)  # six times its timeout in real seconds: still waiting, the clock stood
        assert results == [] and waiter.is_alive()
        aws.advance(0.05)
        waiter.join(2)
        assert results == [False]
        done = _VirtualTimeout()
        done.set()
        assert done.wait(1) is True


def test_a_task_sleeping_past_its_timeout_fails_with_states_timeout() -> None:
    def slow(event: dict[str, Any], context: Any) -> dict[str, Any]:
        CLOCK.pause(30)  # e.g. a retry's backoff: virtual seconds
        return {}

    with EmbeddedAws(seed=False) as aws, state_machine(aws, slow, {"TimeoutSeconds": 10}) as run:
        began = CLOCK.now()
        ended = run()
    assert (ended["status"], ended.get("error")) == ("FAILED", "States.Timeout")
    assert CLOCK.now() - began >= 10


def test_work_that_outran_the_wait_is_still_timed_from_its_start() -> None:
    """moto makes the event, starts the work, then waits: the work may be done by then."""
    with EmbeddedAws(seed=False) as aws:
        event = _VirtualTimeout()
        aws.advance(30)  # the work slept 30 virtual s before the wait began
        event.set()
        assert event.wait(10) is False
        quick = _VirtualTimeout()
        aws.advance(5)
        quick.set()
        assert quick.wait(10) is True
