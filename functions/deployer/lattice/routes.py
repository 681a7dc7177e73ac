"""The bundle's routes as listener rules: what should be on the listener, what is, and the calls
from one to the other. Shared by the account check, ``ensure_routes``, ``plan`` and the rollback,
so that they cannot disagree.

A route's rule is named as the route and tagged as the workflow tags what it makes; the rules of
the listener that carry this service's tags (and are not a progressive strategy's) are the
bundle's: one it no longer names is deleted, one that differs is updated (UpdateRule). Rules made
by hand, and a strategy's, are never touched; a route whose priority one of them holds is refused
before any change. Another service's group is adopted: it must exist and be ACTIVE; it is never
changed nor deleted (a rule forwarding to it goes, the group stays).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from ..core.compare import covers
from ..core.errors import BundleInvalid
from ..ecs import progressive
from . import find_or_create as lattice

WHERE = "ecs-service-def.json: vpcLatticeConfiguration.routes"
SELF = "self"
STRATEGY_RULES = (progressive.PRODUCTION_RULE, progressive.TEST_RULE)
Call = Callable[[str, str, Callable[[], Any]], Any]
"""How a change is made: ``(verb, rule name, the API call)`` → its answer (the rollback passes
one that goes through its ledger)."""


def other_groups(plan: dict[str, Any], service_arn: str | None = None) -> dict[str, str]:
    """Each other group the routes name → its ARN; refused (all at once) when one is missing,
    not ACTIVE, or used by a listener of another Lattice service: "To use a target group with a
    VPC Lattice service, you must verify that it is not used by a listener for any other VPC
    Lattice service" (User Guide, "HTTP listeners", "Create a VPC Lattice target group")."""
    api, found, problems = lattice.client(plan), {}, []
    named = {
        t["targetGroup"]
        for r in plan["lattice"].get("routes") or []
        if isinstance(r["to"], list)
        for t in r["to"]
        if t["targetGroup"] != SELF
    }
    listed: list[dict[str, Any]] | None = None
    for ref in sorted(named):
        group: dict[str, Any] | None
        if ref.startswith("arn:"):
            try:
                group = dict(api.get_target_group(targetGroupIdentifier=ref))
            except ClientError:
                group = None
        else:
            if listed is None:
                pages = api.get_paginator("list_target_groups").paginate()
                listed = [dict(i) for page in pages for i in page["items"]]
            group = next((g for g in listed if g["name"] == ref), None)
        if group is None:
            problems.append(
                f"{WHERE}: target group {ref} does not exist in this account and Region; "
                "deploy that service first, or fix the name (aws vpc-lattice list-target-groups)"
            )
        elif group.get("status") != "ACTIVE":
            problems.append(
                f"{WHERE}: target group {ref} is {group.get('status')}, not ACTIVE; "
                "wait for it, or name another"
            )
        elif users := [a for a in group.get("serviceArns") or [] if a != service_arn]:
            problems.append(
                f"{WHERE}: target group {ref} is used by a listener of Lattice service "
                f"{users[0]}, and VPC Lattice lets one service's listeners use a group only; "
                "route to a group no other service uses (or call that service by its own name)"
            )
        else:
            found[ref] = str(group["arn"])
    if problems:
        raise BundleInvalid("; ".join(problems))
    return found


def action_of(to: Any, own: str, groups: dict[str, str]) -> dict[str, Any]:
    if isinstance(to, dict):
        return {"fixedResponse": {"statusCode": to["fixedResponse"]}}
    return {
        "forward": {
            "targetGroups": [
                {
                    "targetGroupIdentifier": own
                    if t["targetGroup"] == SELF
                    else groups[t["targetGroup"]],
                    "weight": t["weight"],
                }
                for t in to
            ]
        }
    }


def wanted(plan: dict[str, Any], own: str, groups: dict[str, str]) -> list[dict[str, Any]]:
    """The rules the routes ask for, forwarding to ``own`` (this service's group) or others'."""
    return [
        {
            "name": r["name"],
            "priority": r["priority"],
            "match": r["match"],
            "action": action_of(r["to"], own, groups),
        }
        for r in plan["lattice"].get("routes") or []
    ]


def listener_rules(api: Any, on: dict[str, str]) -> list[dict[str, Any]]:
    """Every rule of the listener, whole (GetRule), with its tags."""
    pages = api.get_paginator("list_rules").paginate(**on)
    rules = []
    for item in (i for page in pages for i in page["items"] if not i.get("isDefault")):
        rule = dict(api.get_rule(**on, ruleIdentifier=item["id"]))
        rule["tags"] = api.list_tags_for_resource(resourceArn=rule["arn"]).get("tags") or {}
        rules.append(rule)
    return rules


def is_ours(rule: dict[str, Any], plan: dict[str, Any]) -> bool:
    tags = rule.get("tags") or {}
    return (
        rule.get("name") not in STRATEGY_RULES
        and tags.get("lattice-deploy:service") == plan["serviceName"]
        and tags.get("lattice-deploy:environment") == plan["environment"]
    )


