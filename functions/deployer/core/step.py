"""The frame every state's handler runs in: logging, tracing, call counts, typed errors.

Why one decorator: each state's module then holds only its logic (find, compare, create), while
what every step owes the state machine is done once: a Powertools Logger and Tracer around the
invocation, AWS errors turned into the typed errors Retry/Catch match on (with the remedy in the
message), and the step's AWS call counts attached to its result for the run's report.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from . import aws
from .errors import from_client_error

logger = Logger(service="lattice-deploy")


@functools.cache
def tracer() -> Tracer:
    """Made at the first invocation, not at import: a Tracer imports the X-Ray SDK (about 0.3 s),
    and the CLI's ``validate`` and ``plan`` import these modules without running a handler."""
    return Tracer(service="lattice-deploy")


Step = Callable[[dict[str, Any]], dict[str, Any]]
Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def step(func: Step) -> Handler:
    name = func.__module__.rsplit(".", 1)[-1]

    @functools.wraps(func)
    def run(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        aws.reset_counts()
        logger.append_keys(step=name, deployment_id=event.get("deploymentId"))
        try:
            result = func(event)
        except ClientError as exc:
            raise aws.noted(from_client_error(exc)) from exc
        except Exception as exc:
            aws.noted(exc)
            raise
        result["calls"] = aws.counts()
        logger.info("step done", extra={"action": result.get("action"), "calls": result["calls"]})
        return result

    @logger.inject_lambda_context(log_event=False)
    @functools.wraps(func)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        traced = tracer().capture_lambda_handler(run, capture_response=False)
        return traced(event, context)  # type: ignore[no-any-return]

    return handler


def record(action: str, **fields: Any) -> dict[str, Any]:
    """A step's result: what it did to which resource (``created``, ``adopted``, ``unchanged``,
    ``updated``), with ids/ARNs and, for updates, the previous values a rollback restores."""
    return {"action": action, **{k: v for k, v in fields.items() if v is not None}}
