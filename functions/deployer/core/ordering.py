"""Per-service ordering: one deployment of a service at a time, and the newest request wins.

Why DynamoDB conditional writes: they are atomic on AWS, so one item per service can number the
requests and name the one execution that may change the service. Each request takes a ticket
(``latest`` + 1) when it is made (an S3 upload, an ECR push, or the first state of an execution
the CLI started); an execution deploys only while its ticket is the newest and it holds the
service's turn. An older execution that is still waiting ends without changing anything and says
which request superseded it. A holder that ended without releasing (stopped, timed out) is
recognised by Step Functions' own record of it, so a turn is never stuck.

The item: ``service`` (key), ``latest`` (newest ticket), ``latestBy`` (who asked for it),
``latestDigest`` (its content), ``latestSequencer`` (its S3 upload), ``pushed <image>`` (the
newest push of each image redeployed), ``holder`` (the execution deploying now), ``images`` (what
it was last deployed with: :mod:`.image_index`).
"""

from __future__ import annotations

import os
from typing import Any

from botocore.exceptions import ClientError

from . import aws


def _table() -> str:
    return os.environ["DEPLOYMENTS_TABLE"]


def _item(service: str) -> dict[str, Any]:
    found = aws.client("dynamodb").get_item(
        TableName=_table(), Key={"service": {"S": service}}, ConsistentRead=True
    )
    return {k: next(iter(v.values())) for k, v in (found.get("Item") or {}).items()}


