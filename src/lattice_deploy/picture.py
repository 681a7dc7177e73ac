"""The workflow as a picture: ``docs/<machine>.svg`` drawn from ``statemachine/<machine>.asl.json``.

Why drawn, not hand-made: a picture that drifts from the definition misleads more than none;
``make docs`` redraws them and a test fails when one no longer matches its ASL. The places come
from :func:`lattice_deploy.graph.layout.layout` (layered: the main path in one column, branches
beside it, Catch edges bundled on the left, loops on the right); this module only draws them.
The local console shows this same SVG, with each state's box named (``data-state``) and marked by
the execution (``data-mark``), so the page and the docs cannot disagree. A Map or Parallel is
drawn as a box holding its iterator's states, laid out the same way. Standard library only.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Collection
from html import escape
from typing import Any

from .graph.asl import Edge
from .graph.labels import CHAR_W, LABEL_H
from .graph.layout import HEAD, Layout, layout
from .runner import app

DOCS = app.CHECKOUT / "docs"
"""Where ``make docs`` draws: the checkout's docs/ (the pictures are read from statemachine/);
an installed wheel has none, and ``main`` says so."""
MACHINES = ("deploy", "redeploy", "cleanup")
MARGIN, TITLE = 24, 30
FILLS = {
    "Task": "#e8f0fe",
    "Choice": "#fff4e5",
    "Wait": "#f1f3f4",
    "Pass": "#ffffff",  # nosec B105: a state kind's fill colour, not a password
    "Succeed": "#e6f4ea",
    "Fail": "#fce8e6",
    "Map": "#f3e8fd",
    "Parallel": "#f3e8fd",
}
EDGES = {  # colour, dashes
    "next": ("#5f6368", ""),
    "choice": ("#1a73e8", ""),
    "default": ("#b06000", ""),
    "catch": ("#c5221f", "5 3"),
    "loop": ("#8430ce", ""),
}
MARKS = {"taken": "#188038", "running": "#1a73e8", "failed": "#c5221f"}
"""The local console's marks: the path taken, the state running, the one that failed."""
LEGEND_NODES = (
    ("Task", "Task"),
    ("Choice", "Choice"),
    ("Wait", "Wait"),
    ("Pass", "Pass"),
    ("Succeed", "Succeed"),
    ("Fail", "Fail"),
    ("Map", "Map / Parallel (its states inside)"),
)
LEGEND_EDGES = (
    ("next", "Next"),
    ("choice", "Choice branch (its test)"),
    ("default", "Default"),
    ("catch", "Catch (any error), bundled per target"),
    ("loop", "loop back (a wait, a retry)"),
)


def _style(edge: Edge) -> tuple[str, str, str]:
    """Its kind for the legend (a loop is drawn as one, whatever its kind), colour, dashes."""
    kind = "loop" if edge.loop else edge.kind
    return (kind, *EDGES[kind])


def _node(
    name: str,
    box: tuple[float, float, float, float],
    kind: str,
    nested: bool,
    mark: str | None,
    tagged: bool,
) -> list[str]:
    x, y, w, h = box
    stroke = f'stroke="{MARKS[mark]}" stroke-width="3"' if mark else 'stroke="#555"'
    tag = f' data-state="{escape(name)}" data-mark="{mark or "none"}"' if tagged else ""
    round_ = 16 if kind in ("Choice", "Succeed", "Fail") else 6
    out = [
        f'<rect class="node" x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{round_}" '
        f'fill="{FILLS.get(kind, "#ffffff")}" {stroke}{tag}/>'
    ]
    if nested:  # a Map/Parallel: its name in the header, its states below
        out.append(
            f'<text x="{x + 10:g}" y="{y + HEAD - 8:g}">{escape(name)} '
            f'<tspan font-size="10" fill="#666">{kind}</tspan></text>'
        )
    else:
        out.append(
            f'<text x="{x + w / 2:g}" y="{y + 15:g}" text-anchor="middle">{escape(name)}</text>'
        )
        out.append(
            f'<text x="{x + w / 2:g}" y="{y + 28:g}" text-anchor="middle" font-size="10" '
            f'fill="#666">{kind}</text>'
        )
    return out


