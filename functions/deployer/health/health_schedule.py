"""When the next health poll can learn something, from the target group's own health check.

Why: a poll that cannot see a change is a state transition paid for nothing, and a poll too late
delays the verdict. VPC Lattice User Guide, "Health checks for your VPC Lattice target groups":
"After your target is registered, it must pass one health check to be considered healthy"; a
target is unhealthy after ``unhealthyThresholdCount`` consecutive failed checks; checks run every
``healthCheckIntervalSeconds``. When the first check runs after registration AWS does not say, so
the gate counts on no offset: a target's status can change once in each interval after its
registration R, by R + k x interval at the latest. So:

- a pending (INITIAL) target is looked at as each interval after R ends: a success is seen at
  most one interval after it happens, a failure (UNHEALTHY by R + unhealthy x interval) too, and
  nothing is ever judged before Lattice has said it;
- a HEALTHY one can turn UNHEALTHY only after ``unhealthyThresholdCount`` more checks.

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
    unhealthy = int(check.get("unhealthyThresholdCount") or 2)
    following = math.floor((now - registered) / interval + 1e-6) + 1  # R + k x i, the next end
    if status == "INITIAL":
        return registered + following * interval
    return registered + (following + unhealthy) * interval


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
