"""The Lattice resources a bundle names by ARN, checked (reads only) before any change; and the
service already forwarding to the bundle's target group, adopted.

Why adopt: "You can specify the same target group in multiple listeners, but these listeners
must belong to the same service. To use a target group with a service, you must verify that the
target group is not in use by a listener for any other service." (VPC Lattice User Guide,
"Create a VPC Lattice target group"). A bundle that names its group by ARN and no service (ECS's
own ``vpcLatticeConfigurations`` shape never names one) whose group a hand-made listener already
forwards to is that service's: GetTargetGroup's ``serviceArns`` names it, and the run adopts it
and that listener (adopted: never deleted by a rollback) instead of making a second service.

Why collect: every problem is said at once, each ``file: field: what is wrong; fix``, so the
origin document's bundle (a placeholder service ARN, an INSTANCE group, a listener forwarding to
that group) is fixed in one round trip, not three.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from ..core.errors import DeployError
from . import ensure_listener, shared_network
from . import find_or_create as lattice

WHERE = "ecs-service-def.json: vpcLatticeConfiguration"
FIELDS = {
    "serviceNetwork": ("service_network", "get_service_network", "serviceNetworkIdentifier"),
    "service": ("service", "get_service", "serviceIdentifier"),
    "targetGroup": ("target_group", "get_target_group", "targetGroupIdentifier"),
}
Collect = Callable[[str, Exception], None]


def field(plan: dict[str, Any], key: str) -> str:
    """The bundle's field that names ``key`` by ARN, as the bundle spells it."""
    if plan["lattice"].get("shape") == "vpcLatticeConfigurations" and key == "targetGroup":
        return "ecs-service-def.json: vpcLatticeConfigurations[0].targetGroupArn"
    return f"{WHERE}.{key}Arn"


def _read(plan: dict[str, Any], key: str, collect: Collect) -> dict[str, Any] | None:
    arn = plan["lattice"][key].get("arn")
    if not arn:
        return None
    kind, getter, param = FIELDS[key]
    try:
        return lattice.adopt(getattr(lattice.client(plan), getter), kind, arn, **{param: arn})
    except DeployError as exc:
        collect(field(plan, key), exc)
        return None


def _serving(api: Any, group: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{service, listeners}]``: each service whose listeners use the group, with the
    listeners whose default action forwards to it."""
    found = []
    for arn in group.get("serviceArns") or []:
        service_id = str(arn).rsplit("/", 1)[-1]
        try:
            listeners = ensure_listener.listeners(api, service_id)
        except ClientError:
            continue
        serving = [ln for ln in listeners if ensure_listener.forwards_to(ln, group)]
        found.append({"arn": arn, "id": service_id, "listeners": serving})
    return found


def _named_arn(api: Any, plan: dict[str, Any], ref: dict[str, Any]) -> str | None:
    """The ARN of the service the bundle names, if it exists."""
    if "arn" in ref:
        try:
            return str(api.get_service(serviceIdentifier=ref["arn"])["arn"])
        except ClientError:
            return None
    found = lattice.find_named(api, plan, "service", ref["name"])
    return str(found["arn"]) if found else None


def _adopt_serving(plan: dict[str, Any], group: dict[str, Any], user: dict[str, Any]) -> str:
    """The group is in use by ``user``: that service is the bundle's (adopted when the bundle
    names none), and so is its listener on the group (its port and protocol, when the bundle
    gives no listener). A bundle naming another service: the problem, said."""
    want, api = plan["lattice"], lattice.client(plan)
    ref = want["service"]
    if ref.get("named") and (named := _named_arn(api, plan, ref)) != user["arn"]:
        asked = ref.get("arn") or ref["name"]
        state = "which does not exist" if named is None else "another service"
        return (
            f"target group {group['arn']} is in use by a listener of Lattice service "
            f"{user['arn']}, and a target group serves one service's listeners only (VPC Lattice "
            f"User Guide); the bundle names {asked} ({state}). Name {user['arn']} (or leave the "
            "service out to adopt it), or name a target group no other service uses"
        )
    if ref.get("named") or _named_arn(api, plan, ref) != user["arn"]:  # not the workflow's own
        want["service"] = {"arn": user["arn"], "named": True}
    listener, on = want["listener"], user["listeners"]
    same = [
        ln
        for ln in on
        if (ln.get("port"), ln.get("protocol")) == (listener["port"], listener["protocol"])
    ]
    if on and not same and not listener.get("given"):
        listener.update(port=int(on[0]["port"]), protocol=str(on[0]["protocol"]))
    return ""


def _instance_listeners(group: dict[str, Any], users: list[dict[str, Any]]) -> list[str]:
    """An INSTANCE group a hand-made listener forwards to: once the bundle names an IP group,
    that listener forwards elsewhere, and lattice-deploy never repoints a hand-made listener;
    say now what to run then."""
    return [
        f"listener {ln.get('name')} of Lattice service {user['arn']} forwards to {group['arn']}, "
        "the INSTANCE group; point it at the IP group you create: aws vpc-lattice "
        f"update-listener --service-identifier {user['id']} --listener-identifier {ln.get('id')} "
        '--default-action \'{"forward": {"targetGroups": [{"targetGroupIdentifier": '
        "\"<the IP group's id>\"}]}}'"
        for user in users
        for ln in user["listeners"]
    ]


def check(plan: dict[str, Any], collect: Collect) -> bool:
    """Collect each problem of the resources the bundle names by ARN, and adopt the service
    already forwarding to its group; True when nothing was wrong (so the listeners of the
    bundle's service can be checked next)."""
    said: list[str] = []

    def note(where: str, exc: Exception) -> None:
        said.append(where)
        collect(where, exc)

    if shared_network.check(plan, note):  # another account's: shared with this one?
        _read(plan, "serviceNetwork", note)
    group = _read(plan, "targetGroup", note)
    users = _serving(lattice.client(plan), group) if group else []
    if group is not None:
        try:
            lattice.check_target_group(group, plan["lattice"]["vpcId"])
        except DeployError as exc:
            note(field(plan, "targetGroup"), exc)
            if group.get("type") == "INSTANCE":
                for problem in _instance_listeners(group, users):
                    note(f"{WHERE}.listener", DeployError(problem))
        else:
            if len(users) == 1 and (why := _adopt_serving(plan, group, users[0])):
                note(f"{WHERE}.service", DeployError(why))
                return False
    if "arn" in plan["lattice"]["service"]:
        missing: list[Exception] = []
        if _read(plan, "service", lambda _, exc: missing.append(exc)) is None:
            hint = (
                f" Target group {group['arn']} is in use by Lattice service "
                f"{', '.join(u['arn'] for u in users)}: name that one."
                if group and users
                else ""
            )
            note(field(plan, "service"), type(missing[0])(f"{missing[0]}{hint}"))
    return not said
