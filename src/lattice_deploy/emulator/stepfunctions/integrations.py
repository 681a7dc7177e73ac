"""The ``arn:aws:states:::states:startExecution[.sync[:2]]`` integration, as AWS runs it.

Why: the fan-out state machine starts one deploy execution per service from a Map state. moto
5.2's interpreter hands the state's parameters to boto3 as written in ASL (``StateMachineArn``,
boto3 wants ``stateMachineArn``) and reads boto3's reply in its own casing (``executionArn``,
ASL wants ``ExecutionArn``), so every such task failed with a KeyError. Here both directions are
translated the way AWS documents the integration, and the ``.sync`` poll of the child execution
waits 50 ms instead of half a second (it waits for another thread of this process, not for time).
"""

from __future__ import annotations

from typing import Any

from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_callback as callback_task,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_sfn as sfn_task,
)

_original_parameters = sfn_task.StateTaskServiceSfn._normalise_parameters


def _boto_cased(
    self: Any,
    parameters: dict[str, Any],
    boto_service_name: str | None = None,
    service_action_name: str | None = None,
) -> None:
    _original_parameters(self, parameters, boto_service_name, service_action_name)
    if service_action_name is None:  # the state's own parameters, as written in ASL
        for key in list(parameters):
            parameters[key[:1].lower() + key[1:]] = parameters.pop(key)


def _sfn_cased(
    self: Any,
    response: Any,
    boto_service_name: str | None = None,
    service_action_name: str | None = None,
) -> None:
    if not isinstance(response, dict):
        return
    for key in list(response):
        value = response.pop(key)
        response[key[:1].upper() + key[1:]] = (
            value.isoformat() if hasattr(value, "isoformat") else value
        )


def install() -> None:
    """Patch the integration's two translations and its poll interval (idempotent)."""
    if getattr(sfn_task.StateTaskServiceSfn, "_normalise_parameters", None) is _boto_cased:
        return
    task: Any = sfn_task.StateTaskServiceSfn
    task._normalise_parameters = _boto_cased
    task._normalise_response = _sfn_cased
    callback_task._DELAY_SECONDS_SYNC_CONDITION_CHECK = 0.05  # type: ignore[misc]
