"""A count of the changes that can move an ECS service on: a request that mutates ECS, VPC
Lattice or EC2, or a fault rule added or removed.

Why: before each ECS read and each VPC Lattice request the emulator replays what every ECS
service's scheduler would have done since (:mod:`.ecs.rollout`); with a fleet of 1,000 services
that is 1,000 replays per request, most of them of services where nothing can happen until
something changes or their own next moment comes (a task turning RUNNING, a target HEALTHY). A
replayed service is left out until this count moves or that moment comes
(:func:`.ecs.rollout.quiet_until`).
"""

from __future__ import annotations

import threading

MOVERS = frozenset({"ecs", "vpc-lattice", "ec2"})
"""The services (botocore names) whose mutating requests can change an ECS service's rollout:
its own settings and tasks, its target groups' health checks, targets and listeners, and the
security groups and subnets its tasks use."""


class Epoch:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value = 0

    @property
    def value(self) -> int:
        return self._value

    def bump(self) -> None:
        with self._lock:
            self._value += 1


EPOCH = Epoch()
