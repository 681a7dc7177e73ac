"""Load and normalize an ecspresso bundle into the plan every later step reads.

A bundle is ecspresso's layout: ``ecspresso.yml`` (optional) beside ``ecs-service-def.json`` and
``ecs-task-def.json``. The service definition may carry the origin document's friendly
``vpcLatticeConfiguration {enabled, serviceArn, targetGroupArn}`` (translated here, with optional
extras ``service``, ``targetGroup``, ``serviceNetwork`` (each a name or an ARN), ``portName``,
``listener``, ``healthCheck``, ``accessLogs``, ``registration``), or ECS's own
``vpcLatticeConfigurations [{roleArn, targetGroupArn, portName}]`` (taken as is). What the bundle
names by ARN, or by a name that exists, is adopted; what it leaves out is created, named
``<env>-<service>-<type>`` as the origin document recommends.
"""

from __future__ import annotations

import json
from typing import Any

from . import ecspresso_yaml, health_check, progressive
from .errors import BundleInvalid

CONFIG_FILE = "ecspresso.yml"
SERVICE_FILE = "ecs-service-def.json"
TASK_FILE = "ecs-task-def.json"
DEFAULT_TIMEOUT = 600
STARTED_BY = "lattice-deploy-started-by"
"""Object metadata of a bundle the CLI uploaded: the CLI starts that deployment itself."""
FRIENDLY = "vpcLatticeConfiguration"
NATIVE = "vpcLatticeConfigurations"
APP_PROTOCOLS = {"http": ("HTTP", "HTTP1"), "http2": ("HTTP", "HTTP2"), "grpc": ("HTTP", "GRPC")}


