"""The friendly ``vpcLatticeConfiguration`` block of a service definition, checked: its keys and
their types, the values :mod:`.validate_values` and the auth policy grammar check, the names VPC
Lattice accepts, and every ARN well formed and in the bundle's region (ARNs of the native block
and the task definition too: :func:`arns`).

Why a module of its own: the block is this deployer's own input (ecspresso has no such block), so
its rules change with the deployer's features, apart from the ECS model's.
"""

from __future__ import annotations

import re
from typing import Any

from ..lattice import auth_policy
from . import limits, validate_values
from . import normalize as bundle

FRIENDLY_KEYS = {
    "enabled": bool,
    "serviceArn": str,
    "targetGroupArn": str,
    "service": str,
    "targetGroup": str,
    "serviceNetwork": str,
    "serviceNetworkArn": str,
    "portName": str,
    "listener": dict,
    "healthCheck": dict,
    "accessLogs": str,
    "registration": str,
    "roleArn": str,
    "maxFailedTasks": int,
    "testRule": dict,
    "auth": dict,
    "networkAuth": dict,
    "customDomainName": str,
    "certificateArn": str,
    "dns": dict,
    "routes": list,
}
FRIENDLY_TYPES = {
    bool: "true or false",
    str: "a string",
    int: "a whole number",
    dict: "an object",
    list: "a list",
}
_LATTICE_ARN = r"arn:aws[\w-]*:vpc-lattice:(?P<region>[a-z0-9-]+):\d{12}:"
ARN = {
    "serviceArn": _LATTICE_ARN + r"service/svc-[0-9a-z]{17}",
    "targetGroupArn": _LATTICE_ARN + r"targetgroup/tg-[0-9a-z]{17}",
    "serviceNetworkArn": _LATTICE_ARN + r"servicenetwork/sn-[0-9a-z]{17}",
    "roleArn": r"arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+",
    "executionRoleArn": r"arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+",
    # RegisterTaskDefinition, taskRoleArn: "The short name or full Amazon Resource Name (ARN) of
    # the IAM role" (executionRoleArn: "The Amazon Resource Name (ARN) of the task execution
    # role", an ARN only); a short name is made the ARN in the stack's account (definitions)
    "taskRoleArn": r"(?:arn:aws[\w-]*:iam::\d{12}:role/)?[\w+=,.@/-]+",
}
NAME_OR_ARN = (
    ("serviceNetwork", "serviceNetworkArn", 63),
    ("service", "serviceArn", 40),
    ("targetGroup", "targetGroupArn", 128),
)
"""Friendly fields that take a name (found, or created by that name) or an ARN (adopted)."""
LATTICE_NAME = re.compile(r"(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+")


def friendly(spec: Any, service_file: str, region: str, problems: list[str]) -> None:
    """The keys, types, values, names and ARNs of the block (``problems`` gets each fault)."""
    where = f"{service_file}: {bundle.FRIENDLY}"
    if not isinstance(spec, dict):
        return
    for key, value in spec.items():
        if key not in FRIENDLY_KEYS:
            problems.append(f"{where}.{key}: unknown field; {limits.nearest(key, FRIENDLY_KEYS)}")
        elif not isinstance(value, FRIENDLY_KEYS[key]) or (
            FRIENDLY_KEYS[key] is not bool and isinstance(value, bool)
        ):
            problems.append(
                f"{where}.{key}: expected {FRIENDLY_TYPES[FRIENDLY_KEYS[key]]}, "
                f"got {limits.show(value)}"
            )
    validate_values.listener(
        spec.get("listener"), f"{where}.listener", problems, bool(spec.get("customDomainName"))
    )
    validate_values.health_check(spec.get("healthCheck"), f"{where}.healthCheck", problems)
    validate_values.access_logs(spec.get("accessLogs"), f"{where}.accessLogs", problems)
    for key in ("auth", "networkAuth"):  # VPC Lattice auth policies (lattice/auth_policy.py)
        if isinstance(spec.get(key), dict):
            auth_policy.problems(spec[key], f"{where}.{key}", problems)
    limit = spec.get("maxFailedTasks")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit < 1:
        problems.append(
            f"{where}.maxFailedTasks: {limit} would fail every deploy; give 1 or more "
            "(or leave it out for ECS's circuit-breaker threshold)"
        )
    if spec.get("registration") not in (None, "ecs", "direct"):
        problems.append(
            f"{where}.registration: {limits.show(spec['registration'])} is not ecs or direct"
        )
    for key, arn_key, longest in NAME_OR_ARN:
        value = spec.get(key)
        if not isinstance(value, str):
            continue
        if value.startswith("arn:"):
            arns({arn_key: value}, where, region, problems, field=key)
        elif limits.offline(value):
            continue
        elif not (3 <= len(value) <= longest and LATTICE_NAME.fullmatch(value)):
            problems.append(
                f"{where}.{key}: {value!r} is not a name VPC Lattice accepts "
                f"(3-{longest} of a-z, 0-9, single hyphens), nor an ARN"
            )
    arns(spec, where, region, problems)


def arns(
    spec: dict[str, Any], where: str, region: str, problems: list[str], field: str = ""
) -> None:
    """Each ``*Arn`` of ``spec`` well formed and in the bundle's region (said as ``field``)."""
    for key, pattern in ARN.items():
        value = spec.get(key)
        if not isinstance(value, str) or limits.offline(value):
            continue
        match = re.fullmatch(pattern, value)
        key = field or key
        if not match:
            problems.append(
                f"{where}.{key}: {value!r} is not a valid ARN of that kind; "
                "copy it from the console or the CLI"
            )
        elif region and match.groupdict().get("region") not in (None, region):
            problems.append(
                f"{where}.{key}: the ARN is in region {match['region']}, "
                f"the bundle deploys to {region}; "
                "use a resource of the deployment's region"
            )