def _groups(action: dict[str, Any]) -> Any:
    if "fixedResponse" in (action or {}):
        return ("fixed", action["fixedResponse"].get("statusCode"))
    targets = ((action or {}).get("forward") or {}).get("targetGroups") or []
    return sorted(
        (str(t["targetGroupIdentifier"]).rsplit("/", 1)[-1], int(t.get("weight", 100)))
        for t in targets
    )


def same(current: dict[str, Any], want: dict[str, Any]) -> bool:
    return (
        current.get("priority") == want["priority"]
        and covers(current.get("match") or {}, want["match"])
        and _groups(current.get("action") or {}) == _groups(want["action"])
    )


def changes(
    current: list[dict[str, Any]], want: list[dict[str, Any]]
) -> list[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """``(verb, wanted or current rule, the current one)``: deletes, updates, creates."""
    have = {r["name"]: r for r in current}
    names = {w["name"] for w in want}
    found: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = [
        ("delete", r, r) for r in current if r["name"] not in names
    ]
    for rule in want:
        if rule["name"] not in have:
            found.append(("create", rule, None))
        elif not same(have[rule["name"]], rule):
            found.append(("update", rule, have[rule["name"]]))
    order = {"delete": 0, "update": 1, "create": 2}
    return sorted(found, key=lambda c: order[c[0]])


def apply(
    api: Any,
    on: dict[str, str],
    current: list[dict[str, Any]],
    want: list[dict[str, Any]],
    others: list[dict[str, Any]],
    create: Callable[[dict[str, Any]], dict[str, Any]],
    call: Call,
) -> list[tuple[str, str]]:
    """Make the listener's rules of the bundle ``want``: ``(verb, name)`` of each change made.
    A rule moving to a priority another of ours still holds is first parked on a free one (each
    rule of a listener has its own priority, so a swap in one step would be refused)."""
    todo = changes(current, want)
    moving: list[tuple[dict[str, Any], dict[str, Any]]] = [
        (w, c) for verb, w, c in todo if verb == "update" and c and c["priority"] != w["priority"]
    ]
    held = {r["priority"] for r in current + others} | {w["priority"] for w in want}
    free = [p for p in range(100, 0, -1) if p not in held]
    for (parked, held_by), spare in zip(moving, free, strict=False):
        park = partial(api.update_rule, **on, ruleIdentifier=held_by["id"], priority=spare)
        call("park", parked["name"], park)
    done = []
    for verb, rule, was in todo:
        run: Callable[[], Any]
        if verb == "delete":
            run = partial(api.delete_rule, **on, ruleIdentifier=rule["id"])
        elif verb == "update" and was:
            run = partial(
                api.update_rule,
                **on,
                ruleIdentifier=was["id"],
                priority=rule["priority"],
                match=rule["match"],
                action=rule["action"],
            )
        else:
            run = partial(create, rule)
        call(verb, rule["name"], run)
        done.append((verb, rule["name"]))
    return done


def direct(verb: str, name: str, run: Callable[[], Any]) -> Any:
    """A change made as it is (the run's way)."""
    return run()


def check(plan: dict[str, Any], service: dict[str, Any] | None) -> None:
    """Before any change: the groups exist; on an existing service, the routes go on the
    workflow's own listener and no rule made by hand (or a strategy's) holds their priorities."""
    routes = plan["lattice"].get("routes") or []
    if not routes:
        return
    other_groups(plan, (service or {}).get("arn"))
    if not service:
        return
    api, want = lattice.client(plan), plan["lattice"]["listener"]
    found = [
        dict(api.get_listener(serviceIdentifier=service["id"], listenerIdentifier=i["id"]))
        for page in api.get_paginator("list_listeners").paginate(serviceIdentifier=service["id"])
        for i in page["items"]
    ]
    on_port = next((ln for ln in found if ln.get("port") == want["port"]), None)
    if on_port and on_port.get("name") != want["name"]:
        raise BundleInvalid(
            f"{WHERE}: the listener on port {want['port']} of Lattice service {service['name']} "
            f"is {on_port.get('name')}, made by hand; routes are rules of the workflow's own "
            f"listener ({want['name']}) and are never added to another's. Remove routes, or "
            "give vpcLatticeConfiguration.listener another port"
        )
    if not on_port:
        return
    on = {"serviceIdentifier": service["id"], "listenerIdentifier": on_port["id"]}
    strangers = {r["priority"]: r["name"] for r in listener_rules(api, on) if not is_ours(r, plan)}
    for route in routes:
        if route["priority"] in strangers and strangers[route["priority"]] not in STRATEGY_RULES:
            raise BundleInvalid(
                f"{WHERE}: route {route['name']}'s priority {route['priority']} is held by rule "
                f"{strangers[route['priority']]} of listener {on_port['name']}, not made by "
                "this bundle; choose another priority, or delete that rule"
            )