def _legend(top: float, width: float, marks: bool, used: set[str]) -> tuple[list[str], float]:
    """Every mark the picture uses (``used``: its states' types, its edges' kinds), explained,
    flowed into lines ``width`` wide."""
    items: list[tuple[str, str]] = []
    for kind, text in (k for k in LEGEND_NODES if k[0] in used):
        items.append(
            (
                f'<rect class="legend" x="{{x}}" y="{{y}}" width="22" height="14" rx="3" '
                f'fill="{FILLS[kind]}" stroke="#555"/>',
                text,
            )
        )
    for kind, text in (k for k in LEGEND_EDGES if k[0] in used):
        colour, dash = EDGES[kind]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        items.append(
            (
                f'<path d="M{{x}},{{mid}} h22" stroke="{colour}"{dashes} '
                f'marker-end="url(#{kind})"/>',
                text,
            )
        )
    if marks:
        for mark, colour in MARKS.items():
            items.append(
                (
                    f'<rect class="legend" x="{{x}}" y="{{y}}" width="22" height="14" '
                    f'rx="3" fill="#fff" stroke="{colour}" stroke-width="3"/>',
                    mark,
                )
            )
        items.append(
            (
                '<path d="M{x},{mid} h22" stroke="#5f6368" stroke-width="3" '
                'marker-end="url(#next)"/>',
                "a transition taken",
            )
        )
    out, x, y = (
        [f'<text x="{MARGIN}" y="{top + 10:g}" font-weight="bold">legend</text>'],
        float(MARGIN),
        top + 20,
    )
    for mark, text in items:
        span = 30 + len(text) * CHAR_W + 18
        if x + span > width - MARGIN and x > MARGIN:
            x, y = MARGIN, y + 22
        out.append(mark.format(x=f"{x:g}", y=f"{y:g}", mid=f"{y + 7:g}"))
        out.append(f'<text x="{x + 30:g}" y="{y + 11:g}" font-size="11">{escape(text)}</text>')
        x += span
    return out, y + 22 - top


def draw(
    definition: dict[str, Any],
    title: str,
    marks: dict[str, str] | None = None,
    passed: Collection[tuple[str, str]] = (),
) -> str:
    """The picture; with ``marks`` (state → taken/running/failed) each box also carries its
    name and mark (``data-state``, ``data-mark``) and a coloured border, as the console shows;
    each edge in ``passed`` (from → to, as the execution went) is drawn thick: the path taken
    reads as a line, not only as boxes to join up."""
    placed = layout(definition)
    placed.shift(MARGIN, MARGIN + TITLE)
    width, bottom = max(placed.width + 2 * MARGIN, 640), placed.height + MARGIN + TITLE
    used = {*placed.types.values(), *(_style(e)[0] for e in placed.edges)}
    used |= {"Map"} if "Parallel" in used else set()
    legend, tall = _legend(bottom + 24, width, marks is not None, used)
    height = bottom + 24 + tall + MARGIN
    box = (
        f' viewBox="0 0 {width:g} {height:g}"' if marks is not None else ""
    )  # the console scales it
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}"{box} '
        f'font-family="sans-serif" font-size="12">',
        f'<text x="{MARGIN}" y="{MARGIN + 4}" font-size="14" font-weight="bold">'
        f"{escape(title)}</text>",
        "<defs>",
        *(
            f'<marker id="{kind}" markerWidth="8" markerHeight="8" refX="7" refY="4" '
            f'markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M0,0 L8,4 L0,8 z" fill="{colour}"/></marker>'
            for kind, (colour, _) in EDGES.items()
        ),
        "</defs>",
    ]
    out += _states(placed, marks, containers=True)
    for edge in placed.edges:
        kind, colour, dash = _style(edge)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        path = " L".join(f"{x:g},{y:g}" for x, y in edge.points)
        went = (edge.source, edge.target) in passed
        thick, taken = (' stroke-width="3"', " taken") if went else ("", "")
        out.append(
            f'<path class="edge {kind}{taken}" d="M{path}" fill="none" stroke="{colour}"{dashes}'
            f'{thick} marker-end="url(#{kind})"/>'
        )
    out += _states(placed, marks, containers=False)
    for edge in placed.edges:
        if edge.label and edge.label_box:
            x, y, w, h = edge.label_box
            out.append(
                f'<rect class="label" x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" '
                f'fill="#fff" fill-opacity="0.85"/>'
                f'<text class="label-text" x="{x + 3:g}" y="{y + LABEL_H - 3:g}" font-size="10" '
                f'fill="{_style(edge)[1]}">{escape(edge.label)}</text>'
            )
    out += legend
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _states(placed: Layout, marks: dict[str, str] | None, containers: bool) -> list[str]:
    """The Map/Parallel boxes (drawn under the edges and states they hold), or the others."""
    nests = set(placed.parents.values())
    out = []
    for name, box in placed.nodes.items():
        if (name in nests) == containers:
            mark = (marks or {}).get(name)
            out += _node(name, box, placed.types[name], name in nests, mark, marks is not None)
    return out


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
