"""ListServiceDeployments / DescribeServiceDeployments over every deployment a service had.

The shapes are the ECS API reference's (``ServiceDeploymentBrief``, ``ServiceDeployment``). A
rolling deployment's status follows its rollout (IN_PROGRESS, COMPLETED → SUCCESSFUL, FAILED →
ROLLBACK_SUCCESSFUL when the circuit breaker rolled it back, else STOPPED); a progressive one's
is its own, with its lifecycle stage (:mod:`.progressive`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..clock import CLOCK
from .arns import deployment_arn, revision_arn

if TYPE_CHECKING:
    from .models import EmulatedEcsBackend, LatticeAwareService


def _status(service: LatticeAwareService, deployment: dict[str, Any]) -> tuple[str, str]:
    if p := deployment.get("progressive"):
        return p["status"], p.get("reason") or ""
    state = deployment["rolloutState"]
    if state == "IN_PROGRESS":
        return "IN_PROGRESS", ""
    if state == "COMPLETED":
        return "SUCCESSFUL", ""
    rolled = any(d.get("rollbackOf") == deployment["id"] for d in service.history)
    return ("ROLLBACK_SUCCESSFUL" if rolled else "STOPPED"), deployment["rolloutStateReason"]


def _revision(service: LatticeAwareService, deployment: dict[str, Any]) -> dict[str, Any]:
    p = deployment.get("progressive") or {}
    return {
        "arn": revision_arn(service, deployment["id"]),
        "requestedTaskCount": deployment["desiredCount"],
        "runningTaskCount": deployment.get("runningCount", 0),
        "pendingTaskCount": deployment.get("pendingCount", 0),
        **(
            {
                "requestedProductionTrafficWeight": p["weights"]["production"],
                "requestedTestTrafficWeight": p["weights"]["test"],
            }
            if p
            else {}
        ),
    }


def full(service: LatticeAwareService, deployment: dict[str, Any]) -> dict[str, Any]:
    status, reason = _status(service, deployment)
    p = deployment.get("progressive") or {}
    finished = p.get("finishedAt") if p else deployment.get("finishedAt")
    found: dict[str, Any] = {
        "serviceDeploymentArn": deployment_arn(service, deployment["id"]),
        "serviceArn": service.arn,
        "clusterArn": service.cluster_arn,
        "createdAt": deployment["createdAt"],
        "startedAt": deployment["createdAt"],
        "updatedAt": deployment["updatedAt"],
        "status": status,
        "targetServiceRevision": _revision(service, deployment),
        "deploymentConfiguration": service.deployment_configuration,
    }
    if reason:
        found["statusReason"] = reason
    if finished is not None:
        found["finishedAt"] = CLOCK.datetime(finished)
    if p:
        found["lifecycleStage"] = p["stage"]
        blue = next(d for d in service.history if d["id"] == p["blue"])
        found["sourceServiceRevisions"] = [_revision(service, blue)]
        if status.startswith("ROLLBACK"):
            found["rollback"] = {
                "reason": reason,
                "startedAt": CLOCK.datetime(p["rollbackStartedAt"]),
                "serviceRevisionArn": revision_arn(service, blue["id"]),
            }
        found["lifecycleHookDetails"] = [
            {"hookId": h["id"], "targetType": "AWS_LAMBDA", "targetArn": arn, "status": h["status"]}
            for arn, h in p["hooks"].items()
        ]
    return found


def brief(service: LatticeAwareService, deployment: dict[str, Any]) -> dict[str, Any]:
    keys = ("serviceDeploymentArn", "serviceArn", "clusterArn", "startedAt", "createdAt")
    found = full(service, deployment)
    return {
        **{k: found[k] for k in keys},
        "targetServiceRevisionArn": found["targetServiceRevision"]["arn"],
        "status": found["status"],
        **{k: found[k] for k in ("finishedAt", "statusReason") if k in found},
    }


def listed(
    backend: EmulatedEcsBackend, cluster: str, name: str, statuses: list[str]
) -> list[dict[str, Any]]:
    service = backend._get_service(cluster, name)
    from .rollout import reconcile

    reconcile(backend, service)  # type: ignore[arg-type]
    history = getattr(service, "history", [])
    found = [brief(service, d) for d in reversed(history)]  # type: ignore[arg-type]
    return [d for d in found if not statuses or d["status"] in statuses]


def described(
    backend: EmulatedEcsBackend, arns: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    found, failures = [], []
    for arn in arns:
        match = None
        for service in list(backend.services.values()):
            for deployment in getattr(service, "history", []):
                if deployment_arn(service, deployment["id"]) == arn:  # type: ignore[arg-type]
                    match = (service, deployment)
        if match is None:
            failures.append({"arn": arn, "reason": "MISSING"})
            continue
        from .rollout import reconcile

        reconcile(backend, match[0])  # type: ignore[arg-type]
        found.append(full(match[0], match[1]))  # type: ignore[arg-type]
    return found, failures


def revisions(
    backend: EmulatedEcsBackend, arns: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """DescribeServiceRevisions: a revision is what one deployment runs."""
    found, failures = [], []
    for arn in arns:
        match = next(
            (
                (service, deployment)
                for service in list(backend.services.values())
                for deployment in getattr(service, "history", [])
                if revision_arn(service, deployment["id"]) == arn  # type: ignore[arg-type]
            ),
            None,
        )
        if match is None:
            failures.append({"arn": arn, "reason": "MISSING"})
            continue
        service, deployment = match
        found.append(
            {
                "serviceRevisionArn": arn,
                "serviceArn": service.arn,
                "clusterArn": service.cluster_arn,
                "taskDefinition": deployment["taskDefinition"],
                # a revision carries the deployment's capacity, as DescribeServices does
                **(
                    {"capacityProviderStrategy": deployment["capacityProviderStrategy"]}
                    if deployment.get("capacityProviderStrategy")
                    else {"launchType": "FARGATE"}
                ),
                "platformVersion": deployment.get("platformVersion"),
                "networkConfiguration": deployment.get("networkConfiguration"),
                "vpcLatticeConfigurations": deployment.get("vpcLatticeConfigurations") or [],
                "createdAt": deployment["createdAt"],
            }
        )
    return found, failures
