"""State ``register_targets`` (``registration: direct`` only): register the service's running task
IPs in the target group and deregister IPs whose tasks are gone, for accounts that cannot give ECS
the VPC Lattice infrastructure role. Runs on every poll, so replaced tasks are followed."""

from __future__ import annotations

from typing import Any

from . import ecs, lattice, targets
from .step import record, step


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    plan, group = event["plan"], event["resources"]["targetGroup"]
    port = plan["lattice"]["containerPort"]
    running = {ip for ip, status in ecs.task_ips(plan).items() if status == "RUNNING"}
    current = {
        ip for ip, t in targets.statuses(plan, group["arn"]).items() if t["status"] != "DRAINING"
    }
    api = lattice.client(plan)
    add, remove = sorted(running - current), sorted(current - running)
    for start in range(0, len(add), 100):
        batch = [{"id": ip, "port": port} for ip in add[start : start + 100]]
        api.register_targets(targetGroupIdentifier=group["arn"], targets=batch)
    for start in range(0, len(remove), 100):
        batch = [{"id": ip, "port": port} for ip in remove[start : start + 100]]
        api.deregister_targets(targetGroupIdentifier=group["arn"], targets=batch)
    return record("updated" if add or remove else "unchanged", registered=add, deregistered=remove)
