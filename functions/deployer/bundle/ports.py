"""The named port VPC Lattice reaches the service on, named here when the bundle names none.

Why: ECS registers a service's tasks in a VPC Lattice target group by port *name*
(VpcLatticeConfiguration.portName: "The name of the port mapping to register in the VPC Lattice
target group. This is the name of the portMapping you defined in your task definition"), and
task definitions that ``ecspresso init`` or the console wrote often have unnamed mappings. Left
unnamed, CreateService fails with ``portName 'None'`` after the Lattice side was made. So, when
exactly one mapping can be meant, it is named (and the run says so); when several can, the
bundle is refused with the fix, before any change.
"""

from __future__ import annotations

import re
from typing import Any

FRIENDLY, NATIVE = "vpcLatticeConfiguration", "vpcLatticeConfigurations"
CONNECT = "serviceConnectConfiguration"
PORT_NAME = re.compile(r"[a-z0-9_][a-z0-9_-]{0,63}")
"""ECS API reference, PortMapping.name: "The name can include up to 64 characters. The
characters can include lowercase letters, numbers, underscores (_), and hyphens (-). The name
can't start with a hyphen."."""


def lattice_spec(service: dict[str, Any]) -> dict[str, Any]:
    """The Lattice block of either shape ({} when there is none or it is malformed)."""
    friendly, native = service.get(FRIENDLY), service.get(NATIVE)
    if isinstance(friendly, dict):
        return friendly
    if isinstance(native, list) and native and isinstance(native[0], dict):
        return native[0]
    return {}


def asked_name(service: dict[str, Any]) -> Any:
    """The port name the bundle asks for: the Lattice block's, else Service Connect's first."""
    connect = service.get(CONNECT)
    entries = connect.get("services") if isinstance(connect, dict) else None
    first = entries[0] if isinstance(entries, list) and entries else {}
    return lattice_spec(service).get("portName") or (
        first.get("portName") if isinstance(first, dict) else None
    )


def _mappings(task: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    containers = task.get("containerDefinitions")
    return [
        (container, mapping)
        for container in (containers if isinstance(containers, list) else [])
        if isinstance(container, dict) and isinstance(container.get("portMappings"), list)
        for mapping in container["portMappings"]
        if isinstance(mapping, dict)
    ]


def default_name(container: dict[str, Any], mapping: dict[str, Any]) -> str:
    """``<container>-<port>-<protocol>`` (``web-80-tcp``), the form the ECS console fills in
    for a port mapping's name, made to fit :data:`PORT_NAME` (lower case, at most 64)."""
    raw = f"{container.get('name', 'port')}-{mapping.get('containerPort')}-"
    raw += str(mapping.get("protocol") or "tcp")
    name = re.sub(r"[^a-z0-9_-]", "-", raw.lower()).lstrip("-")
    return name[:64] or "port"


def name_ports(
    service: dict[str, Any], task: dict[str, Any], names: tuple[str, str], problems: list[str]
) -> list[str]:
    """Name the port mapping the bundle serves on, when it names none (in ``task``, in place);
    the notices that say so. Several unnamed mappings, and none the bundle points at: a problem
    with the fix."""
    if not (service.get(FRIENDLY) or service.get(NATIVE)):
        return []  # no Lattice block: refused by bundle.normalize, with its fix
    service_file, task_file = names
    pairs = _mappings(task)
    asked = asked_name(service)
    named = [m["name"] for _, m in pairs if "name" in m]
    if (asked and asked in named) or (not asked and named) or not pairs:
        return []  # found, or refused by name in bundle._port (names listed)
    unnamed = [(c, m) for c, m in pairs if "name" not in m]
    if len(unnamed) > 1:  # the essential containers' one, if only one of them maps a port
        unnamed = [(c, m) for c, m in unnamed if c.get("essential", True) is not False] or unnamed
    if len(unnamed) != 1:
        if not asked:
            ports = ", ".join(f"{c.get('name')}:{m.get('containerPort')}" for c, m in unnamed)
            problems.append(
                f"{task_file}: containerDefinitions[].portMappings: {len(unnamed)} unnamed "
                f"port mappings ({ports}) and no portName says which one VPC Lattice reaches; "
                f'name it ("name": "web-80-tcp") and set {FRIENDLY}.portName in {service_file}'
            )
        return []
    container, mapping = unnamed[0]
    name = str(asked) if asked else default_name(container, mapping)
    mapping["name"] = name
    return [
        f"{task_file}: containerDefinitions[{container.get('name')}].portMappings: named port "
        f"{name!r} (containerPort {mapping.get('containerPort')}): VPC Lattice reaches the "
        "service on a named port; name the mapping in the bundle to choose another name"
    ]
