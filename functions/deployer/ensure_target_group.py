"""Part ``ensure_target_group`` of state ``ensure_lattice``: an IP target group in the service's
VPC, with the health check the bundle asks for (updated in place when it differs; the previous check
is recorded)."""

from __future__ import annotations

from typing import Any

from . import lattice
from .compare import covers


def ensure(event: dict[str, Any]) -> dict[str, Any]:
    plan = event["plan"]
    ref, vpc, api = plan["lattice"]["targetGroup"], plan["lattice"]["vpcId"], lattice.client(plan)
    wanted_check = ref["healthCheck"]
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
                clientToken=lattice.token(plan, "tg"),
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
