"""State ``report``: the run's summary, written to ``s3://<bucket>/reports/<service>/<id>.json``.

It is the same document for a success and a failure: the status, what each step did to which
resource (created, adopted, updated, unchanged), the targets with their health, every AWS call
the run's Lambda invocations made (:mod:`deployer.core.calls`), and for a failure the failing step's
error and message. It is the last state to call AWS (after ``release_lock``), so nothing is left
out.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import ClientError

from ..core import announce, aws, image_index
from ..core.calls import count_calls
from ..core.step import step

metrics = Metrics(namespace="LatticeDeploy", service="lattice-deploy")
ORDER = (
    "serviceNetwork",
    "vpcAssociation",
    "latticeService",
    "targetGroup",
    "alternateGroup",
    "listener",
    "rules",
    "serviceAssociation",
    "accessLogs",
    "taskDefinition",
    "ecsService",
)


STEPS = (
    ("acquire_lock", "turn"),
    ("finish_leftovers", "leftovers"),
    ("load_bundle", "plan"),
    ("ensure_lattice", "serviceNetwork"),
    ("register_task_definition", "taskDefinition"),
    ("update_service", "ecsService"),
)


def failed_step(event: dict[str, Any]) -> str:
    """The steps run in order, so the failed one is the first without a result
    (``finish_leftovers`` runs only when the turn found leftovers)."""
    resources = event.get("resources") or {}
    skipped = {"finish_leftovers"} if not (event.get("turn") or {}).get("leftovers") else set()
    for name, key in STEPS:
        if name not in skipped and key not in event and key not in resources:
            return name
    return "check_health"


def _rollback(event: dict[str, Any], failure: dict[str, Any]) -> dict[str, Any]:
    """The rollback's outcome, and the failure message completed with it."""
    rollback = event.get("rollback") or {}
    done = rollback.get("status") == "DONE"
    left = [p for p in rollback.get("pending") or []]
    kept = rollback.get("kept") or []
    if done:
        tail = (
            f"Rolled back: removed {len(rollback.get('removed') or [])} resource(s) and restored "
            f"{len(rollback.get('restored') or [])}; ECS and VPC Lattice are as the run found them"
        )
        tail += (
            "."
            if not kept
            else ", except what other services use now: "
            + "; ".join(f"{k['type']} {k['id']} ({k['reason']})" for k in kept)
            + "."
        )
    else:
        why = _crash(event.get("rollbackError")) or (
            "it did not finish in time"
            if rollback.get("status") == "WAITING" or any(p.get("retry") for p in left)
            else "AWS refused what is listed"
        )
        todo = "; ".join(p["remove"] for p in left) or "see the execution history"
        tail = f"ROLLBACK INCOMPLETE ({why}). Left behind: {todo}"
    failure["message"] = joined(f"{failure['step']} failed: {failure['message']}", tail)
    return {
        "rolledBack": done,
        "removed": rollback.get("removed") or [],
        "restored": rollback.get("restored") or [],
        "kept": kept,
        "left": left,
    }


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def joined(message: str, tail: str) -> str:
    """``message`` as a sentence, then ``tail``; a message of several lines (a list of bundle
    problems) keeps its first line, its other lines indented under it, and ``tail`` on a line
    of its own, so what a person reads never runs one sentence into the next."""
    first, *rest = message.strip().splitlines() or [""]
    if not rest:
        return f"{_sentence(first)} {tail}"
    body = "\n".join(f"  {line.strip()}" for line in rest if line.strip())
    return f"{first}\n{_sentence(body)}\n{tail}"


LAMBDA_CRASH = re.compile(r"RequestId: (?P<id>\S+) Error: (?P<what>.*)", re.S)
"""Lambda's message when the runtime dies (``Runtime.ExitError``, out of memory...)."""
LAMBDA_TIMEOUT = re.compile(r"\S+ (?P<id>\S+) Task timed out after (?P<after>.*)", re.S)


def plain(message: str) -> str:
    """Lambda's own crash and timeout messages, said plainly with their request id."""
    if crash := LAMBDA_CRASH.fullmatch(message):
        return f"the function crashed: {crash['what'].strip()} (Lambda RequestId {crash['id']})"
    if late := LAMBDA_TIMEOUT.fullmatch(message):
        return f"the function timed out after {late['after'].strip()} (RequestId {late['id']})"
    return message


def _crash(error: dict[str, Any] | None) -> str:
    """Why the rollback's Lambda gave up (its error, said plainly), or ''."""
    if not error:
        return ""
    try:
        cause = json.loads(error.get("Cause") or "{}")
    except json.JSONDecodeError:
        return str(error.get("Cause") or error.get("Error"))
    return plain(str(cause.get("errorMessage") or error.get("Error")))


def _error(event: dict[str, Any]) -> dict[str, Any] | None:
    error = event.get("error")
    if not error:
        return None
    try:
        cause = json.loads(error.get("Cause") or "{}")
        message = cause.get("errorMessage") or error.get("Cause")
    except json.JSONDecodeError:
        message = error.get("Cause")
    return {"error": error.get("Error"), "message": plain(aws.split_note(str(message))[0])}


def _superseded(event: dict[str, Any]) -> dict[str, Any]:
    turn = event["turn"]
    return {
        "deploymentId": event.get("deploymentId"),
        "service": turn["service"],
        "status": "SUPERSEDED",
        "reason": turn["reason"],
        "resources": [],
        "targets": [],
        "rolledBack": False,
    }


