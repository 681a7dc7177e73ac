"""Part ``ensure_rules`` of state ``ensure_lattice``: the listener rules a progressive strategy
shifts traffic on (:mod:`deployer.ecs.progressive`).

The production rule matches every request and forwards to the primary group (weight 100) and
the alternate one (0); the test rule, when the bundle gives its match, forwards the same way.
Once made, a rule's weights are ECS's: a later run finds the rule by name and leaves its action
as ECS left it (production may be on the alternate group after a deployment). A TLS_PASSTHROUGH
listener has no rules: the listener itself is the production "rule" (:func:`_on_listener`).
"""

from __future__ import annotations

from typing import Any

from ..ecs.progressive import EVERYTHING
from . import find_or_create as lattice


def ensure(event: dict[str, Any]) -> dict[str, Any] | None:
    plan, resources = event["plan"], event["resources"]
    progressive = plan["lattice"].get("progressive")
    if not progressive or progressive["adopted"]:
        return None
    api = lattice.client(plan)
    service, listener = resources["latticeService"]["id"], resources["listener"]["id"]
    on = {"serviceIdentifier": service, "listenerIdentifier": listener}
    existing = {
        r["name"]: r
        for page in api.get_paginator("list_rules").paginate(**on)
        for r in page["items"]
    }
    groups = [resources["targetGroup"]["arn"], resources["alternateGroup"]["arn"]]
    action = {
        "forward": {
            "targetGroups": [
                {"targetGroupIdentifier": groups[0], "weight": 100},
                {"targetGroupIdentifier": groups[1], "weight": 0},
            ]
        }
    }
    found = api.get_listener(**on)
    if found.get("protocol") == "TLS_PASSTHROUGH":
        return _on_listener(api, on, found, action, groups[1])
    names = [progressive[k]["name"] for k in ("productionRule", "testRule") if progressive.get(k)]
    made: dict[str, Any] = {"action": "unchanged", "name": ", ".join(names)}
    for key in ("productionRule", "testRule"):
        want = progressive.get(key)
        if not want:
            continue
        if want["name"] in existing:
            found = existing[want["name"]]
            made[key.removesuffix("Rule")] = {"arn": found["arn"], "id": found["id"]}
            continue
        rule = api.create_rule(
            **on,
            name=want["name"],
            priority=want["priority"],
            match=want.get("match") or EVERYTHING,
            action=action,
            clientToken=lattice.token(plan, f"rule-{key}"),
            tags=plan["tags"],
        )
        made[key.removesuffix("Rule")] = {"arn": rule["arn"], "id": rule["id"]}
        made["action"] = "created"
    return made


def _on_listener(
    api: Any, on: dict[str, str], listener: dict[str, Any], action: dict[str, Any], alternate: str
) -> dict[str, Any]:
    """A TLS_PASSTHROUGH listener has no rules: ECS takes the listener ARN as
    ``productionListenerRule`` ("the production listener rule ... or listener", ECS API
    Reference, AdvancedConfiguration) and moves its default action's weights. The default
    action gets the alternate group at weight 0 once (UpdateListener); after that its weights
    are ECS's."""
    forwarded = ((listener.get("defaultAction") or {}).get("forward") or {}).get("targetGroups")
    ids = {str(g["targetGroupIdentifier"]).rsplit("/", 1)[-1] for g in forwarded or []}
    made = "unchanged"
    if alternate.rsplit("/", 1)[-1] not in ids:
        api.update_listener(**on, defaultAction=action)
        made = "updated"
    return {
        "action": made,
        "name": listener.get("name", ""),
        "production": {"arn": listener["arn"], "id": listener["id"], "listener": True},
    }
