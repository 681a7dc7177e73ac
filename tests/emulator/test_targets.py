"""Targets and their health in virtual time: the statuses and reason codes AWS returns."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .helpers import served_target_group, target_group, targets


def listed(lattice: Any, tg: str) -> list[dict[str, Any]]:
    return list(lattice.list_targets(targetGroupIdentifier=tg)["items"])


def test_register_list_and_default_port(lattice: Any) -> None:
    tg = served_target_group(lattice)
    result = lattice.register_targets(
        targetGroupIdentifier=tg["arn"],
        targets=[{"id": "10.0.1.10"}, {"id": "10.0.2.10", "port": 8080}],
    )
    assert result["successful"] == [
        {"id": "10.0.1.10", "port": 80},
        {"id": "10.0.2.10", "port": 8080},
    ]
    assert result["unsuccessful"] == []
    assert {
        (t["id"], t["port"], t["status"], t["reasonCode"]) for t in listed(lattice, tg["id"])
    } == {
        ("10.0.1.10", 80, "INITIAL", "Elb.InitialHealthChecking"),
        ("10.0.2.10", 8080, "INITIAL", "Elb.InitialHealthChecking"),
    }


def test_registering_twice_is_idempotent(lattice: Any, aws: Any) -> None:
    tg = served_target_group(lattice)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    aws.advance(150)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    assert listed(lattice, tg["id"]) == [{"id": "10.0.1.10", "port": 80, "status": "HEALTHY"}]


@pytest.mark.parametrize("phase", [0.001, 0.5, 1.0])
def test_a_new_target_is_healthy_after_one_passing_check(
    lattice: Any, aws: Any, phase: float
) -> None:
    """User Guide: "After your target is registered, it must pass one health check to be
    considered healthy": its first check, whenever in the first interval it runs, however high
    ``healthyThresholdCount`` is."""
    aws.pin_first_check(phase)
    tg = served_target_group(lattice, healthCheckIntervalSeconds=10, healthyThresholdCount=3)
    start = aws.advance(0)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    aws.advance(10 * phase - 0.001)
    assert targets(lattice, tg["id"]) == {"10.0.1.10": "INITIAL"}
    aws.advance(0.001)
    assert targets(lattice, tg["id"]) == {"10.0.1.10": "HEALTHY"}
    assert aws.target_timeline(tg["arn"])[0]["healthyAt"] == pytest.approx(start + 10 * phase)


def test_unpinned_first_checks_fall_within_one_interval_and_differ(lattice: Any, aws: Any) -> None:
    """Each target's own offset: never later than one interval, and not one for all."""
    aws.pin_first_check(None)
    tg = served_target_group(lattice)
    start = aws.advance(0)
    lattice.register_targets(
        targetGroupIdentifier=tg["id"], targets=[{"id": f"10.0.1.{i}"} for i in range(20)]
    )
    moments = [t["healthyAt"] - start for t in aws.target_timeline(tg["arn"])]
    assert all(0 < m <= 30 for m in moments) and len(set(moments)) > 10


def test_unused_until_a_listener_forwards_to_the_group(lattice: Any, aws: Any) -> None:
    tg = target_group(lattice)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    aws.advance(300)
    assert listed(lattice, tg["id"])[0] == {
        "id": "10.0.1.10",
        "port": 80,
        "status": "UNUSED",
        "reasonCode": "Target.NotInUse",
    }
    svc = lattice.create_service(name="myservice")
    lattice.create_listener(
        serviceIdentifier=svc["id"],
        name="web",
        protocol="HTTP",
        defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": tg["arn"]}]}},
    )
    assert targets(lattice, tg["id"]) == {"10.0.1.10": "INITIAL"}  # checks start when used
    aws.advance(150)
    assert targets(lattice, tg["id"]) == {"10.0.1.10": "HEALTHY"}


def test_injected_unhealthy_targets_fail_after_unhealthy_threshold(lattice: Any, aws: Any) -> None:
    tg = served_target_group(lattice)
    aws.inject("unhealthy-targets:myservice-tg")
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    aws.advance(59)
    assert targets(lattice, tg["id"]) == {"10.0.1.10": "INITIAL"}
    aws.advance(1)
    assert listed(lattice, tg["id"])[0]["reasonCode"] == "Target.FailedHealthChecks"
    aws.advance(600)
    assert targets(lattice, tg["id"]) == {"10.0.1.10": "UNHEALTHY"}


def test_disabled_health_checks_make_targets_unavailable(lattice: Any) -> None:
    tg = served_target_group(lattice, enabled=False)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    assert targets(lattice, tg["id"]) == {"10.0.1.10": "UNAVAILABLE"}


