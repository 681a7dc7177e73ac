"""``lattice-deploy init`` round trip: init → validate → deploy makes no mutating call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lattice_deploy.cli.main import main

from .conftest import EXAMPLE, Local


def test_init_writes_a_bundle_that_validates_and_redeploys_as_a_no_op(
    local: Local, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    written = tmp_path / "bundle"
    assert (
        main(["init", "--cluster", "my-cluster", "--service", "myservice", "--dir", str(written)])
        == 0
    )
    service = json.loads((written / "ecs-service-def.json").read_text())
    (wiring,) = service["vpcLatticeConfigurations"]
    assert wiring["portName"] == "http" and ":targetgroup/" in wiring["targetGroupArn"]
    origin = json.loads((EXAMPLE / "ecs-service-def.json").read_text())
    assert service["serviceConnectConfiguration"] == origin["serviceConnectConfiguration"]
    task = json.loads((written / "ecs-task-def.json").read_text())
    assert task["family"] == "myservice" and "taskDefinitionArn" not in task
    assert main(["validate", str(written)]) == 0
    capsys.readouterr()
    local.aws.reset_calls()
    again = local.deploy(written)
    assert again["status"] == "SUCCEEDED"
    assert again["calls"]["phases"]["deploy"]["mutating"] == 0


def test_init_refuses_a_service_that_does_not_run(
    local: Local, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["init", "--cluster", "my-cluster", "--service", "nope", "--dir", str(tmp_path)]) == 2
    )
    assert "no ACTIVE service 'nope' in cluster 'my-cluster'" in capsys.readouterr().out
