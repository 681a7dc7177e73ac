"""Part ``ensure_target_group`` of state ``ensure_lattice``: an IP target group in the service's
VPC, with the health check the bundle asks for (updated in place when it differs; the previous check
is recorded). For a progressive strategy, also the alternate group ECS's green revision registers
in (``ensure_alternate``): made like the primary, with the primary's health check as it is now."""

from __future__ import annotations

from typing import Any

from . import lattice
from .compare import covers


def _ensure(
    plan: dict[str, Any], ref: dict[str, Any], wanted_check: dict[str, Any], kind: str
) -> dict[str, Any]:
    vpc, api = plan["lattice"]["vpcId"], lattice.client(plan)
    action = "adopted"
    if "arn" in ref:
        group = lattice.adopt(
            api.get_target_group, "target_group", ref["arn"], targetGroupIdentifier=ref["arn"]
        )
    else:
        found = lattice.find(
            api, "list_target_groups", lambda i: i["name"] == ref["name"], vpcIdentifier=vpc
        )
        if not found:
            config = {
                "port": ref["port"],
                "protocol": ref["protocol"],
                "protocolVersion": ref["protocolVersion"],
                "ipAddressType": "IPV4",
                "vpcIdentifier": vpc,
                **({"healthCheck": wanted_check} if wanted_check else {}),
            }
            created = api.create_target_group(
                name=ref["name"],
                type="IP",
                config=config,
                clientToken=lattice.token(plan, kind),
                tags=plan["tags"],
            )
            return lattice.summary("created", created)
        group = dict(api.get_target_group(targetGroupIdentifier=found["id"]))
        action = "adopted" if ref.get("named") else "unchanged"
    lattice.check_target_group(group, vpc)
    current = group["config"].get("healthCheck") or {}
    if covers(current, wanted_check):
        return lattice.summary(action, group)
    api.update_target_group(targetGroupIdentifier=group["id"], healthCheck=wanted_check)
    return lattice.summary(
        "updated", group, previous={"healthCheck": current}, adopted=action == "adopted" or None
    )


def ensure(event: dict[str, Any]) -> dict[str, Any]:
    plan = event["plan"]
    ref = plan["lattice"]["targetGroup"]
    return _ensure(plan, ref, ref["healthCheck"], "tg")


def ensure_alternate(event: dict[str, Any]) -> dict[str, Any] | None:
    plan = event["plan"]
    progressive = plan["lattice"].get("progressive")
    if not progressive or progressive["adopted"]:
        return None
    primary = lattice.client(plan).get_target_group(
        targetGroupIdentifier=event["resources"]["targetGroup"]["arn"]
    )
    ref = {**plan["lattice"]["targetGroup"], **progressive["alternateGroup"]}
    ref.pop("arn", None)
    return _ensure(plan, ref, primary["config"].get("healthCheck") or {}, "tg-alt")
