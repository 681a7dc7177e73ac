"""Each waiter on the clock is woken by the move of time that reaches it, and only then
(emulator/clock.py): with a fleet asleep, a move wakes the few it is due for, not everyone; time
that flows (``serve``'s rate) still wakes each at its deadline; an :class:`Alarm` (a Task
state's ``TimeoutSeconds``) ends when rung or when time reaches it, whichever comes first."""

from __future__ import annotations

import threading
import time

import pytest

from lattice_deploy.emulator.clock import Alarm, VirtualClock

pytestmark = pytest.mark.timeout(30)


def _wait_for(check: object, limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while not check() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.001)


class CountingClock(VirtualClock):
    """Counts the waiters each move of time wakes."""

    woken = 0

    def _wake(self, everyone: bool = False) -> None:
        before = len(self._waiters)
        super()._wake(everyone)
        self.woken += before - len(self._waiters)


def test_a_move_wakes_only_the_sleepers_it_reaches() -> None:
    clock, woke = CountingClock(), list[float]()
    blocker = clock.started()  # a running cursor: time moves only by advance
    threads = []
    for seconds in range(1, 51):
        clock.started()

        def run(seconds: float = float(seconds)) -> None:
            clock.sleep(seconds)
            woke.append(clock.now())
            clock.ended(0)

        threads.append(threading.Thread(target=run))
        threads[-1].start()
    _wait_for(lambda: len(clock.state()["deadlines"]) == 50)  # type: ignore[arg-type]
    clock.advance(1)
    _wait_for(lambda: woke == [1.0])
    assert woke == [1.0] and clock.woken == 1  # one due: one woken, 49 left asleep
    clock.advance(49)
    for thread in threads:
        thread.join(timeout=10)
    assert len(woke) == 50 and clock.woken == 50  # each woken once
    clock.ended(blocker)


def test_flowing_time_wakes_a_sleeper_at_its_deadline() -> None:
    clock = VirtualClock(rate=1000.0)  # 1,000 virtual seconds per real one
    clock.started()
    clock.started()  # a second cursor: no jump, time only flows
    started = time.monotonic()
    clock.sleep(50)
    assert clock.now() >= 50 and time.monotonic() - started < 2.0


def test_a_new_rate_wakes_a_sleeper_to_time_itself_again() -> None:
    clock, done = VirtualClock(), threading.Event()
    clock.started()
    clock.started()

    def run() -> None:
        clock.sleep(30)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    _wait_for(lambda: clock.state()["deadlines"] == [30.0])
    assert not done.wait(0.05)  # time stands still
    clock.set_rate(1000.0)
    assert done.wait(5)


def test_an_alarm_rung_in_time_says_so() -> None:
    clock = VirtualClock()
    alarm = Alarm(clock)
    threading.Timer(0.05, alarm.ring).start()
    assert alarm.wait(10.0) is True and alarm.rung_at == 0.0


def test_an_alarm_ends_when_time_reaches_it_first() -> None:
    clock, got = VirtualClock(), list[bool]()
    alarm = Alarm(clock)
    waiter = threading.Thread(target=lambda: got.append(alarm.wait(10.0)))
    waiter.start()
    _wait_for(lambda: len(clock._waiters) == 1)
    clock.advance(9)
    assert waiter.is_alive()
    clock.advance(1)
    waiter.join(timeout=5)
    assert got == [False]
    alarm.ring()  # the work ended after its deadline: too late
    assert alarm.wait(10.0) is False


def test_an_alarm_of_a_reset_clock_ends() -> None:
    clock, got = VirtualClock(), list[bool]()
    alarm = Alarm(clock)
    waiter = threading.Thread(target=lambda: got.append(alarm.wait(10.0)))
    waiter.start()
    _wait_for(lambda: len(clock._waiters) == 1)
    clock.reset()
    waiter.join(timeout=5)
    assert got == [False]
