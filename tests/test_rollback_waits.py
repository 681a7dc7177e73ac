"""Every state machine waits between rollback passes as long as the rollback said
(``$.rollback.waitSeconds``): its STUCK verdict counts those waits against the budget, so a
loop that waited a fixed ``PollSeconds`` instead gave up while targets were still draining."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

MACHINES = sorted((Path(__file__).resolve().parents[1] / "statemachine").glob("*.asl.json"))


def states(path: Path) -> dict[str, dict[str, Any]]:
    text = path.read_text()
    for name in ("PollSeconds", "RedeployConcurrency"):  # numeric: any number parses
        text = text.replace("${" + name + "}", "15")
    found: dict[str, dict[str, Any]] = {}

    def walk(machine: dict[str, Any]) -> None:
        for name, state in machine.get("States", {}).items():
            found[name] = state
            for branch in [*state.get("Branches", []), state.get("ItemProcessor") or {}]:
                walk(branch)

    walk(json.loads(text))
    return found


@pytest.mark.parametrize("machine", MACHINES, ids=lambda p: p.name)
def test_a_wait_before_a_rollback_pass_waits_what_the_rollback_said(machine: Path) -> None:
    found = states(machine)
    loops = [
        (name, state)
        for name, state in found.items()
        if state["Type"] == "Wait"
        and "RollbackFunctionArn" in str(found.get(str(state["Next"]), {}).get("Resource", ""))
    ]
    for name, state in loops:
        assert state.get("SecondsPath") == "$.rollback.waitSeconds", (machine.name, name, state)
    if machine.name in ("deploy.asl.json", "cleanup.asl.json"):
        assert loops, f"{machine.name}: no wait before a rollback pass found"
