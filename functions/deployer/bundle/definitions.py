"""The service and task definitions as ecspresso takes them, before anything checks or plans them.

Why one place: ``validate`` and ``bundle.normalize`` both read the definitions through
:func:`take`, so nothing validate passes is planned differently (and refused later by ECS).
What ecspresso does, and this repeats (kayac/ecspresso, ecspresso.go and json.go):

- ``LoadTaskDefinition`` unwraps the ``{"taskDefinition": {...}}`` that
  ``aws ecs describe-task-definition`` prints (the keys beside it are not read);
- ``LoadServiceDefinition`` sets ``serviceName`` from ``service:`` of the config;
- ``unmarshalJSON`` warns of unknown fields ("[WARNING] ... unknown field ...") and decodes
  again without them: the fields ``ecspresso init`` and describe output carry that are no input
  of CreateService / RegisterTaskDefinition (``revision``, ``status``, ``runningCount``, …) are
  dropped here with one warning per file naming each. A key that is *not* such an output field
  stays refused (the model walk names the nearest real key): ``containerDefinitons`` dropped
  would register a task definition without containers, and ``desiredCont`` a service with
  another count, so a typo is said before anything changes rather than warned and deployed;
- ``walkMap`` drops nulls (and empty lists) of the task definition, and the Go SDK omits an enum
  field whose value is ``""`` from the request: nulls and empty enum strings are dropped at any
  depth, quietly;
- ECS converts ``"1 vCPU"`` / ``"1GB"`` to units and MiB when it registers (RegisterTaskDefinition:
  "String values are converted to an integer indicating the CPU units" / "the MiB"): the plan
  holds the converted number, so the registered revision is seen as the same next time.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from botocore.model import Shape

from ..core import image_index
from . import ports, validate_values
from .schema import input_shape, output_members

WRAPPER = "taskDefinition"
"""The key ``aws ecs describe-task-definition`` prints the definition under."""
SERVICE_WRAPPERS = {"services": "'.services[0]'", "service": "'.service'"}
"""describe-services / create-service output shapes; ecspresso does not unwrap them (the key is
an unknown field of its Service type, dropped, leaving an empty service), so they are refused."""


class Taken(NamedTuple):
    service: dict[str, Any]
    task: dict[str, Any]
    warnings: list[str]
    problems: list[str]


def _drop_empty(
    value: Any, shape: Shape | None, lists: bool, renamed: list[str], path: str = ""
) -> Any:
    """``value`` without nulls, without ``""`` where the shape is an enum (the Go SDK omits
    both from the request), and, with ``lists``, without empty lists (ecspresso's walkMap); a
    key that is a member's name in other letter case is that member (Go's encoding/json matches
    names "preferring an exact match but also accepting a case-insensitive match"), said in
    ``renamed``."""
    if isinstance(value, dict):
        members = getattr(shape, "members", None) if shape is not None else None
        is_map = shape is not None and shape.type_name == "map"
        folded = {name.lower(): name for name in members or {}}
        kept = {}
        for key, item in value.items():
            if not is_map and key not in (members or {}) and key.lower() in folded:
                renamed.append(f"{path}{key} → {folded[key.lower()]}")
                key = folded[key.lower()]
            inner = getattr(shape, "value", None) if is_map else (members or {}).get(key)
            if item is None:
                continue
            if item == "" and inner is not None and getattr(inner, "enum", None):
                continue
            if lists and item == [] and inner is not None and inner.type_name == "list":
                continue  # a [] where no list belongs stays, for the model walk to refuse
            kept[key] = _drop_empty(item, inner, lists, renamed, f"{path}{key}.")
        return kept
    if isinstance(value, list):
        member = getattr(shape, "member", None) if shape is not None else None
        return [_drop_empty(item, member, lists, renamed, path) for item in value]
    return value


def _cleaned(
    definition: dict[str, Any], operation: str, file: str, warnings: list[str]
) -> dict[str, Any]:
    renamed: list[str] = []
    cleaned = _drop_empty(
        definition, input_shape(operation), operation == "RegisterTaskDefinition", renamed
    )
    if renamed:
        warnings.append(
            f"{file}: {', '.join(renamed)}: read as the field of that name in other letter case, "
            "as ecspresso (Go's encoding/json) reads it; write it so"
        )
    return dict(cleaned)


def _describe_fields(
    definition: dict[str, Any], operation: str, output: str, file: str, warnings: list[str]
) -> dict[str, Any]:
    """``definition`` without the top-level fields of the describe output ``output`` that the
    ``operation`` does not take, said in one warning naming each."""
    inputs = input_shape(operation).members
    dropped = [k for k in definition if k not in inputs and k in output_members(output)]
    if dropped:
        warnings.append(
            f"{file}: {', '.join(dropped)}: output of describe (as `ecspresso init` writes), not "
            f"{operation} input; ignored, as ecspresso does"
        )
    return {k: v for k, v in definition.items() if k not in dropped}


def inner(task: Any) -> Any:
    """The task definition inside describe-task-definition's wrapper (``task`` if none): what
    is edited when an image is pinned, as what is registered."""
    return task[WRAPPER] if isinstance(task, dict) and isinstance(task.get(WRAPPER), dict) else task


def _unwrap(task: dict[str, Any], task_file: str, warnings: list[str]) -> dict[str, Any]:
    inner = task.get(WRAPPER)
    if not isinstance(inner, dict):
        return task
    beside = [k for k in task if k != WRAPPER]
    if beside:
        warnings.append(
            f"{task_file}: {', '.join(beside)}: beside {WRAPPER!r} (describe-task-definition "
            "output); only the definition inside is read, as ecspresso does"
        )
    return dict(inner)


def _service_name(
    service: dict[str, Any], configured: str, service_file: str, config_file: str, found: Taken
) -> None:
    named = service.get("serviceName")
    if configured and (named is None or isinstance(named, str)):  # another type: the walk's
        if isinstance(named, str) and named and named != configured:
            found.warnings.append(
                f"{service_file}: serviceName: {named!r} is not {config_file}'s service "
                f"{configured!r}; {configured!r} is deployed (ecspresso sets serviceName from "
                "service:)"
            )
        service["serviceName"] = configured
    elif "serviceName" not in service:
        found.problems.append(
            f"{service_file}: serviceName is missing, and {config_file} names no service; set "
            f"service: in {config_file} (as ecspresso init writes it) or serviceName in "
            f"{service_file}"
        )


def _units(task: dict[str, Any]) -> None:
    """cpu and memory as ECS registers them (``"1 vCPU"`` → ``"1024"``, ``"1 GB"`` →
    ``"1024"``); a value ECS does not read is left for validate to name."""
    for key in ("cpu", "memory"):
        number = validate_values.units(task.get(key), key)
        if number is not None:
            task[key] = str(number)


def take(
    service: dict[str, Any],
    task: dict[str, Any],
    names: tuple[str, str],
    configured_service: str,
    config_file: str,
) -> Taken:
    """The definitions as ecspresso reads them, the warnings that says, and what cannot be read
    (``names``: the service and task definition files; ``configured_service``: ``service:`` of
    the config, or '')."""
    service_file, task_file = names
    found = Taken({}, {}, [], [])
    for key, fix in SERVICE_WRAPPERS.items():
        if isinstance(service.get(key), list | dict) and "serviceName" not in service:
            found.problems.append(
                f"{service_file}: {key}: this is describe output, not a service definition "
                f"(ecspresso does not unwrap it); write the service itself, e.g. "
                f"jq {fix} {service_file}"
            )
    task = _unwrap(task, task_file, found.warnings)
    service = _describe_fields(service, "CreateService", "Service", service_file, found.warnings)
    task = _describe_fields(
        task, "RegisterTaskDefinition", "TaskDefinition", task_file, found.warnings
    )
    service = _cleaned(service, "CreateService", service_file, found.warnings)
    task = _cleaned(task, "RegisterTaskDefinition", task_file, found.warnings)
    _service_name(service, configured_service, service_file, config_file, found)
    _units(task)
    found.warnings.extend(ports.name_ports(service, task, names, found.problems))
    found.service.update(service)
    found.task.update(task)
    return found


ROLE_NAME = re.compile(r"/?(?:[\w+=,.@-]+/)*[\w+=,.@-]+")
"""An IAM role's name, with its path (IAM: "/foo/bar" for role bar of path /foo/)."""


