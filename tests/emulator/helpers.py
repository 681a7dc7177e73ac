"""Builders for the Lattice and ECS resources the emulator tests start from."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

VPC = "vpc-12345678"
SUBNETS = ["subnet-12345678", "subnet-87654321"]
NETWORK = {"awsvpcConfiguration": {"subnets": SUBNETS, "securityGroups": ["sg-12345678"]}}
ROLE = "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForVpcLattice"


def counted(monkeypatch: Any, owner: Any, name: str) -> list[Any]:
    """Put in ``owner.name`` a wrapper that records each call's first argument, then calls the
    original: what a test sees of how often a thing is asked (and of what)."""
    seen: list[Any] = []
    original = getattr(owner, name)

    def wrapper(first: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(first)
        return original(first, *args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return seen


def target_group(lattice: Any, name: str = "myservice-tg", **health: Any) -> dict[str, Any]:
    config: dict[str, Any] = {"port": 80, "protocol": "HTTP", "vpcIdentifier": VPC}
    if health:
        config["healthCheck"] = health
    return dict(lattice.create_target_group(name=name, type="IP", config=config))


def served_target_group(lattice: Any, name: str = "myservice", **health: Any) -> dict[str, Any]:
    """A target group that a listener of a new Lattice service forwards to (so targets are used)."""
    tg = target_group(lattice, f"{name}-tg", **health)
    svc = lattice.create_service(name=name)
    lattice.create_listener(
        serviceIdentifier=svc["id"],
        name=f"{name}-listener",
        protocol="HTTP",
        port=80,
        defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": tg["id"]}]}},
    )
    return {**tg, "serviceId": svc["id"], "serviceArn": svc["arn"]}


def task_definition(
    ecs: Any,
    image: str = "nginx:latest",
    port_name: str = "http",
    sidecars: tuple[dict[str, Any], ...] = (),
    **web: Any,
) -> str:
    """The family ``myservice``: one essential container ``web`` (``web`` adds its members,
    e.g. a ``healthCheck``), then any ``sidecars``."""
    response = ecs.register_task_definition(
        family="myservice",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        executionRoleArn="arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        containerDefinitions=[
            {
                "name": "web",
                "image": image,
                "essential": True,
                "portMappings": [{"name": port_name, "containerPort": 80, "protocol": "tcp"}],
                **web,
            },
            *sidecars,
        ],
    )
    return str(response["taskDefinition"]["taskDefinitionArn"])


def lattice_service(
    ecs: Any,
    tg_arn: str,
    task_def: str,
    desired: int = 3,
    cluster: str = "my-cluster",
    name: str = "myservice",
    **kwargs: Any,
) -> Any:
    return ecs.create_service(
        cluster=cluster,
        serviceName=name,
        taskDefinition=task_def,
        desiredCount=desired,
        launchType="FARGATE",
        networkConfiguration=NETWORK,
        vpcLatticeConfigurations=[{"roleArn": ROLE, "targetGroupArn": tg_arn, "portName": "http"}],
        **kwargs,
    )["service"]


def describe(ecs: Any, name: str = "myservice") -> dict[str, Any]:
    return dict(ecs.describe_services(cluster="my-cluster", services=[name])["services"][0])


def targets(lattice: Any, tg: str) -> dict[str, str]:
    items = lattice.get_paginator("list_targets").paginate(targetGroupIdentifier=tg)
    return {t["id"]: t["status"] for page in items for t in page["items"]}


def task_ips(ecs: Any, name: str = "myservice") -> list[str]:
    arns = ecs.list_tasks(cluster="my-cluster", serviceName=name)["taskArns"]
    if not arns:
        return []
    tasks = ecs.describe_tasks(cluster="my-cluster", tasks=arns)["tasks"]
    return sorted(
        d["value"]
        for t in tasks
        for d in t["attachments"][0]["details"]
        if d["name"] == "privateIPv4Address"
    )


@contextmanager
def state_machine(
    aws: Any, handler: Callable[[dict[str, Any], Any], Any], task: dict[str, Any]
) -> Iterator[Callable[[], dict[str, Any]]]:
    """A one-Task machine whose Lambda runs ``handler`` in-process (``task`` adds the state's
    fields: Retry, TimeoutSeconds…); yields ``run()``, which starts an unnamed execution and
    returns its DescribeExecution once it ended."""
    from lattice_deploy.emulator.awslambda.models import HANDLERS

    role = aws.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]
    function = aws.client("lambda").create_function(
        FunctionName="fn",
        Runtime="python3.13",
        Role=role["Arn"],
        Handler="x.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
    )
    definition = {
        "StartAt": "work",
        "States": {"work": {"Type": "Task", "Resource": function["FunctionArn"], "End": True}},
    }
    definition["States"]["work"].update(task)
    sfn = aws.client("stepfunctions")
    machine = sfn.create_state_machine(
        name="one-task", definition=json.dumps(definition), roleArn=role["Arn"]
    )["stateMachineArn"]

    def run() -> dict[str, Any]:
        arn = sfn.start_execution(stateMachineArn=machine)["executionArn"]
        deadline = time.monotonic() + 30
        while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
            assert time.monotonic() < deadline, f"{arn} still running"
            time.sleep(0.02)
        return dict(described)

    HANDLERS["fn"] = handler
    try:
        yield run
    finally:
        del HANDLERS["fn"]
