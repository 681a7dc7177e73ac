"""Part ``ensure_listener`` of state ``ensure_lattice``: a listener of the Lattice service that
forwards to the target group.

A listener on the wanted port that forwards elsewhere is pointed at the target group (its previous
default action is recorded for rollback) if it is the workflow's own (named
``<env>-<service>-listener``); one made by hand is never repointed, since that would move its
traffic: ``load_bundle`` refuses the bundle before any change, saying what differs
(:func:`refuse_foreign`). None on that port → one is created.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import BundleInvalid
from . import find_or_create as lattice

LISTENER_PROTOCOLS = ("HTTP", "HTTPS")
"""Of CreateListener's protocols (HTTP, HTTPS, TLS_PASSTHROUGH), those whose listener can forward
to the HTTP target group a deploy makes: a TLS_PASSTHROUGH listener needs a TCP target group
(VPC Lattice User Guide, "TLS listeners")."""


def forwards_to(listener: dict[str, Any], group: dict[str, Any]) -> bool:
    targets = ((listener.get("defaultAction") or {}).get("forward") or {}).get("targetGroups") or []
    return any(t["targetGroupIdentifier"] in (group["id"], group["arn"]) for t in targets)


def rule_forwards_to(
    api: Any, service_id: str, listener: dict[str, Any], group: dict[str, Any]
) -> bool:
    """Whether a rule of ``listener`` (not its default action) forwards to the group: ECS's own
    ``advancedConfiguration.productionListenerRule``, or a path rule made by hand. Such a
    listener serves the group as it is and is adopted unchanged (its default action is not the
    bundle's to repoint). Read only where no default action forwards to the group."""
    pages = api.get_paginator("list_rules").paginate(
        serviceIdentifier=service_id, listenerIdentifier=listener["id"]
    )
    for item in (i for page in pages for i in page["items"] if not i.get("isDefault")):
        rule = api.get_rule(
            serviceIdentifier=service_id,
            listenerIdentifier=listener["id"],
            ruleIdentifier=item["id"],
        )
        if forwards_to({"defaultAction": rule.get("action") or {}}, group):
            return True
    return False


def listeners(api: Any, service_id: str) -> list[dict[str, Any]]:
    return [
        dict(api.get_listener(serviceIdentifier=service_id, listenerIdentifier=item["id"]))
        for page in api.get_paginator("list_listeners").paginate(serviceIdentifier=service_id)
        for item in page["items"]
    ]


def _action_text(action: dict[str, Any]) -> str:
    if fixed := action.get("fixedResponse"):
        return f"a fixed response {fixed.get('statusCode')}"
    groups = (action.get("forward") or {}).get("targetGroups") or []
    return ", ".join(
        f"target group {g['targetGroupIdentifier']} (weight {g.get('weight', 100)})" for g in groups
    )


def refuse_foreign(plan: dict[str, Any]) -> None:
    """Before any change: a listener made by hand on the bundle's port of an existing Lattice
    service must already forward to the bundle's target group; else say exactly what differs."""
    want, api = plan["lattice"], lattice.client(plan)
    ref = want["service"]
    service = (
        {"id": ref["arn"].rsplit("/", 1)[-1], "arn": ref["arn"]}
        if "arn" in ref
        else lattice.find_named(api, plan, "service", ref["name"])
    )
    if not service:
        return
    group_ref = want["targetGroup"]
    group = (
        {"id": group_ref["arn"].rsplit("/", 1)[-1], "arn": group_ref["arn"]}
        if "arn" in group_ref
        else lattice.find_named(api, plan, "target_group", group_ref["name"])
    )
    found = listeners(api, service["id"])
    serving = [listener for listener in found if group and forwards_to(listener, group)]
    if serving:
        _refuse_moved(serving, want["listener"], service["id"])
        return
    port = want["listener"]["port"]
    for listener in found:
        if listener.get("port") != port:
            continue
        if listener.get("name") == want["listener"]["name"]:  # repointed below, if the protocol
            _refuse_moved([listener], want["listener"], service["id"], "is")  # is the bundle's
            continue
        if group and rule_forwards_to(api, service["id"], listener, group):
            return
        bundle_group = group["arn"] if group else f"{group_ref['name']} (which this run would make)"
        raise BundleInvalid(
            f"ecs-service-def.json: vpcLatticeConfiguration.listener: listener {listener['name']} "
            f"on port {port} of Lattice service {service['arn']} was not made by lattice-deploy "
            f"and forwards to {_action_text(listener.get('defaultAction') or {})}, not to "
            f"{bundle_group} (weight 100); repointing it would move its traffic. Either name "
            "the group it forwards to in vpcLatticeConfiguration.targetGroup (to adopt it), point "
            "the listener at the bundle's group yourself, or give vpcLatticeConfiguration."
            "listener another port"
        )


def _refuse_moved(
    serving: list[dict[str, Any]],
    want: dict[str, Any],
    service_id: str,
    is_: str = "already serves the target group",
) -> None:
    """The target group is already served (or the workflow's own listener, ``is_`` "is", is on
    the bundle's port), but on another port or protocol than the bundle's: refused before any
    change, since VPC Lattice cannot move a listener (UpdateListener takes only
    ``defaultAction``: VPC Lattice API reference, UpdateListener) and a new listener beside the
    old one would leave the old port serving; repointing a TLS_PASSTHROUGH listener at the HTTP
    group fails mid-run ("The default action for a TLS listener must be a forward action to a
    TCP target group": VPC Lattice User Guide, "TLS listeners"). The ways out are said (keeping
    a TLS_PASSTHROUGH listener is none: the deploy's group is HTTP)."""
    port, protocol = want["port"], want["protocol"]
    if any(ln.get("port") == port and ln.get("protocol") == protocol for ln in serving):
        return
    listener = serving[0]
    keep = (
        f'Either keep it: set "listener": {{"port": {listener.get("port")}, "protocol": '
        f'"{listener.get("protocol")}"}}; or'
        if listener.get("protocol") in LISTENER_PROTOCOLS
        else "Its protocol cannot serve the deploy's HTTP target group;"
    )
    raise BundleInvalid(
        f"ecs-service-def.json: vpcLatticeConfiguration.listener: the bundle asks port {port} "
        f"({protocol}), but listener {listener.get('name')} {is_} on "
        f"port {listener.get('port')} ({listener.get('protocol')}), and VPC Lattice cannot change "
        f"a listener's port or protocol (UpdateListener changes only its default action). {keep} "
        "move it: aws vpc-lattice delete-listener "
        f"--service-identifier {service_id} --listener-identifier {listener.get('id')} "
        f"(callers of port {listener.get('port')} fail until the next deploy creates the "
        f"listener on {port})"
    )


def ensure(event: dict[str, Any]) -> dict[str, Any]:
    plan, resources = event["plan"], event["resources"]
    service, group, want = (
        resources["latticeService"],
        resources["targetGroup"],
        plan["lattice"]["listener"],
    )
    api = lattice.client(plan)
    action = {"forward": {"targetGroups": [{"targetGroupIdentifier": group["arn"], "weight": 100}]}}
    found = listeners(api, service["id"])
    for listener in found:
        if forwards_to(listener, group):
            return lattice.summary("unchanged", listener, serviceId=service["id"])
    on_port = next((ln for ln in found if ln.get("port") == want["port"]), None)
    if on_port and rule_forwards_to(api, service["id"], on_port, group):
        return lattice.summary("unchanged", on_port, serviceId=service["id"])
    if on_port:
        api.update_listener(
            serviceIdentifier=service["id"], listenerIdentifier=on_port["id"], defaultAction=action
        )
        return lattice.summary(
            "updated",
            on_port,
            serviceId=service["id"],
            previous={"defaultAction": on_port["defaultAction"]},
        )
    created = api.create_listener(
        serviceIdentifier=service["id"],
        name=want["name"],
        protocol=want["protocol"],
        port=want["port"],
        defaultAction=action,
        clientToken=lattice.token(plan, "listener"),
        tags=plan["tags"],
    )
    return lattice.summary("created", created, serviceId=service["id"])
