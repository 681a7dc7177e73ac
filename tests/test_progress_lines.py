"""The progress lines' marks (#29) from histories shaped as GetExecutionHistory returns them:
each event's ``previousEventId`` is the event before it in its own thread (a Map iteration's or
a Parallel branch's, interleaved with the others in one history), a Retry repeats the attempt's
``…Scheduled``/``…Started``/``…Failed`` inside the state's one entry, and a Catch exits the
state right after the failed attempt. Whole executions: ``tests/workflow/test_progress_marks.py``.
"""

from __future__ import annotations

import json
from typing import Any

from lattice_deploy.runner.progress import Printer


class History:
    """Events numbered from 1; ``add(thread, …)`` chains each to its thread's previous one."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.last: dict[str, int] = {}

    def add(self, thread: str, kind: str, **details: Any) -> None:
        event_id = len(self.events) + 1
        event: dict[str, Any] = {
            "id": event_id,
            "previousEventId": self.last.get(thread, self.last.get("main", 0)),
            "type": kind,
        }
        if details:
            event[kind[:1].lower() + kind[1:] + "EventDetails"] = details
        self.events.append(event)
        self.last[thread] = event_id

    def enter(self, thread: str, name: str, kind: str = "Task") -> None:
        self.add(thread, f"{kind}StateEntered")
        self.events[-1]["stateEnteredEventDetails"] = {"name": name, "input": "{}"}

    def exit(self, thread: str, name: str, output: Any, kind: str = "Task") -> None:
        self.add(thread, f"{kind}StateExited")
        self.events[-1]["stateExitedEventDetails"] = {"name": name, "output": json.dumps(output)}

    def attempt(self, thread: str, prefix: str, ends: str, **details: Any) -> None:
        self.add(thread, f"{prefix}Scheduled")
        self.add(thread, f"{prefix}Started")
        self.add(thread, f"{prefix}{ends}", **details)


def task(result_path: str | None = None) -> dict[str, Any]:
    return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": result_path}


def printed(definition: dict[str, Any], history: History) -> list[str]:
    lines: list[str] = []
    printer = Printer(definition, lines.append)
    for event in history.events:
        printer(event)
    return lines


def test_a_caught_task_failure_is_a_cross_naming_the_error() -> None:
    history = History()
    history.enter("main", "deploy")
    history.attempt("main", "Task", "Failed", error="States.TaskFailed", cause="boom")
    history.exit("main", "deploy", {"error": {"Error": "States.TaskFailed"}})
    lines = printed({"States": {"deploy": task("$.deployed")}}, history)
    caught = "  ✗ deploy" + " " * 23 + "States.TaskFailed (caught)"
    assert lines == ["  ✗ States.TaskFailed: boom", caught]


def test_timeouts_retried_twice_then_done_are_a_loop() -> None:
    history = History()
    history.enter("main", "deploy")
    for _ in range(2):
        history.attempt("main", "LambdaFunction", "TimedOut", error="States.Timeout")
    history.attempt("main", "LambdaFunction", "Succeeded", output="{}")
    history.exit("main", "deploy", {"deployed": {"id": "x", "action": "created"}})
    lines = printed({"States": {"deploy": task("$.deployed")}}, history)
    assert lines[:2] == ["  ✗ States.Timeout"] * 2  # each attempt, said as it ended (no cause)
    assert lines[2] == "  ↻ deploy" + " " * 23 + "+ created x (retried 2 times)"


def test_verdicts_that_are_failures_are_crosses_the_others_ticks() -> None:
    states = {
        "check_health": task("$.health"),
        "rollback": task("$.rollback"),
        "report": task("$.report"),
        "acquire_lock": task("$.turn"),
    }
    history = History()
    for name, result in [
        ("acquire_lock", {"turn": {"status": "SUPERSEDED", "ticket": 2}}),  # not a failure
        ("check_health", {"health": {"status": "WAITING", "reason": "0/3 HEALTHY"}}),
        ("check_health", {"health": {"status": "FAILED", "reason": "UNHEALTHY"}}),
        ("rollback", {"rollback": {"status": "WAITING", "pending": []}}),
        ("rollback", {"rollback": {"status": "STUCK", "pending": [{"type": "t", "id": "i"}]}}),
        ("report", {"report": {"status": "FAILED"}}),
    ]:
        history.enter("main", name)
        history.attempt("main", "LambdaFunction", "Succeeded", output="{}")
        history.exit("main", name, result)
    marks = [(line.split()[0], line.split()[1]) for line in printed({"States": states}, history)]
    assert marks == [
        ("✓", "acquire_lock"),
        ("✓", "check_health"),
        ("✗", "check_health"),
        ("✓", "rollback"),
        ("✗", "rollback"),
        ("✗", "report"),
    ]


def test_interleaved_map_iterations_each_keep_their_own_attempts() -> None:
    """Two iterations run at once: the second's failure, caught, must not mark the first, which
    exits after it; the first's retry must not mark the second."""
    definition = {
        "States": {
            "each": {
                "Type": "Map",
                "ItemProcessor": {"States": {"deploy_one": task("$.one")}},
                "End": True,
            }
        }
    }
    done = {"one": {"id": "a", "action": "updated"}}
    history = History()
    history.enter("main", "each", kind="Map")
    history.add("main", "MapStateStarted")
    history.add("a", "MapIterationStarted")
    history.add("b", "MapIterationStarted")
    history.enter("a", "deploy_one")
    history.enter("b", "deploy_one")
    history.attempt("a", "Task", "Failed", error="Throttled", cause="slow down")
    history.add("a", "TaskScheduled")
    history.attempt("b", "Task", "Failed", error="AccessDenied", cause="no")
    history.exit("b", "deploy_one", {"error": {"Error": "AccessDenied"}})
    history.add("a", "TaskStarted")
    history.add("a", "TaskSucceeded", output="{}")
    history.exit("a", "deploy_one", done)
    history.exit("main", "each", [done, {}], kind="Map")
    lines = [line for line in printed(definition, history) if "deploy_one" in line]
    assert lines == [
        "  ✗ deploy_one" + " " * 19 + "AccessDenied (caught)",
        "  ↻ deploy_one" + " " * 19 + "~ updated a (retried once)",
    ]


def test_a_clean_step_is_a_tick_as_before() -> None:
    history = History()
    history.enter("main", "deploy")
    history.attempt("main", "LambdaFunction", "Succeeded", output="{}")
    history.exit("main", "deploy", {"deployed": {"id": "x", "action": "unchanged"}})
    assert printed({"States": {"deploy": task("$.deployed")}}, history) == [
        "  ✓ deploy" + " " * 23 + "= unchanged x"
    ]
