"""Load and normalize an ecspresso bundle into the plan every later step reads.

A bundle is ecspresso's layout: ``ecspresso.yml`` (optional) beside ``ecs-service-def.json`` and
``ecs-task-def.json``. The service definition may carry the origin document's friendly
``vpcLatticeConfiguration {enabled, serviceArn, targetGroupArn}`` (translated here, with optional
extras ``service``, ``targetGroup``, ``serviceNetwork`` (each a name or an ARN), ``portName``,
``listener``, ``healthCheck``, ``accessLogs``, ``registration``, and the service's own domain
and routes: ``customDomainName``, ``certificateArn``, ``dns``, ``routes``, from
:mod:`.custom_domain` and :mod:`.routes`), or ECS's own
``vpcLatticeConfigurations [{roleArn, targetGroupArn, portName}]`` (taken as is). What the bundle
names by ARN, or by a name that exists, is adopted; what it leaves out is created, named
``<env>-<service>-<type>`` as the origin document recommends.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from ..core.errors import BundleInvalid
from ..core.json_text import MAX_FILE_BYTES, MAX_JSON_DEPTH, decode, parse_json
from ..ecs import progressive
from ..lattice import auth_policy, health_check
from ..lattice import names as lattice_names
from . import custom_domain, definitions, ecspresso_yaml, ports, routes

__all__ = ["MAX_FILE_BYTES", "MAX_JSON_DEPTH", "decode", "parse_json"]
"""Read from here by the modules that load bundle files (kept where they always were)."""

CONFIG_FILE = "ecspresso.yml"
SERVICE_FILE = "ecs-service-def.json"
TASK_FILE = "ecs-task-def.json"
DEFAULT_TIMEOUT = 600
STARTED_BY = "lattice-deploy-started-by"
"""Object metadata of a bundle the CLI uploaded: the CLI starts that deployment itself."""
FRIENDLY, NATIVE = ports.FRIENDLY, ports.NATIVE
APP_PROTOCOLS = {"http": ("HTTP", "HTTP1"), "http2": ("HTTP", "HTTP2"), "grpc": ("HTTP", "GRPC")}


def safe_name(value: Any, field: str) -> str:
    """A file name ``ecspresso.yml`` gives, as a path inside the bundle: relative, with no
    ``..``, so that nothing outside the bundle directory (nor another service's S3 folder) is
    ever read. ecspresso resolves it against the config's directory; so does this."""
    text = str(value)
    where = f"{CONFIG_FILE}: {field}: {text!r}"
    if not text or "\x00" in text or "\\" in text or len(text) > 255:
        raise BundleInvalid(f"{where} is not a file name; name a file of the bundle")
    if text.startswith("/") or re.match(r"[A-Za-z]:", text):
        raise BundleInvalid(
            f"{where} is an absolute path; only the bundle's own files are read: copy the file "
            "into the bundle directory and name it relative to ecspresso.yml"
        )
    normal = posixpath.normpath(text)
    if normal == ".." or normal.startswith("../") or normal in (".", *ecspresso_yaml.NAMES):
        raise BundleInvalid(
            f"{where} leaves the bundle directory; only the bundle's own files are read: copy "
            "the file into the bundle directory and name it relative to ecspresso.yml"
        )
    return normal


def config_of(files: dict[str, str]) -> dict[str, Any]:
    """The parsed config, any of ecspresso's four names ({} when the bundle has none)."""
    return ecspresso_yaml.config_of(files)


def file_names(config: dict[str, Any]) -> tuple[str, str]:
    """The service and task definition file names ecspresso.yml points at (or the defaults)."""
    return (
        safe_name(config.get("service_definition") or SERVICE_FILE, "service_definition"),
        safe_name(config.get("task_definition") or TASK_FILE, "task_definition"),
    )


def with_images(files: dict[str, str], images: dict[str, str]) -> dict[str, str]:
    """``files`` with the task definition's containers running ``images`` (container name →
    image): how an ECR push pins the image it pushed, by digest, without editing the bundle."""
    if not images:
        return files
    _, task_file = file_names(config_of(files))
    task = parse_json(files[task_file], task_file)
    containers = {
        c.get("name"): c for c in definitions.inner(task).get("containerDefinitions") or []
    }
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
    taken = definitions.take(
        parse_json(files[service_file], service_file),
        parse_json(files[task_file], task_file),
        (service_file, task_file),
        str(config.get("service") or ""),
        CONFIG_FILE,
    )
    if taken.problems:
        raise BundleInvalid("; ".join(taken.problems))
    service_def, task_def = taken.service, taken.task
    service = str(service_def["serviceName"])
    definitions.expand_roles(task_def, context)
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
        "notices": taken.warnings + lattice_names.notices(service_file, service, env, lattice),
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
    asked = ports.asked_name(service_def)
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
    port_name, container_port, app_protocol = _port(asked, task_def, service_file, task_file)
    protocol, protocol_version = APP_PROTOCOLS.get(app_protocol, ("HTTP", "HTTP1"))
    listener_protocol, listener_port = custom_domain.listener_defaults(spec)
    if listener_protocol == custom_domain.TLS:  # a TCP group ("TLS listeners"), checked on
        protocol = "TCP"  # the health check's own protocol version
        protocol_version = str((spec.get("healthCheck") or {}).get("protocolVersion") or "HTTP1")
    group_ref = spec.get("targetGroup") or spec.get("targetGroupArn")
    if not str(group_ref or "").startswith("arn:"):  # a group found by name or made here
        mapped = {
            int(m["containerPort"])
            for c in task_def.get("containerDefinitions") or []
            for m in c.get("portMappings") or []
            if isinstance(m, dict) and "containerPort" in m
        }
        health_check.check(
            spec.get("healthCheck") or {},
            protocol_version,
            app_protocol,
            mapped,
            container_port,
            f"{service_file}: {FRIENDLY}",
        )
    network = (service_def.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    listener = spec.get("listener") or {}
    domain = custom_domain.normalized(spec, service_file)
    names = lattice_names.names(env, service)
    progressive_plan = progressive.plan_of(service_def, spec, env, service)
    if progressive_plan:
        progressive_plan["alternateGroup"]["name"] = lattice_names.alternate_group(env, service)
    return {
        "shape": NATIVE if native is not None else FRIENDLY,
        "registration": str(spec.get("registration") or "ecs"),
        "maxFailedTasks": spec.get("maxFailedTasks"),
        "roleArn": spec.get("roleArn") or context.get("infrastructureRoleArn"),
        "portName": port_name,
        "containerPort": container_port,
        "vpcId": context.get("vpcId"),
        "securityGroupIds": list(network.get("securityGroups") or []),
        "serviceNetwork": _ref(
            spec.get("serviceNetwork") or spec.get("serviceNetworkArn"), names["serviceNetwork"]
        )
        | _auth(spec.get("networkAuth")),
        "service": {
            **_ref(spec.get("service") or spec.get("serviceArn"), names["service"]),
            **domain["service"],
        }
        | _auth(spec.get("auth")),
        "targetGroup": {
            **_ref(group_ref, names["targetGroup"]),
            "port": container_port,
            "protocol": protocol,
            "protocolVersion": None if protocol == "TCP" else protocol_version,
            "healthCheck": spec.get("healthCheck") or {},
        },
        "listener": {
            "name": names["listener"],
            "port": listener_port,
            "protocol": listener_protocol,
            "given": bool(listener),
        },
        "dns": domain["dns"],
        "routes": routes.normalized(spec),
        "accessLogs": spec.get("accessLogs"),
        "progressive": progressive_plan,
    }


def _auth(block: Any) -> dict[str, Any]:
    """``{"auth": {"type", "policy"}}`` when the bundle gives an auth block (checked by
    ``validate`` with :mod:`deployer.lattice.auth_policy`), else ``{}``: no auth call at all."""
    if not isinstance(block, dict):
        return {}
    policy = auth_policy.parsed(block.get("policy"))
    return {"auth": {"type": str(block.get("type") or "NONE"), "policy": policy}}


def _ref(value: Any, default_name: str) -> dict[str, Any]:
    """``{"arn": …}`` to adopt a resource given by ARN, else ``{"name": …}`` to find or create
    (``named``: the bundle gave the name, so one found by it is adopted, never deleted)."""
    if isinstance(value, str) and value.startswith("arn:"):
        return {"arn": value, "named": True}
    return {"name": str(value or default_name), "named": bool(value)}


def _port(
    asked: Any,
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
    named = [m["name"] for m in mappings if m.get("name")]
    port_name = asked or (named[0] if named else None)
    for mapping in mappings:
        if mapping.get("name") == port_name and not isinstance(mapping.get("containerPort"), int):
            raise BundleInvalid(
                f"{task_file}: containerDefinitions[].portMappings: {port_name!r} has no "
                "containerPort, and VPC Lattice reaches the service on it; give the port the "
                "container listens on"
            )
        if mapping.get("name") == port_name:
            return (
                str(port_name),
                int(mapping["containerPort"]),
                str(mapping.get("appProtocol") or "http"),
            )
    if port_name is None:
        raise BundleInvalid(
            f"{task_file}: containerDefinitions[].portMappings: no port mapping, and VPC Lattice "
            "reaches the service on a named port; add the port the service listens on, e.g. "
            '"portMappings": [{"name": "http", "containerPort": 80}]'
        )
    raise BundleInvalid(
        f"{service_file}: portName {port_name!r} matches no "
        f"containerDefinitions[].portMappings[].name in {task_file} (names there: "
        f"{', '.join(named) or 'none'}); name the port mapping or fix portName"
    )
