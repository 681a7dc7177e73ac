"""A service changing strategy, and target groups trading roles (issue #24's risks): a failed
ROLLING→CANARY switch is rolled back to ROLLING before the rules it made are deleted, and a
redeploy of an unchanged bundle after a canary starts no ECS deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .conftest import Local
from .snapshot import snapshot
from .test_progressive import bundle_of

CANARY = {
    "strategy": "CANARY",
    "bakeTimeInMinutes": 1,
    "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 2},
}


def service(local: Local) -> dict[str, Any]:
    ecs = local.aws.client("ecs")
    (found,) = ecs.describe_services(cluster="my-cluster", services=["checkout"])["services"]
    return dict(found)


def switch_fails(local: Local, tmp_path: Path, *faults: str) -> tuple[dict[str, Any], Any]:
    """A ROLLING service, then a CANARY bundle whose green tasks never turn healthy."""
    rolling = bundle_of(tmp_path, "nginx:1.27", strategy="ROLLING")
    assert local.deploy(rolling)["status"] == "SUCCEEDED"
    before = snapshot(local.aws)
    for fault in ("unhealthy-targets:checkout:2", *faults):
        local.aws.inject(fault)
    failed = local.deploy(bundle_of(tmp_path, "nginx:1.28", **CANARY))
    assert failed["status"] == "FAILED", failed
    return failed, before


def test_a_failed_switch_to_canary_is_rolled_back_to_rolling(local: Local, tmp_path: Path) -> None:
    failed, before = switch_fails(local, tmp_path)
    assert failed["rolledBack"] is True, failed.get("rollback")
    after = service(local)
    assert after["deploymentConfiguration"].get("strategy") == "ROLLING"
    assert not after["deploymentConfiguration"].get("lifecycleHooks")
    (primary,) = [d for d in after["deployments"] if d["status"] == "PRIMARY"]
    assert all("advancedConfiguration" not in c for c in primary["vpcLatticeConfigurations"])
    assert snapshot(local.aws) == before


def test_rules_are_kept_while_ecs_refuses_to_go_back_to_rolling(
    local: Local, tmp_path: Path
) -> None:
    """ECS keeps running CANARY on the rules and the alternate group its wiring names: the
    rollback leaves them (with their commands) rather than delete them under it."""
    failed, _ = switch_fails(local, tmp_path, "fail:ecs.UpdateService@rollback")
    assert failed["rolledBack"] is False
    assert service(local)["deploymentConfiguration"]["strategy"] == "CANARY"
    left = {p["type"] for p in failed["rollback"]["left"]}
    assert {"ecsService", "rule", "targetGroup"} <= left, failed["rollback"]["left"]
    api = local.aws.client("vpc-lattice")
    names = {g["name"] for g in api.list_target_groups()["items"]}
    assert "dev-checkout-targetgroup-alt" in names


def test_a_redeploy_after_a_canary_starts_no_ecs_deployment(local: Local, tmp_path: Path) -> None:
    assert local.deploy(bundle_of(tmp_path, "nginx:1.27", **CANARY))["status"] == "SUCCEEDED"
    second = local.deploy(bundle_of(tmp_path, "nginx:1.28", **CANARY))
    assert second["status"] == "SUCCEEDED", second.get("failure")
    deployments = service(local)["deployments"]
    (tmp_path / "again").mkdir()
    again = local.deploy(bundle_of(tmp_path / "again", "nginx:1.28", **CANARY))
    assert again["status"] == "SUCCEEDED", again.get("failure")
    assert service(local)["deployments"] == deployments
    made = {r["type"]: r["action"] for r in again["resources"]}
    assert made.get("ecsService") == "unchanged", made
    assert again["calls"]["phases"]["deploy"]["mutating"] == 0


def test_a_redeploy_is_unchanged_when_ecs_names_the_groups_swapped(
    local: Local, tmp_path: Path
) -> None:
    """AWS does not say whether DescribeServices names the pair swapped once the alternate group
    serves production: described that way, the same bundle is still unchanged."""
    from lattice_deploy.emulator.ecs.models import ecs_backends

    assert local.deploy(bundle_of(tmp_path, "nginx:1.27", **CANARY))["status"] == "SUCCEEDED"
    assert local.deploy(bundle_of(tmp_path, "nginx:1.28", **CANARY))["status"] == "SUCCEEDED"
    backend = ecs_backends[local.aws.account_id][local.aws.region]
    ecs = backend.services["my-cluster:checkout"]
    described = [*ecs.vpc_lattice_configurations, *ecs.deployments[0]["vpcLatticeConfigurations"]]
    for config in {id(c): c for c in described}.values():  # copies of the list share its items
        adv = config["advancedConfiguration"]
        config["targetGroupArn"], adv["alternateTargetGroupArn"] = (
            adv["alternateTargetGroupArn"],
            config["targetGroupArn"],
        )
    (tmp_path / "again").mkdir()
    again = local.deploy(bundle_of(tmp_path / "again", "nginx:1.28", **CANARY))
    assert again["status"] == "SUCCEEDED", again.get("failure")
    assert again["calls"]["phases"]["deploy"]["mutating"] == 0
