"""What a service's deployments are doing: who holds its turn, its newest request, and its recent
executions with their outcome, whichever way they were started (upload, ECR push, CLI).

Why: once uploads and pushes start deployments by themselves, "did my upload deploy?" is asked
without a deploy command to watch; this answers it from the same records the workflow keeps
(the ordering table, the executions and their reports), with read calls only.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from botocore.exceptions import ClientError

from deployer.lattice import auth_policy, ensure_auth

from .targets import Target
from .versions import Deployment, History, choices


def _turn(target: Target, service: str) -> dict[str, Any]:
    found = target.session.client("dynamodb").get_item(
        TableName=target.table, Key={"service": {"S": service}}, ConsistentRead=True
    )
    item = {k: next(iter(v.values())) for k, v in (found.get("Item") or {}).items()}
    return {
        "holder": item.get("holder"),
        "newestRequest": int(item["latest"]) if "latest" in item else None,
        "newestRequestBy": item.get("latestBy"),
    }


def _health(target: Target, report: dict[str, Any]) -> dict[str, Any]:
    """The service as it is now: ECS (revision, counts, each deployment's rollout) and VPC
    Lattice (the target group's targets with status and reason), and whether it is healthy:
    one COMPLETED deployment running its desired count, every target HEALTHY."""
    arns = {r["type"]: r.get("arn") for r in report.get("resources") or []}
    ecs = target.session.client("ecs")
    found = [
        s
        for s in ecs.describe_services(
            cluster=report.get("cluster") or "default", services=[report["service"]]
        )["services"]
        if s.get("status") == "ACTIVE"
    ]
    service = found[0] if found else None
    deployments = [
        {
            "taskDefinition": d["taskDefinition"].rsplit("/", 1)[-1],
            "status": d["status"],
            "rolloutState": d.get("rolloutState"),
            "desired": d["desiredCount"],
            "running": d["runningCount"],
        }
        for d in (service or {}).get("deployments") or []
    ]
    group, targets = _serving_group(target, service, arns.get("targetGroup"))
    serving = [t for t in targets if t["status"] != "DRAINING"]
    healthy = bool(
        service
        and len(deployments) == 1
        and deployments[0]["rolloutState"] == "COMPLETED"
        and service["runningCount"] == service["desiredCount"]
        and len(serving) >= service["desiredCount"]
        and all(t["status"] == "HEALTHY" for t in serving)
    )
    return {
        "healthy": healthy,
        "ecs": service
        and {
            "taskDefinition": service["taskDefinition"].rsplit("/", 1)[-1],
            "desired": service["desiredCount"],
            "running": service["runningCount"],
            "deployments": deployments,
        },
        "lattice": {
            key: arns[key]
            for key in ("serviceNetwork", "vpcAssociation", "latticeService", "listener")
            if arns.get(key)
        }
        | {"targetGroup": group, "targets": targets}
        | _auth(target, arns.get("latticeService")),
    }


def _auth(target: Target, service_arn: str | None) -> dict[str, Any]:
    """``{"auth": {"type", "summary"}}``: the Lattice service's auth type and who may call it,
    in one line from its auth policy (``{}`` when the service cannot be read)."""
    if not service_arn:
        return {}
    try:
        now = ensure_auth.current(target.session.client("vpc-lattice"), "service", service_arn)
    except ClientError:
        return {}
    said = auth_policy.summary(now["type"], now["policy"])
    return {"auth": {"type": now["type"], "summary": said}}


def _targets(target: Target, group: str) -> list[dict[str, Any]]:
    pages = target.session.client("vpc-lattice").get_paginator("list_targets")
    return [
        {k: t[k] for k in ("id", "port", "status", "reasonCode") if k in t}
        for page in pages.paginate(targetGroupIdentifier=group)
        for t in page["items"]
    ]


def _running_ips(target: Target, service: dict[str, Any]) -> set[str]:
    """The addresses of the tasks running the service's revision (DescribeTasks takes 100)."""
    ecs, cluster = target.session.client("ecs"), service["clusterArn"]
    arns = [
        arn
        for page in ecs.get_paginator("list_tasks").paginate(
            cluster=cluster, serviceName=service["serviceName"]
        )
        for arn in page["taskArns"]
    ]
    return {
        d["value"]
        for start in range(0, len(arns), 100)
        for t in ecs.describe_tasks(cluster=cluster, tasks=arns[start : start + 100])["tasks"]
        if t["taskDefinitionArn"] == service["taskDefinition"]
        for a in t.get("attachments") or []
        for d in a.get("details") or []
        if d["name"] == "privateIPv4Address"
    }


def _serving_group(
    target: Target, service: dict[str, Any] | None, recorded: str | None
) -> tuple[str | None, list[dict[str, Any]]]:
    """The target group where the running revision's tasks are registered, and its targets. A
    progressive strategy alternates its groups: after a canary the tasks are in the
    ``alternateTargetGroupArn``, not the primary ``targetGroupArn`` the run recorded."""
    configs = ((service or {}).get("deployments") or [{}])[0].get("vpcLatticeConfigurations") or []
    candidates = [recorded] if recorded else []
    for config in configs:
        alternate = (config.get("advancedConfiguration") or {}).get("alternateTargetGroupArn")
        candidates += [g for g in (config.get("targetGroupArn"), alternate) if g]
    candidates = list(dict.fromkeys(candidates))
    if len(candidates) < 2 or service is None:
        return recorded, _targets(target, recorded) if recorded else []
    ips = _running_ips(target, service)
    found = {group: _targets(target, group) for group in candidates}
    group = max(candidates, key=lambda g: sum(t["id"] in ips for t in found[g]))
    return group, found[group]


def _run(found: Deployment) -> dict[str, Any]:
    why = found.report.get("reason") or found.cause
    return {
        "service": found.service,
        "execution": found.execution,
        "status": found.status,
        "started": found.started,
        "by": found.by,
        **({"why": why} if why else {}),
        **({"report": found.report["location"]} if found.report.get("location") else {}),
    }


def _every_service(sfn: Any, state_machine_arn: str, limit: int) -> list[dict[str, Any]]:
    pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=state_machine_arn)
    listed = sorted(
        (e for page in pages for e in page["executions"]),
        key=lambda e: e["startDate"],
        reverse=True,
    )
    return [
        _run(Deployment.of(sfn.describe_execution(executionArn=e["executionArn"])))
        for e in listed[:limit]
    ]


def status(target: Target, service: str | None, limit: int = 10) -> dict[str, Any]:
    """``{"service", "turn", "health", "executions": [newest first], "rollbackTo"}`` (all but
    the executions only for one service). ``rollbackTo``: the succeeded deployments, newest
    first, the versions ``rollback --to`` takes (:func:`.versions.choices`)."""
    sfn = target.session.client("stepfunctions")
    if not service:
        return {"service": None, "executions": _every_service(sfn, target.state_machine_arn, limit)}
    history = History(sfn, target.state_machine_arn, service)
    found = list(islice(history.deployments(), limit))
    # the newest run's report that names resources: where the service is read now
    newest = next((d.report for d in found if d.report.get("resources")), {})
    return {
        "service": service,
        "turn": _turn(target, service),
        **({"health": _health(target, newest)} if newest else {}),
        "executions": [_run(d) for d in found],
        "rollbackTo": choices(history, limit),
    }
