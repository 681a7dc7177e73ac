"""Where each state of an ASL definition goes: a layered (Sugiyama-style) layout.

Why written here rather than taken from a library: what is wanted is particular to a Step
Functions workflow (the path to success in one straight column, the Catch edges bundled on its
left, the wait loops on its right, a Map's iterator inside its box) and a few dozen states need
no more than this. The steps:

1. edges: ``Next``, each Choice branch (labelled with its test), ``Default``, each ``Catch``; a
   depth-first walk from ``StartAt`` marks the loops (an edge back to a state on the walk);
2. layers: each state one row below the deepest of its predecessors (longest path), loops left
   out, so every other edge points down and a loop points up;
3. the main path: StartAt to a Succeed by Next and Choice branches, with as few Defaults as can
   be and as long as can be (the happy path, not a shortcut past it); it keeps one column;
4. an edge spanning rows passes each row it crosses as a point of its own (a "dummy" lane), so no
   segment meets a box: each runs in the gap between two rows or straight down its lane; the
   Catch edges to one state share one lane (one bus, not one line per catching state);
5. order within a row: Catch lanes left of the main column, branches right of it, loop lanes
   rightmost; barycenter sweeps reduce crossings; each box is pulled toward its neighbours;
6. labels: each is tried at points along its edge and kept where its box meets no state's box
   and no other label (fewest edge crossings first); where none fits, that gap grows and the
   rows are placed again. A test checks the drawn result, so this is a rule, not a hope.

The edges are read in :mod:`.asl`, the labels placed in :mod:`.labels`; this module is steps 1-5.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from .asl import Box, Edge, Point, edges_of
from .labels import LABEL_H, place

BOX_W, BOX_H = 172, 34
GAP_X, LANE, GAP_Y = 30, 14, 40
PAD, HEAD = 12, 24
CONTAINERS = ("Map", "Parallel")


@dataclass
class Layout:
    """Every state's box (nested ones too, inside their parent's), every edge's polyline."""

    nodes: dict[str, Box]
    types: dict[str, str]
    edges: list[Edge]
    main: list[str]
    parents: dict[str, str]
    width: float = 0
    height: float = 0

    def shift(self, dx: float, dy: float) -> None:
        self.nodes = {n: (x + dx, y + dy, w, h) for n, (x, y, w, h) in self.nodes.items()}
        for e in self.edges:
            e.points = [(x + dx, y + dy) for x, y in e.points]
            if e.label_box:
                x, y, w, h = e.label_box
                e.label_box = (x + dx, y + dy, w, h)


def _walk(start: str, states: dict[str, Any], out: dict[str, list[Edge]]) -> list[str]:
    """Marks the loops; returns the states in an order where every other edge points forward."""
    seen: dict[str, int] = {}
    done: list[str] = []

    def visit(name: str) -> None:
        seen[name] = 1
        for e in out[name]:
            if seen.get(e.target) == 1:
                e.loop = True
            elif e.target not in seen:
                visit(e.target)
        seen[name] = 2
        done.append(name)

    for name in [start, *states]:
        if name not in seen:
            visit(name)
    return done[::-1]


def _main_path(
    start: str, states: dict[str, Any], out: dict[str, list[Edge]], order: list[str]
) -> list[str]:
    best: dict[str, tuple[int, int, int]] = {}
    after: dict[str, str] = {}
    for name in reversed(order):
        score = (0, 0, 0) if states[name]["Type"] == "Succeed" else None
        for e in out[name]:
            if e.loop or e.kind == "catch":
                continue
            s = best[e.target]
            tried = (s[0], s[1] + (e.kind == "default"), s[2] - 1)
            if score is None or tried < score:
                score, after[name] = tried, e.target
        best[name] = score or (1, 0, 0)  # a dead end: any path to a Succeed is better
    path = [start]
    while path[-1] in after:
        path.append(after[path[-1]])
    return path


