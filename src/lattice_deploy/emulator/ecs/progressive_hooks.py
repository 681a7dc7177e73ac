"""The lifecycle hooks of ECS's progressive deployments: armed at a stage, invoked with ECS's
payload, asked again, timed out (ECS Developer Guide, "Lifecycle hooks for Amazon ECS service
deployments").

``SUCCEEDED`` ends a hook, ``IN_PROGRESS`` asks again after ``callBackDelay`` ("By default this
is a 30 second interval"), ``FAILED``, an invalid answer or a failed invocation is a failure ("If
a hookStatus is not returned, or if the function fails, the deployment rolls back"), as is a hook
past ``timeoutConfiguration.timeoutInMinutes`` with action ROLLBACK. The same machinery serves the
forward stages and the traffic-shift stages ECS runs again while it rolls back
(:mod:`.progressive`), so both invoke hooks alike.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from moto.moto_api._internal import mock_random

if TYPE_CHECKING:
    from .models import EmulatedEcsBackend, LatticeAwareService

HOOK_DELAY = 30.0
HOOK_TIMEOUT_MINUTES = 1440
"""``timeoutInMinutes`` when the hook gives none: "Default: 1440 (24 hours)"; its action
"Default: ROLLBACK" (ECS API Reference, DeploymentLifecycleHookTimeoutConfiguration)."""


def arm(service: LatticeAwareService, stage: str, at: float) -> dict[str, dict[str, Any]]:
    """The service's hooks registered at ``stage``, each due at once."""
    return {
        hook["hookTargetArn"]: {
            "hook": hook,
            "status": "IN_PROGRESS",
            "due": at,
            "since": at,
            "id": str(mock_random.uuid4()),
        }
        for hook in service.deployment_configuration.get("lifecycleHooks") or []
        if stage in (hook.get("lifecycleStages") or [])
    }


def due(hooks: dict[str, dict[str, Any]], now: float) -> float | None:
    """When the earliest pending hook is due, if by ``now``."""
    times = [h["due"] for h in hooks.values() if h["status"] == "IN_PROGRESS"]
    return min(times) if times and min(times) <= now else None


def pending(hooks: dict[str, dict[str, Any]]) -> bool:
    return any(h["status"] != "SUCCEEDED" for h in hooks.values())


def run(
    backend: EmulatedEcsBackend,
    service: LatticeAwareService,
    green: dict[str, Any],
    stage: str,
    at: float,
) -> str | None:
    """Invoke the hooks due at ``at``; the reason the stage fails, or None."""
    p = green["progressive"]
    for arn, state in list(p["hooks"].items()):
        if state["status"] != "IN_PROGRESS" or state["due"] > at:
            continue
        hook = state["hook"]
        timeout = hook.get("timeoutConfiguration") or {}
        if at - state["since"] >= 60 * timeout.get("timeoutInMinutes", HOOK_TIMEOUT_MINUTES):
            if timeout.get("action", "ROLLBACK") == "ROLLBACK":
                return f"hook {arn} timed out at {stage}"
            state["status"] = "SUCCEEDED"
            continue
        answer = invoke(backend, service, green, stage, state)
        status = answer.get("hookStatus")
        if status == "IN_PROGRESS":
            state["due"] = at + max(1.0, float(answer.get("callBackDelay") or HOOK_DELAY))
            if "hookDetails" in answer:
                state["details"] = answer["hookDetails"]
        elif status == "SUCCEEDED":
            state["status"] = "SUCCEEDED"
        else:
            return f"hook {arn} at {stage}: {answer.get('reason') or f'answered {status!r}'}"
    return None


def invoke(
    backend: EmulatedEcsBackend,
    service: LatticeAwareService,
    green: dict[str, Any],
    stage: str,
    state: dict[str, Any],
) -> dict[str, Any]:
    """ECS's invocation: its payload (ECS Developer Guide, "Lifecycle payloads"), synchronous."""
    from ..awslambda.models import lambda_backends
    from .arns import deployment_arn, revision_arn

    p, hook = green["progressive"], state["hook"]
    blue_rev, green_rev = revision_arn(service, p["blue"]), revision_arn(service, green["id"])
    weights = p["weights"]
    event = {
        "executionId": state["id"],
        "lifecycleStage": stage,
        "resourceArn": deployment_arn(service, green["id"]),
        "executionDetails": {
            "serviceArn": service.arn,
            "targetServiceRevisionArn": green_rev,
            "testTrafficWeights": {blue_rev: 100.0 - weights["test"], green_rev: weights["test"]},
            "productionTrafficWeights": {
                blue_rev: 100.0 - weights["production"],
                green_rev: weights["production"],
            },
        },
        **({"hookDetails": d} if (d := state.get("details", hook.get("hookDetails"))) else {}),
    }
    headers: dict[str, str] = {}
    try:
        raw = lambda_backends[backend.account_id][backend.region_name].invoke(
            hook["hookTargetArn"], None, json.dumps(event).encode(), {}, headers
        )
        answer = json.loads(raw or "{}")
    except Exception as exc:  # the hook's function missing, or its answer not JSON
        return {"hookStatus": "FAILED", "reason": f"invocation failed: {exc}"}
    if headers.get("x-amz-function-error") or not isinstance(answer, dict):
        return {"hookStatus": "FAILED", "reason": "the function failed"}
    return answer
