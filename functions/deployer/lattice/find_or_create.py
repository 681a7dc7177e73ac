"""Find-or-create for VPC Lattice resources: the one pattern every ``ensure_*`` step follows.

Adopt what the bundle names by ARN (and fail with the origin document's remedy if it is gone);
otherwise find by name; create only when nothing is found, with a client token derived from the
deployment id, so a retried step never makes a second resource.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from ..core import aws
from ..core.errors import BundleInvalid, DeployError, NotFound
from ..core.step import record
from . import known as known_names

LABELS = {
    "service_network": "service network",
    "service": "service",
    "target_group": "target group",
}


def client(plan: dict[str, Any]) -> Any:
    return aws.client("vpc-lattice", plan["region"] or None)


def token(plan: dict[str, Any], kind: str) -> str:
    """A client token unique to this deployment and resource kind (Lattice allows 64 chars)."""
    return f"{plan['deploymentId']}-{kind}"[-64:]


def adopt(get: Callable[..., Any], kind: str, arn: str, **ident: Any) -> dict[str, Any]:
    """Read a resource the bundle names by ARN; missing → the origin document's error + remedy."""
    try:
        return dict(get(**ident))
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        label = LABELS.get(kind, kind.replace("_", " "))
        raise NotFound(
            f"ResourceNotFoundException: The specified VPC Lattice {label} was not found: {arn}. "
            f"Remedy: check that the {label} was created, that the ARN is right, and that the "
            "region is right (or remove the ARN from the bundle to let lattice-deploy create it)."
        ) from exc


def find(
    lattice: Any, list_operation: str, match: Callable[[dict[str, Any]], bool], **kwargs: Any
) -> dict[str, Any] | None:
    for page in lattice.get_paginator(list_operation).paginate(**kwargs):
        if (found := first(page["items"], match)) is not None:
            return found
    return None


def first(items: Any, match: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    """The first listed item ``match`` accepts, one being deleted left out (as good as gone)."""
    for item in items:
        if item.get("status") != "DELETE_IN_PROGRESS" and match(item):
            return dict(item)
    return None


FULL_PAGES = {"PageSize": 100}
"""The most a page of ListTargetGroups, ListServices or ListServiceNetworks holds (botocore's
model: ``maxResults`` 1 to 100). AWS documents no default (moto's is 50): asking for full pages
halves the requests a listing of a fleet's groups makes against VPC Lattice's rate."""

LISTS = {
    "service_network": "list_service_networks",
    "service": "list_services",
    "target_group": "list_target_groups",
}


def find_named(api: Any, plan: dict[str, Any], kind: str, name: str) -> dict[str, Any] | None:
    """The ``kind`` named ``name`` (a group: in the service's VPC): the one the ECS service is
    wired to when it is that one (``plan.lattice.known``, :mod:`.known`: no listing), else
    what this invocation already found (:func:`.known.reads_only`), else the first listed
    match."""
    known = ((plan["lattice"].get("known") or {}).get(kind) or {}).get(name)
    if known:
        return dict(known)
    hit, item = known_names.recalled(kind, name)
    if hit:
        return dict(item) if item else None
    vpc = {"vpcIdentifier": plan["lattice"]["vpcId"]} if kind == "target_group" else {}
    found = find(
        api, LISTS[kind], lambda item: item["name"] == name, PaginationConfig=FULL_PAGES, **vpc
    )
    known_names.remember(kind, name, found)
    return found


def refuse_foreign(api: Any, item: dict[str, Any], plan: dict[str, Any], label: str) -> None:
    """A resource found by name is reused only if its tags do not say it is another service's.

    Why: names are ``<env>-<service>-<type>``, so service ``a-b`` of ``dev`` and service ``b`` of
    ``dev-a`` both make ``dev-a-b-targetgroup``; reusing the other's would register these tasks
    in its group and mix the two services' traffic. One without the workflow's tags was made by
    hand under the name the bundle gives (the origin document's names): it is the bundle's."""
    tags = api.list_tags_for_resource(resourceArn=item["arn"]).get("tags") or {}
    owner = (tags.get("lattice-deploy:service"), tags.get("lattice-deploy:environment"))
    if owner == (None, None) or owner == (plan["serviceName"], plan["environment"]):
        return
    raise BundleInvalid(
        f"ecs-service-def.json: the VPC Lattice {label} {item.get('name')} ({item['arn']}) belongs "
        f"to service {owner[0]} of environment {owner[1]} (its lattice-deploy tags), not to "
        f"{plan['serviceName']} of {plan['environment']}, and is never reused: name another one "
        f"in vpcLatticeConfiguration, or deploy with another environment (--env)"
    )


def summary(action: str, item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return record(action, arn=item.get("arn"), id=item.get("id"), name=item.get("name"), **extra)


def check_target_group(group: dict[str, Any], vpc: str) -> None:
    """An adopted or found group must be able to hold the service's tasks."""
    if group.get("type") != "IP":
        raise DeployError(
            f"Target group {group['arn']} has type {group.get('type')}; ECS tasks in awsvpc mode "
            "register by IP address, so an INSTANCE group can never hold them. Remedy: create the "
            "group with --type IP (or remove targetGroupArn to let lattice-deploy create one)"
        )
    if group.get("config", {}).get("vpcIdentifier") != vpc:
        raise DeployError(
            f"Target group {group['arn']} is in VPC {group['config'].get('vpcIdentifier')}, the "
            f"service's subnets are in {vpc}. Remedy: use a target group of VPC {vpc}"
        )


IDENTIFIERS = {"service_network": "serviceNetworkIdentifier", "service": "serviceIdentifier"}


def ensure_named(
    plan: dict[str, Any],
    kind: str,
    ref: dict[str, Any],
    get: Callable[..., Any],
    create: Callable[..., Any],
    short: str,
) -> dict[str, Any]:
    """Adopt ``ref["arn"]``, else reuse the resource named ``ref["name"]``, else create it."""
    if "arn" in ref:
        return summary("adopted", adopt(get, kind, ref["arn"], **{IDENTIFIERS[kind]: ref["arn"]}))
    named = find_named(client(plan), plan, kind, ref["name"])
    if named:  # one the bundle names is adopted (said so); one of the default name is ours
        return summary("adopted" if ref.get("named") else "unchanged", named)
    auth_type = (ref.get("auth") or {}).get("type") or "NONE"  # its policy: ensure_auth
    made = create(
        name=ref["name"], authType=auth_type, clientToken=token(plan, short), tags=plan["tags"]
    )
    return summary("created", made)
