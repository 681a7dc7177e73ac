"""A bundle as ``ecspresso init`` writes it (no serviceName, describe fields, empty enums, an
unnamed port), plus ``"vpcLatticeConfiguration": {"enabled": true}``, deploys healthy through the
local runner, and the run says what it took otherwise than written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from compat.corpus import init_service
from lattice_deploy.cli.main import main
from workflow.conftest import Local

CONFIG = """region: ap-northeast-1
cluster: my-cluster
service: Checkout_Service
service_definition: ecs-service-def.json
task_definition: ecs-task-def.json
timeout: 10m
"""
SERVICE = {  # ecspresso init (the corpus's shape), and an empty enum describe output carries
    **init_service(),
    "availabilityZoneRebalancing": "",
}
TASK = {  # aws ecs describe-task-definition, as printed
    "taskDefinition": {
        "taskDefinitionArn": "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/checkout:3",
        "containerDefinitions": [
            {
                "name": "web",
                "image": "nginx:latest",
                "cpu": 0,
                "essential": True,
                "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
                "environment": [],
                "mountPoints": [],
                "volumesFrom": [],
                "systemControls": [],
            }
        ],
        "family": "checkout",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "networkMode": "awsvpc",
        "revision": 3,
        "volumes": [],
        "status": "ACTIVE",
        "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.task-eni"}],
        "placementConstraints": [],
        "compatibilities": ["EC2", "FARGATE"],
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "0.5 GB",
        "ipcMode": "",
        "pidMode": None,
        "registeredAt": "2024-11-19T02:24:47.736000+00:00",
        "registeredBy": "arn:aws:iam::123456789012:user/me",
    }
}


def written(tmp_path: Path) -> Path:
    directory = tmp_path / "Checkout_Service"  # a bundle's folder is named after its service
    directory.mkdir(exist_ok=True)
    (directory / "ecspresso.yml").write_text(CONFIG)
    (directory / "ecs-service-def.json").write_text(json.dumps(SERVICE, indent=2))
    (directory / "ecs-task-def.json").write_text(json.dumps(TASK, indent=2))
    return directory


def test_validate_takes_it_and_says_what_it_took_otherwise(tmp_path: Path, capsys: Any) -> None:
    assert main(["validate", str(written(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "ecs-service-def.json: platformFamily: output of describe" in out
    assert "taskDefinitionArn, revision, status, requiresAttributes, compatibilities" in out
    assert "named port 'web-80-tcp'" in out
    assert "its Lattice names are derived: service 'dev-checkout-service-service'" in out


def test_it_deploys_healthy_behind_lattice(local: Local, tmp_path: Path) -> None:
    summary = local.deploy(written(tmp_path))
    assert summary["status"] == "SUCCEEDED", summary.get("failure")
    assert [t["status"] for t in summary["targets"]] == ["HEALTHY"] * 2
    names = {r["type"]: r.get("name") for r in summary["resources"]}
    assert names["latticeService"] == "dev-checkout-service-service", names
    warnings = "\n".join(summary["warnings"])
    assert "named port 'web-80-tcp'" in warnings and "platformFamily" in warnings
    ecs = local.aws.client("ecs")
    service = ecs.describe_services(cluster="my-cluster", services=["Checkout_Service"])
    lattice = service["services"][0]["deployments"][0]["vpcLatticeConfigurations"][0]
    assert lattice["portName"] == "web-80-tcp"
    task = ecs.describe_task_definition(taskDefinition="checkout")["taskDefinition"]
    assert task["memory"] == "512" and "ipcMode" not in task
    again = local.deploy(written(tmp_path))  # the registered revision is seen as the same
    assert again["status"] == "SUCCEEDED"
    assert again["calls"]["mutating"] <= summary["calls"]["mutating"]
    assert {r["type"]: r["action"] for r in again["resources"]}["taskDefinition"] == "unchanged"
