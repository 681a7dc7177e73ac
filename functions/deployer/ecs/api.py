"""ECS helpers shared by the task definition, service and health steps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core import aws
from . import progressive

aws.require_botocore(  # what create/update_service send (ecs.py, progressive.py)
    "ECS vpcLatticeConfigurations",
    "ECS VpcLatticeConfiguration.advancedConfiguration",
    "ECS DeploymentLifecycleHook.targetType",
)


CONNECT = "serviceConnectConfiguration"
"""ECS returns it on each deployment (the Service shape has none); an update may leave it out."""


def connect_of(deployment: dict[str, Any]) -> dict[str, Any] | None:
    """The Service Connect block in force (None: off, whether absent or ``enabled: false``)."""
    block = deployment.get(CONNECT)
    return block if block and block.get("enabled") else None


def client(plan: dict[str, Any]) -> Any:
    return aws.client("ecs", plan["region"] or None)


def tags_for(plan: dict[str, Any], definition: str) -> list[dict[str, str]]:
    """The tags a created ``serviceDefinition`` or ``taskDefinition`` gets: the bundle's own, then
    the workflow's (``validate`` refuses a bundle key in the workflow's ``lattice-deploy:``)."""
    own = {t["key"]: t["value"] for t in (plan.get("bundleTags") or {}).get(definition) or []}
    return [{"key": k, "value": v} for k, v in {**own, **plan["tags"]}.items()]


def describe_service(plan: dict[str, Any]) -> dict[str, Any] | None:
    """The ECS service if it exists and is not INACTIVE (a deleted name may be created again)."""
    found = client(plan).describe_services(cluster=plan["cluster"], services=[plan["serviceName"]])[
        "services"
    ]
    live = [s for s in found if s.get("status") != "INACTIVE"]
    return dict(live[0]) if live else None


def primary(service: dict[str, Any] | None) -> dict[str, Any]:
    """The service's PRIMARY deployment (the one ECS is rolling out), or {}."""
    deployments = (service or {}).get("deployments") or []
    return dict(next((d for d in deployments if d.get("status") == "PRIMARY"), {}))


def current_task_definition(
    plan: dict[str, Any], service: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The revision a deploy is compared with: the one the ECS service runs (a family's newest
    revision may be one a failed or other run registered), else the family's newest ACTIVE one."""
    api, family = client(plan), plan["taskDefinition"]["family"]
    arn = (service or {}).get("taskDefinition")
    if not arn:
        newest = api.list_task_definitions(
            familyPrefix=family, status="ACTIVE", sort="DESC", maxResults=1
        )["taskDefinitionArns"]
        arn = newest[0] if newest else None
    return dict(api.describe_task_definition(taskDefinition=arn)["taskDefinition"]) if arn else None


def lattice_configurations(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``vpcLatticeConfigurations`` ECS gets (none in ``direct`` registration mode)."""
    plan = event["plan"]
    if plan["lattice"]["registration"] == "direct":
        return []
    advanced = progressive.advanced_configuration(event)
    return [
        {
            "roleArn": plan["lattice"]["roleArn"],
            "targetGroupArn": event["resources"]["targetGroup"]["arn"],
            "portName": plan["lattice"]["portName"],
            **({"advancedConfiguration": advanced} if advanced else {}),
        }
    ]


def _tasks(plan: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(ip, task)`` for each task of the service that has an address."""
    api = client(plan)
    arns = [
        arn
        for page in api.get_paginator("list_tasks").paginate(
            cluster=plan["cluster"], serviceName=plan["serviceName"]
        )
        for arn in page["taskArns"]
    ]
    for start in range(0, len(arns), 100):
        described = api.describe_tasks(cluster=plan["cluster"], tasks=arns[start : start + 100])
        for task in described["tasks"]:
            for attachment in task.get("attachments") or []:
                for detail in attachment.get("details") or []:
                    if detail["name"] == "privateIPv4Address":
                        yield detail["value"], task


def task_ips(plan: dict[str, Any], deployment_id: str | None = None) -> dict[str, str]:
    """``{ip: lastStatus}`` of the service's tasks (of one ECS deployment, if given)."""
    return {
        ip: task["lastStatus"]
        for ip, task in _tasks(plan)
        if not deployment_id or task.get("startedBy") == deployment_id
    }


def running_since(plan: dict[str, Any], deployment_id: str | None) -> dict[str, float]:
    """``{ip: startedAt}`` (epoch seconds) of one ECS deployment's RUNNING tasks: ECS registers a
    task in its target groups as it starts running, so that is when Lattice's checks begin."""
    return {
        ip: task["startedAt"].timestamp()
        for ip, task in _tasks(plan)
        if task["lastStatus"] == "RUNNING"
        and task.get("startedAt")
        and (not deployment_id or task.get("startedBy") == deployment_id)
    }
