"""What a deployment of a bundle would do, found with read calls only (``lattice-deploy plan``).

Why here, beside the steps: it asks the same questions they ask before acting (adopt by ARN,
find by name, does what exists cover what the bundle wants?), with the same helpers, so the
plan and the deployment cannot disagree. Each item is ``{resource, action, name, diff}`` with
action ``create``, ``adopt``, ``change`` or ``unchanged``.
"""

from __future__ import annotations

from typing import Any

from ..core.compare import covers, differences
from ..ecs import api as ecs
from ..lattice import custom_domain, ensure_auth, routes, shared_network
from ..lattice import find_or_create as lattice

UPDATE_FIELDS = (
    "desiredCount",
    "networkConfiguration",
    "platformVersion",
    "healthCheckGracePeriodSeconds",
)


def _item(
    resource: str, action: str, name: str | None, diff: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"resource": resource, "action": action, "name": name, "diff": diff or []}


def _named(
    api: Any, plan: dict[str, Any], resource: str, ref: dict[str, Any], kind: str
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    if "arn" in ref:
        return _item(resource, "adopt", ref["arn"]), {
            "arn": ref["arn"],
            "id": ref["arn"].rsplit("/", 1)[-1],
        }
    found = lattice.find_named(api, plan, kind, ref["name"])
    action = ("adopt" if ref.get("named") else "unchanged") if found else "create"
    return _item(resource, action, ref["name"]), found


def _lattice(plan: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    api, want = lattice.client(plan), plan["lattice"]
    items: list[dict[str, Any]] = []
    network_item, network = _named(
        api, plan, "serviceNetwork", want["serviceNetwork"], "service_network"
    )
    service_item, service = _named(api, plan, "latticeService", want["service"], "service")
    group_item, group = _named(api, plan, "targetGroup", want["targetGroup"], "target_group")
    network_item = _auth(api, plan, "service_network", network_item, network)
    service_item = _auth(api, plan, "service", service_item, service)
    if owner := shared_network.shared_from(plan):  # adopted, never changed
        network_item["name"] = f"{network_item['name']} (shared from {owner})"
    items.append(network_item)
    assoc = lattice.find(
        api, "list_service_network_vpc_associations", lambda _: True, vpcIdentifier=want["vpcId"]
    )
    items.append(_item("vpcAssociation", "unchanged" if assoc else "create", want["vpcId"]))
    items.append(service_item)
    if group and want["targetGroup"]["healthCheck"]:
        current = (
            api.get_target_group(targetGroupIdentifier=group["arn"])["config"].get("healthCheck")
            or {}
        )
        if not covers(current, want["targetGroup"]["healthCheck"]):
            group_item = _item(
                "targetGroup",
                "change",
                group_item["name"],
                differences(current, want["targetGroup"]["healthCheck"], "healthCheck"),
            )
    items.append(group_item)
    forwards = False
    if service and group:
        for page in api.get_paginator("list_listeners").paginate(serviceIdentifier=service["id"]):
            for listener in page["items"]:
                action = api.get_listener(
                    serviceIdentifier=service["id"], listenerIdentifier=listener["id"]
                )["defaultAction"]
                targets = (action.get("forward") or {}).get("targetGroups") or []
                forwards |= any(
                    t["targetGroupIdentifier"] in (group["id"], group["arn"]) for t in targets
                )
    items.append(_item("listener", "unchanged" if forwards else "create", want["listener"]["name"]))
    linked = False
    if service and network:
        linked = bool(
            lattice.find(
                api,
                "list_service_network_service_associations",
                lambda _: True,
                serviceNetworkIdentifier=network["arn"],
                serviceIdentifier=service["id"],
            )
        )
    items.append(_item("serviceAssociation", "unchanged" if linked else "create", None))
    items += _progressive(api, want, service)
    items += _routes(plan, api, service, group)
    return items, group


def _auth(
    api: Any, plan: dict[str, Any], kind: str, item: dict[str, Any], found: dict[str, Any] | None
) -> dict[str, Any]:
    """The auth the bundle asks of a service or network it owns: a ``change`` with the diff of
    type and policy when AWS has another (an adopted one's auth is never changed)."""
    want = ensure_auth.wanted(plan, kind)
    if found is None or want is None or not ensure_auth.owned(api, found["arn"], plan):
        return item
    diff = ensure_auth.differences(ensure_auth.current(api, kind, found["arn"]), want)
    return _item(item["resource"], "change", item["name"], diff) if diff else item


def _progressive(
    api: Any, want: dict[str, Any], service: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """What a progressive strategy needs: the alternate group and the listener rules."""
    progressive = want.get("progressive")
    if not progressive or progressive["adopted"]:
        return []
    name = progressive["alternateGroup"]["name"]
    found = lattice.find(
        api, "list_target_groups", lambda i: i["name"] == name, vpcIdentifier=want["vpcId"]
    )
    items = [_item("alternateGroup", "unchanged" if found else "create", name)]
    rules: set[str] = set()
    if service:
        for page in api.get_paginator("list_listeners").paginate(serviceIdentifier=service["id"]):
            for listener in page["items"]:
                listed = api.list_rules(
                    serviceIdentifier=service["id"], listenerIdentifier=listener["id"]
                )
                rules |= {r["name"] for r in listed["items"]}
    for key in ("productionRule", "testRule"):
        if rule := progressive.get(key):
            action = "unchanged" if rule["name"] in rules else "create"
            items.append(_item("rule", action, rule["name"]))
    return items


def _routes(
    plan: dict[str, Any], api: Any, service: dict[str, Any] | None, group: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The routes' rules to create, change or delete (:func:`deployer.lattice.routes.changes`,
    what ``ensure_routes`` does), and the custom domain's DNS record."""
    want, items = plan["lattice"], list[dict[str, Any]]()
    if want.get("routes") is None and not want.get("dns"):
        return items  # the bundle says nothing of routes nor of a record
    listener = service and lattice.find(
        api,
        "list_listeners",
        lambda i: i["name"] == want["listener"]["name"],
        serviceIdentifier=service["id"],
    )
    current: list[dict[str, Any]] = []
    if service and listener:
        on = {"serviceIdentifier": service["id"], "listenerIdentifier": listener["id"]}
        current = [r for r in routes.listener_rules(api, on) if routes.is_ours(r, plan)]
    if want.get("routes") or current:
        others = routes.other_groups(plan, (service or {}).get("arn"))
        wanted = routes.wanted(plan, (group or {}).get("arn") or "self", others)
        verbs = {"create": "create", "update": "change", "delete": "delete"}
        for verb, rule, was in routes.changes(current, wanted):
            diff = (
                differences({k: was.get(k) for k in ("priority", "match", "action")}, rule)
                if verb == "update" and was
                else []
            )
            items.append(_item("rule", verbs[verb], rule["name"], diff))
        changed = {item["name"] for item in items}
        items += [_item("rule", "unchanged", r["name"]) for r in wanted if r["name"] not in changed]
    if dns := want.get("dns"):
        target = (
            api.get_service(serviceIdentifier=service["id"])["dnsEntry"]["domainName"]
            if service
            else ""
        )
        found = custom_domain.record_of(plan)
        same = bool(target) and custom_domain.points_to(found, target)
        items.append(_item("dnsRecord", "unchanged" if same else "create", dns["name"]))
    return items


def _ecs(plan: dict[str, Any], group: dict[str, Any] | None) -> list[dict[str, Any]]:
    wanted = plan["taskDefinition"]
    items: list[dict[str, Any]] = []
    service = ecs.describe_service(plan)
    current_td = ecs.current_task_definition(plan, service) or {}
    td_same = bool(current_td) and covers(current_td, wanted)
    items.append(
        _item(
            "taskDefinition",
            "unchanged" if td_same else "create",
            wanted["family"],
            [] if td_same or not current_td else differences(current_td, wanted),
        )
    )
    if service is None:
        items.append(_item("ecsService", "create", plan["serviceName"]))
        return items
    desired = {
        k: plan["serviceDefinition"][k] for k in UPDATE_FIELDS if k in plan["serviceDefinition"]
    }
    diff = differences(service, desired)
    if (connect := plan["serviceDefinition"].get(ecs.CONNECT)) is not None:  # on the deployment
        diff += differences(ecs.primary(service).get(ecs.CONNECT) or {}, connect, ecs.CONNECT)
    if not td_same:
        diff.append(
            {
                "path": "taskDefinition",
                "current": service["taskDefinition"],
                "desired": f"a new revision of {wanted['family']}",
            }
        )
    if group and plan["lattice"]["registration"] == "ecs":
        wiring = ecs.primary(service).get("vpcLatticeConfigurations") or []
        if not any(w.get("targetGroupArn") == group["arn"] for w in wiring):
            diff.append(
                {
                    "path": "vpcLatticeConfigurations",
                    "current": wiring,
                    "desired": f"forward to {group['arn']}",
                }
            )
    items.append(_item("ecsService", "change" if diff else "unchanged", plan["serviceName"], diff))
    return items


def plan_changes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    lattice_items, group = _lattice(plan)
    return lattice_items + _ecs(plan, group)
