"""State data copied as the JSON it is, not by ``copy.deepcopy``.

Why: moto's interpreter copies a state's input, parameters, result and stack with
``copy.deepcopy`` several times per state (9.7 % of a 60-service bench's CPU, py-spy), and
``deepcopy`` pays for what JSON never has: a memo of shared objects, ``__deepcopy__`` and
``__reduce__`` lookups per object. State data in Step Functions is JSON text between states
("Processing input and output in Step Functions": each state receives JSON and produces JSON), so
two places holding one object is not something a state can observe: copying them apart is the
closer model. Anything that is not a JSON value (an interpreter object on the stack) is still
deep-copied.
"""

from __future__ import annotations

import copy
import types
from typing import Any

from moto.stepfunctions.parser.asl.component.common.path import result_path
from moto.stepfunctions.parser.asl.component.common.string import string_expression
from moto.stepfunctions.parser.asl.component.state.exec import execute_state
from moto.stepfunctions.parser.asl.component.state.exec.state_map import state_map
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service,
)
from moto.stepfunctions.parser.asl.eval import states

_SCALARS = (str, int, float, bool, type(None))


def json_copy(value: Any) -> Any:
    """A copy of ``value`` sharing nothing mutable with it."""
    kind = type(value)
    if kind is dict:
        return {key: json_copy(item) for key, item in value.items()}
    if kind is list:
        return [json_copy(item) for item in value]
    if kind in _SCALARS:
        return value
    return copy.deepcopy(value)


_COPY = types.SimpleNamespace(deepcopy=json_copy, copy=copy.copy)

USERS = (states, execute_state, state_map, string_expression, result_path, state_task_service)
"""The interpreter's modules whose ``copy.deepcopy`` copies state data."""


def install() -> None:
    for module in USERS:
        setattr(module, "copy", _COPY)  # noqa: B010