def summarize(event: dict[str, Any]) -> dict[str, Any]:
    """The report of the run whose state document is ``event`` (its calls aside)."""
    if (event.get("turn") or {}).get("status") == "SUPERSEDED":
        return _superseded(event)
    plan, resources = event.get("plan") or {}, event.get("resources") or {}
    health, failure = event.get("health") or {}, _error(event)
    if failure is None and health.get("status") == "FAILED":
        failure = {"error": "HealthCheckFailed", "message": health.get("reason")}
    rollback: dict[str, Any] = {"rolledBack": False}
    if failure:
        failure["step"] = failed_step(event)
        rollback = _rollback(event, failure)
    return {
        "deploymentId": event.get("deploymentId"),
        "service": plan.get("serviceName"),
        "cluster": plan.get("cluster"),
        "status": "FAILED" if failure else "SUCCEEDED",
        "resources": [
            {"type": name, **{k: v for k, v in resources[name].items() if k != "calls"}}
            for name in ORDER
            if name in resources
        ],
        "targets": health.get("targets", []),
        "health": health.get("reason"),
        **({"warnings": plan["warnings"]} if plan.get("warnings") else {}),
        **rollback,
        **({"failure": failure} if failure else {}),
    }


def publish_metrics(
    report: dict[str, Any], health: dict[str, Any] | None = None, now: str = ""
) -> None:
    """One EMF record per deployment, printed to the function's log (CloudWatch reads it): the
    outcome, its duration (``report["seconds"]``), rollbacks, the health polls and, when healthy,
    the seconds from the first poll (right after the ECS update) to the verdict (``now``, when
    ``report`` was entered).

    The set is cleared even when metrics are disabled: Powertools keeps it then, and at the 100th
    value of one metric it prints it anyway; in the local runner that line would land in the
    CLI's stdout (``plan --json`` after a hundred deploys in one process).
    """
    metrics.add_metric(
        name="Deployments" + report["status"].title(), unit=MetricUnit.Count, value=1
    )
    health = health or {}
    if "seconds" in report:
        metrics.add_metric(
            name="DeploymentSeconds", unit=MetricUnit.Seconds, value=report["seconds"]
        )
    if report["status"] != "SUPERSEDED":
        metrics.add_metric(
            name="Rollbacks", unit=MetricUnit.Count, value=int(bool(report.get("rolledBack")))
        )
        metrics.add_metric(
            name="HealthPolls", unit=MetricUnit.Count, value=int(health.get("polls") or 0)
        )
    if health.get("status") == "HEALTHY" and health.get("since") and now:
        waited = datetime.fromisoformat(now) - datetime.fromisoformat(health["since"])
        metrics.add_metric(
            name="SecondsToHealthy", unit=MetricUnit.Seconds, value=waited.total_seconds()
        )
    metrics.flush_metrics()
    metrics.clear_metrics()


def _attempt(failed: list[dict[str, str]], what: str, call: Callable[[], Any]) -> Any:
    """One of the notice's parts; a failure is said, not raised: the run's outcome is already
    decided (a deploy that took effect stays SUCCEEDED), only its telling failed."""
    try:
        return call()
    except ClientError as exc:
        error = exc.response["Error"]
        failed.append({"what": what, "error": f"{error['Code']}: {error['Message']}"})
    return None


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    report = summarize(event["state"])
    if event.get("started") and event.get("now"):  # start to report, in the state machine's time
        took = datetime.fromisoformat(event["now"]) - datetime.fromisoformat(event["started"])
        report["seconds"] = round(took.total_seconds(), 3)
    bucket = os.environ.get("REPORT_BUCKET")
    write = bool(bucket and report["service"])
    failed: list[dict[str, str]] = []
    plan = event["state"].get("plan") or {}
    if report["status"] == "SUCCEEDED" and "bundleImages" in plan:  # what it runs now
        what = "the image index (dynamodb:UpdateItem, BatchWriteItem)"
        indexed = _attempt(
            failed, what, lambda: image_index.record(report["service"], plan["bundleImages"])
        )
        if indexed and indexed.get("unprocessed"):
            failed.append(
                {
                    "what": what,
                    "error": f"{indexed['unprocessed']} write(s) left unprocessed: an ECR push "
                    f"may not redeploy {report['service']}; deploy it again to index it",
                }
            )
    counted = _attempt(
        failed,
        "the run's AWS calls (states:GetExecutionHistory)",
        lambda: count_calls(event["execution"], writes=int(write) + 1),  # + the event
    )
    if counted is not None:
        report["awsCalls"] = counted
    publish_metrics(report, event["state"].get("health"), event.get("now", ""))
    if write:
        key = f"reports/{report['service']}/{report['deploymentId']}.json"
        body = json.dumps(report, indent=2).encode()
        if _attempt(
            failed,
            f"the report s3://{bucket}/{key} (s3:PutObject)",
            lambda: aws.client("s3").put_object(Bucket=bucket, Key=key, Body=body),
        ):
            report["location"] = f"s3://{bucket}/{key}"
    if failed:
        report["noticeFailed"] = list(failed)
    _attempt(
        failed,
        "the outcome's event (events:PutEvents)",
        lambda: announce.send(report, event["execution"]),
    )
    if failed:
        report["noticeFailed"] = failed
    return report
