"""Listener choice, rule matching in priority order, weights as shares, and which targets can
serve, as the VPC Lattice User Guide's "Listener rules" and "Health checks" pages give them."""

from __future__ import annotations

from typing import Any

import pytest

from lattice_deploy.simulate import router
from lattice_deploy.simulate.context import Request

DEFAULT = {"forward": {"targetGroups": [{"targetGroupIdentifier": "tg-default"}]}}


def rule(name: str, priority: int, **http: Any) -> dict[str, Any]:
    action = {"forward": {"targetGroups": [{"targetGroupIdentifier": f"tg-{name}"}]}}
    return {"name": name, "priority": priority, "match": {"httpMatch": http}, "action": action}


def path(kind: str, value: str, **more: Any) -> dict[str, Any]:
    return {"pathMatch": {"match": {kind: value}, **more}}


def header(name: str, kind: str, value: str, **more: Any) -> dict[str, Any]:
    return {"headerMatches": [{"name": name, "match": {kind: value}, **more}]}


def taken(rules: list[dict[str, Any]], **request: Any) -> str:
    found, _ = router.match_rule(rules, DEFAULT, Request(**request))
    return str(found["name"])


def test_rules_are_tried_lowest_priority_first_and_the_first_match_wins() -> None:
    rules = [rule("late", 20, **path("prefix", "/")), rule("early", 5, **path("prefix", "/api"))]
    assert taken(rules, path="/api/x") == "early"
    assert taken(rules, path="/web") == "late"
    _, skipped = router.match_rule(rules, DEFAULT, Request(path="/web"))
    assert skipped == [
        "rule early (priority 5): path prefix '/api', any case (the request's is '/web')"
    ]


def test_no_rule_matching_takes_the_default_action() -> None:
    found, skipped = router.match_rule(
        [rule("api", 1, **path("exact", "/api"))], DEFAULT, Request()
    )
    assert found == {"name": "default", "isDefault": True, "action": DEFAULT}
    assert len(skipped) == 1


def test_a_default_rule_listed_by_list_rules_is_not_a_condition() -> None:
    listed = [{"name": "default", "isDefault": True, "priority": 0, "match": {}, "action": {}}]
    assert router.match_rule(listed, DEFAULT, Request())[0]["action"] == DEFAULT


@pytest.mark.parametrize(
    ("match", "request_path", "taken_"),
    [
        (path("exact", "/api"), "/api", True),
        (path("exact", "/api"), "/api/x", False),
        (path("prefix", "/api"), "/api/x", True),
        (path("prefix", "/api"), "/API/x", True),  # caseSensitive defaults to false
        (path("prefix", "/api", caseSensitive=True), "/API/x", False),
        (path("exact", "/Api", caseSensitive=True), "/Api", True),
    ],
)
def test_path_matches(match: dict[str, Any], request_path: str, taken_: bool) -> None:
    assert (taken([rule("r", 1, **match)], path=request_path) == "r") is taken_


def test_method_matches_exactly_and_with_case() -> None:
    rules = [rule("post", 1, method="POST")]
    assert taken(rules, method="POST") == "post"
    assert taken(rules, method="post") == "default"
    assert taken(rules, method="GET") == "default"


@pytest.mark.parametrize(
    ("match", "headers", "taken_"),
    [
        (header("X-Env", "exact", "canary"), {"x-env": "canary"}, True),
        (header("X-Env", "exact", "canary"), {"x-env": "CANARY"}, True),  # values ignore case
        (header("X-Env", "exact", "canary", caseSensitive=True), {"x-env": "CANARY"}, False),
        (header("x-env", "prefix", "can"), {"x-env": "canary-1"}, True),
        (header("x-env", "contains", "nar"), {"x-env": "canary"}, True),
        (header("x-env", "contains", "blue"), {"x-env": "canary"}, False),
        (header("x-env", "exact", "canary"), {}, False),
    ],
)
def test_header_matches(match: dict[str, Any], headers: dict[str, str], taken_: bool) -> None:
    assert (taken([rule("h", 1, **match)], headers=headers) == "h") is taken_


def test_every_part_of_a_match_must_hold() -> None:
    both = rule("both", 1, method="GET", **path("prefix", "/api"), **header("x-a", "exact", "1"))
    assert taken([both], path="/api", headers={"x-a": "1"}) == "both"
    assert taken([both], path="/api", headers={"x-a": "2"}) == "default"
    assert taken([both], path="/web", headers={"x-a": "1"}) == "default"


def test_weights_are_shares_of_their_sum() -> None:
    action = {
        "forward": {
            "targetGroups": [
                {"targetGroupIdentifier": "tg-blue", "weight": 30},
                {"targetGroupIdentifier": "tg-green", "weight": 10},
                {"targetGroupIdentifier": "tg-idle", "weight": 0},
            ]
        }
    }
    assert [(s["targetGroup"], s["share"]) for s in router.shares(action)] == [
        ("tg-blue", 0.75),
        ("tg-green", 0.25),
        ("tg-idle", 0.0),
    ]
    assert router.shares(DEFAULT) == [{"targetGroup": "tg-default", "weight": 100, "share": 1.0}]


def test_only_healthy_targets_or_unchecked_ones_serve() -> None:
    targets = [
        {"id": f"10.0.0.{i}", "port": 80, "status": s}
        for i, s in enumerate(
            ["HEALTHY", "UNHEALTHY", "INITIAL", "DRAINING", "UNAVAILABLE", "UNUSED"]
        )
    ]
    assert [t["status"] for t in router.serving(targets)] == ["HEALTHY", "UNAVAILABLE"]
    assert router.serving([t for t in targets if t["status"] == "UNHEALTHY"]) == []  # no fail-open


def listener(port: int, protocol: str = "HTTP") -> dict[str, Any]:
    return {"id": f"listener-{port}", "name": f"l{port}", "port": port, "protocol": protocol}


def test_the_listener_is_the_ports_the_only_one_or_https_first() -> None:
    both = [listener(80), listener(443, "HTTPS")]
    assert router.choose_listener(both, None)["port"] == 443
    assert router.choose_listener(both, 80)["port"] == 80
    assert router.choose_listener([listener(8080)], None)["port"] == 8080
    with pytest.raises(LookupError, match="no listener on port 9000"):
        router.choose_listener(both, 9000)
    with pytest.raises(ValueError, match="--port"):
        router.choose_listener([listener(8080), listener(8443)], None)
