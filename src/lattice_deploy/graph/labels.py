"""Where each edge's label goes: beside its own line, its box meeting no state's box and no
other label's. Why a search and not a fixed offset: a Choice with four branches puts four labels
in one gap, and an offset that suits one edge lands on the next (the old picture's overlaps).
"""

from __future__ import annotations

from itertools import pairwise

from .asl import Box, Edge, Point

CHAR_W, LABEL_H = 6.0, 13
"""A label's box: 6 px a character at font-size 10 (wider than sans-serif's average, so the
estimate errs on the roomy side), 13 px high."""


def meets(a: Box, b: Box, margin: float = 0) -> bool:
    """Whether two boxes overlap (touching edges do not, unless ``margin`` says so)."""
    return (
        a[0] < b[0] + b[2] + margin
        and b[0] < a[0] + a[2] + margin
        and a[1] < b[1] + b[3] + margin
        and b[1] < a[1] + a[3] + margin
    )


def _crosses(box: Box, p: Point, q: Point) -> bool:
    """Whether segment p-q passes through the box (Liang-Barsky clipping)."""
    (x, y, w, h), (dx, dy) = box, (q[0] - p[0], q[1] - p[1])
    low, high = 0.0, 1.0
    for d, gap in ((-dx, p[0] - x), (dx, x + w - p[0]), (-dy, p[1] - y), (dy, y + h - p[1])):
        if d == 0:
            if gap < 0:
                return False
        elif d < 0:
            low = max(low, gap / d)
        else:
            high = min(high, gap / d)
    return low < high


def place(edges: list[Edge], nodes: dict[str, Box], row_of: dict[str, int]) -> int | None:
    """Each label where its box meets no state and no label placed before it, fewest lines
    through it first, then nearest its edge's start; None, or the gap to grow for the first
    label that found no room."""
    placed: list[Box] = []
    segments = [(p, q) for e in edges for p, q in pairwise(e.points)]
    for e in edges:
        e.label_box = None
        if not e.label:
            continue
        w, h = len(e.label) * CHAR_W + 6, LABEL_H
        best: tuple[tuple[int, int, int], Box] | None = None
        for s, (p, q) in enumerate(pairwise(e.points)):
            for t, at in enumerate((0.5, 0.3, 0.7, 0.15, 0.85)):
                cx, cy = p[0] + (q[0] - p[0]) * at, p[1] + (q[1] - p[1]) * at
                for box in ((cx + 4, cy - h / 2, w, h), (cx - 4 - w, cy - h / 2, w, h)):
                    if any(meets(box, n, 3) for n in nodes.values()):
                        continue
                    if any(meets(box, other, 2) for other in placed):
                        continue
                    cost = (sum(_crosses(box, a, b) for a, b in segments), s, t)
                    if best is None or cost < best[0]:
                        best = (cost, box)
        if best is None:
            return max(0, row_of[e.source] - 1 if e.loop else row_of[e.source])
        e.label_box = best[1]
        placed.append(best[1])
    return None
