"""Request throttling for the embedded AWS: token buckets per account, Region and bucket, refilled
on the virtual clock.

Why: on AWS a fleet's deploys are bounded by request rates, not by how many run at once; a
deployer that never meets a ``ThrottlingException`` in the emulator is never shown to survive
one. So the emulator answers as the services do once a bucket is empty, with the service's own
error, which botocore's retry modes classify as a throttle.

The buckets, each a capacity (burst) and a refill rate (tokens per virtual second), taken one
token a request:

- ECS: "Request throttling for the Amazon ECS API" (ECS API Reference): actions grouped into
  categories, "All API actions in a category share the same token bucket", per account and
  Region (:data:`ECS_CATEGORIES`, the page's table as data).
- Step Functions: "Quotas related to API action throttling" (Step Functions Developer Guide,
  Quotas): ``StartExecution`` of a Standard workflow, 1,300 / 300 per second in us-east-1,
  us-west-2 and eu-west-1, 800 / 150 in all other Regions (:data:`SFN_START_EXECUTION`).
- VPC Lattice: AWS publishes no API rates. Our choice, :data:`LATTICE_RATE` (50 burst,
  10 per second, one bucket per action); set another with :meth:`Throttle.set_lattice_rate`.

- Lambda: "Concurrent executions: 1,000" per account and Region (Lambda Developer Guide, Lambda
  quotas): an invocation beyond it is refused with ``TooManyRequestsException`` (429, ``Reason``
  ``ConcurrentInvocationLimitExceeded``) while the others run (:meth:`Throttle.enter`).

Left out for now: Step Functions' other actions and state transitions, ECR, S3 and the rest
(their calls are never throttled here).

The switch: off by default, so every existing test and bench behaves as before. On with the
environment variable ``LATTICE_DEPLOY_THROTTLE=aws`` (read when an embedded account starts, and
by ``serve``'s process at import), or ``EmbeddedAws(throttle=True)``; ``throttle=False`` keeps it
off whatever the environment says. The fleet bench (from the push on) and the fleet test
(``tests/workflow/test_fleet.py``) turn it on; a test that must not meet throttling says
``throttle=False``. :meth:`Throttle.ledger` tells what each bucket served and refused.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass

from .clock import CLOCK

ENV = "LATTICE_DEPLOY_THROTTLE"
"""``aws``: throttle as AWS documents (any other value, or none: off)."""


@dataclass(frozen=True)
class Rate:
    capacity: float
    """Bucket maximum capacity (ECS: "or Burst rate")."""
    refill: float
    """Tokens added per second up to the capacity (ECS: "or Sustained rate")."""


ECS_CATEGORIES: dict[str, tuple[Rate, tuple[str, ...]]] = {
    "Cluster modify actions": (
        Rate(20, 1),
        (
            "CreateCluster",
            "DeleteCluster",
            "PutClusterCapacityProviders",
            "UpdateCluster",
            "UpdateClusterSettings",
        ),
    ),
    "Cluster read actions": (Rate(50, 20), ("DescribeClusters", "ListClusters")),
    "Task definition modify actions": (
        Rate(20, 1),
        ("DeregisterTaskDefinition", "RegisterTaskDefinition"),
    ),
    "Task definition read actions": (
        Rate(50, 20),
        ("DescribeTaskDefinition", "ListTaskDefinitions", "ListTaskDefinitionFamilies"),
    ),
    "Task definition deletion actions": (Rate(5, 1), ("DeleteTaskDefinitions",)),
    "Capacity provider modify actions": (
        Rate(10, 1),
        ("CreateCapacityProvider", "DeleteCapacityProvider", "UpdateCapacityProvider"),
    ),
    "Capacity provider read actions": (Rate(50, 20), ("DescribeCapacityProviders",)),
    "Tag modify actions": (Rate(20, 10), ("TagResource", "UntagResource")),
    "Tag read actions": (Rate(50, 20), ("ListTagsForResource",)),
    "Setting modify actions": (
        Rate(10, 1),
        ("DeleteAccountSetting", "PutAccountSetting", "PutAccountSettingDefault"),
    ),
    "Setting read actions": (Rate(50, 20), ("ListAccountSettings",)),
    "Cluster resource modify actions": (
        Rate(100, 40),
        (
            "DeleteAttributes",
            "DeregisterContainerInstance",
            "ExecuteCommand",
            "PutAttributes",
            "RunTask",
            "StartTask",
            "StopTask",
            "UpdateContainerAgent",
            "UpdateContainerInstancesStates",
        ),
    ),
    "Cluster resource read actions": (
        Rate(100, 20),
        (
            "DescribeContainerInstances",
            "DescribeTasks",
            "ListAttributes",
            "ListContainerInstances",
            "ListTasks",
        ),
    ),
    "Agent modify actions": (
        Rate(200, 120),
        (
            "RegisterContainerInstance",
            "SubmitAttachmentStateChanges",
            "SubmitContainerStateChange",
            "SubmitTaskStateChange",
        ),
    ),
    "Service modify actions": (Rate(50, 5), ("CreateService", "DeleteService", "UpdateService")),
    "Service read actions": (Rate(100, 20), ("DescribeServices", "ListServices")),
    "Service deployment actions": (
        Rate(50, 20),
        ("DescribeServiceDeployments", "ListServiceDeployments"),
    ),
    "Service revision actions": (Rate(50, 20), ("DescribeServiceRevisions",)),
    "Task protection actions": (Rate(200, 80), ("UpdateTaskProtection", "GetTaskProtection")),
    "Cluster service resource read actions": (Rate(10, 1), ("ListServicesByNamespace",)),
}
"""ECS API Reference, "Request throttling for the Amazon ECS API", "Request Token Bucket Sizes
and Refill Rates": category → (capacity, refill per second), the actions sharing its bucket,
"for all AWS Regions". (Fargate's own RunTask rates on top are left out.)"""

ECS_UNLISTED = Rate(50, 20)
"""An ECS action the table does not list (StopServiceDeployment, …): AWS gives no default; we
chose the read categories' 50 / 20, each such action in a bucket of its own."""

_ECS_CATEGORY_OF = {
    action: category for category, (_, actions) in ECS_CATEGORIES.items() for action in actions
}

SFN_LARGE_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
SFN_START_EXECUTION = {region: Rate(1300, 300) for region in SFN_LARGE_REGIONS}
SFN_START_EXECUTION_ELSEWHERE = Rate(800, 150)
"""Step Functions Developer Guide, Quotas, "Quotas related to API action throttling":
StartExecution (Standard) in US East (N. Virginia), US West (Oregon), Europe (Ireland), and in
"All other regions"; "Throttling quotas are per account, per AWS Region"."""

LAMBDA_CONCURRENCY = 1000
"""Lambda quotas, "Concurrent executions": 1,000 by default, per account and Region."""

LATTICE_RATE = Rate(50, 10)
"""VPC Lattice publishes no API request rates: our choice, per action, per account and Region."""


class Throttle:
    """The buckets in force. Thread-safe: ``serve``'s request threads, every running execution
    and each Map iteration take tokens at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str, str, str], tuple[float, float]] = {}
        self._throttled: dict[str, int] = {}
        self._ledger: dict[tuple[str, str, str, str], tuple[Rate, list[int]]] = {}
        """Each bucket met: its rate, [requests, throttled]."""
        self.lattice_rate = LATTICE_RATE
        self.lambda_concurrency = LAMBDA_CONCURRENCY
        self._running: dict[tuple[str, str], int] = {}
        self.enabled = from_environment()

    def enter(self, account_id: str, region: str) -> bool:
        """An invocation of a Lambda function starts: False when the account's concurrent
        executions are at the limit (refused; it never ran), else counted until :meth:`leave`."""
        with self._lock:
            running = self._running.get((account_id, region), 0)
            if self.enabled and running >= self.lambda_concurrency:
                self._throttled[account_id] = self._throttled.get(account_id, 0) + 1
                return False
            self._running[(account_id, region)] = running + 1
            return True

    def leave(self, account_id: str, region: str) -> None:
        with self._lock:
            self._running[(account_id, region)] -= 1

    def reset(self, enabled: bool | None = None) -> None:
        """Full buckets, no throttled calls; on or off (None: as the environment says)."""
        with self._lock:
            self._buckets.clear()
            self._throttled.clear()
            self._ledger.clear()
            self.lattice_rate = LATTICE_RATE
            self.lambda_concurrency = LAMBDA_CONCURRENCY
            self.enabled = from_environment() if enabled is None else enabled

    def set_lattice_rate(self, capacity: float, refill: float) -> None:
        """Another VPC Lattice rate (ours is a choice): buckets already made keep their tokens."""
        if capacity < 1 or refill <= 0:
            raise ValueError("a bucket holds at least one token and refills at a positive rate")
        self.lattice_rate = Rate(capacity, refill)

    def bucket(self, region: str, service: str, operation: str) -> tuple[str, Rate] | None:
        """The bucket an operation takes its token from, and its rate (None: not throttled)."""
        if service == "ecs":
            category = _ECS_CATEGORY_OF.get(operation)
            if category is None:
                return operation, ECS_UNLISTED
            return category, ECS_CATEGORIES[category][0]
        if service == "stepfunctions" and operation == "StartExecution":
            return operation, SFN_START_EXECUTION.get(region, SFN_START_EXECUTION_ELSEWHERE)
        if service == "vpc-lattice":
            return operation, self.lattice_rate
        return None

    def take(self, account_id: str, region: str, service: str, operation: str) -> float | None:
        """Take a token for one request. None: it goes through; else it is throttled, and the
        number is how many virtual seconds until the bucket has a token again."""
        if not self.enabled:
            return None
        found = self.bucket(region, service, operation)
        if found is None:
            return None
        name, rate = found
        key, now = (account_id, region, service, name), CLOCK.now()
        with self._lock:
            counted = self._ledger.setdefault(key, (rate, [0, 0]))[1]
            counted[0] += 1
            tokens, at = self._buckets.get(key, (rate.capacity, now))
            if now >= at:  # a clock reset (now < at) finds the bucket as it left it
                tokens = min(rate.capacity, tokens + (now - at) * rate.refill)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return None
            self._buckets[key] = (tokens, now)
            self._throttled[account_id] = self._throttled.get(account_id, 0) + 1
            counted[1] += 1
            return (1 - tokens) / rate.refill

    def ledger(self, account_id: str) -> list[dict[str, object]]:
        """Each bucket the account's requests met since the last reset: ``service``,
        ``bucket``, its ``rate``, the ``requests`` that asked it for a token and how many of
        them were ``throttled`` (what a bench computes a floor from: the requests served)."""
        with self._lock:
            found = [(k, r, list(n)) for k, (r, n) in self._ledger.items() if k[0] == account_id]
        return [
            {"service": k[2], "bucket": k[3], "rate": r, "requests": n[0], "throttled": n[1]}
            for k, r, n in sorted(found, key=lambda row: row[0])
        ]

    def throttled(self, account_id: str) -> int:
        """How many of the account's requests were throttled since the last reset."""
        with self._lock:
            return self._throttled.get(account_id, 0)


def from_environment() -> bool:
    return os.environ.get(ENV, "").strip().lower() == "aws"


def retry_after(seconds: float) -> str:
    """A ``Retry-After`` header's value: whole seconds, at least one (RFC 9110, delay-seconds)."""
    return str(max(1, math.ceil(seconds)))


THROTTLE = Throttle()
"""The embedded AWS's buckets (one per process)."""
