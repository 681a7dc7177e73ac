"""When the next health poll can learn something, from the target group's own health check.

Why: a poll that cannot see a change is a state transition paid for nothing, and a poll too late
delays the verdict. VPC Lattice checks a target every ``healthCheckIntervalSeconds`` from its
registration (VPC Lattice User Guide, "Health checks for your target groups"), so its status can
change only as a check completes, at R + k x interval: INITIAL turns HEALTHY after
``healthyThresholdCount`` passing checks in a row (k >= healthy), and a target turns UNHEALTHY
after ``unhealthyThresholdCount`` failing ones (k >= unhealthy). The next poll comes at the earlier
of, over the new tasks' targets:

- the first check after which a pending target may be HEALTHY: a success is seen when it happens;
- one interval after the first check after which a target may be UNHEALTHY: a failure is seen at
  most one interval late, the gate's promise, while the checks in between are not polled.

A target whose registration time is unknown (a task still starting, or running but not yet in the
group), a group whose checks are off, or every target HEALTHY while ECS has not yet finished:
then nothing tells when to look again, and the stack's ``PollSeconds`` does.
"""

from __future__ import annotations

import math
from typing import Any

PENDING = ("INITIAL", "HEALTHY")
"""Statuses the check's schedule applies to (UNHEALTHY ends the gate at once)."""


def _next_change(check: dict[str, Any], registered: float, status: str, now: float) -> float:
    interval = float(check.get("healthCheckIntervalSeconds") or 30)
    healthy = int(check.get("healthyThresholdCount") or 5)
    unhealthy = int(check.get("unhealthyThresholdCount") or 2)
    following = math.floor((now - registered) / interval + 1e-6) + 1  # the first check after now
    failing = max(unhealthy, following)
    moment = registered + (failing + 1) * interval
    if status == "INITIAL":
        moment = min(moment, registered + max(healthy, following) * interval)
    return moment


def next_poll(
    check: dict[str, Any] | None,
    registered: dict[str, float],
    statuses: dict[str, str],
    now: float,
    fallback: int,
) -> int:
    """Whole seconds from ``now`` until the next poll (at least 1): ``statuses`` are the new
    tasks' targets (ip → status), ``registered`` when each was registered (epoch seconds)."""
    if not check or not check.get("enabled", True) or not statuses:
        return fallback
    if set(statuses.values()) == {"HEALTHY"}:
        return fallback  # Lattice is done; ECS is not yet
    moments = [
        _next_change(check, registered[ip], status, now)
        if status in PENDING and ip in registered
        else now + fallback
        for ip, status in statuses.items()
    ]
    return max(1, math.ceil(min(moments) - now))
