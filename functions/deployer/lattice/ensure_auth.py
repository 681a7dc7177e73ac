"""The auth of the Lattice service and of its service network: the bundle's ``auth`` /
``networkAuth`` (``plan.lattice.<service|serviceNetwork>.auth``), put on what the bundle owns,
read (never changed) on what it adopts.

Owned: created by this run, or tagged by lattice-deploy for this service and environment (its
``lattice-deploy:service`` and ``lattice-deploy:environment`` tags). Anything else (given by ARN,
found by a name the bundle gave, the network the VPC was already in, one made by hand) is
adopted: its auth type and policy are another owner's, often an environment's shared network
whose policy guards other services too, so overwriting it would open or close them all.

The order of the calls never denies everyone by accident: the policy is put before the auth type
turns AWS_IAM (a policy waits Inactive while the type is NONE: API Reference, GetAuthPolicy), and
the type turns NONE before the policy is removed ("The request fails if you remove an auth
policy before changing the auth type ... to NONE", User Guide, auth policies). No ``auth`` in the
bundle: no auth call at all, as before.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from . import auth_policy
from . import find_or_create as lattice

KINDS = {  # kind → (plan key, identifier parameter, read, update, what a person calls it)
    "service": ("service", "serviceIdentifier", "get_service", "update_service", "service"),
    "service_network": (
        "serviceNetwork",
        "serviceNetworkIdentifier",
        "get_service_network",
        "update_service_network",
        "service network",
    ),
}
FIELD = {"service": "auth", "service_network": "networkAuth"}


def wanted(plan: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The auth the bundle asks for this resource (None: the bundle says nothing, or the
    network is another account's, shared with this one: its auth is its owner's, and even reading
    it is refused to this account, :mod:`.shared_network`)."""
    ref = plan["lattice"][KINDS[kind][0]]
    if kind == "service_network" and ref.get("sharedFrom"):
        return None
    auth = ref.get("auth")
    return dict(auth) if auth else None


def current(api: Any, kind: str, arn: str) -> dict[str, Any]:
    """``{"type", "policy"}`` as AWS has them now (policy None: there is none)."""
    _, param, read, _, _ = KINDS[kind]
    auth_type = getattr(api, read)(**{param: arn}).get("authType") or "NONE"
    try:
        text = api.get_auth_policy(resourceIdentifier=arn).get("policy")
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        text = None
    return {"type": auth_type, "policy": auth_policy.parsed(text) if text else None}


def owned(api: Any, arn: str, plan: dict[str, Any]) -> bool:
    tags = api.list_tags_for_resource(resourceArn=arn).get("tags") or {}
    owner = (tags.get("lattice-deploy:service"), tags.get("lattice-deploy:environment"))
    return owner == (plan["serviceName"], plan["environment"])


