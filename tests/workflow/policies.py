"""Each function's IAM policy in template.yaml, against the actions its requests needed on the
embedded AWS (the emulator records them per in-process Lambda function)."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

from lattice_deploy.emulator.calls import CALLS
from lattice_deploy.runner import template

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def granted() -> dict[str, list[str]]:
    """Logical id → the actions its policies allow (as written: wildcards kept)."""
    found: dict[str, list[str]] = {}
    for fn in template.load(TEMPLATE).functions:
        actions = found.setdefault(fn.logical_id, [])
        for policy in fn.properties.get("Policies") or []:
            for statement in (policy or {}).get("Statement") or []:
                if statement.get("Effect") == "Allow":
                    actions += _listed(statement.get("Action"))
    return found


def allows(actions: list[str], action: str) -> bool:
    return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in actions)


def called(functions: dict[str, str]) -> dict[str, set[str]]:
    """Logical id → the IAM actions its requests needed so far (``functions``: id → name)."""
    by_name = CALLS.actions()
    return {logical: by_name.get(name, set()) for logical, name in functions.items()}


def not_granted(functions: dict[str, str]) -> list[str]:
    """``Function: action`` for each action a function needed that its policy does not allow."""
    policies = granted()
    return sorted(
        f"{logical}: {action}"
        for logical, actions in called(functions).items()
        for action in actions
        if not allows(policies.get(logical, []), action)
    )
