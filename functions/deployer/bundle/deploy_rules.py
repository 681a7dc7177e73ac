"""What the way this deployer deploys needs of the definitions, which ECS's model cannot say:
each rule would otherwise be refused by ECS or VPC Lattice in the middle of a run, after the
Lattice side was made, so ``validate`` says it first.

Why apart from :mod:`.fargate`: these hold for every launch type (the deployer's rolling
UpdateService, its IP target group, ECS's own rules between CreateService's parameters).
"""

from __future__ import annotations

from typing import Any

ROLLING = "ECS"
"""The deployment controller whose services UpdateService can roll to a new task definition."""


def _controller(service: dict[str, Any], service_file: str, problems: list[str]) -> None:
    """ECS API reference, UpdateService: "For services using the blue/green (CODE_DEPLOY)
    deployment controller, only the desired count, deployment configuration, health check grace
    period, task placement constraints and strategies, enable ECS managed tags option, and
    propagate tags can be updated using this API. If the network configuration, platform
    version, task definition, or load balancer need to be updated, create a new CodeDeploy
    deployment." and "For services using an external deployment controller, you can update only
    the desired count, ... If the launch type, load balancer, network configuration, platform
    version, or task definition need to be updated, create a new task set"."""
    controller = service.get("deploymentController")
    kind = controller.get("type") if isinstance(controller, dict) else None
    if isinstance(kind, str) and kind != ROLLING:
        how = "a CodeDeploy deployment" if kind == "CODE_DEPLOY" else "a new task set"
        problems.append(
            f"{service_file}: deploymentController.type: {kind}: lattice-deploy rolls a service "
            f"to its new task definition with UpdateService, which cannot change the task "
            f"definition of a {kind} service (ECS needs {how}); remove deploymentController "
            'or set {"type": "ECS"} (ECS\'s BLUE_GREEN strategy is deploymentConfiguration.'
            "strategy)"
        )


def _role(
    service: dict[str, Any], task: dict[str, Any], files: tuple[str, str], problems: list[str]
) -> None:
    """ECS API reference, CreateService, role: "This parameter is only permitted if you are using
    a load balancer with your service and your task definition doesn't use the awsvpc network
    mode." and "The service-linked role is required if your task definition uses the awsvpc
    network mode ... in which case you don't specify a role here"."""
    if "role" in service and task.get("networkMode") == "awsvpc":
        problems.append(
            f"{files[0]}: role: a service whose task definition uses the awsvpc network mode "
            f"({files[1]}) takes no role (ECS uses its service-linked role, "
            "AWSServiceRoleForECS); remove role"
        )


def _network_mode(task: dict[str, Any], task_file: str, problems: list[str]) -> None:
    """The deploy makes an IP target group and learns the VPC from the service's awsvpc subnets;
    ECS registers a task in it by the task's own address, which only ``awsvpc`` gives (RegisterTask
    Definition, networkMode: "If no network mode is specified, the default is bridge"; with
    ``none`` "you cannot specify port mappings")."""
    mode = task.get("networkMode", "bridge")
    if isinstance(mode, str) and mode != "awsvpc":
        default = "" if "networkMode" in task else " (the default)"
        problems.append(
            f"{task_file}: networkMode: {mode!r}{default}: "
            "lattice-deploy registers each task by its own IP address in a VPC Lattice IP target "
            'group, which needs "awsvpc"; set "networkMode": "awsvpc" (and the service\'s '
            "networkConfiguration.awsvpcConfiguration)"
        )


def _subnets(service: dict[str, Any], files: tuple[str, str], problems: list[str]) -> None:
    """CreateService, networkConfiguration: "This parameter is required for task definitions
    that use the awsvpc network mode to receive their own elastic network interface"; the
    subnets are also where the deploy learns the VPC of the target group (load_bundle)."""
    network = service.get("networkConfiguration")
    awsvpc = network.get("awsvpcConfiguration") if isinstance(network, dict) else None
    if not (isinstance(awsvpc, dict) and awsvpc.get("subnets")):
        problems.append(
            f"{files[0]}: networkConfiguration.awsvpcConfiguration.subnets: none given, and the "
            f"awsvpc tasks of {files[1]} need them (VPC Lattice reaches each task at its IP in "
            'them); add "networkConfiguration": {"awsvpcConfiguration": {"subnets": [...], '
            '"securityGroups": [...]}}'
        )


def _launch_type(service: dict[str, Any], service_file: str, problems: list[str]) -> None:
    """ECS API reference, CreateService, launchType: "If a launchType is specified, the
    capacityProviderStrategy parameter must be omitted"."""
    if service.get("launchType") and service.get("capacityProviderStrategy"):
        problems.append(
            f"{service_file}: launchType: given with capacityProviderStrategy, and ECS takes "
            "one or the other; remove launchType (the strategy picks FARGATE / FARGATE_SPOT) "
            "or remove capacityProviderStrategy"
        )


def problems(service: dict[str, Any], task: dict[str, Any], files: tuple[str, str]) -> list[str]:
    """Every rule of this module the definitions break (``files``: service, task)."""
    found: list[str] = []
    _controller(service, files[0], found)
    _role(service, task, files, found)
    _network_mode(task, files[1], found)
    if task.get("networkMode") == "awsvpc":
        _subnets(service, files, found)
    _launch_type(service, files[0], found)
    return found
