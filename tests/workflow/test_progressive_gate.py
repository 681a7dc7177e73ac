"""The health gate ECS asks during its own progressive deployments (:mod:`deployer.lifecycle_hook`)
and the run's reading of ECS's deployment (:mod:`deployer.follow_deployment`), at the edges AWS
documents: services above DescribeTasks' 100 tasks, ECS's rollback re-invoking the shift hooks, a
hook's timeout, the previous deployment in ListServiceDeployments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import Local
from .test_progressive import bundle_of, running_image


def sized(directory: Path, desired: int) -> Path:
    """The bundle with ``desiredCount`` set."""
    path = directory / "ecs-service-def.json"
    service = json.loads(path.read_text())
    service["desiredCount"] = desired
    path.write_text(json.dumps(service))
    return directory


def test_a_blue_green_service_above_50_tasks_passes_the_gate(local: Local, tmp_path: Path) -> None:
    """60 blue and 60 green tasks run at POST_SCALE_UP: 120 task ARNs, more than the 100 one
    DescribeTasks takes. The gate asks in batches; asked at once, it answers FAILED and ECS rolls
    back."""
    deployment = {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 0}
    first = local.deploy(sized(bundle_of(tmp_path, "nginx:1.27", **deployment), 60))
    assert first["status"] == "SUCCEEDED", first.get("failure")
    second = local.deploy(sized(bundle_of(tmp_path, "nginx:1.28", **deployment), 60))
    assert second["status"] == "SUCCEEDED", second.get("failure")
    assert running_image(local) == "nginx:1.28"
