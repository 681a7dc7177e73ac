"""The workflow as a picture: ``docs/<machine>.svg`` drawn from ``statemachine/<machine>.asl.json``.

Why drawn, not hand-made: a picture that drifts from the definition misleads more than none;
``make docs`` redraws them and a test fails when one no longer matches its ASL. The layout is
plain on purpose: each state a box in the row of its shortest path from ``StartAt``; arrows for
``Next``, each Choice branch (labelled with its test) and ``Default``; a Catch dashed and red, a
step back up (the health and rollback loops) on the right. Standard library only.
"""

from __future__ import annotations

import json
import re
import sys
from collections import deque
from html import escape
from typing import Any

from .runner import app

DOCS = app.CHECKOUT / "docs"
"""Where ``make docs`` draws: the checkout's docs/ (the pictures are read from statemachine/);
an installed wheel has none, and ``main`` says so."""
MACHINES = ("deploy", "redeploy", "cleanup")
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 190, 34, 40, 46, 30
COLOURS = {"Task": "#e8f0fe", "Choice": "#fff4e5", "Wait": "#f1f3f4", "Map": "#e6f4ea"}


def _test(rule: dict[str, Any]) -> str:
    """A Choice rule, short: ``status = WAITING & registration = direct``."""
    if "And" in rule:
        return " & ".join(_test(r) for r in rule["And"])
    variable = str(rule.get("Variable", "")).rsplit(".", 1)[-1]
    value = next((v for k, v in rule.items() if k not in ("Variable", "Next")), "")
    return f"{variable} = {value}"


