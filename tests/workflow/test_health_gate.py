"""The health gate decides, not the emulator's ECS: cases where ECS and VPC Lattice disagree, as
they can on AWS (a scale-up whose rollout stays COMPLETED, direct registration where ECS knows
nothing of Lattice, a run that moves the service to another target group and then fails)."""

from __future__ import annotations

import json
from typing import Any

from lattice_deploy.emulator.ecs.tasks import STARTUP_SECONDS

from .conftest import EXAMPLE, Local
from .test_rollback import health_polls


def test_a_scale_up_waits_until_every_new_target_is_healthy(local: Local, bundle: Any) -> None:
    """Only the desired count changes: ECS scales the COMPLETED deployment, whose new tasks'
    targets start INITIAL while the old one is HEALTHY. The gate waits for all of them."""
    one = bundle("one", service=lambda d: d.update(desiredCount=1))
    assert local.deploy(one)["status"] == "SUCCEEDED"
    summary = local.deploy(EXAMPLE)  # desiredCount 3
    assert summary["status"] == "SUCCEEDED"
    assert [t["status"] for t in summary["targets"]] == ["HEALTHY"] * 3
    polls = health_polls(local, summary)
    assert polls[0]["rolloutState"] == "COMPLETED" and polls[0]["status"] == "WAITING"


def direct(service: dict[str, Any]) -> None:
    service["vpcLatticeConfiguration"]["registration"] = "direct"


def test_direct_registration_fails_at_the_first_unhealthy_target(local: Local, bundle: Any) -> None:
    """ECS completes the rollout once the tasks run; only Lattice knows they fail."""
    local.aws.inject("unhealthy-targets")
    summary = local.deploy(bundle(service=direct))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    polls = health_polls(local, summary)
    assert polls[-1]["rolloutState"] == "COMPLETED"
    assert "targets of the new tasks turned UNHEALTHY" in summary["failure"]["message"]
    # polls at 0 and 15 s find no running task (PollSeconds); the tasks run at 30 s and are
    # registered just before that poll; their first check fails within one interval, the second
    # one interval later: UNHEALTHY by 90 s, whatever the first check's offset, and the gate
    # looks as each interval after registration ends (60 s, 90 s)
    assert [p["status"] for p in polls] == ["WAITING"] * 4 + ["FAILED"]
    assert [p["waitSeconds"] for p in polls[:4]] == [15, 15, 30, 30]


def test_direct_registration_succeeds_once_every_target_is_healthy(
    local: Local, bundle: Any
) -> None:
    summary = local.deploy(bundle(service=direct))
    assert summary["status"] == "SUCCEEDED"
    assert [t["status"] for t in summary["targets"]] == ["HEALTHY"] * 3
    completed = [p for p in health_polls(local, summary) if p["rolloutState"] == "COMPLETED"]
    assert completed[0]["status"] == "WAITING"  # ECS was done long before Lattice said HEALTHY


def test_a_failed_move_to_another_target_group_puts_the_wiring_back(
    local: Local, bundle: Any
) -> None:
    first = local.deploy(EXAMPLE)
    assert first["status"] == "SUCCEEDED"
    lattice, ecs = local.aws.client("vpc-lattice"), local.aws.client("ecs")
    before = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"][0]
    old_group = before["deployments"][0]["vpcLatticeConfigurations"][0]["targetGroupArn"]
    config = {"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}
    other = lattice.create_target_group(name="by-hand", type="IP", config=config)["arn"]

    def move(service: dict[str, Any]) -> None:
        service["vpcLatticeConfiguration"]["targetGroupArn"] = other

    local.aws.inject("unhealthy-targets")
    summary = local.deploy(bundle(service=move))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True), summary["failure"]
    moved = json.dumps(summary["resources"])
    assert other in moved  # the run did wire the service to the other group before it failed
    after = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"][0]
    wiring = after["deployments"][0]["vpcLatticeConfigurations"]
    assert [w["targetGroupArn"] for w in wiring] == [old_group]
    assert after["taskDefinition"] == before["taskDefinition"]


def test_an_adopted_group_whose_check_no_container_answers_fails_and_rolls_back(
    local: Local, bundle: Any
) -> None:
    """validate cannot see an adopted group's health check; Lattice's verdict decides: the
    check aims at port 8080, the task maps only 80, so every target turns UNHEALTHY."""
    lattice = local.aws.client("vpc-lattice")
    config = {
        "port": 80,
        "protocol": "HTTP",
        "vpcIdentifier": "vpc-12345678",
        "healthCheck": {"port": 8080},
    }
    group = lattice.create_target_group(name="wrong-port", type="IP", config=config)

    def adopt(service: dict[str, Any]) -> None:
        service["vpcLatticeConfiguration"]["targetGroupArn"] = group["arn"]

    summary = local.deploy(bundle(service=adopt))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    assert "Task failed VPC Lattice health checks" in summary["failure"]["message"]
    assert [g["name"] for g in lattice.list_target_groups()["items"]] == ["wrong-port"]


