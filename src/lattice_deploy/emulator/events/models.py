"""EventBridge rules that invoke Lambda targets, which moto 5.2's rules cannot.

Why: the product is event driven (an S3 upload or an ECR push starts a deployment through an
EventBridge rule). moto matches the event against the rule's pattern but knows no Lambda
target, so S3's and ECR's events went nowhere. Here a matching event is handed to the target
function as EventBridge hands it: the whole event (or the target's constant ``Input``), one
asynchronous-style invocation per target whose failure never fails the API call that emitted the
event. Delivery happens before that call returns, so a test or ``aws s3 cp`` sees the execution
the trigger started at once.
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

from moto.events import models as moto_events
from moto.utilities.arns import parse_arn

from ..awslambda.models import lambda_backends

log = logging.getLogger(__name__)

DELIVERIES: list[dict[str, Any]] = []
"""The deliveries to Lambda targets (rule, function, event id, the function's result), the
newest :data:`KEPT_DELIVERIES` (every execution's end is one: ``serve`` must not grow by them)."""
KEPT_DELIVERIES = 1000


class Rule(moto_events.Rule):
    def send_to_targets(self, original_event: Any, transform_input: bool = True) -> None:
        # a disabled rule delivers nothing (moto 5.2's put_events ignores the state)
        if self.state != "ENABLED" or not self.event_pattern.matches_event(original_event):
            return
        functions = [t for t in self.targets if parse_arn(t["Arn"]).service == "lambda"]
        for target in self.targets:
            if target not in functions:  # moto's own delivery, one target at a time
                single = copy.copy(self)
                single.targets = [target]
                super(Rule, single).send_to_targets(original_event, transform_input)
        for target in functions:
            self._invoke(target, original_event)

    def _invoke(self, target: dict[str, Any], event: Any) -> None:
        arn = parse_arn(target["Arn"])
        body = target.get("Input") or json.dumps(event, default=str)
        headers: dict[str, str] = {}
        backend = lambda_backends[arn.account][arn.region]
        try:
            result: Any = backend.invoke(arn.resource_id, None, body.encode(), {}, headers)
        except Exception as exc:  # an async invocation's failure stays with the function
            result = {"errorType": type(exc).__name__, "errorMessage": str(exc)}
            headers["x-amz-function-error"] = "Unhandled"
        delivered = {
            "rule": self.name,
            "function": arn.resource_id,
            "eventId": event.get("id"),
            "failed": "x-amz-function-error" in headers,
            "result": result,
        }
        if delivered["failed"]:
            log.warning("rule %s: %s failed: %s", self.name, arn.resource_id, result)
        DELIVERIES.append(delivered)
        del DELIVERIES[:-KEPT_DELIVERIES]


def install() -> None:
    """moto builds rules from its module's ``Rule``; point that name at ours (idempotent)."""
    moto_events.Rule = Rule  # type: ignore[misc]
