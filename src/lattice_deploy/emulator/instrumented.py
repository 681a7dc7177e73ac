"""The wire-level hook every emulated service shares: one request at a time, counted, open to
injected faults and to AWS's request rates (:mod:`.throttle`, when on), its reply checked against
botocore's model when asked (:mod:`.shape_log`).

Why here: moto turns each HTTP request into one ``call_action`` (S3 into its own dispatch, which
calls ``setup_class`` once); wrapping them is the one place where an operation's name, account and
protocol are all known, in-process and in ``serve`` alike, for every service, moto's own too. So
the emulator's count of an execution's calls is complete and can be checked against the count the
workflow reports about itself.

One lock (:data:`STATE_LOCK`) is held for each request: moto's backends are plain dicts and lists,
and ``serve``'s request threads, every running execution and each Map iteration use them at once
(an ECS read replaying the scheduler while another thread listed the same target group raised
"dictionary changed size during iteration"). AWS applies each request atomically; so does the
emulator. Lambda is left out: an invoke runs a handler whose requests take the lock one by one.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from botocore.model import StructureShape
from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import BaseResponse
from moto.s3.responses import S3Response

from .awslambda.invocation import INVOCATION
from .awslambda.models import LambdaCrash
from .calls import CALLS, is_mutating
from .epoch import EPOCH, MOVERS, keys_of
from .faults import FAULTS, Fault
from .shape_log import SHAPE_LOG
from .shapes import conform, service_model, shaped_body
from .throttle import THROTTLE, retry_after

_DEFAULT_STATUS = {"AccessDeniedException": 403, "ThrottlingException": 429}

STATE_LOCK = threading.RLock()
"""Re-entrant: a request may make another in the same thread (EventBridge invoking a Lambda
target whose handler calls AWS)."""


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


def throttle_response(service: str, account_id: str, operation: str, wait: float) -> TYPE_RESPONSE:
    """A bucket is empty (:mod:`.throttle`): the service's ThrottlingException, as an injected
    throttle is sent (ECS and Step Functions: 400, "Rate exceeded", as the ECS page quotes it),
    with the ``Retry-After`` header where the model has one (VPC Lattice: 429,
    ``retryAfterSeconds``) saying when a token is back."""
    rule = Fault("throttle", operation, "ThrottlingException")
    status, headers, body = fault_response(service, account_id, operation, rule)
    if _models_retry_after(service):
        headers["Retry-After"] = retry_after(wait)
    return status, headers, body


def _models_retry_after(service: str) -> bool:
    for shape in service_model(service).error_shapes:
        if shape.name == "ThrottlingException" and isinstance(shape, StructureShape):
            return any(m.serialization.get("name") == "Retry-After" for m in shape.members.values())
    return False


WHOLE_OBJECTS = {"events", "servicediscovery", "secretsmanager", "vpc-lattice"}
"""Services whose moto replies are ``json.dumps`` of whole objects, so a summary carries every
member of the resource (Cloud Map's ``NamespaceSummary`` its ``CreatorRequestId``, Lattice's
``ListServiceNetworkVpcAssociations`` each ``securityGroupIds``, EventBridge's ``Rule`` its
``CreatedBy``…); their bodies keep only the
members of the operation's output shape, as AWS serves (:func:`.shapes.conform`). The Lattice
operations we answer shape their replies themselves (:meth:`InstrumentedResponse.reply`); this
catches those still moto's. moto's newer services serialize through the model already."""

_original_call_action = BaseResponse.call_action
_original_s3_setup = S3Response.setup_class


def _call_action(self: BaseResponse) -> TYPE_RESPONSE:
    service, operation = self.service_name or "", self._get_action()
    account_id, caller = self.current_account, getattr(INVOCATION, "deployment", None)
    CALLS.record(account_id, service, operation, caller, getattr(INVOCATION, "function", None))
    rule = FAULTS.before_call(account_id, operation, service, caller)
    if rule is not None:
        return fault_response(service, account_id, operation, rule)
    wait = THROTTLE.take(account_id, self.region, self.boto3_service_name, operation)
    if wait is not None:
        return throttle_response(self.boto3_service_name, account_id, operation, wait)
    if service == "awslambda":  # moto's name for Lambda
        status, headers, body = _original_call_action(self)
    else:
        with STATE_LOCK:
            status, headers, body = _original_call_action(self)
            if self.boto3_service_name in MOVERS and is_mutating(operation):
                EPOCH.bump(_moved(self, operation))
    if status < 300 and self.boto3_service_name in WHOLE_OBJECTS and operation:
        body = shaped_body(service_model(self.boto3_service_name).operation_model(operation), body)
        headers.pop("Content-Length", None)  # re-measured on the way out
    SHAPE_LOG.check(self.boto3_service_name, operation, status, body)
    function = getattr(INVOCATION, "function", None)
    if function and status < 300 and FAULTS.crash_after(account_id, operation, service, caller):
        raise LambdaCrash(f"{function} died right after {operation} succeeded (injected)")
    return status, headers, body


def _moved(response: BaseResponse, operation: str) -> tuple[str, ...] | None:
    """The keys a mutation moves (:func:`.epoch.keys_of`; None: every one)."""
    params: dict[str, Any] = {}
    if response.boto3_service_name in ("ecs", "vpc-lattice"):  # JSON bodies
        try:
            params = json.loads(response.body or "{}")
        except (TypeError, ValueError):
            return None
        if not isinstance(params, dict):
            return None
    return keys_of(response.boto3_service_name, operation, params, response.path or "")


S3_ACTIONS = {
    "HeadObject": "GetObject",
    "ListObjectsV2": "ListBucket",
    "ListObjects": "ListBucket",
    "ListObjectVersions": "ListBucketVersions",
}
"""S3 operations whose IAM action has another name ("Amazon S3 API operations and the
permissions they need", S3 User Guide); GetObject of a version is s3:GetObjectVersion, and so
is HeadObject of one ("You need the relevant read object (or version) permission for this
operation", S3 API Reference, HeadObject)."""


S3_ERRORS = {
    "AccessDeniedException": ("AccessDenied", 403),
    "ThrottlingException": ("SlowDown", 503),
}
"""An injected fault's code as S3 spells it, with its status ("Error responses", S3 API
Reference: AccessDenied 403, SlowDown 503); any other code is sent as given, with 400."""


def _s3_setup_class(self: S3Response, request: Any, *args: Any, **kwargs: Any) -> None:
    _original_s3_setup(self, request, *args, **kwargs)
    caller = getattr(INVOCATION, "deployment", None)
    operation = self._get_action()
    versioned = "versionId" in self.querystring and operation in ("GetObject", "HeadObject")
    action = "GetObjectVersion" if versioned else S3_ACTIONS.get(operation)
    function = getattr(INVOCATION, "function", None)
    CALLS.record(self.current_account, "s3", operation, caller, function, action)
    self._injected = FAULTS.before_call(self.current_account, operation, "s3", caller)  # type: ignore[attr-defined]


def _s3_faulted(method: Any) -> Any:
    """moto's S3 dispatch (``_key_response`` / ``_bucket_response``), answering an injected
    fault with S3's own XML error instead of running the operation."""

    def dispatch(self: S3Response, *args: Any, **kwargs: Any) -> Any:
        rule: Fault | None = getattr(self, "_injected", None)
        if rule is None:
            return method(self, *args, **kwargs)
        code, status = S3_ERRORS.get(rule.error_code, (rule.error_code, 400))
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>Injected fault: {self._get_action()} "
            f"failed with {code}</Message></Error>"
        )
        return status, {"Content-Type": "application/xml"}, body

    dispatch.__wrapped__ = method  # type: ignore[attr-defined]
    return dispatch


def install() -> None:
    """Count, fault and serialize every request (idempotent)."""
    BaseResponse.call_action = _call_action  # type: ignore[method-assign]
    S3Response.setup_class = _s3_setup_class  # type: ignore[method-assign]
    for name in ("_key_response", "_bucket_response"):
        if not hasattr(getattr(S3Response, name), "__wrapped__"):
            setattr(S3Response, name, _s3_faulted(getattr(S3Response, name)))


class InstrumentedResponse(BaseResponse):
    """Mixin for an emulated service's response class (put it first in the bases)."""

    def reply(self, body: dict[str, Any] | None) -> TYPE_RESPONSE:
        """A JSON body with the HTTP status and only the output members the botocore model gives
        this operation, at every depth (:func:`.shapes.conform`: moto's objects carry more than
        each operation returns)."""
        operation = service_model(self.service_name or "").operation_model(self._get_action())
        status = operation.http.get("responseCode", 200)
        output = operation.output_shape
        shaped = conform(output, body or {}) if output else {}
        text = "" if status == 204 else json.dumps(shaped, default=str)
        return int(status), {"Content-Type": "application/json", "status": str(status)}, text