FIRST_TASK = "10.0.1.4"
"""The first task's address in a fresh demo account (its subnets' first free one)."""


def test_a_task_failure_that_ecs_replaces_does_not_fail_the_deploy(local: Local) -> None:
    """Below ECS's circuit-breaker threshold (3 for 3 tasks), as ECS itself tolerates it."""
    local.aws.inject(f"tasks-fail-to-start:{FIRST_TASK}")
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "SUCCEEDED"
    (service,) = local.aws.client("ecs").describe_services(
        cluster="my-cluster", services=["myservice"]
    )["services"]
    # the fault did hit one task (the polls saw 1); ECS reset the count once a task ran healthy
    assert service["deployments"][0]["failedTasks"] == 0
    reasons = [p["reason"] for p in health_polls(local, summary)]
    assert any("1 failed task(s) replaced (limit 3)" in r for r in reasons)


def test_a_bundle_can_ask_for_a_stricter_failed_task_limit(local: Local, bundle: Any) -> None:
    def strict(service: dict[str, Any]) -> None:
        service["vpcLatticeConfiguration"]["maxFailedTasks"] = 1

    local.aws.inject(f"tasks-fail-to-start:{FIRST_TASK}")
    summary = local.deploy(bundle(service=strict))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    assert "1 task(s) of the new deployment failed" in summary["failure"]["message"]
    assert "the limit of 1" in summary["failure"]["message"]


def test_a_failed_update_in_direct_mode_leaves_the_restored_tasks_registered(
    local: Local, bundle: Any
) -> None:
    """ECS registers nothing in direct mode: the rollback registers the restored revision's tasks
    as they start, and deregisters the failed revision's, before it says DONE."""
    assert local.deploy(bundle(service=direct))["status"] == "SUCCEEDED"
    local.aws.inject("unhealthy-targets:myservice:2")

    def broken(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:broken"

    summary = local.deploy(bundle("broken", service=direct, task=broken))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    ecs, api = local.aws.client("ecs"), local.aws.client("vpc-lattice")
    running = ecs.describe_tasks(
        cluster="my-cluster", tasks=ecs.list_tasks(cluster="my-cluster")["taskArns"]
    )["tasks"]
    assert {t["taskDefinitionArn"].rsplit(":", 1)[-1] for t in running} == {"1"}
    ips = {
        d["value"]
        for t in running
        for a in t["attachments"]
        for d in a["details"]
        if d["name"] == "privateIPv4Address"
    }
    group = next(r["arn"] for r in summary["resources"] if r["type"] == "targetGroup")
    registered = {
        t["id"]
        for t in api.list_targets(targetGroupIdentifier=group)["items"]
        if t["status"] != "DRAINING"
    }
    assert registered == ips


def test_the_old_tasks_draining_targets_do_not_hold_the_verdict(local: Local, bundle: Any) -> None:
    """An update: once the new tasks' targets are HEALTHY, ECS completes the rollout and the old
    tasks' targets drain. The gate judges the new tasks' targets only, so it says HEALTHY at
    that poll, the old targets still DRAINING (judging every target in the group would wait out
    the drain, and an old UNHEALTHY target would fail a good deploy)."""
    first = local.deploy(EXAMPLE)
    assert first["status"] == "SUCCEEDED"
    old = {t["id"] for t in first["targets"]}
    summary = local.deploy(
        bundle(task=lambda t: t["containerDefinitions"][0].update(image="nginx:1.27"))
    )
    assert summary["status"] == "SUCCEEDED"
    last = health_polls(local, summary)[-1]
    assert (last["status"], last["rolloutState"]) == ("HEALTHY", "COMPLETED")
    draining = {t["id"] for t in last["targets"] if t["status"] == "DRAINING"}
    healthy = {t["id"] for t in last["targets"] if t["status"] == "HEALTHY"}
    assert draining == old and len(healthy) == len(old) and not healthy & old


def test_the_timeout_fails_the_poll_that_reaches_it(local: Local, bundle: Any) -> None:
    """A timeout shorter than the tasks take to start (no target ever registers): the last wait
    is cut to end at the timeout, and that poll fails, not one a second later."""
    timeout = int(STARTUP_SECONDS * 2 / 3)
    config = (EXAMPLE / "ecspresso.yml").read_text().replace("timeout: 10m", f"timeout: {timeout}s")
    summary = local.deploy(bundle(config=config))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    assert f"not healthy within the timeout of {timeout}s" in summary["failure"]["message"]
    entered = [
        e["timestamp"]
        for e in local.history(summary)
        if e["type"] == "TaskStateEntered"
        and e["stateEnteredEventDetails"]["name"] == "check_health"
    ]
    elapsed = [(at - entered[0]).total_seconds() for at in entered]
    assert elapsed[-1] == timeout and max(elapsed[:-1]) < timeout, elapsed
    assert [p["status"] for p in health_polls(local, summary)][-2:] == ["WAITING", "FAILED"]
