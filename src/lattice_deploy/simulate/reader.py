"""The VPC Lattice read calls the simulator rests on, and nothing else: GetService /
ListServices, ListListeners, GetListener, ListRules, GetRule, GetAuthPolicy, GetServiceNetwork,
ListServiceNetworkServiceAssociations, ListServiceNetworkVpcAssociations, GetTargetGroup,
ListTargets. Read-only, so it runs on any account whatever made the service.

A read refused (AccessDenied: a network or group shared from another account) is kept as
``{"unreadable": "<code>: <message>"}``, never guessed at.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

ACTIVE = "ACTIVE"


class UnknownService(LookupError):
    """No service with that name, id or ARN in the account and Region read."""


def _items(client: Any, operation: str, **params: Any) -> list[dict[str, Any]]:
    pages = client.get_paginator(operation).paginate(**params)
    return [item for page in pages for item in page.get("items") or []]


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def service(client: Any, name: str) -> dict[str, Any]:
    """GetService for an id or ARN; a name is found with ListServices (names are unique in an
    account and Region; a shared service is listed too)."""
    if name.startswith(("svc-", "arn:")):
        try:
            return dict(client.get_service(serviceIdentifier=name))
        except ClientError as exc:
            if _code(exc) in ("ResourceNotFoundException", "ValidationException"):
                raise UnknownService(f"no VPC Lattice service {name!r}: {exc}") from exc
            raise
    for item in _items(client, "list_services"):
        if item.get("name") == name:
            return dict(client.get_service(serviceIdentifier=item["arn"]))
    raise UnknownService(
        f"no VPC Lattice service named {name!r} in this account and Region (give its name, "
        "id svc-… or ARN; `aws vpc-lattice list-services` lists them)"
    )


def listeners(client: Any, service_id: str) -> list[dict[str, Any]]:
    return _items(client, "list_listeners", serviceIdentifier=service_id)


def listener(client: Any, service_id: str, listener_id: str) -> dict[str, Any]:
    return dict(client.get_listener(serviceIdentifier=service_id, listenerIdentifier=listener_id))


def rules(client: Any, service_id: str, listener_id: str) -> list[dict[str, Any]]:
    """Each non-default rule with its match and action (ListRules gives summaries only)."""
    ident = {"serviceIdentifier": service_id, "listenerIdentifier": listener_id}
    return [
        dict(client.get_rule(**ident, ruleIdentifier=r["id"]))
        for r in _items(client, "list_rules", **ident)
        if not r.get("isDefault")
    ]


def auth_policy(client: Any, resource_arn: str) -> dict[str, Any]:
    """``{"policy": text}``, ``{}`` when there is none, or ``{"unreadable": why}``."""
    try:
        found = client.get_auth_policy(resourceIdentifier=resource_arn)
    except ClientError as exc:
        if _code(exc) == "ResourceNotFoundException":
            return {}
        return {"unreadable": f"{_code(exc)}: {exc}"}
    return {"policy": found["policy"]} if found.get("policy") else {}


def service_network(client: Any, ident: str) -> dict[str, Any]:
    try:
        return dict(client.get_service_network(serviceNetworkIdentifier=ident))
    except ClientError as exc:
        return {"arn": ident, "unreadable": f"{_code(exc)}: {exc}"}


def networks_of_service(client: Any, service_id: str) -> list[dict[str, Any]]:
    """The service's ACTIVE service network associations."""
    found = _items(
        client, "list_service_network_service_associations", serviceIdentifier=service_id
    )
    return [a for a in found if a.get("status") == ACTIVE]


def networks_of_vpc(client: Any, vpc: str) -> list[dict[str, Any]]:
    """The VPC's ACTIVE service network associations."""
    found = _items(client, "list_service_network_vpc_associations", vpcIdentifier=vpc)
    return [a for a in found if a.get("status") == ACTIVE]


def target_group(client: Any, ident: str) -> dict[str, Any]:
    """The group (name, type) and its targets with their status, or what refused the read."""
    try:
        group = client.get_target_group(targetGroupIdentifier=ident)
        targets = _items(client, "list_targets", targetGroupIdentifier=ident)
    except ClientError as exc:
        return {"id": ident, "unreadable": f"{_code(exc)}: {exc}"}
    return {
        "id": group["id"],
        "arn": group["arn"],
        "name": group["name"],
        "type": group.get("type"),
        "targets": [
            {k: t[k] for k in ("id", "port", "status", "reasonCode") if k in t} for t in targets
        ],
    }
