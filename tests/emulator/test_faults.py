"""Fault injection and call counting: the evidence every later safety promise rests on."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from lattice_deploy.emulator import Fault, FaultSpecError

from .helpers import lattice_service, target_group, task_definition


def test_fail_is_permanent_access_denied_naming_the_action(aws: Any, lattice: Any) -> None:
    aws.inject("fail:CreateService")
    for _ in range(2):
        with pytest.raises(ClientError) as exc:
            lattice.create_service(name="myservice")
        response: Any = exc.value.response
        assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
            "AccessDeniedException",
            403,
        )
        assert (
            "not authorized to perform: vpc-lattice:CreateService" in response["Error"]["Message"]
        )
    assert lattice.list_services()["items"] == []  # nothing was created
    lattice.create_service_network(name="net-a")  # other operations still work


def test_fail_with_another_code_in_the_ecs_wire_format(aws: Any, ecs: Any) -> None:
    aws.inject("fail:RegisterTaskDefinition:ClientException")
    with pytest.raises(ClientError) as exc:
        task_definition(ecs)
    assert exc.value.response["Error"]["Code"] == "ClientException"
    assert ecs.list_task_definitions()["taskDefinitionArns"] == []


def test_throttle_n_times_then_succeed(aws: Any, lattice: Any) -> None:
    aws.inject("throttle:CreateServiceNetwork:2")
    for _ in range(2):
        with pytest.raises(ClientError) as exc:
            lattice.create_service_network(name="net-a")
        assert exc.value.response["Error"]["Code"] == "ThrottlingException"
    assert lattice.create_service_network(name="net-a")["name"] == "net-a"


def test_throttles_are_absorbed_by_botocore_retries(aws: Any) -> None:
    aws.inject("throttle:CreateServiceNetwork:2")
    retrying = aws.client(
        "vpc-lattice", config=Config(retries={"mode": "standard", "max_attempts": 3})
    )
    created = retrying.create_service_network(name="net-a")
    assert created["ResponseMetadata"]["RetryAttempts"] == 2


def test_crash_after_fires_once_after_the_call(aws: Any) -> None:
    from lattice_deploy.emulator import FAULTS

    aws.inject("crash-after:CreateTargetGroup")
    assert FAULTS.crash_after(aws.account_id, "CreateListener") is False
    assert FAULTS.crash_after(aws.account_id, "CreateTargetGroup") is True
    assert FAULTS.crash_after(aws.account_id, "CreateTargetGroup") is False


def test_crash_after_n_fires_n_times(aws: Any) -> None:
    from lattice_deploy.emulator import FAULTS

    aws.inject("crash-after:ListServices:2")
    assert [FAULTS.crash_after(aws.account_id, "ListServices") for _ in range(3)] == [
        True,
        True,
        False,
    ]


def test_a_rule_for_one_state_spares_the_other_functions(aws: Any) -> None:
    """``@rollback``: a second fault that only the rollback meets (the deploy's own UpdateService
    goes through)."""
    from lattice_deploy.emulator import FAULTS
    from lattice_deploy.emulator.awslambda.invocation import INVOCATION

    aws.inject("fail:ecs.UpdateService@rollback")
    try:
        INVOCATION.function = "lattice-deploy-UpdateServiceFunction"
        assert FAULTS.before_call(aws.account_id, "UpdateService", "ecs") is None
        INVOCATION.function = "lattice-deploy-RollbackFunction"
        assert FAULTS.before_call(aws.account_id, "UpdateService", "ecs") is not None
    finally:
        INVOCATION.function = None
    assert (
        Fault.parse("crash-after:X:2@finish_leftovers").spec() == "crash-after:X:2@finish_leftovers"
    )


def test_faults_are_per_account(aws: Any, lattice: Any) -> None:
    from lattice_deploy.emulator import FAULTS

    FAULTS.add("210987654321", "fail:CreateService")
    assert lattice.create_service(name="myservice")["name"] == "myservice"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("fail:CreateService", Fault("fail", "CreateService")),
        (
            "fail:UpdateService:ServiceNotActiveException",
            Fault("fail", "UpdateService", "ServiceNotActiveException"),
        ),
        (
            "throttle:CreateListener:2",
            Fault("throttle", "CreateListener", "ThrottlingException", remaining=2),
        ),
        (
            "crash-after:RegisterTaskDefinition",
            Fault("crash-after", "RegisterTaskDefinition", remaining=1),
        ),
        ("crash-after:ListServices:3", Fault("crash-after", "ListServices", remaining=3)),
        (
            "fail:ecs.UpdateService@rollback",
            Fault("fail", "ecs.UpdateService", state="rollback"),
        ),
        ("unhealthy-targets", Fault("unhealthy-targets")),
        ("tasks-fail-to-start:web-*", Fault("tasks-fail-to-start", match="web-*")),
        (
            "fail:GetTargetGroup:ResourceNotFoundException:1",
            Fault("fail", "GetTargetGroup", "ResourceNotFoundException", remaining=1),
        ),
        ("creating:*-alt:20", Fault("creating", match="*-alt", lasts=20.0)),
    ],
)
def test_spec_parsing(spec: str, expected: Fault) -> None:
    assert Fault.parse(spec) == expected
    assert Fault.parse(expected.spec()) == expected


def test_fail_n_times_then_succeed(aws: Any, lattice: Any) -> None:
    """A read that misses a resource for a moment after its create (eventual consistency)."""
    group = target_group(lattice)
    aws.inject("fail:GetTargetGroup:ResourceNotFoundException:1")
    with pytest.raises(ClientError) as exc:
        lattice.get_target_group(targetGroupIdentifier=group["id"])
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert lattice.get_target_group(targetGroupIdentifier=group["id"])["status"] == "ACTIVE"


def test_a_creating_group_is_refused_by_ecs_until_it_is_active(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    from lattice_deploy.emulator.clock import CLOCK

    aws.inject("creating:*:20")
    group = target_group(lattice)
    assert lattice.get_target_group(targetGroupIdentifier=group["id"])["status"] == (
        "CREATE_IN_PROGRESS"
    )
    with pytest.raises(ClientError, match="not ACTIVE"):
        lattice_service(ecs, group["arn"], task_definition(ecs))
    CLOCK.advance(20)
    assert lattice.get_target_group(targetGroupIdentifier=group["id"])["status"] == "ACTIVE"
    lattice_service(ecs, group["arn"], task_definition(ecs))


@pytest.mark.parametrize(
    "spec",
    [
        "explode",
        "fail",
        "throttle:CreateListener",
        "throttle:CreateListener:x",
        "crash-after:",
        "crash-after:ListServices:x",
        "fail:UpdateService@Not A State",
    ],
)
def test_bad_specs_say_the_accepted_forms(spec: str) -> None:
    with pytest.raises(FaultSpecError, match=r"throttle|fail|crash-after"):
        Fault.parse(spec)


def test_calls_are_counted_as_mutating_or_read(aws: Any, lattice: Any, ecs: Any) -> None:
    lattice.list_services()
    lattice.create_service(name="myservice")
    ecs.describe_clusters(clusters=["my-cluster"])
    task_definition(ecs)
    calls = aws.calls()
    assert (calls["mutating"], calls["read"]) == (2, 2)
    assert calls["mutatingCalls"] == {
        "ecs:RegisterTaskDefinition": 1,
        "vpc-lattice:CreateService": 1,
    }
    aws.reset_calls()
    assert aws.calls()["mutating"] == 0


def test_refused_calls_still_count(aws: Any, lattice: Any) -> None:
    aws.inject("fail:CreateService")
    with pytest.raises(ClientError):
        lattice.create_service(name="myservice")
    assert aws.calls()["mutatingCalls"] == {"vpc-lattice:CreateService": 1}


def test_operations_can_be_qualified_by_service(aws: Any, lattice: Any, ecs: Any) -> None:
    aws.inject("fail:ecs.CreateService")
    assert lattice.create_service(name="myservice")["name"] == "myservice"  # Lattice's is untouched
    with pytest.raises(ClientError) as exc:
        ecs.create_service(cluster="my-cluster", serviceName="x", desiredCount=0)
    assert exc.value.response["Error"]["Code"] == "AccessDeniedException"
