"""One auth policy against one request: which statement decides, and why.

IAM User Guide, "Policy evaluation logic": by default every request is denied; an applicable
``Allow`` overrides that; an applicable ``Deny`` overrides any allow. A statement applies when its
``Principal``/``NotPrincipal``, ``Action``/``NotAction``, ``Resource``/``NotResource`` and
``Condition`` all match the request. Principals: ``"*"`` and ``{"AWS": "*"}`` are everyone,
anonymous callers included (IAM: the two are equivalent; VPC Lattice User Guide, "Auth policies":
anonymous principals are allowed by ``Principal: *``); an account id or ``…:root`` is every
principal of that account; a role ARN matches its sessions. ``Service``/``Federated`` principals
never call a Lattice service in this simulator. Actions match case-insensitively with ``*``/``?``
wildcards; resources case-sensitively. A statement without ``Principal`` or ``NotPrincipal``
matches nobody here (AWS requires one in a resource-based policy).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import conditions
from .conditions import Outcome, like
from .context import Context, Principal

ALLOW, DENY, UNKNOWN = "ALLOW", "DENY", "UNKNOWN"


@dataclass
class Decision:
    """``effect``: ALLOW, DENY or UNKNOWN; ``statement``: the deciding one (1-based index, Sid)
    or None for the default deny; ``why``: one sentence; ``unmatched``: for a default deny, each
    Allow statement and the first thing that did not match."""

    effect: str
    why: str
    statement: dict[str, Any] | None = None
    unmatched: list[str] = field(default_factory=list)
    assumed_absent: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.effect,
            "why": self.why,
            **({"statement": self.statement} if self.statement else {}),
            **({"unmatched": self.unmatched} if self.unmatched else {}),
            **({"assumedAbsent": self.assumed_absent} if self.assumed_absent else {}),
        }


def _list(raw: Any) -> list[str]:
    return [str(v) for v in (raw if isinstance(raw, list) else [raw])]


def _principal_matches(block: Any, who: Principal) -> bool:
    if block == "*":
        return True
    if not isinstance(block, dict):
        return False
    named = _list(block.get("AWS", []))
    return "*" in named or bool(who.names() & set(named))


def _principal(statement: dict[str, Any], who: Principal) -> Outcome:
    if "Principal" in statement:
        if _principal_matches(statement["Principal"], who):
            return Outcome(True)
        return Outcome(False, f"Principal does not name {who.arn or 'an anonymous caller'}")
    if "NotPrincipal" in statement:
        if not _principal_matches(statement["NotPrincipal"], who):
            return Outcome(True)
        return Outcome(False, f"NotPrincipal names {who.arn or 'anonymous callers'}")
    return Outcome(False, "no Principal element (an auth policy statement needs one)")


def _names(statement: dict[str, Any], element: str, value: str, ignore_case: bool) -> Outcome:
    """``Action``/``NotAction`` or ``Resource``/``NotResource`` against the request's value."""
    if element in statement:
        if any(like(p, value, ignore_case) for p in _list(statement[element])):
            return Outcome(True)
        return Outcome(False, f"{element} {_list(statement[element])} does not cover {value}")
    negated = f"Not{element}"
    if negated in statement:
        if not any(like(p, value, ignore_case) for p in _list(statement[negated])):
            return Outcome(True)
        return Outcome(False, f"{negated} {_list(statement[negated])} covers {value}")
    return Outcome(False, f"no {element} element")


def _applies(statement: dict[str, Any], context: Context) -> Outcome:
    """The first element that does not match (or is unknown), else a match."""
    checks: tuple[Callable[[], Outcome], ...] = (
        lambda: _principal(statement, context.principal),
        lambda: _names(statement, "Action", context.action, ignore_case=True),
        lambda: _names(statement, "Resource", context.resource, ignore_case=False),
        lambda: conditions.evaluate(statement.get("Condition"), context),
    )
    for check in checks:
        found = check()
        if found.holds is not True:
            return found
    return Outcome(True)


def statements_of(policy: str | dict[str, Any]) -> list[dict[str, Any]]:
    """The statements of a policy document (raises ValueError if it is not one)."""
    doc = json.loads(policy) if isinstance(policy, str) else policy
    if not isinstance(doc, dict) or "Statement" not in doc:
        raise ValueError("the policy has no Statement")
    found = doc["Statement"]
    found = found if isinstance(found, list) else [found]
    if not all(isinstance(s, dict) for s in found):
        raise ValueError("a Statement is not an object")
    return found


def _ref(index: int, statement: dict[str, Any]) -> dict[str, Any]:
    return {"index": index, **({"sid": statement["Sid"]} if statement.get("Sid") else {})}


def describe(ref: dict[str, Any]) -> str:
    return f"statement {ref['index']}" + (f" (Sid {ref['sid']})" if ref.get("sid") else "")


def evaluate(policy: str | dict[str, Any], context: Context) -> Decision:
    """Explicit Deny first, then Allow, then the default deny ("no statement allows")."""
    try:
        found = statements_of(policy)
    except ValueError as exc:  # json.JSONDecodeError is one
        return Decision(UNKNOWN, f"the policy cannot be read: {exc}")
    results = [
        (_ref(i, s), str(s.get("Effect", "")), _applies(s, context))
        for i, s in enumerate(found, start=1)
    ]
    absent = sorted(context.assumed_absent)

    def decided(effect: str, verdict: str, why: str) -> Decision | None:
        for ref, stated, outcome in results:
            if stated == effect and outcome.holds is True:
                return Decision(verdict, f"{describe(ref)} {why}", ref, assumed_absent=absent)
        for ref, stated, outcome in results:
            if stated == effect and outcome.holds is None:
                return Decision(UNKNOWN, f"{describe(ref)}: {outcome.why}", ref)
        return None

    answer = decided("Deny", DENY, "denies it (an explicit Deny wins)") or decided(
        "Allow", ALLOW, "allows it"
    )
    if answer:
        return answer
    unmatched = [
        f"{describe(ref)}: {outcome.why}" for ref, stated, outcome in results if stated == "Allow"
    ]
    return Decision(DENY, "no statement allows it", None, unmatched, absent)
