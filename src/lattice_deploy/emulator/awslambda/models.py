"""Lambda functions that run in process: moto's Lambda backend, with ``invoke`` calling a Python
handler registered for the function instead of a container (there is no Docker here).

Why: moto's Step Functions interpreter invokes a Task's Lambda through boto3, like AWS; routing
that invoke to the real handler keeps the whole chain real (ASL → Lambda invoke → handler →
boto3 → emulator) with nothing faked in between. An unhandled exception becomes the payload and
``FunctionError`` AWS sends, so Retry/Catch match on the exception's class name as on AWS.
"""

from __future__ import annotations

import json
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moto.awslambda.models import LambdaBackend
from moto.core.base_backend import BackendDict
from moto.core.exceptions import JsonRESTError

from ..throttle import THROTTLE
from ..usage import USAGE
from .invocation import INVOCATION

Handler = Callable[[Any, Any], Any]


class LambdaCrash(BaseException):
    """Raised inside a handler to make its invocation die as a crashed sandbox would."""


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object that handlers and Powertools read."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 256
    function_version: str = "$LATEST"
    aws_request_id: str = ""
    log_group_name: str = ""
    log_stream_name: str = ""

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


HANDLERS: dict[str, Handler] = {}
"""Function name → handler; filled by whoever deploys functions (the local runner)."""


def error_payload(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, LambdaCrash):
        return {
            "errorType": "Runtime.ExitError",
            # AWS's words for a runtime that died (Lambda Developer Guide, "Troubleshoot
            # invocation issues": Runtime.ExitError), with a request id as AWS gives one
            "errorMessage": f"RequestId: {uuid.uuid4()} Error: Runtime exited with error: {exc}",
        }
    return {
        "errorType": type(exc).__name__,
        "errorMessage": str(exc),
        "stackTrace": traceback.format_tb(exc.__traceback__),
    }


class ConcurrencyExceeded(JsonRESTError):
    """Lambda's answer past the account's concurrent executions (Invoke, Errors:
    "TooManyRequestsException … HTTP Status Code: 429"), with the reason its model names."""

    code = 429

    def __init__(self) -> None:
        super().__init__("TooManyRequestsException", "Rate Exceeded.")
        self.description = json.dumps(
            {
                "Reason": "ConcurrentInvocationLimitExceeded",
                "Type": "User",
                "message": "Rate Exceeded.",
            }
        )


class InProcessLambdaBackend(LambdaBackend):
    def invoke(
        self,
        function_name: str,
        qualifier: str | None,
        body: Any,
        headers: Any,
        response_headers: Any,
    ) -> str | bytes | None:
        fn = self.get_function(function_name, qualifier)
        handler = HANDLERS.get(fn.function_name)
        if handler is None:
            return super().invoke(function_name, qualifier, body, headers, response_headers)
        if not THROTTLE.enter(self.account_id, self.region_name):
            raise ConcurrencyExceeded()
        try:
            return self._run(fn, handler, body, response_headers)
        finally:
            THROTTLE.leave(self.account_id, self.region_name)

    def _run(self, fn: Any, handler: Handler, body: Any, response_headers: Any) -> str:
        event = json.loads(body or b"{}")
        context = LambdaContext(fn.function_name, fn.function_arn, aws_request_id=str(uuid.uuid4()))
        # an invocation may happen inside another's (ECS invoking a lifecycle hook while it
        # replays a read): the outer one's attribution is put back after
        outer = getattr(INVOCATION, "function", None), getattr(INVOCATION, "deployment", None)
        INVOCATION.function = fn.function_name
        INVOCATION.deployment = (  # an ECS lifecycle hook carries it in its hookDetails
            (event.get("deploymentId") or (event.get("hookDetails") or {}).get("deploymentId"))
            if isinstance(event, dict)
            else None
        )
        began = time.perf_counter()
        try:
            payload = json.dumps(handler(event, context), default=str)
        except (Exception, LambdaCrash) as exc:
            response_headers["x-amz-function-error"] = "Unhandled"
            payload = json.dumps(error_payload(exc))
        finally:
            INVOCATION.function, INVOCATION.deployment = outer
            USAGE.invoked(fn.function_name, time.perf_counter() - began)
        response_headers["Content-Length"] = str(len(payload))
        return payload


lambda_backends: BackendDict[InProcessLambdaBackend] = BackendDict(InProcessLambdaBackend, "lambda")
