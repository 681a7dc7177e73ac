"""The wire-level hook every emulated service shares: count the call, apply injected faults.

Why here: moto turns each HTTP request into one ``call_action``; wrapping it is the one place where
an operation's name, account and protocol are all known, in-process and in ``serve`` alike.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from botocore.model import ServiceModel
from botocore.session import get_session
from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import BaseResponse

from .awslambda.models import INVOCATION, LambdaCrash
from .calls import CALLS
from .faults import FAULTS, Fault

_DEFAULT_STATUS = {"AccessDeniedException": 403, "ThrottlingException": 429}


@cache
def service_model(service: str) -> ServiceModel:
    """botocore's model of ``service``: the reference every emulated reply is checked against."""
    return get_session().get_service_model(service)


def _error_status(service: str, code: str) -> int:
    model = service_model(service)
    for shape_name in model.error_shapes:
        if shape_name.name == code:
            return int(shape_name.metadata.get("error", {}).get("httpStatusCode", 400))
    return 400 if model.protocol == "json" else _DEFAULT_STATUS.get(code, 400)


def fault_response(service: str, account_id: str, operation: str, rule: Fault) -> TYPE_RESPONSE:
    """The error AWS would send for ``rule``, in the service's own wire format."""
    prefix = service_model(service).signing_name
    if rule.kind == "throttle":
        message = "Rate exceeded"
    elif rule.error_code == "AccessDeniedException":
        message = (
            f"User: arn:aws:iam::{account_id}:user/lattice-deploy is not authorized to perform: "
            f"{prefix}:{operation} because no identity-based policy allows the "
            f"{prefix}:{operation} action"
        )
    else:
        message = f"Injected fault: {operation} failed with {rule.error_code}"
    body = json.dumps({"__type": rule.error_code, "message": message})
    headers = {"x-amzn-ErrorType": rule.error_code, "Content-Type": "application/json"}
    return _error_status(service, rule.error_code), headers, body


class InstrumentedResponse(BaseResponse):
    """Mixin for an emulated service's response class (put it first in the bases)."""

    def call_action(self) -> TYPE_RESPONSE:
        operation = self._get_action()
        account_id = self.current_account
        CALLS.record(account_id, self.service_name or "", operation)
        service = self.service_name or ""
        rule = FAULTS.before_call(account_id, operation, service)
        if rule is not None:
            return fault_response(self.service_name or "", account_id, operation, rule)
        status, headers, body = super().call_action()
        caller = getattr(INVOCATION, "function", None)
        if caller and status < 300 and FAULTS.crash_after(account_id, operation, service):
            raise LambdaCrash(f"{caller} died right after {operation} succeeded (injected)")
        return status, headers, body

    def reply(self, body: dict[str, Any] | None) -> TYPE_RESPONSE:
        """A JSON body with the HTTP status and only the output members the botocore model gives
        this operation (moto's objects carry more than each operation returns)."""
        operation = service_model(self.service_name or "").operation_model(self._get_action())
        status = operation.http.get("responseCode", 200)
        members = operation.output_shape.members if operation.output_shape else {}
        shaped = {k: v for k, v in (body or {}).items() if k in members}
        text = "" if status == 204 else json.dumps(shaped, default=str)
        return int(status), {"Content-Type": "application/json", "status": str(status)}, text
