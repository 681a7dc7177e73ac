"""ListTasks by service and DescribeTasks, read from the tasks' indexes, within one cluster.

Why: moto's ListTasks and DescribeTasks walk every task of the account (each ARN rebuilt, each
requested id searched for as a substring of every ARN) on each call; a deployment's health gate
asks both at every poll, and a fleet of 1,000 services holds 4,000 tasks after one push. AWS reads
one cluster: "If you do not specify a cluster, the default cluster is assumed" (ECS API
Reference, ListTasks and DescribeTasks, ``cluster``); moto's DescribeTasks looks in every cluster
and its ListTasks matches the cluster's name as a substring of each task's cluster ARN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from moto.ecs.models import Task
from moto.utilities.utils import get_partition

if TYPE_CHECKING:
    from .models import EmulatedEcsBackend


def of_service(
    backend: EmulatedEcsBackend, cluster_str: str | None, service_name: str, desired: str
) -> list[Task]:
    """The tasks the service's scheduler started in the cluster, by desired status."""
    cluster = backend._get_cluster(cluster_str or "default")
    held = backend.tasks.get(cluster.name, {})
    name = service_name.rsplit("/", 1)[-1]
    started = backend._tasks_of.get(f"{cluster.name}:{name}", {})
    return [t for arn, t in started.items() if arn in held and t.desired_status == desired]


def described(
    backend: EmulatedEcsBackend, cluster_str: str | None, idents: list[str]
) -> list[Task]:
    """The cluster's tasks named by ARN (long or short form) or id, each once, in the order
    asked; one not found is left out, as moto leaves it."""
    cluster = backend._get_cluster(cluster_str or "default")
    held = backend.tasks.get(cluster.name, {})
    region, account = backend.region_name, backend.account_id
    prefix = f"arn:{get_partition(region)}:ecs:{region}:{account}:task/"
    found: dict[int, Task] = {}
    for ident in idents:
        task_id = ident.rsplit("/", 1)[-1]
        for arn in (ident, f"{prefix}{cluster.name}/{task_id}", f"{prefix}{task_id}"):
            task = held.get(arn)
            if task is not None:
                found.setdefault(id(task), task)
                break
    for task in found.values():
        task.advance()
    return list(found.values())
