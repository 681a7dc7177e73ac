"""IAM's ``SimulatePrincipalPolicy``, served on moto's IAM endpoint (its one response class).

Request and reply as the IAM API reference gives them (SimulatePrincipalPolicy:
https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html): each of
``ActionNames`` against each of ``ResourceArns`` (``*`` when none is given), with the
``ContextEntries``; ``MaxItems`` (default 100) and ``Marker`` page the results. The evaluation is
:mod:`.models`' (approximated, as it says). ``PolicyInputList``, ``ResourcePolicy`` and
``CallerArn`` are not evaluated.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.iam.exceptions import IAMException
from moto.iam.responses import IamResponse

from . import models


class InvalidInput(IAMException):
    code = "InvalidInput"


def _context(entries: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {
        str(e["ContextKeyName"]).lower(): [str(v) for v in e.get("ContextKeyValues") or []]
        for e in entries
    }


def simulate_principal_policy(self: IamResponse) -> ActionResult:
    source = self._get_param("PolicySourceArn")
    actions = self._get_param("ActionNames", [])
    if not source or not actions:
        raise InvalidInput("PolicySourceArn and ActionNames are required")
    resources = self._get_param("ResourceArns", []) or ["*"]
    context = _context(self._get_param("ContextEntries", []))
    identity, boundary = models.principal_policies(self.backend, source)
    results = [
        models.evaluate(identity, boundary, action, resource, context)
        for action in actions
        for resource in resources
    ]
    start = int(self._get_param("Marker") or 0)
    size = int(self._get_param("MaxItems") or 100)
    page = results[start : start + size]
    truncated = start + size < len(results)
    reply: dict[str, Any] = {"EvaluationResults": page, "IsTruncated": truncated}
    if truncated:
        reply["Marker"] = str(start + size)
    return ActionResult(reply)


def install() -> None:
    """Idempotent."""
    IamResponse.simulate_principal_policy = simulate_principal_policy  # type: ignore[attr-defined]
