"""Run one deployment against a target and return its summary (what ``deploy`` and ``rollback``
print)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import execution
from .progress import Printer
from .targets import Target


def deploy_bundle(
    target: Target,
    directory: Path,
    environment: str | None,
    out: Callable[[str], None],
    prepare: execution.Prepare | None = None,
) -> dict[str, Any]:
    started = execution.start(
        target.session, target.bucket, target.state_machine_arn, directory, environment, prepare
    )
    out(f"lattice-deploy: deploying {started.service} as execution {started.deployment_id}")
    return follow(target, started, out)


def follow(
    target: Target, started: execution.Started, out: Callable[[str], None]
) -> dict[str, Any]:
    """Print the started run's progress state by state until it ends, and return its summary:
    the same for every way a run is started (``deploy``, ``rollback``)."""
    printer = Printer(target.definition, out)
    sfn = target.session.client("stepfunctions")
    for event in execution.history(sfn, started.execution_arn):
        printer(event)
    described = sfn.describe_execution(executionArn=started.execution_arn)
    status = described["status"]
    report = printer.outputs.get("report", {}).get("report") or {}
    if not report and status != "SUCCEEDED":  # the report itself failed: the execution says why
        report = {"failure": {"step": "report", "message": described.get("cause", status)}}
    elif not report:  # deployed, but the report's Lambda failed (deployed_unreported)
        output = json.loads(described.get("output") or "{}")
        why = (output.get("reportFailure") or {}).get("message", "the report failed")
        report = {"noticeFailed": [{"what": "the report", "error": why}]}
    return {
        "status": "SUPERSEDED" if report.get("status") == "SUPERSEDED" else status,
        **({"reason": report["reason"]} if "reason" in report else {}),
        "executionArn": started.execution_arn,
        "deploymentId": started.deployment_id,
        "service": started.service,
        "resources": report.get("resources", []),
        "targets": report.get("targets", []),
        "calls": report.get("awsCalls", {}),
        "rolledBack": bool(report.get("rolledBack")),
        **({"seconds": report["seconds"]} if "seconds" in report else {}),
        **(
            {"rollback": {k: report.get(k, []) for k in ("removed", "restored", "kept", "left")}}
            if "removed" in report
            else {}
        ),
        **({"failure": report["failure"]} if "failure" in report else {}),
        **({"warnings": report["warnings"]} if report.get("warnings") else {}),
        **({"report": report["location"]} if "location" in report else {}),
        **({"noticeFailed": report["noticeFailed"]} if report.get("noticeFailed") else {}),
    }


def calls_line(calls: dict[str, Any]) -> str:
    """Every call the run made (lock, deploy, health polls, rollback, report)."""
    if not calls:
        return "AWS calls not counted"
    lost = calls.get("unaccounted")
    return f"{calls['mutating']} mutating and {calls['read']} read AWS calls in all" + (
        f", {lost} crashed invocation(s) uncounted" if lost else ""
    )


def notice_line(summary: dict[str, Any]) -> str:
    """A deploy that took effect but whose telling failed: still a success (exit 0: the new
    revision is live, a pipeline must not record a failure), and said on a line of its own."""
    failed = summary.get("noticeFailed") or []
    if not failed:
        return ""
    what = "; ".join(f"{f['what']}: {f['error']}" for f in failed)
    return f"\nNOTICE FAILED (the deploy took effect; it was not told in full): {what}"


def headline(summary: dict[str, Any]) -> str:
    calls = summary.get("calls") or {}
    counted = calls_line(calls)
    if summary["status"] == "SUCCEEDED":
        healthy = sum(t.get("status") == "HEALTHY" for t in summary["targets"])
        changes = (calls.get("phases") or {}).get("deploy", {}).get("mutating")
        changed = (
            "0 changes to ECS and VPC Lattice: already deployed"
            if changes == 0
            else f"{changes} mutating calls to deploy"
        )
        line = (
            f"SUCCEEDED: {summary['service']} is behind VPC Lattice, {healthy} target(s) "
            f"HEALTHY; {changed}; {counted}"
        )
        return line + notice_line(summary)
    if summary["status"] == "SUPERSEDED":
        return f"SUPERSEDED: {summary['reason']} ({counted})"
    failure = summary.get("failure") or {}
    error, message = failure.get("error", "unknown error"), failure.get("message", "")
    gap = "\n" if "\n" in message else " "  # a list of problems: the counts on a line below
    return f"{summary['status']}: {error}: {message}{gap}({counted})"


def exit_code(summary: dict[str, Any]) -> int:
    if summary["status"] == "SUCCEEDED":
        return 0
    return 2 if (summary.get("failure") or {}).get("error") == "BundleInvalid" else 1
