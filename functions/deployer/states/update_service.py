"""State ``update_service``: create the ECS service wired to VPC Lattice, or update it.

An update is made only when the described service does not already cover what the bundle asks
for (its Service Connect block included: a change there alone is an update); the previous task
definition, desired count, Lattice wiring and Service Connect block are recorded for rollback.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..core.compare import covers
from ..core.step import record, step
from ..ecs import api as ecs
from ..ecs import progressive

UPDATABLE = (
    "desiredCount",
    "capacityProviderStrategy",
    "deploymentConfiguration",
    "networkConfiguration",
    "placementConstraints",
    "placementStrategy",
    "platformVersion",
    "healthCheckGracePeriodSeconds",
    "enableExecuteCommand",
    "enableECSManagedTags",
    "loadBalancers",
    "propagateTags",
    "serviceRegistries",
    "serviceConnectConfiguration",
)
COMPARED = (
    "desiredCount",
    "networkConfiguration",
    "platformVersion",
    "healthCheckGracePeriodSeconds",
)


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    plan = event["plan"]
    api, task_def = ecs.client(plan), event["resources"]["taskDefinition"]["arn"]
    wanted = {**plan["serviceDefinition"], "taskDefinition": task_def}
    if plan["lattice"].get("progressive"):  # ECS's strategy, with this stack's gate as its hook
        wanted["deploymentConfiguration"] = progressive.deployment_configuration(
            event, wanted.get("deploymentConfiguration") or {}
        )
    configs = ecs.lattice_configurations(event)
    current = ecs.describe_service(plan)
    if current is None:
        token = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{plan['deploymentId']}/ecs-service"))
        created = api.create_service(
            **wanted,
            cluster=plan["cluster"],
            vpcLatticeConfigurations=configs,
            clientToken=token,
            tags=ecs.tags_for(plan, "serviceDefinition"),
        )["service"]
        return record(
            "created", arn=created["serviceArn"], ecsDeploymentId=ecs.primary(created).get("id")
        )
    primary = ecs.primary(current)
    connect = wanted.get(ecs.CONNECT)  # left out: ECS keeps what the service has
    same = (
        current["taskDefinition"] == task_def
        and covers(current, {k: wanted[k] for k in COMPARED if k in wanted})
        and covers(_roles_as_sent(primary.get("vpcLatticeConfigurations") or [], configs), configs)
        and (connect is None or covers(primary.get(ecs.CONNECT) or {}, connect))
    )
    previous = {
        "taskDefinition": current["taskDefinition"],
        "desiredCount": current["desiredCount"],
        "vpcLatticeConfigurations": primary.get("vpcLatticeConfigurations") or [],
        ecs.CONNECT: primary.get(ecs.CONNECT),
    }
    if same:
        return record("unchanged", arn=current["serviceArn"], ecsDeploymentId=primary.get("id"))
    updated = api.update_service(
        cluster=plan["cluster"],
        service=plan["serviceName"],
        taskDefinition=task_def,
        vpcLatticeConfigurations=configs,
        **{k: wanted[k] for k in UPDATABLE if k in wanted},
    )["service"]
    return record(
        "updated",
        arn=updated["serviceArn"],
        ecsDeploymentId=ecs.primary(updated).get("id"),
        # this update's service deployment: what a progressive run follows (follow_deployment)
        serviceDeployment=updated.get("currentServiceDeployment"),
        deploymentCreatedAt=_iso(ecs.primary(updated).get("createdAt")),
        previous=previous,
    )


def _roles_as_sent(
    described: list[dict[str, Any]], configs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The described wiring with its two target groups in the roles this run sends them. Why:
    after a blue/green, linear or canary deployment the green tasks are in the alternate group,
    which now serves production ("A primary target group for the blue service revision (the
    version currently serving production traffic)", ECS Developer Guide, "VPC Lattice resources
    for blue/green, linear, and canary deployments"); whether DescribeServices then names the
    pair swapped AWS does not say. Either way the pair is the same, and sending it again would
    start a new deployment of an unchanged bundle."""
    out = []
    for have, want in zip(described, configs, strict=False):
        adv = dict(have.get("advancedConfiguration") or {})
        pair = {have.get("targetGroupArn"), adv.get("alternateTargetGroupArn")}
        sent = want.get("advancedConfiguration") or {}
        if adv and pair == {want.get("targetGroupArn"), sent.get("alternateTargetGroupArn")}:
            have = {
                **have,
                "targetGroupArn": want["targetGroupArn"],
                "advancedConfiguration": {
                    **adv,
                    "alternateTargetGroupArn": sent["alternateTargetGroupArn"],
                },
            }
        out.append(have)
    return out + described[len(configs) :]


def _iso(when: Any) -> str | None:
    return when.isoformat() if hasattr(when, "isoformat") else None
