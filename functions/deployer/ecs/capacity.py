"""Where the service's tasks will run, checked against the cluster before any change.

Why here: ECS resolves ``capacityProviderStrategy`` against the cluster at CreateService /
UpdateService time, so a strategy naming a provider the cluster lacks fails there, after the
Lattice side was made. ECS API Reference: "A capacity provider must be associated with the
cluster to be used in a capacity provider strategy" (CreateService, capacityProviderStrategy);
"If no capacityProviderStrategy or launchType is specified, the defaultCapacityProviderStrategy
for the cluster is used"; a cluster with no default leaves the EC2 launch type, which a task
definition that requires only FARGATE cannot use. FARGATE and FARGATE_SPOT "are available to all
accounts and only need to be associated with a cluster to be used" (PutClusterCapacityProviders).
"""

from __future__ import annotations

from typing import Any

WHERE = "ecs-service-def.json"


def _associate(cluster: dict[str, Any], name: str) -> str:
    """The command that associates ``name`` too (PutClusterCapacityProviders replaces both
    lists: "you must specify all existing capacity providers in addition to any new ones")."""
    providers = " ".join([*(cluster.get("capacityProviders") or []), name])
    default = cluster.get("defaultCapacityProviderStrategy") or []
    strategy = " ".join(
        f"capacityProvider={i['capacityProvider']},weight={i.get('weight', 0)},"
        f"base={i.get('base', 0)}"
        for i in default
    )
    return (
        f"aws ecs put-cluster-capacity-providers --cluster {cluster['clusterName']} "
        f"--capacity-providers {providers} --default-capacity-provider-strategy "
        + (strategy or "'[]'")
    )


def problems(plan: dict[str, Any], cluster: dict[str, Any]) -> list[str]:
    """``file: field: what is wrong; fix`` for each way ECS would refuse the service's capacity
    (``cluster``: DescribeClusters' entry)."""
    service, task = plan["serviceDefinition"], plan["taskDefinition"]
    associated = list(cluster.get("capacityProviders") or [])
    name = cluster["clusterName"]
    said = []
    strategy = service.get("capacityProviderStrategy") or []
    for index, item in enumerate(strategy if isinstance(strategy, list) else []):
        provider = item.get("capacityProvider") if isinstance(item, dict) else None
        if provider not in associated:
            said.append(
                f"{WHERE}: capacityProviderStrategy[{index}].capacityProvider: {provider!r} is "
                f"not associated with cluster {name} (associated: "
                f"{', '.join(associated) or 'none'}), and ECS refuses a strategy naming one; use "
                "one of those, or associate it "
                f"first: {_associate(cluster, str(provider))}"
            )
    implicit = not strategy and not service.get("launchType")
    required = task.get("requiresCompatibilities")
    required = [str(c) for c in required] if isinstance(required, list) else []
    if implicit and not cluster.get("defaultCapacityProviderStrategy") and "EC2" not in required:
        said.append(
            f"{WHERE}: launchType: neither launchType nor capacityProviderStrategy is given and "
            f"cluster {name} has no default capacity provider strategy, so ECS would use the EC2 "
            f"launch type, which the task definition (requiresCompatibilities {required}) does "
            'not support; set "launchType": "FARGATE" or a "capacityProviderStrategy" (e.g. '
            '[{"capacityProvider": "FARGATE", "weight": 1}])'
        )
    return said