def test_deregistered_targets_drain_for_five_minutes_then_vanish(lattice: Any, aws: Any) -> None:
    tg = served_target_group(lattice)
    lattice.register_targets(
        targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}, {"id": "10.0.1.11"}]
    )
    result = lattice.deregister_targets(
        targetGroupIdentifier=tg["arn"], targets=[{"id": "10.0.1.10"}, {"id": "10.0.9.9"}]
    )
    assert result["successful"] == [{"id": "10.0.1.10", "port": 80}]
    assert (
        result["unsuccessful"][0]["id"] == "10.0.9.9"
        and result["unsuccessful"][0]["failureCode"] == "TargetNotFound"
    )
    assert targets(lattice, tg["id"]) == {"10.0.1.10": "DRAINING", "10.0.1.11": "INITIAL"}
    aws.advance(299)
    assert targets(lattice, tg["id"])["10.0.1.10"] == "DRAINING"
    aws.advance(1)
    assert targets(lattice, tg["id"]) == {"10.0.1.11": "HEALTHY"}


def test_reregistering_a_draining_target_starts_it_over(lattice: Any, aws: Any) -> None:
    tg = served_target_group(lattice)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    lattice.deregister_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    assert targets(lattice, tg["id"]) == {"10.0.1.10": "INITIAL"}


def test_ip_groups_refuse_non_ip_targets(lattice: Any) -> None:
    tg = served_target_group(lattice)
    result = lattice.register_targets(
        targetGroupIdentifier=tg["id"], targets=[{"id": "i-0123456789abcdef0"}]
    )
    assert result["successful"] == []
    assert result["unsuccessful"][0]["failureCode"] == "InvalidTarget"


def test_list_targets_filters_and_paginates(lattice: Any) -> None:
    tg = served_target_group(lattice)
    ips = [{"id": f"10.0.1.{i}"} for i in range(10, 15)]
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=ips)
    pages = list(
        lattice.get_paginator("list_targets").paginate(
            targetGroupIdentifier=tg["id"], PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert sorted(t["id"] for p in pages for t in p["items"]) == sorted(t["id"] for t in ips)
    only = lattice.list_targets(
        targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.12", "port": 80}]
    )
    assert [t["id"] for t in only["items"]] == ["10.0.1.12"]


def test_target_calls_on_unknown_groups_are_not_found(lattice: Any) -> None:
    for call in (lattice.register_targets, lattice.deregister_targets):
        with pytest.raises(ClientError) as exc:
            call(targetGroupIdentifier="tg-12345678901234567", targets=[{"id": "10.0.1.10"}])
        assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        lattice.list_targets(targetGroupIdentifier="tg-12345678901234567")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_more_than_100_targets_in_one_call_is_invalid(lattice: Any) -> None:
    tg = target_group(lattice)
    with pytest.raises(ClientError) as exc:
        lattice.register_targets(
            targetGroupIdentifier=tg["id"], targets=[{"id": f"10.0.1.{i}"} for i in range(101)]
        )
    assert exc.value.response["Error"]["Code"] == "ValidationException"


def test_the_timeline_keeps_each_targets_moments_after_it_is_gone(lattice: Any, aws: Any) -> None:
    tg = served_target_group(lattice)
    start = aws.advance(0)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    aws.advance(10)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.11"}])
    aws.advance(200)
    lattice.deregister_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    aws.advance(301)  # drained: gone from list-targets, kept in the timeline
    assert targets(lattice, tg["id"]) == {"10.0.1.11": "HEALTHY"}
    moments = {t["id"]: t for t in aws.target_timeline(tg["arn"])}
    assert (moments["10.0.1.10"]["healthyAt"], moments["10.0.1.11"]["healthyAt"]) == (
        start + 30,
        start + 40,
    )
    assert moments["10.0.1.10"]["drainingSince"] == start + 210
    assert moments["10.0.1.11"]["unhealthyAt"] is None


def test_the_timeline_says_when_a_failing_target_turned_unhealthy(lattice: Any, aws: Any) -> None:
    tg = served_target_group(lattice)
    aws.inject("unhealthy-targets:myservice-tg")
    start = aws.advance(0)
    lattice.register_targets(targetGroupIdentifier=tg["id"], targets=[{"id": "10.0.1.10"}])
    (moment,) = aws.target_timeline(tg["arn"])
    assert (moment["unhealthyAt"], moment["healthyAt"]) == (start + 60, None)