def layout(definition: dict[str, Any]) -> Layout:
    """The places of ``definition``'s states, from (0, 0)."""
    states, start = definition["States"], definition["StartAt"]
    inner: dict[str, list[Layout]] = {}
    size: dict[str, tuple[float, float]] = {}
    for name, state in states.items():
        size[name] = (BOX_W, BOX_H)
        if state["Type"] in CONTAINERS:
            branch = state.get("ItemProcessor") or state.get("Iterator")
            inner[name] = [layout(b) for b in ([branch] if branch else state.get("Branches", []))]
            across = sum(i.width for i in inner[name]) + GAP_X * (len(inner[name]) - 1)
            tall = max((i.height for i in inner[name]), default=0)
            size[name] = (max(BOX_W, across + 2 * PAD), HEAD + tall + PAD)
    edges = edges_of(states)
    out: dict[str, list[Edge]] = {name: [] for name in states}
    for e in edges:
        out[e.source].append(e)
    order = _walk(start, states, out)
    layer = dict.fromkeys(order, 0)
    for name in order:
        for e in out[name]:
            if not e.loop:
                layer[e.target] = max(layer[e.target], layer[name] + 1)
    main = _main_path(start, states, out, order)

    # chains of items (states and lanes) per edge, and each item's row and group
    row_of: dict[str, int] = dict(layer)
    group = {n: 1 if n in main else 2 for n in states}
    chains: list[list[str]] = []
    straight: set[tuple[str, str]] = set()
    for i, e in enumerate(edges):
        a, b = layer[e.source], layer[e.target]
        follows = e.source in main and main[main.index(e.source) + 1 :][:1] == [e.target]
        on_main = follows and not e.loop and e.kind != "catch"
        if e.loop:
            lanes = [(f"\0{i}:{k}", k, 3) for k in range(a - 1, b, -1)]
        elif e.kind == "catch":
            lanes = [(f"\0catch:{e.target}:{k}", k, 0) for k in range(a + 1, b)]
        else:
            lanes = [(f"\0{i}:{k}", k, 1 if on_main else 2) for k in range(a + 1, b)]
        for item, k, g in lanes:
            row_of[item], group[item] = k, g
        chains.append([e.source, *(item for item, _, _ in lanes), e.target])
        if on_main:
            straight |= {(e.source, chains[-1][1]), (e.target, chains[-1][-2])}
    near: dict[str, set[str]] = {item: set() for item in row_of}
    for chain in chains:
        for u, v in pairwise(chain):
            near[u].add(v)
            near[v].add(u)
    rows: list[list[str]] = [[] for _ in range(max(row_of.values()) + 1)]
    for item in [*order, *(i for i in row_of if i not in states)]:
        rows[row_of[item]].append(item)
    _order(rows, row_of, group, near)
    long = [c[1:-1] for c in chains if len(c) > 3 and group[c[1]] >= 2]
    x = _columns(rows, group, near, size, main, long)

    gaps = [float(GAP_Y)] * len(rows)
    for _ in range(40):  # grow a gap where a label finds no room, then place again
        nodes = _place(rows, row_of, size, x, gaps, edges, chains, straight)
        short = place(edges, nodes, row_of)
        if short is None:
            break
        gaps[short] += LABEL_H + 6
    found = Layout(nodes, {n: s["Type"] for n, s in states.items()}, edges, main, {})
    for name, parts in inner.items():
        bx, by, bw, _ = nodes[name]
        across = sum(p.width for p in parts) + GAP_X * (len(parts) - 1)
        left = bx + (bw - across) / 2
        for part in parts:
            part.shift(left, by + HEAD)
            left += part.width + GAP_X
            found.nodes |= part.nodes
            found.types |= part.types
            found.parents |= part.parents | dict.fromkeys(part.nodes, name)
            for e in part.edges:
                e.parent = e.parent or name
            found.edges += part.edges
    boxes = [*nodes.values(), *(e.label_box for e in edges if e.label_box)]
    points = [p for e in edges for p in e.points]
    low_x = min([b[0] for b in boxes] + [p[0] for p in points])
    low_y = min([b[1] for b in boxes] + [p[1] for p in points])
    found.shift(-low_x, -low_y)
    boxes = [*found.nodes.values(), *(e.label_box for e in found.edges if e.label_box)]
    points = [p for e in found.edges for p in e.points]
    found.width = max([b[0] + b[2] for b in boxes] + [p[0] for p in points])
    found.height = max([b[1] + b[3] for b in boxes] + [p[1] for p in points])
    return found


def _order(
    rows: list[list[str]], row_of: dict[str, int], group: dict[str, int], near: dict[str, set[str]]
) -> None:
    """Barycenter sweeps, down then up: each item sorted by its neighbours' mean place in the
    row above (or below), within its group (catch lanes, main column, branches, loop lanes)."""
    at = {item: i for row in rows for i, item in enumerate(row)}

    def settle(row: list[str], ref: int) -> None:
        def key(item: str) -> tuple[int, float]:
            there = [  # a loop's lane is drawn aside: it does not pull a state
                at[v]
                for v in near[item]
                if row_of[v] == ref and (group[v] != 3 or group[item] == 3)
            ]
            return group[item], sum(there) / len(there) if there else at[item]

        row.sort(key=key)
        at.update((item, i) for i, item in enumerate(row))

    for row in rows:
        settle(row, -1)
    for sweep in range(6):
        down = sweep % 2 == 0
        for k in range(1, len(rows)) if down else range(len(rows) - 2, -1, -1):
            settle(rows[k], k - 1 if down else k + 1)


