"""``rollback --endpoint-url`` against a running ``serve`` in its own process, as a user runs it:
two deploys, then a rollback, each a real execution there; its ECS service runs v1's image again.
Why one served run beside tests/workflow/test_cli_rollback.py (the in-process real-stack path):
the served target is found another way (``targets.served``), and the verb must work through it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lattice_deploy.cli.main import main
from lattice_deploy.runner.targets import EndpointSession
from serving import serving

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "myservice"


def _bundle(tmp_path: Path, image: str) -> Path:
    directory = tmp_path / image.replace(":", "-")
    shutil.copytree(EXAMPLE, directory)
    task = directory / "ecs-task-def.json"
    task.write_text(task.read_text().replace("nginx:latest", image))
    return directory


def test_rollback_through_serve_runs_the_previous_image_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(tmp_path / "serve.log") as url:
        for image in ("nginx:1.27", "nginx:1.28"):
            assert main(["deploy", str(_bundle(tmp_path, image)), "--endpoint-url", url]) == 0
        capsys.readouterr()
        assert main(["rollback", "myservice", "--endpoint-url", url, "--json"]) == 0
        summary = json.loads(capsys.readouterr().out)
        ecs = EndpointSession(url, "ap-northeast-1").client("ecs")
        (service,) = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"]
        task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    assert summary["status"] == "SUCCEEDED"
    assert task["taskDefinition"]["containerDefinitions"][0]["image"] == "nginx:1.27"
