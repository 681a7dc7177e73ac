"""Targets of a VPC Lattice target group and their health, computed from virtual time.

Why computed, not stored: a status read at any virtual instant must agree with every other read, so
each target keeps only its events (registered, started failing, deregistered) and the status is a
function of the clock and the group's health check. VPC Lattice User Guide, "Health checks for
your VPC Lattice target groups": "After your target is registered, it must pass one health check
to be considered healthy", and a target is unhealthy after ``unhealthyThresholdCount``
consecutive failed checks. Checks run every ``healthCheckIntervalSeconds``; when the first one
runs after registration AWS does not say, so here it runs at an offset within one interval
(:data:`FIRST_CHECK`). A target is INITIAL until its first check passes (HEALTHY) or
``unhealthyThresholdCount`` checks have failed (UNHEALTHY); ``healthyThresholdCount`` only
governs a target coming back from UNHEALTHY, which a failing target here never does. DRAINING for
five minutes after deregistration; UNUSED while no listener forwards to the group; UNAVAILABLE
with checks disabled. Reason codes follow the Elastic Load Balancing family that Lattice's console
shows.

A target whose address is an ECS task's answers a health check only on a port one of the task's
containers maps, in the HTTP version that mapping speaks (``appProtocol`` http: HTTP/1.1; http2
and grpc: HTTP/2); any other check fails, so the target turns UNHEALTHY, as it would on AWS. A
target at any other address (an instance, something registered by hand) answers every check.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

DRAIN_SECONDS = 300.0
"""Lattice's default draining time. API reference, TargetSummary: "DRAINING: The target is being
deregistered. [...] The default draining time is 5 minutes." (botocore's copy of the text says 1
minute; the API reference and what users observe say 5.)"""

FIRST_CHECK: float | None = None
"""When a target's first health check runs, as a fraction of the interval after its checks start,
in (0, 1]. None: each target's own, from a hash of its address and registration time, so a run is
reproducible but no rule may count on one offset; tests pin it to prove the gate right for any."""


def first_check(target_id: str, port: int, registered_at: float) -> float:
    """The fraction of an interval after which this target's first check runs."""
    if FIRST_CHECK is not None:
        return FIRST_CHECK
    return (zlib.crc32(f"{target_id}:{port}:{registered_at}".encode()) % 1000 + 1) / 1000


DEFAULT_HEALTH_CHECK: dict[str, Any] = {
    "enabled": True,
    "protocol": "HTTP",
    "protocolVersion": "HTTP1",
    "path": "/",
    "healthCheckIntervalSeconds": 30,
    "healthCheckTimeoutSeconds": 5,
    "healthyThresholdCount": 5,
    "unhealthyThresholdCount": 2,
    "matcher": {"httpCode": "200"},
}


@dataclass
class Target:
    id: str
    port: int
    registered_at: float
    failing: bool = False
    draining_since: float | None = None
    listens: dict[int, str] | None = None
    """The task's ports and the HTTP version each speaks; None: not a task's address."""
    phase: float | None = None
    """The first check's offset, a fraction of the interval (:func:`first_check`)."""
    kept: dict[str, Any] | None = None
    """Its moments as they stood when it was deregistered: later, its group may be unused or
    gone, and what happened before must not change with it."""

    def __post_init__(self) -> None:
        if self.phase is None:
            self.phase = first_check(self.id, self.port, self.registered_at)

    def _first_check(self, health: dict[str, Any], in_use_since: float) -> float:
        """When the first check runs: checks start once the target is registered and its group
        is in use (an UNUSED group's targets are not checked)."""
        start = max(self.registered_at, in_use_since)
        return start + float(self.phase or 1.0) * health["healthCheckIntervalSeconds"]

    def answers(self, health: dict[str, Any]) -> bool:
        """Whether the health check reaches something that speaks its protocol."""
        if self.listens is None:
            return True
        port = int(health.get("port") or self.port)
        return self.listens.get(port) == health.get("protocolVersion", "HTTP1")

    def unhealthy_at(self, health: dict[str, Any], in_use_since: float | None) -> float | None:
        """When this target turns UNHEALTHY, or None if it never will."""
        failing = self.failing or not self.answers(health)
        if not failing or in_use_since is None or not health.get("enabled", True):
            return None
        later = health["healthCheckIntervalSeconds"] * (health["unhealthyThresholdCount"] - 1)
        return float(self._first_check(health, in_use_since) + later)

    def healthy_at(self, health: dict[str, Any], in_use_since: float | None) -> float | None:
        """When this target turns HEALTHY, or None if it never will."""
        if in_use_since is None or not health.get("enabled", True):
            return None
        if self.unhealthy_at(health, in_use_since) is not None:
            return None
        return float(self._first_check(health, in_use_since))  # one passing check

    def moments(self, health: dict[str, Any], in_use_since: float | None) -> dict[str, Any]:
        """What happened to this target, on the virtual clock: for benchmarks and tests that
        measure how late a verdict came (a moment after the drain began never came)."""
        if self.kept is not None:
            return self.kept
        end = self.draining_since if self.draining_since is not None else float("inf")
        healthy, unhealthy = (
            self.healthy_at(health, in_use_since),
            self.unhealthy_at(health, in_use_since),
        )
        return {
            "id": self.id,
            "port": self.port,
            "registeredAt": self.registered_at,
            "healthyAt": healthy if healthy is not None and healthy <= end else None,
            "unhealthyAt": unhealthy if unhealthy is not None and unhealthy <= end else None,
            "drainingSince": self.draining_since,
        }

    def status(
        self, now: float, health: dict[str, Any], in_use_since: float | None
    ) -> tuple[str, str | None]:
        if self.draining_since is not None:
            return "DRAINING", "Target.DeregistrationInProgress"
        if in_use_since is None:
            return "UNUSED", "Target.NotInUse"
        if not health.get("enabled", True):
            return "UNAVAILABLE", "Target.HealthChecksDisabled"
        unhealthy_at = self.unhealthy_at(health, in_use_since)
        if unhealthy_at is not None and now >= unhealthy_at:
            return "UNHEALTHY", "Target.FailedHealthChecks"
        healthy_at = self.healthy_at(health, in_use_since)
        if healthy_at is not None and now >= healthy_at:
            return "HEALTHY", None
        return "INITIAL", "Elb.InitialHealthChecking"

    def deregister(self, now: float, health: dict[str, Any], in_use_since: float | None) -> None:
        """Start draining, keeping what happened until now."""
        if self.draining_since is None:
            self.draining_since = now
            self.kept = self.moments(health, in_use_since)

    def drained(self, now: float) -> bool:
        return self.draining_since is not None and now >= self.draining_since + DRAIN_SECONDS

    def summary(self, now: float, health: dict[str, Any], in_use: float | None) -> dict[str, Any]:
        status, reason = self.status(now, health, in_use)
        item: dict[str, Any] = {"id": self.id, "port": self.port, "status": status}
        if reason:
            item["reasonCode"] = reason
        return item