def _columns(
    rows: list[list[str]],
    group: dict[str, int],
    near: dict[str, set[str]],
    size: dict[str, tuple[float, float]],
    main: list[str],
    lanes: list[list[str]],
) -> dict[str, float]:
    """Each item's centre x: the main column at 0, one fixed lane per catch bus left of it (the
    bus ending first nearest), the rest right of it, each pulled toward its neighbours' mean."""
    half = max(size[n][0] for n in main) / 2
    ends: dict[str, int] = {}
    for k, row in enumerate(rows):
        for item in row:
            if group[item] == 0:
                ends[item.removeprefix("\0catch:").rsplit(":", 1)[0]] = k
    lane = {t: j for j, t in enumerate(sorted(ends, key=lambda t: (ends[t], t)))}

    def width(item: str) -> float:
        return size[item][0] if item in size else 0

    x: dict[str, float] = {}
    for row in rows:
        for item in row:
            if group[item] == 0:
                x[item] = (
                    -half - GAP_X / 2 - LANE * lane[item.removeprefix("\0catch:").rsplit(":", 1)[0]]
                )
            elif group[item] == 1:
                x[item] = 0

    def pack(row: list[str], want: dict[str, float]) -> None:
        before: str | None = None
        for item in (i for i in row if group[i] >= 2):
            space = GAP_X if item in size and (before is None or before in size) else LANE
            low = (
                (half if before is None else x[before] + width(before) / 2)
                + space
                + width(item) / 2
            )
            x[item] = max(low, want.get(item, low))
            before = item

    for row in rows:
        pack(row, {})
    for sweep in range(8):
        for row in rows if sweep % 2 == 0 else rows[::-1]:
            pack(row, {i: sum(x[v] for v in near[i]) / len(near[i]) for i in row if near[i]})
    for _ in range(3):  # a long edge or a loop: one straight lane, at its rightmost point
        want = dict(x)
        for chain in lanes:
            want |= dict.fromkeys(chain, max(x[d] for d in chain))
        for row in rows:
            pack(row, want)
    return x


def _place(
    rows: list[list[str]],
    row_of: dict[str, int],
    size: dict[str, tuple[float, float]],
    x: dict[str, float],
    gaps: list[float],
    edges: list[Edge],
    chains: list[list[str]],
    straight: set[tuple[str, str]],
) -> dict[str, Box]:
    """The rows' heights and the gaps give each box its y; then each edge its polyline: out of
    its state's bottom (a loop: top), down (up) each lane it passes, into its target's top."""
    heights = [max((size[i][1] for i in row if i in size), default=BOX_H) for row in rows]
    tops: list[float] = []
    for k in range(len(heights)):
        tops.append(0 if k == 0 else tops[-1] + heights[k - 1] + gaps[k - 1])
    bottoms = [t + h for t, h in zip(tops, heights, strict=True)]
    nodes: dict[str, Box] = {}
    for k, row in enumerate(rows):
        for item in (i for i in row if i in size):
            w, h = size[item]
            nodes[item] = (x[item] - w / 2, tops[k] + (heights[k] - h) / 2, w, h)
    ends: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for e, chain in zip(edges, chains, strict=True):
        sides = ("top", "bottom") if e.loop else ("bottom", "top")
        catch = e.kind == "catch"
        for key, other in (((chain[0], sides[0]), chain[1]), ((chain[-1], sides[1]), chain[-2])):
            if (other, catch) not in ends.setdefault(key, []):
                ends[key].append((other, catch))
    port: dict[tuple[str, str, str, bool], Point] = {}
    for (name, side), others in ends.items():
        bx, by, bw, bh = nodes[name]
        others.sort(key=lambda o: (x[o[0]], not o[1]))  # a Catch left of a Next to one state
        y = by if side == "top" else by + bh
        middle = next((j for j, o in enumerate(others) if (name, o[0]) in straight), None)
        for j, (other, catch) in enumerate(others):
            if middle is None:  # spread along the side
                spot = (bx + bw * (j + 1) / (len(others) + 1), y)
            elif j == middle:  # the main path: straight down the middle
                spot = (bx + bw / 2, y)
            elif j < middle:
                spot = (bx + bw / 2 * (j + 1) / (middle + 1), y)
            else:
                spot = (bx + bw / 2 + bw / 2 * (j - middle) / (len(others) - middle), y)
            port[(name, side, other, catch)] = spot
    for e, chain in zip(edges, chains, strict=True):
        catch, (a, b) = e.kind == "catch", (chain[0], chain[-1])
        if e.loop:
            p, q = port[(a, "top", chain[1], catch)], port[(b, "bottom", chain[-2], catch)]
            points = [p, (p[0], tops[row_of[a]])]
            for d in chain[1:-1]:
                points += [(x[d], bottoms[row_of[d]]), (x[d], tops[row_of[d]])]
            points += [(q[0], bottoms[row_of[b]]), q]
        else:
            p, q = port[(a, "bottom", chain[1], catch)], port[(b, "top", chain[-2], catch)]
            points = [p, (p[0], bottoms[row_of[a]])]
            for d in chain[1:-1]:
                points += [(x[d], tops[row_of[d]]), (x[d], bottoms[row_of[d]])]
            points += [(q[0], tops[row_of[b]]), q]
        e.points = [pt for i, pt in enumerate(points) if i == 0 or pt != points[i - 1]]
    return nodes
