"""The actions of VPC Lattice listeners and rules, checked as AWS checks them, in one place.

Why here and once: a listener's default action and a rule's action are the same ``RuleAction`` of
the VPC Lattice model, and AWS refuses the same things in both (a request that the real service
refuses but the emulator stored would deploy as SUCCEEDED locally and fail on AWS). The bounds are
read from botocore's model, so they are the API reference's:

- ``RuleAction`` is a union: exactly one of ``forward`` and ``fixedResponse``;
- ``ForwardAction.targetGroups`` (``WeightedTargetGroupList``): 1 to 10 groups, each an existing
  target group, ``TargetGroupWeight`` 0 to 999;
- ``FixedResponseAction.statusCode`` (``HttpStatusCode``): 100 to 599.

And a TLS_PASSTHROUGH listener's own (VPC Lattice User Guide, "TLS listeners"): "The VPC Lattice
service must have a custom domain name", "The only rule allowed for a TLS listener is the default
rule" and "The default action for a TLS listener must be a forward action to a TCP target group".
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.session import get_session

from .exceptions import ValidationException

DEFAULT_WEIGHT = 100
TLS = "TLS_PASSTHROUGH"


@cache
def bounds(shape: str) -> tuple[int, int]:
    """(min, max) of a VPC Lattice model shape (a list's length or an integer's value)."""
    metadata = get_session().get_service_model("vpc-lattice").shape_for(shape).metadata
    return int(metadata["min"]), int(metadata["max"])


def _in(value: Any, shape: str) -> bool:
    low, high = bounds(shape)
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def check_action(backend: Any, action: Any, field: str) -> list[Any]:
    """Refuse an action the model refuses; the target groups it forwards to (found in
    ``backend``: an unknown one is ResourceNotFoundException, as AWS answers)."""
    given = action if isinstance(action, dict) else {}
    members = sorted(k for k, v in given.items() if v is not None)
    if members not in (["forward"], ["fixedResponse"]) or set(given) - {*members}:
        raise ValidationException(
            f"{field} must set exactly one of forward and fixedResponse, got {members or 'none'}",
            field,
        )
    if members == ["fixedResponse"]:
        code = (action["fixedResponse"] or {}).get("statusCode")
        if not _in(code, "HttpStatusCode"):
            low, high = bounds("HttpStatusCode")
            raise ValidationException(
                f"fixedResponse.statusCode must be {low} to {high}", f"{field}.fixedResponse"
            )
        return []
    groups = (action["forward"] or {}).get("targetGroups")
    low, high = bounds("WeightedTargetGroupList")
    if not isinstance(groups, list) or not low <= len(groups) <= high:
        raise ValidationException(
            f"forward.targetGroups must hold {low} to {high} target groups", f"{field}.forward"
        )
    found = []
    for group in groups:
        if not _in(group.get("weight", DEFAULT_WEIGHT), "TargetGroupWeight"):
            low, high = bounds("TargetGroupWeight")
            raise ValidationException(f"weight must be {low} to {high}", f"{field}.forward")
        found.append(backend.find("target_group", group.get("targetGroupIdentifier")))
    return found


def check_listener_action(backend: Any, service: Any, protocol: str, action: Any) -> None:
    """A listener's default action: as any action, and a TLS listener's rules (module doc)."""
    groups = check_action(backend, action, "defaultAction")
    if protocol != TLS:
        return
    if not service.custom_domain_name:
        raise ValidationException(
            f"A {TLS} listener needs a service with a custom domain name (its SNI match); "
            f"service {service.id} has none",
            "protocol",
        )
    if not groups:
        raise ValidationException(
            f"The default action of a {TLS} listener must forward to a TCP target group",
            "defaultAction",
        )
    for group in groups:
        if (group.config or {}).get("protocol") != "TCP":
            raise ValidationException(
                f"A {TLS} listener forwards to TCP target groups only; target group {group.id} "
                f"is {(group.config or {}).get('protocol') or group.type}",
                "defaultAction",
            )


def check_rule_listener(listener: Any) -> None:
    """Rules are refused on a TLS listener: its default action is its only rule."""
    if listener.protocol == TLS:
        raise ValidationException(
            f"The only rule allowed for a {TLS} listener is the default rule", "listenerIdentifier"
        )
