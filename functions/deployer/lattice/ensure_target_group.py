"""Part ``ensure_target_group`` of state ``ensure_lattice``: an IP target group in the service's
VPC, with the health check the bundle asks for (updated in place when it differs; the previous check
is recorded). For a progressive strategy, also the alternate group ECS's green revision registers
in (``ensure_alternate``): made like the primary, with the primary's health check as it is now."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..core.compare import covers
from ..core.errors import NotReady
from . import find_or_create as lattice


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
        found = lattice.find_named(api, plan, "target_group", ref["name"])
        if not found:
            config = {
                "port": ref["port"],
                "protocol": ref["protocol"],
                **({"protocolVersion": ref["protocolVersion"]} if ref["protocolVersion"] else {}),
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
        group = ready(plan, found["arn"])
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
    made = event["resources"]["targetGroup"]
    primary = ready(plan, made["arn"], created=made.get("action") == "created", active=False)
    ref = {**plan["lattice"]["targetGroup"], **progressive["alternateGroup"]}
    ref.pop("arn", None)
    return _ensure(plan, ref, primary["config"].get("healthCheck") or {}, "tg-alt")


def ready(
    plan: dict[str, Any], arn: str, created: bool = False, active: bool = True
) -> dict[str, Any]:
    """GetTargetGroup, for a group ECS is about to be given: :class:`deployer.core.errors.NotReady`
    while it is CREATE_IN_PROGRESS (``active``), or when this run has just created it and the read
    does not find it yet. VPC Lattice documents no consistency model; EC2's, which we follow: "if
    you run a command to modify or describe the resource that you just created, its ID might not
    have propagated throughout the system, and you will get an error responding that the
    resource does not exist" (EC2 Developer Guide, "Eventual consistency in the Amazon EC2
    API"). A group not found that this run did not just create is the bundle's error
    (:class:`deployer.core.errors.NotFound`)."""
    try:
        group = dict(lattice.client(plan).get_target_group(targetGroupIdentifier=arn))
    except ClientError as exc:
        if created and exc.response["Error"]["Code"] == "ResourceNotFoundException":
            raise NotReady(f"target group {arn}, just created, is not found yet") from exc
        raise
    if active and group.get("status") == "CREATE_IN_PROGRESS":
        raise NotReady(f"target group {arn} is still CREATE_IN_PROGRESS")
    return group
