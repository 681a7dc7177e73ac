"""When a deployment has failed: the number of failed tasks that fails it.

Why apart from :mod:`.api`: the rolling gate (``check_health``) and the progressive hook
(:mod:`.progressive`, which :mod:`.api` imports) both count by it, so it sits below both.
"""

from __future__ import annotations

import math
from typing import Any


def failed_task_limit(plan: dict[str, Any], desired: int) -> int:
    """How many failed tasks of a deployment fail it: the bundle's ``maxFailedTasks``, else
    ECS's own circuit-breaker threshold, so a transient task failure that ECS replaces is not a
    failed deploy (0.5 x desired count, at least 3, at most 200: ECS API reference,
    ServiceDeploymentCircuitBreaker.threshold). The rolling gate and the progressive hook share
    it."""
    if asked := (plan.get("lattice") or {}).get("maxFailedTasks"):
        return int(asked)
    return max(3, min(200, math.ceil(desired / 2)))
