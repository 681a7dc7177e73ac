"""Targets of a VPC Lattice target group and their health, computed from virtual time.

Why computed, not stored: a status read at any virtual instant must agree with every other read, so
each target keeps only its events (registered, started failing, deregistered) and the status is a
function of the clock and the group's health check: INITIAL until ``healthyThresholdCount`` checks
pass (HEALTHY) or ``unhealthyThresholdCount`` fail (UNHEALTHY); DRAINING for a minute after
deregistration; UNUSED while no listener forwards to the group; UNAVAILABLE with checks disabled.
Reason codes follow the Elastic Load Balancing family that Lattice's console shows.

A target whose address is an ECS task's answers a health check only on a port one of the task's
containers maps, in the HTTP version that mapping speaks (``appProtocol`` http: HTTP/1.1; http2
and grpc: HTTP/2); any other check fails, so the target turns UNHEALTHY, as it would on AWS. A
target at any other address (an instance, something registered by hand) answers every check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DRAIN_SECONDS = 60.0
"""Lattice's default draining time (botocore: "The default draining time is 1 minute")."""

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

    def _checks_start(self, in_use_since: float) -> float:
        return max(self.registered_at, in_use_since)

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
        checks = health["healthCheckIntervalSeconds"] * health["unhealthyThresholdCount"]
        return float(self._checks_start(in_use_since) + checks)

    def healthy_at(self, health: dict[str, Any], in_use_since: float | None) -> float | None:
        """When this target turns HEALTHY, or None if it never will."""
        if in_use_since is None or not health.get("enabled", True):
            return None
        if self.unhealthy_at(health, in_use_since) is not None:
            return None
        checks = health["healthCheckIntervalSeconds"] * health["healthyThresholdCount"]
        return float(self._checks_start(in_use_since) + checks)

    def moments(self, health: dict[str, Any], in_use_since: float | None) -> dict[str, Any]:
        """What happened to this target, on the virtual clock: for benchmarks and tests that
        measure how late a verdict came (a moment after the drain began never came)."""
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

    def drained(self, now: float) -> bool:
        return self.draining_since is not None and now >= self.draining_since + DRAIN_SECONDS

    def summary(self, now: float, health: dict[str, Any], in_use: float | None) -> dict[str, Any]:
        status, reason = self.status(now, health, in_use)
        item: dict[str, Any] = {"id": self.id, "port": self.port, "status": status}
        if reason:
            item["reasonCode"] = reason
        return item
