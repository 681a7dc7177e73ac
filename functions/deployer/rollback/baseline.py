"""What exists before this run changes anything: ``load_bundle`` reads it into ``plan.baseline``.

Why before the first mutating call: a step can die right after its AWS call succeeded, before
it could record what it changed. So the values a rollback restores are read first: the ECS
service's task definition, desired count, Lattice wiring, Service Connect block and deployment
configuration (its strategy: a failed switch to CANARY is put back to ROLLING), the target
group's health check, the listeners' default actions, and the auth type and policy of the service
and network the bundle owns and gives auth for (``lattice.ensure_auth.before``). (What a run
*creates* carries its deployment-id tag from the create call itself, so the rollback finds it
without any record.)
"""

from __future__ import annotations

from typing import Any

from ..ecs import api as ecs
from ..lattice import ensure_auth
from ..lattice import find_or_create as lattice
from . import undo_domain, undo_routes


def _named(api: Any, plan: dict[str, Any], kind: str, ref: dict[str, Any]) -> dict[str, Any] | None:
    if "arn" in ref:
        return {"arn": ref["arn"], "id": ref["arn"].rsplit("/", 1)[-1]}
    return lattice.find_named(api, plan, kind, ref["name"])


def read(plan: dict[str, Any]) -> dict[str, Any]:
    """``{ecsService?, targetGroup?, latticeService?}``: the values a rollback puts back."""
    api, want = lattice.client(plan), plan["lattice"]
    service = ecs.describe_service(plan)
    primary = ecs.primary(service)
    group = _named(api, plan, "target_group", want["targetGroup"])
    lattice_service = _named(api, plan, "service", want["service"])
    alternate = (want.get("progressive") or {}).get("alternateGroup")
    for label, ref, item in (
        ("target group", want["targetGroup"], group),
        ("service", want["service"], lattice_service),
        (
            "target group",
            alternate or {},
            alternate and _named(api, plan, "target_group", alternate),
        ),
    ):
        if item and "arn" not in ref:  # found by name: it must not be another service's
            lattice.refuse_foreign(api, item, plan, label)
    listeners: dict[str, Any] = {}
    if lattice_service:
        for page in api.get_paginator("list_listeners").paginate(
            serviceIdentifier=lattice_service["id"]
        ):
            for item in page["items"]:
                got = api.get_listener(
                    serviceIdentifier=lattice_service["id"], listenerIdentifier=item["id"]
                )
                listeners[item["id"]] = got["defaultAction"]
    network = (
        _named(api, plan, "service_network", want["serviceNetwork"])
        if ensure_auth.wanted(plan, "service_network")
        else None
    )
    network_auth = ensure_auth.before(plan, "service_network", (network or {}).get("arn"))
    service_auth = ensure_auth.before(plan, "service", (lattice_service or {}).get("arn"))
    found = dict(
        ecsService=service
        and {
            "taskDefinition": service["taskDefinition"],
            "desiredCount": service["desiredCount"],
            "vpcLatticeConfigurations": primary.get("vpcLatticeConfigurations") or [],
            ecs.CONNECT: primary.get(ecs.CONNECT),
            "deploymentConfiguration": service.get("deploymentConfiguration") or {},
        },
        targetGroup=group
        and {
            "arn": group["arn"],
            "healthCheck": api.get_target_group(targetGroupIdentifier=group["arn"])["config"].get(
                "healthCheck"
            ),
        },
        latticeService=lattice_service
        and {
            "arn": lattice_service["arn"],
            "listeners": listeners,
            **({"auth": service_auth} if service_auth else {}),
        },
        serviceNetwork=network_auth and {"arn": (network or {})["arn"], "auth": network_auth},
    )
    if want.get("routes") is not None or want["service"].get(
        "customDomainName"
    ):  # the bundle's own keys
        found["routes"] = undo_routes.before(plan, lattice_service)
        found["domain"] = undo_domain.before(plan, lattice_service)
    return {key: value for key, value in found.items() if value is not None}
