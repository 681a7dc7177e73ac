"""State ``register_targets`` (``registration: direct`` only): register the service's running task
IPs in the target group and deregister IPs whose tasks are gone, for accounts that cannot give ECS
the VPC Lattice infrastructure role. Runs on every poll, so replaced tasks are followed."""

from __future__ import annotations

from typing import Any

from . import targets
from .step import record, step


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    add, remove = targets.sync(event["plan"], event["resources"]["targetGroup"]["arn"])
    return record("updated" if add or remove else "unchanged", registered=add, deregistered=remove)
