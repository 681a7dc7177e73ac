"""An embedded account with the stack deployed and the example bundle in its bucket (uploaded as
``deploy`` uploads it, not run: doctor is for before the first deploy), and doctor run against
it in process. Every run asserts, from the emulator's call record, that doctor made reads only."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from lattice_deploy.cli import main
from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.emulator.calls import CALLS, is_mutating
from lattice_deploy.runner import execution, stack

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "myservice"


class Account:
    def __init__(self, aws: EmbeddedAws) -> None:
        self.aws = aws
        self.stack = stack.deploy(aws.region)
        self.upload(EXAMPLE)
        self.text = ""

    def upload(self, directory: Path) -> None:
        files = execution.read_bundle(directory)
        service = execution.service_of(execution.rendered(files))
        execution.upload(self.aws.client("s3"), self.stack.bucket, service, files)

    def function(self, logical_id: str) -> str:
        return self.stack.functions[logical_id]

    def role(self, logical_id: str) -> str:
        """The function's role name, as the stack made it (SAM's ``<Function>Role``)."""
        arn = self.aws.client("lambda").get_function_configuration(
            FunctionName=self.function(logical_id)
        )["Role"]
        return str(arn).rsplit("/", 1)[1]

    def doctor(self, *args: str, json_out: bool = True) -> tuple[int, dict[str, Any]]:
        """Run ``lattice-deploy doctor`` here; its exit code and --json document (the text
        lines in :attr:`text` without --json). Fails if doctor made any mutating call."""
        self.aws.reset_calls()
        out = io.StringIO()
        argv = ["doctor", "--region", self.aws.region, *(["--json"] if json_out else []), *args]
        with redirect_stdout(out):
            code = main.main(argv)
        made = self.aws.calls()["calls"]
        writes = sorted(op for op in made if is_mutating(op.split(":", 1)[1]))
        assert not writes, f"doctor made mutating calls: {writes}"
        assert made, "doctor read nothing"
        self.text = out.getvalue()
        return code, (json.loads(self.text) if json_out else {})


def failing(document: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Each failing check's failing findings, by check key."""
    return {
        c["check"]: [f for f in c["findings"] if f["status"] == "fail"]
        for c in document["checks"]
        if c["status"] == "fail"
    }


@pytest.fixture
def account() -> Iterator[Account]:
    CALLS.reset()
    with EmbeddedAws() as aws:
        yield Account(aws)


@pytest.fixture
def bundle(tmp_path: Path) -> Callable[..., Path]:
    """A copy of the example bundle, its service definition edited."""

    def make(edit: Callable[[dict[str, Any]], None]) -> Path:
        target = tmp_path / "bundle"
        shutil.copytree(EXAMPLE, target)
        path = target / "ecs-service-def.json"
        data = json.loads(path.read_text())
        edit(data)
        path.write_text(json.dumps(data, indent=2))
        return target

    return make
