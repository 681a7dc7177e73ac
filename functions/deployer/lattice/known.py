"""The Lattice resources a deployed service already uses, read from its ECS service by ARN, so
a redeploy finds its target group and Lattice service without listing the account's.

Why: finding by name means ListTargetGroups and ListServices page by page, and a fleet of 1,000
services makes every deploy read ten pages of each, several times: O(fleet) requests per
deploy, against VPC Lattice's request rate (:mod:`lattice_deploy.emulator.throttle`). What
ECS is wired to is one DescribeServices away (``vpcLatticeConfigurations[].targetGroupArn``),
and the group names the services its listeners belong to (GetTargetGroup's ``serviceArns``).
A group or service read by ARN is the one :func:`.find_or_create.find_named` would have found
by name only when its name, VPC and status say so: "The name must be unique within the
account" (VPC Lattice API Reference, CreateTargetGroup and CreateService, ``name``). Anything
else (first deploy, renamed group, a read refused) falls back to the listing.

Within :func:`reads_only` (``load_bundle``, which makes read calls only), a name looked up once
is not listed again: its checks and its baseline ask the same names, milliseconds apart.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ClientError

from ..ecs import api as ecs

TARGET_GROUP_FIELDS = ("arn", "id", "name", "status", "type", "serviceArns")
CONFIG_FIELDS = ("port", "protocol", "vpcIdentifier", "ipAddressType")
SERVICE_FIELDS = ("arn", "id", "name", "status", "customDomainName", "dnsEntry")


_MEMO = threading.local()  # one invocation per thread (a Lambda sandbox runs one at a time)


@contextmanager
def reads_only() -> Iterator[None]:
    """While it lasts, each (kind, name) found or not found is remembered (:func:`remember`)."""
    _MEMO.names = {}
    try:
        yield
    finally:
        del _MEMO.names


def recalled(kind: str, name: str) -> tuple[bool, dict[str, Any] | None]:
    """``(True, item or None)`` if :func:`reads_only` remembers ``name``, else ``(False, None)``."""
    names = getattr(_MEMO, "names", None)
    if names is None or (kind, name) not in names:
        return False, None
    return True, names[(kind, name)]


def remember(kind: str, name: str, item: dict[str, Any] | None) -> None:
    names = getattr(_MEMO, "names", None)
    if names is not None:
        names[(kind, name)] = item


def _listed(
    got: dict[str, Any], fields: tuple[str, ...], config: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A Get answer in the shape of the List item it stands for (JSON-safe: no dates)."""
    item = {k: got[k] for k in fields if k in got}
    item.update({k: got["config"][k] for k in config if k in (got.get("config") or {})})
    return item


def _usable(item: dict[str, Any], name: str) -> bool:
    return item.get("name") == name and item.get("status") != "DELETE_IN_PROGRESS"


def read(plan: dict[str, Any], api: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """``{"target_group": {name: item}, "service": {name: item}}`` of what the ECS service is
    wired to, when those are the ones the bundle wants (by name); empty otherwise."""
    known: dict[str, dict[str, dict[str, Any]]] = {"target_group": {}, "service": {}}
    want = plan["lattice"]
    group_name, service_name = want["targetGroup"].get("name"), want["service"].get("name")
    if not group_name or "arn" in want["targetGroup"]:
        return known
    try:  # a missing cluster is said by the account check, not here
        wiring = ecs.primary(ecs.describe_service(plan)).get("vpcLatticeConfigurations") or []
        for wired in wiring:
            got = api.get_target_group(targetGroupIdentifier=wired["targetGroupArn"])
            group = _listed(got, TARGET_GROUP_FIELDS, CONFIG_FIELDS)
            if _usable(group, group_name) and group.get("vpcIdentifier") == want["vpcId"]:
                known["target_group"][group_name] = group
                break
        users = next(iter(known["target_group"].values()), {}).get("serviceArns") or []
        for arn in users if service_name and "arn" not in want["service"] else []:
            service = _listed(api.get_service(serviceIdentifier=arn), SERVICE_FIELDS)
            if _usable(service, service_name):
                known["service"][service_name] = service
                break
    except ClientError:  # gone or refused: the listing decides, as it did before
        return known
    return known
