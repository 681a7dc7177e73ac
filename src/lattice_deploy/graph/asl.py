"""What a state machine's edges are, read from its ASL: each ``Next``, each Choice branch
(labelled with its test, short), the ``Default``, each ``Catch``. Why a module of its own: the
layout places them, and what an edge says is a reading of Step Functions, not of geometry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Box = tuple[float, float, float, float]
Point = tuple[float, float]
OPS = {"Equals": "=", "GreaterThanEquals": ">=", "LessThanEquals": "<=", "GreaterThan": ">"}
OPS |= {"LessThan": "<", "Matches": "~"}


@dataclass
class Edge:
    """One arrow. ``kind``: next, choice, default or catch; ``loop``: it goes back up (set by
    the layout's walk); ``points`` and ``label_box``: where it is drawn (set by the layout)."""

    source: str
    target: str
    kind: str
    label: str
    loop: bool = False
    parent: str | None = None  # the Map/Parallel it is drawn inside
    points: list[Point] = field(default_factory=list)
    label_box: Box | None = None


def test(rule: dict[str, Any]) -> str:
    """A Choice rule, short: ``status = WAITING & registration = direct``."""
    for word, sign in (("And", " & "), ("Or", " | ")):
        if word in rule:
            return sign.join(test(r) for r in rule[word])
    if "Not" in rule:
        return "not " + test(rule["Not"])
    variable = str(rule.get("Variable", "")).rsplit(".", 1)[-1]
    for key, value in rule.items():
        if key in ("Variable", "Next", "Comment"):
            continue
        if key == "IsPresent":
            return f"{variable} {'present' if value else 'absent'}"
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        if key.endswith("Path"):
            shown = shown.rsplit(".", 1)[-1]
        name = key.removesuffix("Path")
        op = next((sign for word, sign in OPS.items() if name.endswith(word)), name)
        return f"{variable} {op} {shown}"
    return variable


def edges_of(states: dict[str, Any]) -> list[Edge]:
    found = []
    for name, state in states.items():
        if "Next" in state:
            found.append(Edge(name, state["Next"], "next", ""))
        for choice in state.get("Choices") or []:
            found.append(Edge(name, choice["Next"], "choice", test(choice)))
        if "Default" in state:
            found.append(Edge(name, state["Default"], "default", "default"))
        for catch in state.get("Catch") or []:
            found.append(Edge(name, catch["Next"], "catch", ""))
    return found
