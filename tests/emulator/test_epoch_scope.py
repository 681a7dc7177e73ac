"""A mutation replays only the ECS services it can move (emulator/epoch.py): an UpdateService its
service, a change to a target group the services whose tasks register in it, a new task
definition revision none, anything else every one; and the services still do what they did
when every one was replayed."""

from __future__ import annotations

from typing import Any

import pytest

from lattice_deploy.emulator import epoch
from lattice_deploy.emulator.ecs.tasks import STARTUP_SECONDS

from .helpers import describe, lattice_service, served_target_group, targets, task_definition

pytestmark = pytest.mark.timeout(60)

TG = "tg-0123456789abcdef0"
TG_ARN = f"arn:aws:vpc-lattice:ap-northeast-1:123456789012:targetgroup/{TG}"


@pytest.mark.parametrize(
    ("service", "operation", "params", "path", "keys"),
    [
        ("ecs", "UpdateService", {"cluster": "c", "service": "web"}, "/", ("ecs:c:web",)),
        ("ecs", "CreateService", {"serviceName": "web"}, "/", ("ecs:default:web",)),
        (
            "ecs",
            "UpdateService",
            {"service": "arn:aws:ecs:ap-northeast-1:123456789012:service/c/web"},
            "/",
            ("ecs:c:web",),
        ),
        (
            "ecs",
            "DeleteService",
            {"cluster": "arn:aws:ecs:ap-northeast-1:123456789012:cluster/c", "service": "web"},
            "/",
            ("ecs:c:web",),
        ),
        ("ecs", "UpdateService", {"cluster": "c"}, "/", None),  # no service named: everyone
        ("ecs", "RegisterTaskDefinition", {"family": "web"}, "/", ()),
        ("ecs", "StopTask", {"task": "x"}, "/", None),
        (
            "vpc-lattice",
            "RegisterTargets",
            {},
            f"/targetgroups/{TG}/registertargets",
            (f"tg:{TG}",),
        ),
        (
            "vpc-lattice",
            "UpdateTargetGroup",
            {},
            "/targetgroups/" + TG_ARN.replace(":", "%3A").replace("/", "%2F"),
            (f"tg:{TG}",),
        ),
        ("vpc-lattice", "DeregisterTargets", {}, "/targetgroups/nonsense/x", None),
        (
            "vpc-lattice",
            "CreateListener",
            {"defaultAction": {"forward": {"targetGroups": [{"targetGroupIdentifier": TG_ARN}]}}},
            "/services/svc-x/listeners",
            (f"tg:{TG}",),
        ),
        (
            "vpc-lattice",
            "CreateRule",
            {"action": {"fixedResponse": {"statusCode": 404}}},
            "/services/svc-x/listeners/listener-x/rules",
            (),
        ),
        (
            "vpc-lattice",
            "CreateListener",
            {"defaultAction": {"forward": {"targetGroups": [{"targetGroupIdentifier": "x"}]}}},
            "/services/svc-x/listeners",
            None,
        ),
        ("vpc-lattice", "UpdateListener", {}, "/services/svc-x/listeners/listener-x", None),
        ("vpc-lattice", "CreateTargetGroup", {}, "/targetgroups", ()),
        ("ec2", "AuthorizeSecurityGroupIngress", {}, "/", None),
    ],
)
def test_the_keys_a_mutation_moves(
    service: str, operation: str, params: dict[str, Any], path: str, keys: Any
) -> None:
    assert epoch.keys_of(service, operation, params, path) == keys


def _two_steady(aws: Any, lattice: Any, ecs: Any) -> dict[str, dict[str, Any]]:
    groups = {}
    for name in ("alpha", "bravo"):
        groups[name] = tg = served_target_group(lattice, name)
        lattice_service(ecs, tg["arn"], task_definition(ecs), desired=1, name=name)
    aws.advance(STARTUP_SECONDS + 30)
    for name, tg in groups.items():
        assert set(targets(lattice, tg["id"]).values()) == {"HEALTHY"}
        assert describe(ecs, name)["deployments"][0]["rolloutState"] == "COMPLETED"
    lattice.list_target_groups()  # the replay that finds both steady
    return groups


def test_an_update_replays_its_service_alone(
    aws: Any, lattice: Any, ecs: Any, replays: list[str]
) -> None:
    groups = _two_steady(aws, lattice, ecs)
    replays.clear()
    revision = task_definition(ecs, "nginx:1.27")  # a new revision: nobody moves
    lattice.list_target_groups()
    assert replays == []
    ecs.update_service(cluster="my-cluster", service="alpha", taskDefinition=revision)
    lattice.list_target_groups()
    assert set(replays) == {"alpha"}
    aws.advance(STARTUP_SECONDS + 60)
    assert describe(ecs, "alpha")["deployments"][0]["rolloutState"] == "COMPLETED"
    assert describe(ecs, "alpha")["taskDefinition"] == revision
    assert set(targets(lattice, groups["bravo"]["id"]).values()) == {"HEALTHY"}


def test_a_group_s_change_replays_the_services_in_it(
    aws: Any, lattice: Any, ecs: Any, replays: list[str]
) -> None:
    groups = _two_steady(aws, lattice, ecs)
    replays.clear()
    lattice.update_target_group(  # nothing of bravo's listens there: ECS replaces its task
        targetGroupIdentifier=groups["bravo"]["arn"],
        healthCheck={"enabled": True, "port": 9999, "unhealthyThresholdCount": 2},
    )
    lattice.list_target_groups()
    assert set(replays) == {"bravo"}
    aws.advance(120)
    events = " ".join(e["message"] for e in describe(ecs, "bravo")["events"])
    assert "Task failed VPC Lattice health checks" in events
    assert "health checks" not in " ".join(e["message"] for e in describe(ecs, "alpha")["events"])


def test_any_other_mutation_replays_every_service(
    aws: Any, lattice: Any, ecs: Any, replays: list[str]
) -> None:
    groups = _two_steady(aws, lattice, ecs)
    replays.clear()
    service = groups["alpha"]["serviceId"]
    listener = lattice.list_listeners(serviceIdentifier=service)["items"][0]["id"]
    lattice.update_listener(  # a group may go out of use: which ones, only a replay of all says
        serviceIdentifier=service,
        listenerIdentifier=listener,
        defaultAction={"fixedResponse": {"statusCode": 404}},
    )
    lattice.list_target_groups()
    assert sorted(replays) == ["alpha", "bravo"]


def test_an_execution_s_end_moves_everything_only_if_it_had_faults(aws: Any) -> None:
    """Every execution's end releases the faults injected for it; one without any changes no
    rule, so no rollout: no replay of the fleet at each execution's end."""
    from lattice_deploy.emulator.faults import FAULTS, Fault

    before = epoch.EPOCH.value
    FAULTS.release("an-execution-without-faults")
    FAULTS.clear("000000000000")  # an account without rules
    assert epoch.EPOCH.value == before
    FAULTS.add(aws.account_id, Fault.parse("unhealthy-targets").scoped("owner-1", "web"))
    FAULTS.release("owner-1")
    assert epoch.EPOCH.value == before + 2  # added, then removed
