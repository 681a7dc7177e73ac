"""StartExecution without a name gets a UUID, as on AWS: "If you don't provide a name for the
execution, Step Functions automatically generates a universally unique identifier (UUID) as
the execution name" (Step Functions API Reference, StartExecution, ``name``). moto 5.2 names it
``None``, so a second unnamed start was refused as ExecutionAlreadyExists."""

from __future__ import annotations

from typing import Any

from moto.moto_api._internal import mock_random
from moto.stepfunctions.parser.models import StepFunctionsParserBackend

_original = StepFunctionsParserBackend.start_execution


def start_execution(
    self: StepFunctionsParserBackend, state_machine_arn: str, name: Any = None, *args: Any
) -> Any:
    return _original(self, state_machine_arn, name or str(mock_random.uuid4()), *args)


def install() -> None:
    setattr(StepFunctionsParserBackend, "start_execution", start_execution)  # noqa: B010
