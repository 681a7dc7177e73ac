"""Step Functions' "Execution Status Change" events on the default EventBridge bus.

Why: a stopped or timed-out deployment skips its own Catch, so only this event can start its
cleanup (a rule in template.yaml). moto 5.2 sends none. The shape is AWS's ("Step Functions
Execution Status Change", source ``aws.states``: Step Functions Developer Guide, "Automating
Step Functions event delivery with EventBridge").
"""

from __future__ import annotations

import json
from typing import Any

from moto.events.models import events_backends

from . import log, retention

TERMINAL = ("SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT")


def _epoch_ms(value: Any) -> int | None:
    return int(value.timestamp() * 1000) if value is not None else None


def emit(execution: Any) -> None:
    """After ``execution`` (moto's parser Execution) ended: its event, to every rule."""
    status = str(getattr(execution.exec_status, "value", execution.exec_status))
    if status not in TERMINAL:
        return
    log.ended(execution, status)
    arn = str(execution.exec_arn)
    detail = {
        "executionArn": arn,
        "stateMachineArn": str(execution.state_machine_arn),
        "name": execution.name,
        "status": status,
        "startDate": _epoch_ms(execution.start_date),
        "stopDate": _epoch_ms(execution.stop_date),
        "input": None if (given := execution.input_data) is None else retention.json_text(given),
    }
    events_backends[execution.account_id][execution.region_name].put_events(
        [
            {
                "Source": "aws.states",
                "DetailType": "Step Functions Execution Status Change",
                "Detail": json.dumps(detail),
                "Resources": [arn],
            }
        ]
    )
