"""docs/<machine>.svg is drawn from statemachine/<machine>.asl.json: a picture that no longer
matches its definition fails here (``make docs`` redraws them). And what makes it readable is
checked on the drawn SVG itself, not on the layout's intentions: no label's box meets a state's
box or another label's, the main path keeps one column, every mark is in the legend."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import combinations

import pytest

from lattice_deploy import picture
from lattice_deploy.graph.labels import meets
from lattice_deploy.graph.layout import layout

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("machine", picture.MACHINES)
def test_each_picture_matches_its_state_machine(machine: str) -> None:
    drawn = picture.draw(picture.definition_of(machine), f"statemachine/{machine}.asl.json")
    on_disk = (picture.DOCS / f"{machine}.svg").read_text()
    assert on_disk == drawn, f"docs/{machine}.svg is stale: run make docs"


def _boxes(svg: str) -> list[tuple[str, str, tuple[float, float, float, float]]]:
    """(class, name, box) of each state's, label's and legend swatch's rect, as drawn."""
    found = []
    for rect in ET.fromstring(svg).iter(f"{SVG}rect"):
        kind = rect.get("class")
        if kind:
            box = tuple(float(rect.get(k, "0")) for k in ("x", "y", "width", "height"))
            found.append((kind, rect.get("data-state") or "", box))
    return found  # type: ignore[return-value]


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    (x, y, w, h), (ox, oy, ow, oh) = inner, outer
    return ox < x and x + w < ox + ow and oy < y and y + h < oy + oh


@pytest.mark.parametrize("machine", picture.MACHINES)
def test_no_label_meets_a_state_or_another_label(machine: str) -> None:
    definition = picture.definition_of(machine)
    parents = layout(definition).parents
    drawn = _boxes(picture.draw(definition, machine, marks={}))  # marks: each box named
    labelled = [e for e in layout(definition).edges if e.label]
    assert sum(kind == "label" for kind, _, _ in drawn) == len(labelled)
    maps = set(parents.values())
    for (kind_a, a, box_a), (kind_b, b, box_b) in combinations(drawn, 2):
        nested = kind_a == kind_b == "node" and (parents.get(a) == b or parents.get(b) == a)
        # a label of an edge inside a Map lies on the Map's box, wholly inside it
        nested |= kind_a == "node" and a in maps and kind_b == "label" and _inside(box_b, box_a)
        nested |= kind_b == "node" and b in maps and kind_a == "label" and _inside(box_a, box_b)
        if not nested:
            assert not meets(box_a, box_b), f"{kind_a} {a or box_a} meets {kind_b} {b or box_b}"


def test_the_main_path_keeps_one_column_and_the_loops_go_up() -> None:
    placed = layout(picture.definition_of("deploy"))
    assert placed.main == [
        "acquire_lock",
        "turn_verdict",
        "load_bundle",
        "ensure_lattice",
        "register_task_definition",
        "update_service",
        "check_health",
        "health_verdict",
        "release_lock",
        "report",
        "outcome",
        "deployed",
    ]
    centres = {placed.nodes[n][0] + placed.nodes[n][2] / 2 for n in placed.main}
    assert len(centres) == 1
    loops = {(e.source, e.target) for e in placed.edges if e.loop}
    assert loops == {
        ("wait_for_turn", "acquire_lock"),
        ("wait_for_leftovers", "finish_leftovers"),
        ("wait_for_health", "check_health"),
        ("register_targets", "check_health"),
        ("wait_for_rollback", "rollback"),
        ("list_left", "rollback"),
    }
    for e in placed.edges:  # every other edge points down, every loop up
        assert (e.points[-1][1] < e.points[0][1]) == e.loop, (e.source, e.target)


def test_every_state_branch_and_mark_is_drawn_and_explained() -> None:
    definition = picture.definition_of("deploy")
    drawn = picture.draw(definition, "deploy")
    for name in definition["States"]:
        assert f">{name}</text>" in drawn, name
    assert "status = WAITING &amp; registration = direct" in drawn  # a Choice's And
    assert "status = HEALTHY &amp; not error present" in drawn  # a Not, an IsPresent
    assert ">taken</text>" in picture.draw(definition, "deploy", marks={})


@pytest.mark.parametrize("machine", picture.MACHINES)
def test_the_legend_explains_every_mark_used(machine: str) -> None:
    definition = picture.definition_of(machine)
    drawn, placed = picture.draw(definition, machine), layout(definition)
    kinds = {"Map" if t == "Parallel" else t for t in placed.types.values()}
    kinds |= {"loop" if e.loop else e.kind for e in placed.edges}
    for kind, text in (*picture.LEGEND_NODES, *picture.LEGEND_EDGES):
        assert (f">{text}</text>" in drawn) == (kind in kinds), text


def test_a_map_holds_its_iterator_states() -> None:
    placed = layout(picture.definition_of("redeploy"))
    x, y, w, h = placed.nodes["redeploy_services"]
    for name in ("deploy_service", "deploy_failed"):
        assert placed.parents[name] == "redeploy_services"
        ix, iy, iw, ih = placed.nodes[name]
        assert x < ix and ix + iw < x + w and y < iy and iy + ih < y + h
