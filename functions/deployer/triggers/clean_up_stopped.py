"""Trigger (not a state): a deployment stopped by hand or timed out is rolled back.

Why: Step Functions skips Catch when an execution is stopped or times out, so its own rollback
never runs. Its ``Execution Status Change`` event (ABORTED, TIMED_OUT) brings this function,
which reads the run's last state document from its history and starts the cleanup state
machine on it (``statemachine/cleanup.asl.json``: the same ``rollback`` loop, then the turn
given back). It never undoes a newer deployment: it first takes the service's turn from the
stopped run, and if a newer run holds it already, it changes nothing and says what the stopped
run left (all of it carries the run's deployment-id tag).
"""

from __future__ import annotations

import json
import os
from typing import Any

from botocore.exceptions import ClientError

from ..core import aws, events, ordering
from . import request as trigger


def _last_state(execution_arn: str) -> dict[str, Any]:
    """The state document as the stopped run last left it (its input if no state ended)."""
    sfn = aws.client("stepfunctions")
    latest: dict[str, Any] = {}
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn)
    for page in pages:
        for event in page["events"]:
            details = event.get("stateExitedEventDetails") or event.get(
                "executionStartedEventDetails"
            )
            if details and "output" in details:
                latest = json.loads(details["output"])
            elif details and "input" in details:
                latest = json.loads(details["input"])
    return latest


def _exists(execution_arn: str) -> bool:
    try:
        aws.client("stepfunctions").describe_execution(executionArn=execution_arn)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ExecutionDoesNotExist":
            return False
        raise
    return True


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    detail = events.read(event, events.ExecutionStatusChange, "clean_up_stopped").detail
    stopped, status = detail.executionArn, detail.status
    if status not in ("ABORTED", "TIMED_OUT"):
        return {"started": False, "reason": f"{stopped} ended {status}"}
    state = _last_state(stopped)
    plan, turn = state.get("plan") or {}, state.get("turn") or {}
    service = turn.get("service")
    if turn.get("status") != "ACQUIRED" or not service:
        return {"started": False, "reason": f"{stopped} never held the turn: it changed nothing"}
    if "released" in state:  # stopped in report: deployed or rolled back already, turn given back
        return {"started": False, "reason": f"{stopped} had ended its deployment: nothing to undo"}
    machine = os.environ["CLEANUP_STATE_MACHINE_ARN"]
    name = detail.name[:72] + "-cleanup"
    cleanup = f"{machine.replace(':stateMachine:', ':execution:')}:{name}"
    if _exists(cleanup):  # a redelivered event: its cleanup ran or runs (same request)
        return {"started": False, "reason": f"execution {name} exists: same request"}
    if not ordering.hand_over(service, int(turn["ticket"]), stopped, cleanup):
        left = plan.get("deploymentId") or state.get("deploymentId")
        return {
            "started": False,
            "reason": f"a newer request for {service} exists or holds its turn: nothing undone; "
            f"what {stopped} made carries the tag lattice-deploy:deployment-id={left}",
        }
    document = {
        **state,
        "error": {"Error": f"Execution{str(status).title().replace('_', '')}", "Cause": status},
    }
    return trigger.start(machine, name, document)
