"""Fargate's rules for a task definition, which the ECS model cannot say: the execution role
what the task pulls or logs needs, and the cpu/memory pairs Fargate offers (``awsvpc`` is
:mod:`.deploy_rules`'s, for every launch type).

Why apart from :mod:`.validate`: one launch type's rules, cited from its documentation (Amazon
ECS Developer Guide, "Task size" for the pairs; "Amazon ECS task execution IAM role" for the role).
"""

from __future__ import annotations

import re
from typing import Any

from . import validate_values

FARGATE_MEMORY = {  # cpu units → allowed memory (MiB)
    256: [512, 1024, 2048],
    512: list(range(1024, 4097, 1024)),
    1024: list(range(2048, 8193, 1024)),
    2048: list(range(4096, 16385, 1024)),
    4096: list(range(8192, 30721, 1024)),
    8192: list(range(16384, 61441, 4096)),
    16384: list(range(32768, 122881, 8192)),
}
ECR_IMAGE = re.compile(r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/")


def _needs_execution_role(task: dict[str, Any]) -> str:
    """What in the task needs its execution role, if anything. A public image with no logs
    driver and no secrets runs without one (Amazon ECS Developer Guide, "Amazon ECS task
    execution IAM role": ECR images, awslogs, private registry auth, Secrets Manager/SSM)."""
    for index, container in enumerate(task.get("containerDefinitions") or []):
        if not isinstance(container, dict):
            continue
        where = f"containerDefinitions[{index}]"
        if ECR_IMAGE.match(str(container.get("image", ""))):
            why = f"{where}.image (an ECR image)"
        elif (container.get("logConfiguration") or {}).get("logDriver") == "awslogs":
            why = f"{where}.logConfiguration (the awslogs driver)"
        elif container.get("repositoryCredentials"):
            why = f"{where}.repositoryCredentials (a private registry)"
        elif container.get("secrets"):
            why = f"{where}.secrets"
        else:
            continue
        return why
    return ""


def check(
    task: dict[str, Any], service: dict[str, Any], task_file: str, problems: list[str]
) -> None:
    """Append what keeps a FARGATE task from running (nothing for other launch types)."""
    fargate = service.get("launchType") == "FARGATE" or "FARGATE" in (
        task.get("requiresCompatibilities") or []
    )
    if not fargate:
        return
    if not task.get("executionRoleArn") and (needs := _needs_execution_role(task)):
        problems.append(
            f"{task_file}: executionRoleArn: {needs} needs the task execution role; add the ARN "
            "of e.g. ecsTaskExecutionRole"
        )
    # networkMode: awsvpc is every launch type's rule here (deploy_rules), Fargate's too
    cpu, memory = (validate_values.units(task.get(k), k) for k in ("cpu", "memory"))
    if cpu is None or memory is None:  # "1 vCPU" and "1 GB" are read as ECS converts them
        problems.append(
            f'{task_file}: cpu/memory: FARGATE needs both (e.g. "256" and "512", or "1 vCPU" '
            'and "2 GB")'
        )
    elif memory not in FARGATE_MEMORY.get(cpu, []):
        allowed = (
            ", ".join(map(str, FARGATE_MEMORY.get(cpu, [])))
            or f"cpu is one of {sorted(FARGATE_MEMORY)}"
        )
        problems.append(
            f"{task_file}: memory: {memory} MiB is not a FARGATE size for cpu {cpu} "
            f"(allowed: {allowed})"
        )
