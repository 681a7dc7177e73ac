"""Capacity providers as ECS resolves them: where a service's tasks run.

moto 5.2 stores a cluster's ``capacityProviders`` and ``defaultCapacityProviderStrategy`` but
never uses them, and starts no task of a service created with a ``capacityProviderStrategy`` or
without a ``launchType``. ECS (API Reference, CreateService):

- ``launchType``: "If a launchType is specified, the capacityProviderStrategy parameter must be
  omitted."
- ``capacityProviderStrategy``: "If no capacityProviderStrategy or launchType is specified, the
  defaultCapacityProviderStrategy for the cluster is used." With no default either, the service
  takes the EC2 launch type (moto's default, as ECS's); this account has no container instances,
  so such a service places no task, and says so in its events.
- PutClusterCapacityProviders: "A capacity provider must be associated with the cluster to be
  used in a capacity provider strategy." and "The Fargate capacity providers are available to
  all accounts and only need to be associated with a cluster to be used."
"""

from __future__ import annotations

from typing import Any

from moto.ecs.exceptions import InvalidParameterException
from moto.moto_api._internal import mock_random

from ..clock import CLOCK

FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")
NO_INSTANCES = (
    "(service {name}) was unable to place a task because no container instance met all of its "
    "requirements. Reason: No Container Instances were found in your cluster."
)
"""ECS's service event for a task with nowhere to run (Developer Guide, "Amazon ECS service
event messages")."""


def placement_event(service: str) -> dict[str, Any]:
    """The event a service that can place no task here carries (no container instances)."""
    return {
        "id": str(mock_random.uuid4()),
        "createdAt": CLOCK.datetime(),
        "message": NO_INSTANCES.format(name=service),
    }


def check_association(backend: Any, providers: list[str], default: list[dict[str, Any]]) -> None:
    """CreateCluster / PutClusterCapacityProviders: every provider is a Fargate one or one
    created in the account, and the default strategy uses associated providers only."""
    created = {p.name for p in backend.capacity_providers.values()}
    for name in providers:
        if name not in FARGATE_PROVIDERS and name not in created:
            raise InvalidParameterException(
                f"The specified capacity provider '{name}' does not exist. Specify a valid "
                "capacity provider and try again."
            )
    _check_strategy(default, providers, "default capacity provider strategy")


def _check_strategy(strategy: list[dict[str, Any]], associated: list[str], what: str) -> None:
    for item in strategy:
        if item.get("capacityProvider") not in associated:
            raise InvalidParameterException(
                f"The specified {what} cannot contain a capacity provider that is not "
                f"associated with the cluster ({item.get('capacityProvider')!r}; associated: "
                f"{', '.join(associated) or 'none'}). Associate the capacity provider with the "
                "cluster or specify a valid capacity provider and try again."
            )
    spot = [i for i in strategy if int(i.get("base") or 0) > 0]
    if len(spot) > 1:
        raise InvalidParameterException(
            "Only one capacity provider in a capacity provider strategy can have a base defined."
        )


def resolve(cluster: Any, params: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
    """``(launchType, capacityProviderStrategy)`` the service runs with (one of them set)."""
    launch, strategy = params.get("launchType"), params.get("capacityProviderStrategy") or []
    if launch and strategy:
        raise InvalidParameterException(
            "Specifying both a launch type and capacity provider strategy is not supported. "
            "Remove one and try again."
        )
    if launch:
        return str(launch), []
    strategy = strategy or list(cluster.default_capacity_provider_strategy or [])
    if not strategy:
        return "EC2", []
    _check_strategy(strategy, list(cluster.capacity_providers or []), "capacity provider strategy")
    return None, [
        {
            "capacityProvider": i["capacityProvider"],
            "weight": int(i.get("weight") or 0),
            "base": int(i.get("base") or 0),
        }
        for i in strategy
    ]


def on_fargate(launch: str | None, strategy: list[dict[str, Any]]) -> bool:
    """Tasks run on Fargate: the FARGATE launch type, or a strategy of Fargate providers only
    ("A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling
    groups and Fargate providers", Developer Guide)."""
    if launch:
        return launch == "FARGATE"
    return bool(strategy) and all(i["capacityProvider"] in FARGATE_PROVIDERS for i in strategy)


def check_compatible(task_def: Any, launch: str | None, strategy: list[dict[str, Any]]) -> None:
    """A task definition that declares ``requiresCompatibilities`` runs on those only."""
    needed = "FARGATE" if on_fargate(launch, strategy) else (launch or "EC2")
    declared = list(getattr(task_def, "requires_compatibilities", None) or [])
    if declared and needed not in declared:
        raise InvalidParameterException(f"Task definition does not support launch_type {needed}.")


def provider_for(strategy: list[dict[str, Any]], placed: list[str | None]) -> str | None:
    """The provider the next task runs on, given where the service's live tasks run: ``base``
    tasks on the provider that has one, then the rest spread by ``weight`` (Developer Guide,
    "Capacity provider strategies"). None: the FARGATE launch type (no provider)."""
    if not strategy:
        return None
    for item in strategy:
        if placed.count(item["capacityProvider"]) < item["base"]:
            return str(item["capacityProvider"])
    weighted = [i for i in strategy if i["weight"] > 0] or strategy[:1]
    beyond = {
        i["capacityProvider"]: placed.count(i["capacityProvider"]) - i["base"] for i in weighted
    }
    chosen = min(weighted, key=lambda i: (beyond[i["capacityProvider"]] + 1) / max(i["weight"], 1))
    return str(chosen["capacityProvider"])
