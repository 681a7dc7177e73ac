"""State ``ensure_lattice``: the VPC Lattice side of the service, in one invocation.

Service network, VPC association, service, target group with its health check, listener,
service-network↔service association and access logs, each found (or adopted) before it is
created (``ensure_<part>.py``), in the order each needs the one before. Why one state and not
seven: a state transition is what Step Functions bills, and these parts never wait on AWS, so
seven states bought nothing but cost. Nothing is lost on failure either: what a part creates
carries the run's deployment-id tag from its create call, so ``rollback`` finds it without a
record, and a retried invocation finds what the last attempt made. The failure message says
which part failed and what the parts before it did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from ..core.errors import from_client_error
from ..core.step import step
from ..lattice import (
    ensure_access_logs,
    ensure_dns,
    ensure_lattice_service,
    ensure_listener,
    ensure_routes,
    ensure_rules,
    ensure_service_association,
    ensure_service_network,
    ensure_target_group,
    ensure_vpc_association,
)

Part = Callable[[dict[str, Any]], dict[str, Any] | None]
PARTS: tuple[tuple[str, str, Part], ...] = (
    ("serviceNetwork", "service network", ensure_service_network.ensure),
    ("vpcAssociation", "VPC association", ensure_vpc_association.ensure),
    ("latticeService", "Lattice service", ensure_lattice_service.ensure),
    ("targetGroup", "target group", ensure_target_group.ensure),
    ("alternateGroup", "alternate target group", ensure_target_group.ensure_alternate),
    ("listener", "listener", ensure_listener.ensure),
    ("rules", "listener rules", ensure_rules.ensure),
    ("routes", "routes", ensure_routes.ensure),
    ("serviceAssociation", "service association", ensure_service_association.ensure),
    ("accessLogs", "access logs", ensure_access_logs.ensure),
    ("dns", "DNS record", ensure_dns.ensure),
)
"""``(key in the run's resources, what a person calls it, the part)``, in order; a part that
does not apply (the progressive strategy's, for a ROLLING bundle) answers None and is left out."""


def _located(exc: Exception, label: str, done: dict[str, dict[str, Any]]) -> Exception:
    """``exc`` (same type: Retry and Catch match on it) with the part and the progress named."""
    before = ", ".join(f"{lbl} {done[key].get('action')}" for key, lbl, _ in PARTS if key in done)
    prefix = f"{label}: " + (f"(before it: {before}) " if before else "")
    exc.args = (f"{prefix}{exc}", *exc.args[1:]) if exc.args else (prefix.rstrip(": "),)
    return exc


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    resources: dict[str, dict[str, Any]] = {}
    for key, label, part in PARTS:
        try:
            made = part({"plan": event["plan"], "resources": resources})
        except ClientError as exc:
            raise _located(from_client_error(exc), label, resources) from exc
        except Exception as exc:
            _located(exc, label, resources)
            raise
        if made is not None:
            resources[key] = made
    try:
        _until_active(event["plan"], resources)
    except ClientError as exc:
        raise from_client_error(exc) from exc
    return dict(resources)


def _until_active(plan: dict[str, Any], resources: dict[str, dict[str, Any]]) -> None:
    """The target groups this invocation created, ACTIVE before ECS is given them: a create
    answers CREATE_IN_PROGRESS (API Reference, CreateTargetGroup), and ECS cannot register
    tasks in a group, or shift weights onto it, before it exists. Not ACTIVE yet (or not found
    yet, right after its create): :class:`deployer.core.errors.NotReady`, and the state's Retry runs
    this state again, which finds every part made and asks again
    (:func:`deployer.lattice.ensure_target_group.ready`)."""
    for key in ("targetGroup", "alternateGroup"):
        if (resources.get(key) or {}).get("action") == "created":
            ensure_target_group.ready(plan, resources[key]["arn"], created=True)