def differences(now: dict[str, Any], want: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{path, current, desired}]`` of the type and the policy (compared as JSON values)."""
    found = []
    if now["type"] != want["type"]:
        found.append({"path": "auth.type", "current": now["type"], "desired": want["type"]})
    if not auth_policy.same(now.get("policy"), want.get("policy")):
        found.append(
            {"path": "auth.policy", "current": now.get("policy"), "desired": want.get("policy")}
        )
    return found


def put(api: Any, kind: str, arn: str, now: dict[str, Any], want: dict[str, Any]) -> None:
    """Make ``now`` into ``want`` (see the module's note on the order)."""
    _, param, _, update, _ = KINDS[kind]
    policy = want.get("policy")
    if policy is not None and not auth_policy.same(now.get("policy"), policy):
        api.put_auth_policy(resourceIdentifier=arn, policy=auth_policy.compact(policy))
    if now["type"] != want["type"]:
        getattr(api, update)(**{param: arn, "authType": want["type"]})
    if policy is None and now.get("policy") is not None:
        api.delete_auth_policy(resourceIdentifier=arn)


def commands(kind: str, arn: str, want: dict[str, Any]) -> str:
    """The aws CLI commands doing what :func:`put` does (for a rollback that could not)."""
    update = KINDS[kind][3]
    option = "--service-identifier" if kind == "service" else "--service-network-identifier"
    steps = []
    if want.get("policy") is not None:
        text = auth_policy.compact(want["policy"])
        put_policy = f"put-auth-policy --resource-identifier {arn} --policy '{text}'"
        steps.append(f"aws vpc-lattice {put_policy}")
    verb = update.replace("_", "-")
    steps.append(f"aws vpc-lattice {verb} {option} {arn} --auth-type {want['type']}")
    if want.get("policy") is None:
        steps.append(f"aws vpc-lattice delete-auth-policy --resource-identifier {arn}")
    return " && ".join(steps)


def ensure(plan: dict[str, Any], kind: str, made: dict[str, Any]) -> dict[str, Any]:
    """``made`` (what ``ensure_named`` did) with the auth: put on a resource this run created
    (it was created with the asked type), updated on an owned one that differs (``updated``: a
    change of policy alone is an update), read and left on an adopted one."""
    want = wanted(plan, kind)
    if want is None:
        return made
    api, arn = lattice.client(plan), made["arn"]
    if made["action"] == "created":
        if want.get("policy") is not None:
            api.put_auth_policy(resourceIdentifier=arn, policy=auth_policy.compact(want["policy"]))
        return {**made, "auth": {"type": want["type"]}}
    now = current(api, kind, arn)
    if not owned(api, arn, plan):
        return {**made, "auth": {"type": now["type"], "adopted": True}}
    if not differences(now, want):
        return {**made, "auth": {"type": now["type"]}}
    put(api, kind, arn, now, want)
    adopted = made["action"] == "adopted" or None
    return lattice.summary(
        "updated",
        made,
        auth={"type": want["type"]},
        previous={**(made.get("previous") or {}), "auth": now},  # the certificate's too
        adopted=adopted,
    )


def before(plan: dict[str, Any], kind: str, arn: str | None) -> dict[str, Any] | None:
    """What a rollback puts back (``rollback.baseline``): the auth of a resource the bundle
    owns and gives auth for (None otherwise: an adopted one is never changed, nor read again)."""
    if wanted(plan, kind) is None or not arn:
        return None
    api = lattice.client(plan)
    return current(api, kind, arn) if owned(api, arn, plan) else None


def _arn_of(api: Any, plan: dict[str, Any], kind: str, ref: dict[str, Any]) -> str | None:
    """The ARN the bundle gives, or that of the resource its name finds (None: none yet)."""
    if "arn" in ref:
        return str(ref["arn"])
    found = lattice.find_named(api, plan, kind, ref["name"])
    return str(found["arn"]) if found else None


def notices(plan: dict[str, Any], service_file: str = "ecs-service-def.json") -> list[str]:
    """For each auth block given for a resource the bundle does not own (read calls only):
    said, not failed; the resource's auth stays as its owner set it."""
    api, said = lattice.client(plan), []
    for kind, (key, _, _, _, label) in KINDS.items():
        ref = plan["lattice"][key]
        if not ref.get("auth"):
            continue
        if kind == "service_network" and ref.get("sharedFrom"):
            said.append(
                f"{service_file}: vpcLatticeConfiguration.{FIELD[kind]}: the service network "
                f"{ref['arn']} is shared from account {ref['sharedFrom']}: its auth is its "
                "owner's, never read or changed here; ask its owner to change it"
            )
            continue
        arn = _arn_of(api, plan, kind, ref)
        if not arn or owned(api, arn, plan):
            continue
        now = current(api, kind, arn)
        said.append(
            f"{service_file}: vpcLatticeConfiguration.{FIELD[kind]}: the {label} {arn} is "
            f"adopted (not made by lattice-deploy for {plan['serviceName']}): its auth is read "
            f"and never changed ({auth_policy.summary(now['type'], now['policy'])}); change it "
            "with its owner, or let lattice-deploy create one (leave the name out)"
        )
    return said