def _conditional_update(service: str, **request: Any) -> dict[str, Any] | None:
    """The attributes after the update, or None when its condition did not hold."""
    try:
        updated = aws.client("dynamodb").update_item(
            TableName=_table(),
            Key={"service": {"S": service}},
            ReturnValues="ALL_NEW",
            **request,
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return None
        raise
    return {k: next(iter(v.values())) for k, v in updated["Attributes"].items()}


def request(
    service: str,
    digest: str,
    by: str,
    sequencer: str | None = None,
    pushed: tuple[str, str] | None = None,
) -> tuple[int, str]:
    """A ticket for deploying content ``digest`` of ``service``: ``(ticket, "")``, or ``(0,
    why)`` when this request is older than one already made.

    A request for the newest content again (a duplicate delivery, an identical upload) gets that
    content's ticket back, so the execution name made of it starts nothing new, yet a retry after
    a crash between this write and StartExecution still starts the execution. An S3 upload's
    ``sequencer`` orders uploads whatever order their events arrive in; an ECR push's ``pushed``
    (the image's index key, the push's time as ISO text) orders the pushes of one tag likewise,
    so a fan-out that reaches a service after a newer push's fan-out did cannot win.
    """
    values: dict[str, Any] = {":one": {"N": "1"}, ":d": {"S": digest}, ":by": {"S": by}}
    names: dict[str, str] = {}
    update, condition = (
        "ADD latest :one SET latestDigest = :d, latestBy = :by",
        ["(attribute_not_exists(latestDigest) OR latestDigest <> :d)"],
    )
    if sequencer:
        values[":s"] = {"S": sequencer.rjust(32, "0")}
        update += ", latestSequencer = :s"
        condition.append("(attribute_not_exists(latestSequencer) OR latestSequencer < :s)")
    if pushed:
        names["#p"], values[":p"] = f"pushed {pushed[0]}", {"S": pushed[1]}
        update += ", #p = :p"
        condition.append("(attribute_not_exists(#p) OR #p <= :p)")  # pushes in one second: both
    made = _conditional_update(
        service,
        UpdateExpression=update,
        ConditionExpression=" AND ".join(condition),
        ExpressionAttributeValues=values,
        **({"ExpressionAttributeNames": names} if names else {}),
    )
    if made is not None:
        return int(made["latest"]), ""
    item = _item(service)
    newer = item.get("latestSequencer", "")
    if sequencer and newer > sequencer.rjust(32, "0"):
        return 0, f"a newer upload of {service} was made since ({item.get('latestBy')})"
    if pushed and item.get(f"pushed {pushed[0]}", "") > pushed[1]:
        return 0, f"a newer push of {pushed[0]} was made since: its redeployment deploys instead"
    return int(item["latest"]), ""


def note_upload(service: str, sequencer: str) -> None:
    """Record an upload the CLI deploys itself, so an older upload's late event stays stale."""
    _conditional_update(
        service,
        UpdateExpression="SET latestSequencer = :s",
        ConditionExpression="attribute_not_exists(latestSequencer) OR latestSequencer < :s",
        ExpressionAttributeValues={":s": {"S": sequencer.rjust(32, "0")}},
    )


def ticket_of(service: str, execution: str) -> int:
    """A ticket for an execution that came without one (the CLI started it): taken at its start,
    once, whatever the retries."""
    by = f"execution {execution}"
    made = _conditional_update(
        service,
        UpdateExpression="ADD latest :one SET latestBy = :by, latestDigest = :by",
        ConditionExpression="attribute_not_exists(latestBy) OR latestBy <> :by",
        ExpressionAttributeValues={":one": {"N": "1"}, ":by": {"S": by}},
    )
    return int((made or _item(service))["latest"])


def _running(execution: str) -> bool:
    try:
        status = aws.client("stepfunctions").describe_execution(executionArn=execution)["status"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ExecutionDoesNotExist":
            return False
        raise
    return bool(status == "RUNNING")


def acquire(service: str, ticket: int, execution: str) -> dict[str, Any]:
    """``ACQUIRED`` (this execution may deploy), ``WAITING`` (another one deploys), or
    ``SUPERSEDED`` (a newer request exists: end without changing anything)."""
    item = _item(service)
    turn = {"service": service, "ticket": ticket}
    if int(item.get("latest", 0)) > ticket:
        return {
            **turn,
            "status": "SUPERSEDED",
            "reason": (
                f"request #{ticket} for {service} was superseded by request #{item['latest']} "
                f"({item.get('latestBy')}), which deploys instead; this execution changed nothing"
            ),
        }
    holder = item.get("holder")
    if holder == execution:
        return {**turn, "status": "ACQUIRED"}
    if holder and _running(holder):
        return {**turn, "status": "WAITING", "reason": f"{holder} is deploying {service}"}
    values = {":me": {"S": execution}, ":t": {"N": str(ticket)}}
    condition = "latest = :t AND attribute_not_exists(holder)"
    if holder:
        values[":old"] = {"S": holder}
        condition = "latest = :t AND holder = :old"
    taken = _conditional_update(
        service,
        UpdateExpression="SET holder = :me",
        ConditionExpression=condition,
        ExpressionAttributeValues=values,
    )
    if taken is None:  # a newer request or another holder came in between: look again next poll
        return {**turn, "status": "WAITING", "reason": f"{service} changed hands; looking again"}
    return {**turn, "status": "ACQUIRED"}


def hand_over(service: str, ticket: int, stopped: str, cleanup: str) -> bool:
    """The turn of ``stopped`` (request ``ticket``, ended without giving it back) to
    ``cleanup``; False once a newer request exists (running, waiting or done) or another
    execution holds the turn: the service is a newer run's now. A retried hand-over (the same
    cleanup holds it already) succeeds again."""
    return (
        _conditional_update(
            service,
            UpdateExpression="SET holder = :new",
            ConditionExpression=(
                "latest = :t AND (holder IN (:old, :new) OR attribute_not_exists(holder))"
            ),
            ExpressionAttributeValues={
                ":old": {"S": stopped},
                ":new": {"S": cleanup},
                ":t": {"N": str(ticket)},
            },
        )
        is not None
    )


def release(service: str, execution: str) -> bool:
    """Give the turn back if this execution holds it (idempotent)."""
    return (
        _conditional_update(
            service,
            UpdateExpression="REMOVE holder",
            ConditionExpression="holder = :me",
            ExpressionAttributeValues={":me": {"S": execution}},
        )
        is not None
    )