def expand_roles(task_def: dict[str, Any], context: dict[str, Any]) -> None:
    """A ``taskRoleArn`` given by short name as the full ARN ECS makes of it, in the account of
    the stack's infrastructure role (RegisterTaskDefinition, taskRoleArn: "The short name or full
    Amazon Resource Name (ARN) of the IAM role"), so the roles check and the comparison with the
    registered revision see the ARN ECS stores; left as given when the account is not known."""
    value, stack_role = task_def.get("taskRoleArn"), str(context.get("infrastructureRoleArn") or "")
    parts = stack_role.split(":")
    if isinstance(value, str) and ROLE_NAME.fullmatch(value) and len(parts) == 6:
        task_def["taskRoleArn"] = f"arn:{parts[1]}:iam::{parts[4]}:role/{value.lstrip('/')}"


def image_keys(task_text: str) -> set[str]:
    """The image index's keys (``repository:tag``, :func:`image_index.key_of`) of the containers
    of a task definition's text, describe output's wrapper read as ecspresso reads it; nothing
    when it is not JSON (its deployment says what is wrong with it)."""
    try:
        task = inner(json.loads(task_text))
    except json.JSONDecodeError:
        return set()
    containers = (task.get("containerDefinitions") or []) if isinstance(task, dict) else []
    keys = (
        image_index.key_of(str(c.get("image") or "")) for c in containers if isinstance(c, dict)
    )
    return {k for k in keys if k}
