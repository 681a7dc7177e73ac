"""A steady ECS service is left out of the replay before each request until something that could
move it changes (:mod:`lattice_deploy.emulator.epoch`): a fleet's requests are not each O(fleet)
replays, and what the services do is what they did when every one was replayed."""

from __future__ import annotations

from typing import Any

from lattice_deploy.emulator.ecs.tasks import STARTUP_SECONDS

from .helpers import describe, lattice_service, served_target_group, targets, task_definition


def _steady(aws: Any, lattice: Any, ecs: Any) -> dict[str, Any]:
    tg = served_target_group(lattice)
    lattice_service(ecs, tg["arn"], task_definition(ecs), desired=2)
    aws.advance(STARTUP_SECONDS + 30)
    assert set(targets(lattice, tg["id"]).values()) == {"HEALTHY"}
    assert describe(ecs)["deployments"][0]["rolloutState"] == "COMPLETED"
    return tg


def test_a_steady_service_is_not_replayed_by_reads(
    aws: Any, lattice: Any, ecs: Any, replays: list[str]
) -> None:
    tg = _steady(aws, lattice, ecs)
    lattice.list_target_groups()  # the replay that finds it steady
    replays.clear()
    for _ in range(5):
        aws.advance(60)
        lattice.list_target_groups()
        lattice.get_target_group(targetGroupIdentifier=tg["id"])
    assert replays == []
    assert set(targets(lattice, tg["id"]).values()) == {"HEALTHY"}


def test_a_mutation_or_a_fault_makes_it_replayed_again(
    aws: Any, lattice: Any, ecs: Any, replays: list[str]
) -> None:
    tg = _steady(aws, lattice, ecs)
    lattice.list_target_groups()
    replays.clear()
    lattice.update_target_group(  # a check the tasks fail: they turn UNHEALTHY, ECS replaces them
        targetGroupIdentifier=tg["id"],
        healthCheck={"enabled": True, "path": "/nothing-here", "unhealthyThresholdCount": 2},
    )
    lattice.list_target_groups()
    assert replays == ["myservice"]
    replays.clear()
    aws.inject("unhealthy-targets")
    lattice.list_target_groups()
    assert replays == ["myservice"]


def test_a_rollout_moves_at_its_own_moments_through_lattice_reads_alone(
    aws: Any, lattice: Any, ecs: Any, replays: list[str]
) -> None:
    """A rolling deployment is left out between its moments and replayed at each, with no ECS
    read between (ECS finishes a deployment on its own): the new tasks registered once RUNNING,
    then, once they are HEALTHY, the deployment COMPLETED and the old tasks deregistered."""
    tg = _steady(aws, lattice, ecs)
    old = set(targets(lattice, tg["id"]))
    ecs.update_service(
        cluster="my-cluster", service="myservice", taskDefinition=task_definition(ecs, "nginx:1.27")
    )
    lattice.list_target_groups()  # the replay after the update starts the new tasks
    replays.clear()
    aws.advance(STARTUP_SECONDS - 1)
    lattice.list_target_groups()
    assert replays == []  # nothing of its own is due before the new tasks run
    aws.advance(2)
    registered = targets(lattice, tg["id"])  # a replay: the new tasks registered, checks begin
    assert replays == ["myservice"]
    new = set(registered) - old
    assert len(new) == 2 and {registered[ip] for ip in new} == {"INITIAL"}
    aws.advance(60)
    after = targets(lattice, tg["id"])
    assert {ip: after[ip] for ip in new} == dict.fromkeys(new, "HEALTHY")
    assert {ip: after[ip] for ip in old} == dict.fromkeys(old, "DRAINING")
