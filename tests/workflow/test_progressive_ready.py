"""A new target group is CREATE_IN_PROGRESS before ACTIVE, and a read right after its create may
not find it yet: ``ensure_lattice`` answers NotReady and its Retry runs it again, so ECS is
only ever given ACTIVE groups (issue #24)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Local
from .test_progressive import bundle_of


@pytest.mark.parametrize(
    "fault",
    [
        "creating:dev-checkout-targetgroup-alt:20",  # ACTIVE 20 s of virtual time after it
        "fail:GetTargetGroup:ResourceNotFoundException:1",  # the read right after the create
    ],
)
def test_a_new_alternate_group_is_waited_for(local: Local, tmp_path: Path, fault: str) -> None:
    local.aws.inject(fault)
    first = local.deploy(bundle_of(tmp_path, "nginx:1.27"))
    assert first["status"] == "SUCCEEDED", first.get("failure")
    retried = [
        e
        for e in local.history(first)
        if (e.get("taskFailedEventDetails") or e.get("lambdaFunctionFailedEventDetails") or {}).get(
            "error"
        )
        == "NotReady"
    ]
    assert retried, "ensure_lattice was not retried"
    api = local.aws.client("vpc-lattice")
    statuses = {g["name"]: g["status"] for g in api.list_target_groups()["items"]}
    assert statuses == {
        "dev-checkout-targetgroup": "ACTIVE",
        "dev-checkout-targetgroup-alt": "ACTIVE",
    }
