"""The formats AWS documents for a bundle's values that its API models leave as plain strings:
images, names, cpu and memory, the region, and the friendly block's listener, health check and
access-log destination.

Why separate from :mod:`.validate`: these are value rules, each cited from AWS's documentation,
while ``validate`` orders the checks of a whole bundle. Each function appends problems as
``file: field: what is wrong; how to fix it`` and never raises for any JSON value.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from botocore.session import get_session

from ..lattice.ensure_listener import LISTENER_PROTOCOLS
from . import limits, ports

IMAGE_CHARACTERS = re.compile(r"[A-Za-z0-9\-_:./#]+")
"""ECS API reference, ContainerDefinition.image: "up to 255 characters total are allowed,
including letters (uppercase and lowercase), numbers, hyphens, underscores, colons, periods,
forward slashes, and number signs (#)"."""
DIGEST = re.compile(r"sha256:[A-Fa-f0-9]{64}")
"""Same page: "For images using digests … The only supported hash function is sha256, and the
hash value after sha256: must be exactly 64 characters (only letters A-F, a-f, and numbers 0-9)";
the 255-character limit then applies to what is before the ``@``."""
ECS_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")
"""ECS API reference: serviceName, family and a container's name take "Up to 255 letters
(uppercase and lowercase), numbers, underscores, and hyphens"."""
CPU = re.compile(r"(?P<n>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>vcpu)?", re.IGNORECASE)
MEMORY = re.compile(r"(?P<n>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>gb)?", re.IGNORECASE)
"""RegisterTaskDefinition cpu: "an integer using CPU units (for example, 1024) or as a string
using vCPUs (for example, 1 vCPU or 1 vcpu)"; memory: "an integer using MiB (for example, 1024)
or as a string using GB (for example, 1GB or 1 GB)". ASCII digits only: Python's ``isdigit``
takes full-width digits, which ECS does not."""
CPU_UNITS = (128, 196608)
"""Same page: "Supported values are between 128 CPU units (0.125 vCPUs) and 196608 CPU units (192
vCPUs)"."""
_IN_ACCOUNT = r"[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}"
ACCESS_LOG_KINDS = {
    "an S3 bucket": r"arn:aws[\w-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]",
    "a CloudWatch Logs log group": rf"arn:aws[\w-]*:logs:{_IN_ACCOUNT}:log-group:[\w./#-]+(:\*)?",
    "a Data Firehose stream": rf"arn:aws[\w-]*:firehose:{_IN_ACCOUNT}:deliverystream/[\w.-]+",
}
"""VPC Lattice API reference, CreateAccessLogSubscription.destinationArn: "The supported
destination types are CloudWatch Log groups, Kinesis Data Firehose delivery streams, and Amazon
S3 buckets"."""


def first_bad(value: str, allowed: re.Pattern[str]) -> str:
    """The first character of ``value`` outside ``allowed``, said so a look-alike is visible."""
    for index, char in enumerate(value):
        if not allowed.fullmatch(char):
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            return f"{char!r} ({name}) at position {index + 1}"
    return ""


def container_definition(container: dict[str, Any], where: str, problems: list[str]) -> None:
    """A container's name and image, as ECS documents them (RegisterTaskDefinition refuses a
    container without either, though the model marks neither required)."""
    if "name" not in container:
        problems.append(f"{where}.name: required field is missing; name the container")
    ecs_name(container.get("name"), f"{where}.name", problems)
    value = container.get("image")
    field = f"{where}.image"
    if "image" not in container:
        problems.append(f"{field}: required field is missing; add the image, e.g. nginx:1.27")
        return
    if not isinstance(value, str) or limits.offline(value):
        return  # said by the model's walk, or known only in the account
    name, _, digest = value.partition("@")
    if not name:
        problems.append(f"{field}: is empty; give the image, e.g. nginx:1.27")
    elif len(name) > 255:
        problems.append(
            f"{field}: is {len(name)} characters long; ECS takes at most 255 (before any @digest)"
        )
    elif bad := first_bad(name, IMAGE_CHARACTERS):
        problems.append(
            f"{field}: {limits.show(value)} has {bad}; an image takes only ASCII letters, "
            "numbers and - _ : . / #, so retype it"
        )
    elif "@" in value and not DIGEST.fullmatch(digest):
        problems.append(
            f"{field}: the digest {limits.show(digest)} is not sha256: and 64 hex digits; "
            "copy the digest from the registry"
        )


def port_mappings(task: dict[str, Any], task_file: str, problems: list[str]) -> None:
    """ECS API reference, PortMapping: with the awsvpc or host network mode "The hostPort can be
    left blank or it must be the same value as the containerPort", "You can't expose the
    same container port for multiple protocols", and the name's characters (:data:`.ports.
    PORT_NAME`)."""
    containers = task.get("containerDefinitions")
    pinned = task.get("networkMode") in ("awsvpc", "host")
    for index, container in enumerate(containers if isinstance(containers, list) else []):
        mappings = container.get("portMappings") if isinstance(container, dict) else None
        seen: set[Any] = set()
        for number, mapping in enumerate(mappings if isinstance(mappings, list) else []):
            if not isinstance(mapping, dict):
                continue
            where = f"{task_file}: containerDefinitions[{index}].portMappings[{number}]"
            name = mapping.get("name")
            if isinstance(name, str) and not (
                limits.offline(name) or ports.PORT_NAME.fullmatch(name)
            ):
                problems.append(
                    f"{where}.name: {limits.show(name)} is not a port name ECS takes (up to 64 "
                    "lowercase letters, numbers, _ and -, not starting with -); rename it"
                )
            port, host = mapping.get("containerPort"), mapping.get("hostPort")
            if pinned and host not in (None, 0, port):
                problems.append(
                    f"{where}.hostPort: {limits.show(host)} differs from containerPort "
                    f"{limits.show(port)}, and {task['networkMode']} tasks take none or the same; "
                    "remove hostPort"
                )
            if not isinstance(port, int):
                continue  # absent, or a type the model walk refused
            if port in seen:
                problems.append(
                    f"{where}.containerPort: {port} is mapped twice in this container; "
                    "keep one mapping of it"
                )
            seen.add(port)


def ecs_name(value: Any, field: str, problems: list[str]) -> None:
    """serviceName, family, a container's name (a string; its type is the model walk's)."""
    if not isinstance(value, str) or limits.offline(value):
        return
    if not value:
        problems.append(f"{field}: is empty; give a name of letters, numbers, _ and -")
    elif not ECS_NAME.fullmatch(value):
        bad = first_bad(value, re.compile(r"[A-Za-z0-9_-]")) or f"{len(value)} characters"
        problems.append(
            f"{field}: {limits.show(value)} has {bad}; ECS takes up to 255 ASCII letters, "
            "numbers, _ and -"
        )


def units(value: Any, key: str) -> int | None:
    """Task-level ``cpu`` (CPU units) or ``memory`` (MiB) as ECS registers it, or None when ECS
    would not read it: ``"1 vCPU"`` is 1024 units and ``"1 GB"`` 1024 MiB (RegisterTaskDefinition:
    "String values are converted to an integer indicating the CPU units" / "the MiB")."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    form = CPU if key == "cpu" else MEMORY
    match = form.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    number = float(match["n"]) * (1024 if match["unit"] else 1)
    return int(number) if number.is_integer() else None


def cpu_memory(task: dict[str, Any], task_file: str, problems: list[str]) -> bool:
    """Task-level cpu and memory in a form ECS reads; True when both are (or are absent)."""
    good = True
    for key, form, example in (
        ("cpu", CPU, '"256" or "1 vCPU"'),
        ("memory", MEMORY, '"512" or "1 GB"'),
    ):
        value = task.get(key)
        if value is None and key not in task:
            continue
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        match = form.fullmatch(text.strip()) if isinstance(text, str) else None
        if not match:
            problems.append(
                f"{task_file}: {key}: {limits.show(value)} is not a {key} ECS reads; write ASCII "
                f"digits or a unit, e.g. {example}"
            )
            good = False
        elif key == "cpu":
            units = float(match["n"]) * (1024 if match["unit"] else 1)
            if not CPU_UNITS[0] <= units <= CPU_UNITS[1]:
                problems.append(
                    f"{task_file}: cpu: {limits.show(value)} is out of range; ECS takes "
                    f"{CPU_UNITS[0]} to {CPU_UNITS[1]} CPU units (0.125 to 192 vCPU)"
                )
                good = False
        elif float(match["n"]) <= 0:
            problems.append(f"{task_file}: memory: {limits.show(value)} is no memory; give MiB")
            good = False
    return good


@cache
def known_regions() -> tuple[list[str], list[str]]:
    """The regions botocore's endpoint data lists for ECS, and each partition's region regex
    (what botocore itself resolves endpoints by, so a region newer than the data still passes)."""
    session = get_session()
    names = sorted(
        {
            region
            for partition in session.get_available_partitions()
            for region in session.get_available_regions("ecs", partition)
        }
    )
    data = session.get_component("data_loader").load_data("endpoints")
    return names, [p["regionRegex"] for p in data.get("partitions", []) if "regionRegex" in p]


def region(value: Any, where: str, problems: list[str]) -> None:
    """``region`` of ecspresso.yml: one AWS has (an unknown one would fail at the first call)."""
    if value is None or value == "":
        return  # unset: the run's own region
    names, patterns = known_regions()
    if isinstance(value, str) and (value in names or any(re.fullmatch(p, value) for p in patterns)):
        return
    problems.append(
        f"{where}: {limits.show(value)} is not an AWS region; use one of {', '.join(names)}"
    )


@cache
def lattice_shape(name: str) -> Any:
    """A VPC Lattice shape of botocore's model (loaded once: a session per call costs ~50 ms)."""
    return get_session().get_service_model("vpc-lattice").shape_for(name)


def listener(value: Any, where: str, problems: list[str], custom_domain: bool = False) -> None:
    """``listener {port, protocol}``: CreateListener's own members, and a protocol that can
    forward to the deploy's target group (TLS_PASSTHROUGH: a TCP group, made for a service with
    a custom domain name only; :mod:`.custom_domain`)."""
    if not isinstance(value, dict):
        return  # said by the friendly block's types
    members = lattice_shape("CreateListenerRequest").members
    for key, item in value.items():
        if key not in ("port", "protocol"):
            problems.append(
                f"{where}.{key}: unknown field; {limits.nearest(key, ('port', 'protocol'))}"
            )
            continue
        found: list[str] = []
        limits.walk(item, members[key], f"{where}.{key}", found)
        problems += found
        if not found and key == "protocol" and item not in LISTENER_PROTOCOLS and not custom_domain:
            problems.append(
                f"{where}.protocol: {item} listeners forward to TCP target groups only, of a "
                'service with a custom domain name (VPC Lattice User Guide, "TLS listeners"), '
                f"and the deploy's target group is HTTP; use {' or '.join(LISTENER_PROTOCOLS)}, "
                "or give customDomainName (a TCP target group is made then)"
            )


def health_check(value: Any, where: str, problems: list[str]) -> None:
    """``healthCheck``: VPC Lattice's HealthCheckConfig, its documented ranges included."""
    if isinstance(value, dict):
        limits.walk(value, lattice_shape("HealthCheckConfig"), where, problems)


def access_logs(value: Any, where: str, problems: list[str]) -> None:
    """``accessLogs``: the ARN of a destination VPC Lattice can write to."""
    if not isinstance(value, str):
        return
    if not any(re.fullmatch(pattern, value) for pattern in ACCESS_LOG_KINDS.values()):
        problems.append(
            f"{where}: {limits.show(value)} is not the ARN of {', '.join(ACCESS_LOG_KINDS)}; "
            "copy the destination's ARN (e.g. arn:aws:s3:::my-log-bucket)"
        )
