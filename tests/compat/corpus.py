"""Bundles in the shapes ecspresso users have, written for this project, and what each must do.

Not copied from anywhere: each is built here from what ecspresso's source says it writes or
accepts (kayac/ecspresso: ``init.go`` writes the config and both definitions from
DescribeServices/DescribeTaskDefinition output, keeping ``""`` enums and dropping nulls and
empty lists; ``LoadTaskDefinition`` unwraps ``{"taskDefinition": …}``; ``LoadServiceDefinition``
takes ``serviceName`` from the config's ``service``; unknown fields are warned about and
dropped; plugins ``ssm``, ``tfstate``, ``secretsmanager``, ``cloudformation``). Each case names
the real-world shape it stands for.

An entry's ``expect`` is what ``validate``, ``plan --local`` and ``deploy --local`` must end in:
``HEALTHY`` (valid; the deploy succeeds with its targets healthy), ``REFUSED`` (exit 2 from every
verb, before anything is uploaded, with ``words`` in the message), ``ACCOUNT_REFUSED`` (valid
offline, where the account is not read; refused with exit 2 by ``plan`` and ``deploy``, which
read it, before any change) or ``FAILED`` (valid; the deploy fails, rolls back, exit 1).
``words`` of a HEALTHY case must appear in validate's output (the warnings it owes the user),
of the others in deploy's.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SVC, TASK, CONF = "ecs-service-def.json", "ecs-task-def.json", "ecspresso.yml"
REGION, ACCOUNT = "ap-northeast-1", "123456789012"
SUBNETS, GROUPS = ["subnet-12345678", "subnet-87654321"], ["sg-12345678"]
EXECUTION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole"
HEALTHY, REFUSED, FAILED = "HEALTHY", "REFUSED", "FAILED"
ACCOUNT_REFUSED = "ACCOUNT_REFUSED"

Setup = Callable[[Any], None]
"""``setup(session)``: make what the bundle reads (a state file, a secret, a stack) in the
embedded account before the run; ``session`` gives boto3 clients."""


@dataclass
class Case:
    name: str
    shape: str
    """The real-world shape the case stands for."""
    files: dict[str, str]
    expect: str = HEALTHY
    words: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    """Extra arguments for every verb (``--config FILE``)."""
    env: dict[str, str] = field(default_factory=dict)
    setup: Setup | None = None


def config(service: str = "myservice", **keys: Any) -> str:
    """ecspresso.yml as ``ecspresso init`` writes it (goccy/go-yaml: keys in struct order,
    ``timeout`` as Go prints a duration)."""
    values: dict[str, Any] = {
        "region": REGION,
        "cluster": "my-cluster",
        "service": service,
        "service_definition": SVC,
        "task_definition": TASK,
        "timeout": "10m0s",
        **keys,
    }
    return "".join(f"{k}: {v}\n" for k, v in values.items() if v is not None)


def init_service(**changes: Any) -> dict[str, Any]:
    """The service definition ``ecspresso init`` writes: DescribeServices output minus what
    ``treatmentServiceDefinition`` clears (no ``serviceName``), ``""`` enums and describe-only
    fields kept; plus the Lattice switch."""
    service: dict[str, Any] = {
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": False, "rollback": False},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
        },
        "deploymentController": {"type": "ECS"},
        "desiredCount": 2,
        "enableECSManagedTags": False,
        "enableExecuteCommand": False,
        "launchType": "FARGATE",
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "assignPublicIp": "DISABLED",
                "securityGroups": GROUPS,
                "subnets": SUBNETS,
            }
        },
        "platformFamily": "Linux",
        "platformVersion": "LATEST",
        "propagateTags": "NONE",
        "schedulingStrategy": "REPLICA",
        "vpcLatticeConfiguration": {"enabled": True},
    }
    return _changed(service, changes)


def init_task(**changes: Any) -> dict[str, Any]:
    """The task definition as DescribeTaskDefinition prints it (the fields an older ecspresso
    init and ``aws ecs describe-task-definition`` leave in)."""
    task: dict[str, Any] = {
        "family": "myservice",
        "containerDefinitions": [
            {
                "name": "app",
                "image": "nginx:1.27",
                "cpu": 0,
                "essential": True,
                "portMappings": [
                    {"containerPort": 80, "hostPort": 80, "protocol": "tcp", "name": "app-80-tcp"}
                ],
                "environment": [],
                "mountPoints": [],
                "volumesFrom": [],
                "systemControls": [],
            }
        ],
        "executionRoleArn": EXECUTION_ROLE,
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
    }
    return _changed(task, changes)


DESCRIBE_TASK_FIELDS: dict[str, Any] = {
    "taskDefinitionArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/myservice:7",
    "revision": 7,
    "status": "ACTIVE",
    "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
    "compatibilities": ["EC2", "FARGATE"],
    "registeredAt": "2026-11-30T09:00:00.000000+09:00",
    "registeredBy": f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/someone",
}
DESCRIBE_SERVICE_FIELDS: dict[str, Any] = {
    "pendingCount": 0,
    "runningCount": 2,
    "resourceManagementType": "CUSTOMER",
}


def _changed(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes``: a dotted path (``__`` in keyword names) set, or removed when
    the value is :data:`DROP`."""
    made = copy.deepcopy(base)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node: Any = made
        for part in parents:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        key: Any = int(last) if last.isdigit() else last
        if value is DROP:
            node.pop(key, None)
        else:
            node[key] = value
    return made


DROP = object()


def bundle(
    service: dict[str, Any] | None = None,
    task: dict[str, Any] | None = None,
    conf: str | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """The three files (JSON as ecspresso writes it: two-space indent) and ``extra`` ones; a
    file given as ``""`` is left out (``conf=""``: no ecspresso.yml)."""
    files = {
        CONF: config() if conf is None else conf,
        SVC: _json(init_service() if service is None else service),
        TASK: _json(init_task() if task is None else task),
        **(extra or {}),
    }
    return {name: text for name, text in files.items() if text != ""}


def _json(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"
