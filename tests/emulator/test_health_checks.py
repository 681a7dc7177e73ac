"""Health checks as VPC Lattice runs them: off by default for HTTP2 groups, no gRPC checks, and a
check that reaches no container port (or speaks the wrong HTTP version to it) fails."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .helpers import (
    VPC,
    describe,
    lattice_service,
    served_target_group,
    targets,
    task_definition,
)


def group(lattice: Any, version: str, **health: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "port": 80,
        "protocol": "HTTP",
        "protocolVersion": version,
        "vpcIdentifier": VPC,
    }
    if health:
        config["healthCheck"] = health
    return dict(lattice.create_target_group(name=f"g-{version.lower()}", type="IP", config=config))


def test_http2_groups_have_checks_off_until_turned_on(lattice: Any, aws: Any) -> None:
    off = group(lattice, "HTTP2")
    assert off["config"]["healthCheck"]["enabled"] is False
    assert group(lattice, "HTTP1")["config"]["healthCheck"]["enabled"] is True
    served = served_target_group(lattice, name="web-h2", enabled=False)
    lattice.register_targets(targetGroupIdentifier=served["id"], targets=[{"id": "10.0.1.10"}])
    aws.advance(600)
    assert targets(lattice, served["id"]) == {"10.0.1.10": "UNAVAILABLE"}


def test_grpc_checks_are_refused(lattice: Any) -> None:
    with pytest.raises(ClientError) as raised:
        group(lattice, "GRPC", enabled=True, protocolVersion="GRPC")
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert group(lattice, "GRPC", enabled=True, protocolVersion="HTTP2")["config"]


@pytest.mark.parametrize(
    "health", [{"port": 8080}, {"protocolVersion": "HTTP2"}], ids=["unmapped-port", "wrong-http"]
)
def test_a_check_the_task_cannot_answer_turns_its_targets_unhealthy(
    lattice: Any, ecs: Any, aws: Any, health: dict[str, Any]
) -> None:
    tg = served_target_group(lattice, **health)
    lattice_service(ecs, tg["arn"], task_definition(ecs))  # port 80, appProtocol unset: HTTP/1.1
    aws.advance(89)  # started and registered at 30 s, then 2 failed checks x 30 s
    assert set(targets(lattice, tg["id"]).values()) == {"INITIAL"}
    aws.advance(1)  # UNHEALTHY: ECS stops the tasks (their targets drain) and starts others
    assert set(targets(lattice, tg["id"]).values()) == {"DRAINING"}
    assert describe(ecs)["deployments"][0]["failedTasks"] == 3


def test_a_check_the_task_answers_turns_healthy(lattice: Any, ecs: Any, aws: Any) -> None:
    tg = served_target_group(lattice, port=80, protocolVersion="HTTP1")
    lattice_service(ecs, tg["arn"], task_definition(ecs))
    aws.advance(180)
    assert set(targets(lattice, tg["id"]).values()) == {"HEALTHY"}
