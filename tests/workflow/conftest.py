"""Whole executions through the local runner: the stack from template.yaml, the real ASL, the real
handlers, the embedded AWS; Wait and Retry advance virtual time, nothing sleeps."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.emulator.calls import CALLS
from lattice_deploy.runner import run, stack, targets

from . import policies

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "myservice"


class Local:
    """An embedded account with the stack deployed, and ways to deploy bundles into it."""

    def __init__(self, aws: EmbeddedAws, parameters: dict[str, Any] | None = None) -> None:
        self.aws = aws
        made = stack.deploy(aws.region, parameters=parameters)
        self.stack = made
        self.target = targets.Target(
            boto3.session.Session(region_name=aws.region),
            made.bucket,
            made.state_machine_arn,
            made.definition,
        )
        self.lines: list[str] = []

    def deploy(self, directory: Path, environment: str | None = None) -> dict[str, Any]:
        self.lines = []
        return run.deploy_bundle(self.target, directory, environment, self.lines.append)

    def history(self, summary: dict[str, Any]) -> list[dict[str, Any]]:
        sfn = self.aws.client("stepfunctions")
        pages = sfn.get_paginator("get_execution_history").paginate(
            executionArn=summary["executionArn"]
        )
        return [e for page in pages for e in page["events"]]


@pytest.fixture
def local() -> Iterator[Local]:
    """After the test, every action a function's requests needed is one its policy in
    template.yaml allows (a request AWS would refuse fails the test that made it)."""
    CALLS.reset()
    with EmbeddedAws() as aws:
        made = Local(aws)
        yield made
        missing = policies.not_granted(made.stack.functions)
    assert not missing, "actions called but not granted in template.yaml:\n" + "\n".join(missing)


@pytest.fixture
def bundle(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the example bundle, edited: ``bundle(service=…, task=…, config=…)``."""

    def make(
        name: str = "myservice",
        service: Callable[[dict[str, Any]], None] | None = None,
        task: Callable[[dict[str, Any]], None] | None = None,
        config: str | None = None,
    ) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLE, target)
        for filename, edit in (("ecs-service-def.json", service), ("ecs-task-def.json", task)):
            if edit:
                data = json.loads((target / filename).read_text())
                edit(data)
                (target / filename).write_text(json.dumps(data, indent=2))
        if config is not None:
            (target / "ecspresso.yml").write_text(config)
        return target

    return make
