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


def _run(sfn: Any, listed: dict[str, Any]) -> dict[str, Any]:
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
    }


def status(target: Target, service: str | None, limit: int = 10) -> dict[str, Any]:
    """``{"service", "turn", "executions": [newest first]}`` (``turn`` only for one service)."""
    sfn = target.session.client("stepfunctions")
    runs: list[dict[str, Any]] = []
    pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=target.state_machine_arn)
    listed = sorted(
        (e for page in pages for e in page["executions"]),
        key=lambda e: e["startDate"],
        reverse=True,
    )
    for execution in listed:
        if service and not execution["name"].startswith(f"{service[:40]}-"):
            continue  # names start with the service (cut as the CLI and triggers cut them)
        run = _run(sfn, execution)
        if not service or run["service"] == service:
            runs.append(run)
        if len(runs) >= limit:
            break
    return {
        "service": service,
        **({"turn": _turn(target, service)} if service else {}),
        "executions": runs,
    }
