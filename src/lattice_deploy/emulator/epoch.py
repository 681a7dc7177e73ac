"""A count of the changes that can move an ECS service on: a request that mutates ECS, VPC
Lattice or EC2, or a fault rule added or removed.

Why: before each ECS read and each VPC Lattice request the emulator replays what every ECS
service's scheduler would have done since (:mod:`.ecs.rollout`); with a fleet of 1,000 services
that is 1,000 replays per request, most of them of services where nothing can happen until
something changes or their own next moment comes (a task turning RUNNING, a target HEALTHY). A
replayed service is left out until this count moves or that moment comes
(:func:`.ecs.rollout.quiet_until`).

A change known to touch one ECS service or one target group moves only that one's count (a
*key*: :data:`SCOPED`); one known to move no rollout moves none (:data:`NO_EFFECT`); any other
moves them all. Why: a fleet's push is two mutations per deployment (RegisterTaskDefinition,
UpdateService); counted for everyone, each made the next request replay all 1,000 services.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from urllib.parse import unquote

MOVERS = frozenset({"ecs", "vpc-lattice", "ec2"})
"""The services (botocore names) whose mutating requests can change an ECS service's rollout:
its own settings and tasks, its target groups' health checks, targets and listeners, and the
security groups and subnets its tasks use."""


NO_EFFECT = frozenset(
    {
        # a new revision is used only once a service is updated to it (that update counts)
        ("ecs", "RegisterTaskDefinition"),
        ("ecs", "CreateCluster"),
        ("ecs", "TagResource"),
        ("ecs", "UntagResource"),
        # a new Lattice resource serves no task until a listener forwards to it (that counts)
        ("vpc-lattice", "CreateService"),
        ("vpc-lattice", "CreateTargetGroup"),
        ("vpc-lattice", "CreateServiceNetwork"),
        ("vpc-lattice", "CreateServiceNetworkVpcAssociation"),
        ("vpc-lattice", "CreateServiceNetworkServiceAssociation"),
        ("vpc-lattice", "TagResource"),
        ("vpc-lattice", "UntagResource"),
    }
)
"""Mutations that change no ECS service's rollout: nothing reads what they make until a change
that is counted (an UpdateService, a listener) points at it."""

SCOPED = {
    ("ecs", "CreateService"): "service",
    ("ecs", "UpdateService"): "service",
    ("ecs", "DeleteService"): "service",
    ("vpc-lattice", "RegisterTargets"): "targetGroup",
    ("vpc-lattice", "DeregisterTargets"): "targetGroup",
    ("vpc-lattice", "UpdateTargetGroup"): "targetGroup",
    ("vpc-lattice", "DeleteTargetGroup"): "targetGroup",
    ("vpc-lattice", "CreateListener"): "forwards",
    ("vpc-lattice", "CreateRule"): "forwards",
}
"""Mutations that move only the rollout of the ECS service they name, or of the services whose
tasks register in the target group they name (its targets, its health check), or in the groups a
new listener or rule forwards to (they are in use from then on: their targets get checked; a new
one takes no group out of use)."""

_GROUP_ID = re.compile(r"tg-[0-9a-z]{17}")


def service_key(cluster: str | None, service: str) -> str:
    """An ECS service's key, from a name or an ARN (``…:service/cluster/name``)."""
    parts = service.split(":")[-1].split("/")
    if len(parts) == 3:  # service/cluster/name
        cluster = parts[1]
    return f"ecs:{(cluster or 'default').rsplit('/', 1)[-1]}:{parts[-1]}"


def group_key(identifier: str) -> str | None:
    """A target group's key, from its id or ARN (None: not one)."""
    found = unquote(identifier).rsplit("/", 1)[-1]
    return f"tg:{found}" if _GROUP_ID.fullmatch(found) else None


def keys_of(
    service: str, operation: str, params: dict[str, object], path: str
) -> tuple[str, ...] | None:
    """The keys a mutation moves: () none, None every one (:data:`SCOPED`, :data:`NO_EFFECT`)."""
    if (service, operation) in NO_EFFECT:
        return ()
    scope = SCOPED.get((service, operation))
    if scope == "service":
        name = params.get("service") or params.get("serviceName")
        cluster = params.get("cluster")
        if isinstance(name, str) and (cluster is None or isinstance(cluster, str)):
            return (service_key(cluster, name),)
    elif scope == "forwards":
        action = params.get("defaultAction") or params.get("action") or {}
        forward = action.get("forward") if isinstance(action, dict) else None
        groups = (forward or {}).get("targetGroups") if isinstance(forward, dict) else []
        named = [g.get("targetGroupIdentifier") for g in groups or [] if isinstance(g, dict)]
        keys = [group_key(n) if isinstance(n, str) else None for n in named]
        if None not in keys:
            return tuple(key for key in keys if key)
    elif scope == "targetGroup":
        matched = re.search(r"/targetgroups/([^/?]+)", path)
        key = group_key(matched[1]) if matched else None
        if key is not None:
            return (key,)
    return None


class Epoch:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value = 0
        self._keys: dict[str, int] = {}

    @property
    def value(self) -> int:
        return self._value

    def bump(self, keys: Iterable[str] | None = None) -> None:
        """Count a change: of the ``keys`` given, or (None) of everything."""
        with self._lock:
            if keys is None:
                self._value += 1
                return
            for key in keys:
                self._keys[key] = self._keys.get(key, 0) + 1

    def stamp(self, keys: tuple[str, ...]) -> tuple[int, ...]:
        """What has changed of ``keys`` and of everything: equal stamps, nothing changed."""
        return (self._value, *(self._keys.get(key, 0) for key in keys))


EPOCH = Epoch()
