"""Part ``ensure_listener`` of state ``ensure_lattice``: a listener of the Lattice service that
forwards to the target group.

A listener on the wanted port that forwards elsewhere is pointed at the target group (its previous
default action is recorded for rollback); none on that port → one is created.
"""

from __future__ import annotations

from typing import Any

from . import lattice


def _forwards_to(listener: dict[str, Any], group: dict[str, Any]) -> bool:
    targets = ((listener.get("defaultAction") or {}).get("forward") or {}).get("targetGroups") or []
    return any(t["targetGroupIdentifier"] in (group["id"], group["arn"]) for t in targets)


def ensure(event: dict[str, Any]) -> dict[str, Any]:
    plan, resources = event["plan"], event["resources"]
    service, group, want = (
        resources["latticeService"],
        resources["targetGroup"],
        plan["lattice"]["listener"],
    )
    api = lattice.client(plan)
    action = {"forward": {"targetGroups": [{"targetGroupIdentifier": group["arn"], "weight": 100}]}}
    listeners = [
        dict(api.get_listener(serviceIdentifier=service["id"], listenerIdentifier=item["id"]))
        for page in api.get_paginator("list_listeners").paginate(serviceIdentifier=service["id"])
        for item in page["items"]
    ]
    for listener in listeners:
        if _forwards_to(listener, group):
            return lattice.summary("unchanged", listener, serviceId=service["id"])
    on_port = next((ln for ln in listeners if ln.get("port") == want["port"]), None)
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
