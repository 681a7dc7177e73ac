"""Copies of the example bundles as other services, for tests that need several."""

from __future__ import annotations

import json
import shutil
from pathlib import Path


def renamed(source: Path, tmp_path: Path, service: str) -> Path:
    """``source`` as service ``service``: its own ECS service, task family and Lattice side."""
    target = tmp_path / service
    shutil.copytree(source, target)
    for name, key in (("ecs-service-def.json", "serviceName"), ("ecs-task-def.json", "family")):
        data = json.loads((target / name).read_text())
        data[key] = service
        (target / name).write_text(json.dumps(data))
    config = (target / "ecspresso.yml").read_text()
    config = config.replace(f"service: {source.name}", f"service: {service}")
    (target / "ecspresso.yml").write_text(config)
    return target