def parse_json(text: str, filename: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BundleInvalid(
            f"{filename}:{exc.lineno}:{exc.colno}: invalid JSON ({exc.msg}); fix the syntax there"
        ) from exc
    if not isinstance(value, dict):
        raise BundleInvalid(f"{filename}: expected a JSON object at the top level")
    return value


def config_of(files: dict[str, str]) -> dict[str, Any]:
    """The parsed ``ecspresso.yml`` ({} when the bundle has none)."""
    return ecspresso_yaml.parse(files[CONFIG_FILE]) if CONFIG_FILE in files else {}


def file_names(config: dict[str, Any]) -> tuple[str, str]:
    """The service and task definition file names ecspresso.yml points at (or the defaults)."""
    return (
        str(config.get("service_definition") or SERVICE_FILE),
        str(config.get("task_definition") or TASK_FILE),
    )


def with_images(files: dict[str, str], images: dict[str, str]) -> dict[str, str]:
    """``files`` with the task definition's containers running ``images`` (container name →
    image): how an ECR push pins the image it pushed, by digest, without editing the bundle."""
    if not images:
        return files
    _, task_file = file_names(config_of(files))
    task = parse_json(files[task_file], task_file)
    containers = {c.get("name"): c for c in task.get("containerDefinitions") or []}
    for name, image in images.items():
        if name not in containers:
            raise BundleInvalid(
                f"{task_file}: containerDefinitions: no container named {name!r} to run {image}; "
                "the bundle changed since the image was pushed: push again or redeploy it"
            )
        containers[name]["image"] = image
    return {**files, task_file: json.dumps(task, indent=2)}


def normalize(files: dict[str, str], context: dict[str, Any]) -> dict[str, Any]:
    """The plan: what to deploy, where, and which Lattice resources to adopt or create.

    ``files`` maps bundle file names to their text; ``context`` carries ``environment``,
    ``deploymentId``, ``region`` (default), ``infrastructureRoleArn`` and ``vpcId`` (the VPC of
    the service's subnets, looked up by the caller).
    """
    config = config_of(files)
    service_file, task_file = file_names(config)
    for name in (service_file, task_file):
        if name not in files:
            raise BundleInvalid(f"{name}: missing from the bundle; upload it beside {CONFIG_FILE}")
    service_def = parse_json(files[service_file], service_file)
    task_def = parse_json(files[task_file], task_file)
    service = str(config.get("service") or service_def.get("serviceName") or "")
    if not service:
        raise BundleInvalid(f"{service_file}: serviceName is missing; name the ECS service")
    env = str(context.get("environment") or "dev")
    timeout = (
        ecspresso_yaml.duration_seconds(config["timeout"], f"{CONFIG_FILE}: timeout")
        if "timeout" in config
        else DEFAULT_TIMEOUT
        if progressive.strategy_of(service_def) not in progressive.STRATEGIES
        else progressive.DEFAULT_TIMEOUT
    )
    lattice = _lattice(service_def, task_def, service_file, task_file, service, env, context)
    service_def["serviceName"] = service
    own_tags = {  # the bundle's own tags, merged with the workflow's at create (ecs.tags_for)
        "serviceDefinition": service_def.pop("tags", None) or [],
        "taskDefinition": task_def.pop("tags", None) or [],
    }
    return {
        "deploymentId": context["deploymentId"],
        "environment": env,
        "region": str(config.get("region") or context.get("region") or ""),
        "cluster": str(config.get("cluster") or service_def.pop("cluster", None) or "default"),
        "serviceName": service,
        "timeoutSeconds": timeout,
        "lattice": lattice,
        "serviceDefinition": service_def,
        "taskDefinition": task_def,
        "bundleTags": own_tags,
        "tags": {
            "lattice-deploy:service": service,
            "lattice-deploy:environment": env,
            "lattice-deploy:deployment-id": str(context["deploymentId"]),
        },
    }


def _lattice(
    service_def: dict[str, Any],
    task_def: dict[str, Any],
    service_file: str,
    task_file: str,
    service: str,
    env: str,
    context: dict[str, Any],
) -> dict[str, Any]:
    friendly, native = service_def.pop(FRIENDLY, None), service_def.pop(NATIVE, None)
    if friendly is not None and native is not None:
        raise BundleInvalid(
            f"{service_file}: both {FRIENDLY} and {NATIVE} are given; keep one of them"
        )
    if friendly is None and native is None:
        raise BundleInvalid(
            f"{service_file}: no {FRIENDLY} (or {NATIVE}); add "
            f'"{FRIENDLY}": {{"enabled": true}} to put the service behind VPC Lattice'
        )
    if native is not None:
        if not isinstance(native, list) or len(native) != 1 or not isinstance(native[0], dict):
            raise BundleInvalid(f"{service_file}: {NATIVE} must hold exactly one configuration")
        spec = dict(native[0])
        if not spec.get("targetGroupArn"):
            raise BundleInvalid(f"{service_file}: {NATIVE}[0].targetGroupArn is required")
    else:
        if not isinstance(friendly, dict):
            raise BundleInvalid(f"{service_file}: {FRIENDLY} must be an object")
        spec = dict(friendly)
        if spec.get("enabled") is not True:
            raise BundleInvalid(
                f"{service_file}: {FRIENDLY}.enabled is not true; set it to true, or deploy "
                "services that are not behind VPC Lattice with ecspresso alone"
            )
    port_name, container_port, app_protocol = _port(
        spec, service_def, task_def, service_file, task_file
    )
    protocol, protocol_version = APP_PROTOCOLS.get(app_protocol, ("HTTP", "HTTP1"))
    group_ref = spec.get("targetGroup") or spec.get("targetGroupArn")
    if not str(group_ref or "").startswith("arn:"):  # a group found by name or made here
        ports = {
            int(m["containerPort"])
            for c in task_def.get("containerDefinitions") or []
            for m in c.get("portMappings") or []
            if isinstance(m, dict) and "containerPort" in m
        }
        health_check.check(
            spec.get("healthCheck") or {},
            protocol_version,
            app_protocol,
            ports,
            container_port,
            f"{service_file}: {FRIENDLY}",
        )
    network = (service_def.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    listener = spec.get("listener") or {}
    names = {
        "serviceNetwork": f"{env}-servicenetwork",
        "service": f"{env}-{service}-service",
        "targetGroup": f"{env}-{service}-targetgroup",
        "listener": f"{env}-{service}-listener",
    }
    return {
        "registration": str(spec.get("registration") or "ecs"),
        "maxFailedTasks": spec.get("maxFailedTasks"),
        "roleArn": spec.get("roleArn") or context.get("infrastructureRoleArn"),
        "portName": port_name,
        "containerPort": container_port,
        "vpcId": context.get("vpcId"),
        "securityGroupIds": list(network.get("securityGroups") or []),
        "serviceNetwork": _ref(
            spec.get("serviceNetwork") or spec.get("serviceNetworkArn"), names["serviceNetwork"]
        ),
        "service": _ref(spec.get("service") or spec.get("serviceArn"), names["service"]),
        "targetGroup": {
            **_ref(group_ref, names["targetGroup"]),
            "port": container_port,
            "protocol": protocol,
            "protocolVersion": protocol_version,
            "healthCheck": spec.get("healthCheck") or {},
        },
        "listener": {
            "name": names["listener"],
            "port": int(listener.get("port") or 80),
            "protocol": str(listener.get("protocol") or "HTTP"),
        },
        "accessLogs": spec.get("accessLogs"),
        "progressive": progressive.plan_of(service_def, spec, env, service),
    }


def _ref(value: Any, default_name: str) -> dict[str, Any]:
    """``{"arn": …}`` to adopt a resource given by ARN, else ``{"name": …}`` to find or create
    (``named``: the bundle gave the name, so one found by it is adopted, never deleted)."""
    if isinstance(value, str) and value.startswith("arn:"):
        return {"arn": value, "named": True}
    return {"name": str(value or default_name), "named": bool(value)}


def _port(
    spec: dict[str, Any],
    service_def: dict[str, Any],
    task_def: dict[str, Any],
    service_file: str,
    task_file: str,
) -> tuple[str, int, str]:
    mappings = [
        m
        for container in task_def.get("containerDefinitions") or []
        for m in container.get("portMappings") or []
        if isinstance(m, dict)
    ]
    connect = (service_def.get("serviceConnectConfiguration") or {}).get("services") or [{}]
    named = [m["name"] for m in mappings if m.get("name")]
    port_name = spec.get("portName") or connect[0].get("portName") or (named[0] if named else None)
    for mapping in mappings:
        if mapping.get("name") == port_name:
            return (
                str(port_name),
                int(mapping["containerPort"]),
                str(mapping.get("appProtocol") or "http"),
            )
    raise BundleInvalid(
        f"{service_file}: portName {port_name!r} matches no "
        f"containerDefinitions[].portMappings[].name in {task_file} (names there: "
        f"{', '.join(named) or 'none'}); name the port mapping or fix portName"
    )
