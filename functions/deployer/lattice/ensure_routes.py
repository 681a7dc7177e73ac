"""Part ``ensure_routes`` of state ``ensure_lattice``: the bundle's routes as rules of the
workflow's own listener (:mod:`.routes`): created, updated, and deleted once the bundle no longer
names them. The listener's default action stays this service's group: what no route matches."""

from __future__ import annotations

from typing import Any

from ..core.errors import BundleInvalid
from ..core.step import record
from . import find_or_create as lattice
from . import routes


def ensure(event: dict[str, Any]) -> dict[str, Any] | None:
    plan, resources = event["plan"], event["resources"]
    if plan["lattice"].get("routes") is None:
        return None  # the bundle says nothing of routes: its listener's rules are not read
    asked = plan["lattice"]["routes"]
    listener = resources["listener"]
    if listener.get("name") != plan["lattice"]["listener"]["name"]:
        if asked:  # said before any change by routes.check; a listener made meanwhile
            raise BundleInvalid(
                f"{routes.WHERE}: listener {listener.get('name')} was not made by lattice-deploy; "
                "routes go on the workflow's own listener only"
            )
        return None
    api = lattice.client(plan)
    on = {
        "serviceIdentifier": resources["latticeService"]["id"],
        "listenerIdentifier": listener["id"],
    }
    if api.get_listener(**on).get("protocol") == "TLS_PASSTHROUGH":
        return None  # no rules there ("TLS listeners"); routes were refused with it
    rules = routes.listener_rules(api, on)
    ours = [r for r in rules if routes.is_ours(r, plan)]
    if not asked and not ours:
        return None
    want = routes.wanted(
        plan,
        resources["targetGroup"]["arn"],
        routes.other_groups(plan, resources["latticeService"]["arn"]),
    )

    def create(rule: dict[str, Any]) -> dict[str, Any]:
        return dict(
            api.create_rule(
                **on,
                **rule,
                clientToken=lattice.token(plan, f"route-{rule['name']}"),
                tags=plan["tags"],
            )
        )

    others = [r for r in rules if not routes.is_ours(r, plan)]
    done = routes.apply(api, on, ours, want, others, create, routes.direct)
    verbs = {verb for verb, _ in done}
    action = "created" if verbs == {"create"} else "updated" if verbs else "unchanged"
    return record(
        action,
        name=", ".join(w["name"] for w in want) or None,
        id=listener["id"],
        changes=[f"{verb} {name}" for verb, name in done] or None,
    )
