"""The fault matrix: every mutating operation the workflow calls x {permanent failure, throttle,
crash right after the call}, on a first deploy and on an update of a deployed service.

Every run must end SUCCEEDED, or FAILED and rolled back with the account exactly as it was before
(compared resource by resource, settings and tags included), the ECS service back on its previous
task definition; a SUCCEEDED run must leave exactly what a clean deploy leaves (no duplicates)."""

from __future__ import annotations

from typing import Any

import pytest

from lattice_deploy.emulator import EmbeddedAws

from .conftest import EXAMPLE, Local
from .snapshot import shape, snapshot

FIRST_DEPLOY_OPS = [
    "vpc-lattice.CreateServiceNetwork",
    "vpc-lattice.CreateServiceNetworkVpcAssociation",
    "vpc-lattice.CreateService",
    "vpc-lattice.CreateTargetGroup",
    "vpc-lattice.CreateListener",
    "vpc-lattice.CreateServiceNetworkServiceAssociation",
    "ecs.RegisterTaskDefinition",
    "ecs.CreateService",
]
UPDATE_OPS = ["ecs.RegisterTaskDefinition", "ecs.UpdateService"]
MODES = {"fail": "fail:{op}", "throttle": "throttle:{op}:5", "crash": "crash-after:{op}"}
CASES = [("first", op, mode) for op in FIRST_DEPLOY_OPS for mode in MODES] + [
    ("update", op, mode) for op in UPDATE_OPS for mode in MODES
]


def new_image(bundle: Any) -> Any:
    def edit(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:1.27"

    return bundle(task=edit)


@pytest.fixture(scope="module")
def clean_shapes() -> dict[str, Any]:
    """What a fault-free first deploy leaves, and the operations it calls (its own account,
    closed before the matrix's runs open theirs)."""
    with EmbeddedAws() as aws:
        local = Local(aws)
        aws.reset_calls()
        assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
        served = aws.calls()["mutatingCalls"]
        first_ops = sorted(
            k.replace(":", ".") for k in served if k.split(":")[0] in ("ecs", "vpc-lattice")
        )
        return {"first": shape(snapshot(aws)), "firstOps": first_ops}


def test_the_matrix_covers_every_mutating_operation_of_a_clean_deploy(
    clean_shapes: dict[str, Any],
) -> None:
    assert clean_shapes["firstOps"] == sorted(FIRST_DEPLOY_OPS)


@pytest.mark.parametrize(
    ("scenario", "operation", "mode"), CASES, ids=[f"{s}-{o}-{m}" for s, o, m in CASES]
)
def test_fault(
    local: Local,
    bundle: Any,
    clean_shapes: dict[str, Any],
    scenario: str,
    operation: str,
    mode: str,
) -> None:
    directory = EXAMPLE
    if scenario == "update":
        assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
        directory = new_image(bundle)
    before = snapshot(local.aws)
    previous_task_definition = [s[1] for s in before["ecsServices"]]
    local.aws.inject(MODES[mode].format(op=operation))
    summary = local.deploy(directory)
    after = snapshot(local.aws)
    if summary["status"] == "SUCCEEDED":
        assert mode == "throttle", f"{operation} {mode} should have failed the run"
        if scenario == "first":
            assert shape(after) == clean_shapes["first"]
        else:
            assert [s[1] for s in after["ecsServices"]] != previous_task_definition
        return
    assert mode != "throttle", summary["failure"]
    assert summary["rolledBack"] is True, summary["failure"]["message"]
    assert after == before, "the rollback left the account changed"
    assert [s[1] for s in after["ecsServices"]] == previous_task_definition
    assert "Rolled back" in summary["failure"]["message"]