def _edges(name: str, state: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(from, to, label)``; label ``catch`` marks an error path."""
    found = []
    if "Next" in state:
        found.append((name, state["Next"], ""))
    for choice in state.get("Choices") or []:
        found.append((name, choice["Next"], _test(choice)))
    if "Default" in state:
        found.append((name, state["Default"], "default"))
    for catch in state.get("Catch") or []:
        found.append((name, catch["Next"], "catch"))
    return found


def _rows(definition: dict[str, Any]) -> dict[str, int]:
    states, rows = definition["States"], {definition["StartAt"]: 0}
    queue = deque([definition["StartAt"]])
    while queue:
        name = queue.popleft()
        for _, target, label in _edges(name, states[name]):
            if label != "catch" and target not in rows:
                rows[target] = rows[name] + 1
                queue.append(target)
    for name in states:  # reached by a Catch only (rollback)
        if name not in rows:
            rows[name] = max(rows.values()) + 1
    return rows


MARKS = {"taken": "#188038", "running": "#1a73e8", "failed": "#c5221f"}
"""The local console's marks: the path taken, the state running, the one that failed."""


def draw(definition: dict[str, Any], title: str, marks: dict[str, str] | None = None) -> str:
    """The picture; with ``marks`` (state → taken/running/failed) each box also carries its
    name and mark (``data-state``, ``data-mark``) and a coloured border, as the console shows."""
    states, rows = definition["States"], _rows(definition)
    by_row: dict[int, list[str]] = {}
    for name in states:  # the ASL's order within a row
        by_row.setdefault(rows[name], []).append(name)
    width = max(len(names) for names in by_row.values()) * (BOX_W + GAP_X) + 2 * MARGIN + 160
    height = len(by_row) * (BOX_H + GAP_Y) + 2 * MARGIN + 20
    at: dict[str, tuple[int, int]] = {}
    for row, names in by_row.items():
        for column, name in enumerate(names):
            at[name] = (MARGIN + column * (BOX_W + GAP_X), MARGIN + 20 + row * (BOX_H + GAP_Y))
    box = f' viewBox="0 0 {width} {height}"' if marks is not None else ""  # the console scales it
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"{box} '
        f'font-family="sans-serif" font-size="12">',
        f'<text x="{MARGIN}" y="{MARGIN}" font-size="14" font-weight="bold">{escape(title)}</text>',
        '<defs><marker id="a" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto">'
        '<path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>',
    ]
    catches = [t for s in states.values() for _, t, lbl in _edges("", s) if lbl == "catch"]
    common = max(set(catches), key=catches.count) if catches else None
    if common:
        out.append(
            f'<text x="{MARGIN + 300}" y="{MARGIN}" font-size="11" fill="#c5221f">'
            f"red edge: the state's Catch (any error) goes to {escape(common)}</text>"
        )
    for name, state in states.items():
        labelled = 0
        for source, target, label in _edges(name, state):
            if label == "catch" and target == common:
                continue  # said once by the legend and the box's red edge
            out.append(_arrow(at[source], at[target], label, labelled))
            labelled += bool(label)
    for name, state in states.items():
        x, y = at[name]
        fill = COLOURS.get(state["Type"], "#fce8e6" if state["Type"] == "Fail" else "#ffffff")
        mark = (marks or {}).get(name)
        stroke = f'stroke="{MARKS[mark]}" stroke-width="3"' if mark else 'stroke="#555"'
        tag = (
            f' data-state="{escape(name)}" data-mark="{mark or "none"}"'
            if marks is not None
            else ""
        )
        out.append(
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
            f"{stroke}{tag}/>"
        )
        if any(c.get("Next") == common for c in state.get("Catch") or []):
            out.append(f'<rect x="{x}" y="{y + 4}" width="4" height="{BOX_H - 8}" fill="#c5221f"/>')
        out.append(
            f'<text x="{x + BOX_W // 2}" y="{y + 15}" text-anchor="middle">{escape(name)}</text>'
        )
        out.append(
            f'<text x="{x + BOX_W // 2}" y="{y + 28}" text-anchor="middle" font-size="10" '
            f'fill="#666">{state["Type"]}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _arrow(start: tuple[int, int], end: tuple[int, int], label: str, index: int = 0) -> str:
    (x1, y1), (x2, y2) = start, end
    colour, dash = ("#c5221f", ' stroke-dasharray="4 3"') if label == "catch" else ("#555", "")
    if y2 > y1:  # downwards: bottom centre to top centre
        a, b = (x1 + BOX_W // 2, y1 + BOX_H), (x2 + BOX_W // 2, y2)
        path = f"M{a[0]},{a[1]} L{b[0]},{b[1]}"
        tx, ty = a[0] + (b[0] - a[0]) // 3 + 4, a[1] + 12 + 12 * index
    else:  # a loop back up, or along a row: round the right-hand side
        a, b = (x1 + BOX_W, y1 + BOX_H // 2), (x2 + BOX_W, y2 + BOX_H // 2)
        bend = max(a[0], b[0]) + 30 + (abs(y1 - y2) // 8)
        path = f"M{a[0]},{a[1]} C{bend},{a[1]} {bend},{b[1]} {b[0]},{b[1]}"
        tx, ty = bend - 10, (a[1] + b[1]) // 2 + 12 * index
    text = (
        ""
        if not label or label == "catch"
        else (f'<text x="{tx}" y="{ty}" font-size="10" fill="#1a73e8">{escape(label)}</text>')
    )
    return f'<path d="{path}" fill="none" stroke="{colour}"{dash} marker-end="url(#a)"/>{text}'


def definition_of(machine: str) -> dict[str, Any]:
    text = (app.root() / "statemachine" / f"{machine}.asl.json").read_text()
    return dict(json.loads(re.sub(r"\$\{(\w+)\}", "0", text)))  # substitutions do not matter


def main(argv: list[str]) -> int:
    """``python -m lattice_deploy.picture``: (re)draw every picture into docs/."""
    if not DOCS.is_dir():
        print(f"no {DOCS}: the pictures are drawn in a checkout (make docs)", file=sys.stderr)
        return 2
    for machine in MACHINES:
        svg = draw(definition_of(machine), f"statemachine/{machine}.asl.json")
        (DOCS / f"{machine}.svg").write_text(svg)
        print(f"drew docs/{machine}.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
