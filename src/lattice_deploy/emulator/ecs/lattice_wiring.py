"""How ECS wires a service's tasks to its VPC Lattice target groups: each task's container port
by ``portName``, registered when the task runs and deregistered when it stops.

A group deleted while a service still names it (by hand, or a teardown in the wrong order) does
not break the account: ECS cannot register a task there and says so in the service's events, and
there is nothing to deregister. AWS documents no message for this; the event follows ECS's
"unable to register targets" events for load balancers ("Amazon ECS service event messages").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from moto.ecs.exceptions import InvalidParameterException
from moto.ecs.models import TaskDefinition

from ..faults import FAULTS
from ..vpclattice.exceptions import ResourceNotFoundException
from . import progressive
from .rollout import service_event

if TYPE_CHECKING:
    from .models import EmulatedEcsBackend
    from .tasks import FargateTask


def port_mappings(task_def: TaskDefinition) -> list[dict[str, Any]]:
    containers: list[dict[str, Any]] = task_def.container_definitions
    return [m for c in containers for m in c.get("portMappings") or []]


def lattice_ports(
    task_def: TaskDefinition, configs: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], int]]:
    ports = {m.get("name"): m["containerPort"] for m in port_mappings(task_def)}
    return [(c, ports[c["portName"]]) for c in configs if c.get("portName") in ports]


def check(backend: EmulatedEcsBackend, task_def: TaskDefinition, configs: list[Any]) -> None:
    """CreateService/UpdateService: each configuration names a port and a group that exist."""
    names = {m.get("name") for m in port_mappings(task_def)}
    for config in configs:
        if config.get("portName") not in names:
            raise InvalidParameterException(
                f"vpcLatticeConfigurations portName {config.get('portName')!r} matches no "
                f"portMappings name in task definition {task_def.family}:{task_def.revision}"
            )
        try:
            backend.lattice.find("target_group", config.get("targetGroupArn"))
        except Exception as exc:
            raise InvalidParameterException(
                f"vpcLatticeConfigurations targetGroupArn {config.get('targetGroupArn')!r}: {exc}"
            ) from exc


def _deployment_configs(backend: EmulatedEcsBackend, task: FargateTask) -> list[dict[str, Any]]:
    service = backend._service_of(task)
    deployment = next((d for d in service.deployments if d["id"] == task.deployment_id), {})
    return progressive.registered_in(deployment)


def register(backend: EmulatedEcsBackend, task: FargateTask, at: float) -> None:
    """The task became RUNNING at ``at``: register it in its deployment's target groups."""
    task.registered = True
    for config, port in lattice_ports(task.definition, _deployment_configs(backend, task)):
        try:
            tg = backend.lattice.find("target_group", config["targetGroupArn"])
        except ResourceNotFoundException:
            service = backend._service_of(task)
            service_event(
                service,
                f"(service {service.name}) is unable to register targets in (target-group "
                f"{config['targetGroupArn']}): the target group does not exist.",
            )
            continue
        failing = task.unhealthy or FAULTS.matches(
            backend.account_id, "unhealthy-targets", [tg.name, tg.id]
        )
        backend.lattice.register_targets(tg.arn, [{"id": task.ip, "port": port}], failing=failing)
        backend.lattice.targets[tg.id][(task.ip, port)].registered_at = at


def deregister(backend: EmulatedEcsBackend, task: FargateTask) -> None:
    """The task stops: out of every group it was registered in that still exists."""
    configs = _deployment_configs(backend, task) if task.registered else []
    for config, port in lattice_ports(task.definition, configs):
        try:
            backend.lattice.deregister_targets(
                config["targetGroupArn"], [{"id": task.ip, "port": port}]
            )
        except ResourceNotFoundException:  # the group went first: nothing is registered there
            continue
