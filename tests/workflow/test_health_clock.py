"""The health gate on VPC Lattice's clock: right for any moment of a target's first check.

User Guide, "Health checks for your VPC Lattice target groups": "After your target is registered,
it must pass one health check to be considered healthy"; when that first check runs, AWS does not
say. The embedded AWS puts it anywhere within the first interval (pinned here), so the gate's
rule and the emulator's can disagree: the gate must never judge before Lattice has said (no
premature verdict) and must see what Lattice said at most one interval later, whatever the
offset. The figures asserted are read from what happened: the executions' history and the
emulator's target timeline.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from lattice_deploy.emulator.clock import CLOCK
from lattice_deploy.emulator.vpclattice.targets import DEFAULT_HEALTH_CHECK

from .conftest import EXAMPLE, Local

INTERVAL = DEFAULT_HEALTH_CHECK["healthCheckIntervalSeconds"]
UNHEALTHY = DEFAULT_HEALTH_CHECK["unhealthyThresholdCount"]
MS = 0.001
"""The history keeps milliseconds: a poll at 90 s may read 89.999."""
OFFSETS = [0.001, 0.5, 1.0, None]  # None: each target's own offset
"""Where the first check runs, as a fraction of the interval after registration."""


def verdict_and_targets(local: Local, summary: dict[str, Any]) -> tuple[float, list[Any]]:
    """The virtual second of the gate's last poll, and the run's target group's timeline."""
    polls = [
        (e["timestamp"] - CLOCK.datetime(0)).total_seconds()
        for e in local.history(summary)
        if e["type"] == "TaskStateExited" and e["stateExitedEventDetails"]["name"] == "check_health"
    ]
    group = next(r["arn"] for r in summary["resources"] if r["type"] == "targetGroup")
    return polls[-1], local.aws.target_timeline(group)


@pytest.mark.parametrize("offset", OFFSETS)
def test_a_first_deploy_is_healthy_within_one_interval_of_registration(
    local: Local, offset: float | None
) -> None:
    local.aws.pin_first_check(offset)
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "SUCCEEDED"
    at, timeline = verdict_and_targets(local, summary)
    healthy = [t["healthyAt"] for t in timeline]
    registered = [t["registeredAt"] for t in timeline]
    assert len(timeline) == 3 and None not in healthy
    assert at >= max(healthy) - MS  # never before Lattice said HEALTHY
    assert at - max(healthy) <= INTERVAL
    assert at - max(registered) <= INTERVAL  # one passing check, not healthyThresholdCount


@pytest.mark.parametrize("offset", OFFSETS)
def test_a_failing_first_deploy_fails_within_the_unhealthy_threshold_plus_one_interval(
    local: Local, offset: float | None
) -> None:
    local.aws.pin_first_check(offset)
    local.aws.inject("unhealthy-targets")
    summary = local.deploy(EXAMPLE)
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    at, timeline = verdict_and_targets(local, summary)
    first = min(t["registeredAt"] for t in timeline)
    unhealthy = [t["unhealthyAt"] for t in timeline if t["unhealthyAt"] is not None]
    assert unhealthy and at >= min(unhealthy) - MS  # never before Lattice said UNHEALTHY
    assert at - min(unhealthy) <= INTERVAL
    assert at - first <= (UNHEALTHY + 1) * INTERVAL


def test_the_gate_polls_once_per_interval_while_targets_are_initial(local: Local) -> None:
    """Healthy at the end of the first interval (the latest offset): the gate looks once when
    the tasks run (no target yet), then once when the interval after registration ends."""
    local.aws.pin_first_check(1.0)
    summary = local.deploy(EXAMPLE)
    polls = [
        json.loads(e["stateExitedEventDetails"]["output"])["health"]
        for e in local.history(summary)
        if e["type"] == "TaskStateExited" and e["stateExitedEventDetails"]["name"] == "check_health"
    ]
    assert [p["status"] for p in polls][-1] == "HEALTHY"
    assert polls[-2]["waitSeconds"] == INTERVAL


def test_a_short_timeout_still_waits_out_the_drain_and_rolls_everything_back(
    local: Local, bundle: Any
) -> None:
    """A 1 min timeout fails the deploy; the rollback then waits as long as Lattice drains the
    stopped tasks' targets (5 min), and the target group goes, rather than STUCK."""
    local.aws.inject("unhealthy-targets")
    config = (EXAMPLE / "ecspresso.yml").read_text().replace("timeout: 10m", "timeout: 1m")
    summary = local.deploy(bundle(config=config))
    assert (summary["status"], summary["rolledBack"]) == ("FAILED", True)
    assert not summary["rollback"].get("left"), summary["rollback"]
    assert "targetGroup" in {r["type"] for r in summary["rollback"]["removed"]}
