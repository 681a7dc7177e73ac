"""What a user would compare before and after a run: every Lattice resource (with its settings
and tags, its listener rules and access-log subscriptions too), every live ECS service (task
definition, desired count, Lattice wiring, deployment strategy) and every task definition
revision. Target IPs are left out: a restored service runs new tasks."""

from __future__ import annotations

from typing import Any


def _all(client: Any, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
    return [i for page in client.get_paginator(operation).paginate(**kwargs) for i in page["items"]]


def snapshot(aws: Any) -> dict[str, Any]:
    lattice, ecs = aws.client("vpc-lattice"), aws.client("ecs")

    def tags(arn: str) -> dict[str, str]:
        return dict(lattice.list_tags_for_resource(resourceArn=arn)["tags"])

    services = _all(lattice, "list_services")
    networks = _all(lattice, "list_service_networks")
    groups = _all(lattice, "list_target_groups")
    listeners = [
        (s["id"], ln)
        for s in services
        for ln in _all(lattice, "list_listeners", serviceIdentifier=s["id"])
    ]
    live = [
        s
        for s in ecs.describe_services(
            cluster="my-cluster",
            services=ecs.list_services(cluster="my-cluster")["serviceArns"] or ["none"],
        )["services"]
        if s["status"] == "ACTIVE"
    ]
    return {
        "serviceNetworks": sorted((n["id"], n["name"], str(tags(n["arn"]))) for n in networks),
        "vpcAssociations": sorted(
            a["id"]
            for a in _all(
                lattice, "list_service_network_vpc_associations", vpcIdentifier="vpc-12345678"
            )
        ),
        "services": sorted((s["id"], s["name"], str(tags(s["arn"]))) for s in services),
        "serviceAssociations": sorted(
            a["id"]
            for s in services
            for a in _all(
                lattice, "list_service_network_service_associations", serviceIdentifier=s["id"]
            )
        ),
        "listeners": sorted(
            (
                ln["id"],
                ln["name"],
                str(
                    lattice.get_listener(serviceIdentifier=s, listenerIdentifier=ln["id"])[
                        "defaultAction"
                    ]
                ),
            )
            for s, ln in listeners
        ),
        "listenerRules": sorted(
            _rule(lattice, s, ln["id"], r["id"])
            for s, ln in listeners
            for r in _all(lattice, "list_rules", serviceIdentifier=s, listenerIdentifier=ln["id"])
        ),
        "accessLogSubscriptions": sorted(
            (a["id"], a["resourceArn"], a["destinationArn"], str(tags(a["arn"])))
            for r in [*services, *networks]
            for a in _all(lattice, "list_access_log_subscriptions", resourceIdentifier=r["id"])
        ),
        "targetGroups": sorted(
            (
                g["id"],
                g["name"],
                str(lattice.get_target_group(targetGroupIdentifier=g["id"])["config"]),
                str(tags(g["arn"])),
            )
            for g in groups
        ),
        "ecsServices": sorted(
            (
                s["serviceName"],
                s["taskDefinition"],
                s["desiredCount"],
                str(_primary_wiring(s)),
                (s.get("deploymentConfiguration") or {}).get("strategy") or "ROLLING",
            )
            for s in live
        ),
        "taskDefinitions": sorted(
            arn
            for status in ("ACTIVE", "INACTIVE")
            for arn in ecs.list_task_definitions(status=status)["taskDefinitionArns"]
        ),
    }


def _rule(lattice: Any, service: str, listener: str, rule: str) -> tuple[str, ...]:
    got = lattice.get_rule(
        serviceIdentifier=service, listenerIdentifier=listener, ruleIdentifier=rule
    )
    return tuple(str(got.get(k)) for k in ("id", "name", "priority", "match", "action"))


def _primary_wiring(service: dict[str, Any]) -> Any:
    primary = next((d for d in service["deployments"] if d["status"] == "PRIMARY"), {})
    return primary.get("vpcLatticeConfigurations")


def shape(snap: dict[str, Any]) -> dict[str, int]:
    """How many of each kind: what must match a clean deploy's after a successful faulty run."""
    return {kind: len(items) for kind, items in snap.items()}
