"""``validate --account`` (and the run's first state) refuses a deploy whose new target groups
would pass the Region's quota (500 by default; two groups a progressive service), counting the
account's groups through every page, before any change."""

from __future__ import annotations

from typing import Any

import pytest

from deployer.bundle.account_check import plan_of
from deployer.core.errors import BundleInvalid
from deployer.lattice import quotas
from lattice_deploy.emulator.servicequotas.models import servicequotas_backends
from lattice_deploy.runner import execution

from .conftest import EXAMPLE, Local

VPC = {"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}


def _fill(local: Local, count: int, start: int = 0) -> None:
    api = local.aws.client("vpc-lattice")
    for number in range(start, start + count):
        api.create_target_group(name=f"filler-{number:03d}", type="IP", config=VPC)


def _apply(local: Local, value: int) -> None:
    """The account's applied quota of target groups, as an approved increase sets it."""
    backend = servicequotas_backends[local.aws.account_id][local.aws.region]
    backend.apply("vpc-lattice", quotas.QUOTA_CODE, value)


def test_a_deploy_past_the_target_group_quota_is_refused_counting_every_page(
    local: Local,
) -> None:
    _apply(local, 101)  # past one page (100 a page)
    files = execution.rendered(execution.read_bundle(EXAMPLE))
    _fill(local, 100)
    plan_of(files, "plan", "dev")  # 100 and its one: at the quota, not past it
    _fill(local, 1, start=100)
    local.aws.reset_calls()
    with pytest.raises(BundleInvalid) as refused:
        plan_of(files, "plan", "dev")
    message = str(refused.value)
    assert "creates 1 VPC Lattice target group(s) (dev-myservice-targetgroup)" in message
    assert "the account has 101 in ap-northeast-1" in message
    assert "the quota is 101 target groups per Region (the account's (Service Quotas)" in message
    assert "delete-target-group" in message and "Service Quotas" in message
    assert local.aws.calls()["mutating"] == 0
    _apply(local, 102)  # raised: a fleet past the default is not refused its next service
    plan_of(files, "plan", "dev")


def test_the_documented_default_is_used_where_service_quotas_cannot_be_read(
    local: Local, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quotas, "TARGET_GROUPS_PER_REGION", 100)
    _fill(local, 100)
    local.aws.inject("fail:GetServiceQuota")
    files = execution.rendered(execution.read_bundle(EXAMPLE))
    with pytest.raises(BundleInvalid) as refused:
        plan_of(files, "plan", "dev")
    assert "the quota is 100 target groups per Region (the documented default (Service" in str(
        refused.value
    )


def _plan(progressive: bool, **group: Any) -> dict[str, Any]:
    lattice: dict[str, Any] = {"targetGroup": {"name": "dev-checkout-targetgroup", **group}}
    if progressive:
        lattice["progressive"] = {"alternateGroup": {"name": "dev-checkout-targetgroup-alt"}}
    return {"lattice": lattice}


def test_a_progressive_service_makes_two_groups_and_existing_or_adopted_ones_none() -> None:
    assert quotas.new_target_groups(_plan(False), set()) == ["dev-checkout-targetgroup"]
    assert quotas.new_target_groups(_plan(True), set()) == [
        "dev-checkout-targetgroup",
        "dev-checkout-targetgroup-alt",
    ]
    existing = {"dev-checkout-targetgroup", "dev-checkout-targetgroup-alt"}
    assert quotas.new_target_groups(_plan(True), existing) == []
    adopted = _plan(False, arn="arn:aws:vpc-lattice:ap-northeast-1:123456789012:targetgroup/tg-1")
    assert quotas.new_target_groups(adopted, set()) == []
