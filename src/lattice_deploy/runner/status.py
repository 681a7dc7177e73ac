"""What a service's deployments are doing: who holds its turn, its newest request, and its recent
executions with their outcome, whichever way they were started (upload, ECR push, CLI).

Why: once uploads and pushes start deployments by themselves, "did my upload deploy?" is asked
without a deploy command to watch; this answers it from the same records the workflow keeps
(the ordering table, the executions and their reports), with read calls only.
"""

from __future__ import annotations

import json
from typing import Any

from .targets import Target


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
    targets: list[dict[str, Any]] = []
    if arns.get("targetGroup"):
        pages = target.session.client("vpc-lattice").get_paginator("list_targets")
        for page in pages.paginate(targetGroupIdentifier=arns["targetGroup"]):
            targets += [
                {k: t[k] for k in ("id", "port", "status", "reasonCode") if k in t}
                for t in page["items"]
            ]
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
        | {"targetGroup": arns.get("targetGroup"), "targets": targets},
    }


def _run(sfn: Any, listed: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    described = sfn.describe_execution(executionArn=listed["executionArn"])
    payload = json.loads(described.get("input") or "{}")
    prefix = str((payload.get("bundle") or {}).get("prefix") or "")
    output = json.loads(described.get("output") or "{}")
    report = output.get("report") or {}
    status = "SUPERSEDED" if report.get("status") == "SUPERSEDED" else described["status"]
    why = report.get("reason") or described.get("cause") or ""
    return {
        "service": prefix.rstrip("/").rsplit("/", 1)[-1] or None,
        "execution": described["name"],
        "status": status,
        "started": str(described["startDate"]),
        "by": (payload.get("request") or {}).get("by") or "lattice-deploy deploy",
        **({"why": why} if why else {}),
        **({"report": report["location"]} if report.get("location") else {}),
    }, report


def status(target: Target, service: str | None, limit: int = 10) -> dict[str, Any]:
    """``{"service", "turn", "executions": [newest first]}`` (``turn`` only for one service)."""
    sfn = target.session.client("stepfunctions")
    runs: list[dict[str, Any]] = []
    newest: dict[str, Any] = {}  # the newest run's report that names resources
    pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=target.state_machine_arn)
    listed = sorted(
        (e for page in pages for e in page["executions"]),
        key=lambda e: e["startDate"],
        reverse=True,
    )
    for execution in listed:
        if service and not execution["name"].startswith(f"{service[:40]}-"):
            continue  # names start with the service (cut as the CLI and triggers cut them)
        run, report = _run(sfn, execution)
        if not service or run["service"] == service:
            runs.append(run)
            if not newest and report.get("resources"):
                newest = report
        if len(runs) >= limit:
            break
    return {
        "service": service,
        **({"turn": _turn(target, service)} if service else {}),
        **({"health": _health(target, newest)} if service and newest else {}),
        "executions": runs,
    }
