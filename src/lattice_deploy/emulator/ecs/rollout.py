"""ECS rollouts in virtual time, as the ECS scheduler runs them.

Why lazily: nothing runs in the background, so each ECS read (and each VPC Lattice request) first
replays, in time order, what the scheduler would have done since the last read: a task that became
RUNNING is registered in its target groups; a task whose Lattice target turned UNHEALTHY (or
that failed to start) is stopped and counted in ``failedTasks``, and replaced; the deployment
circuit breaker fails the rollout at its threshold (and rolls back if asked); a deployment whose
``desiredCount`` tasks are RUNNING with every Lattice target HEALTHY is COMPLETED, and then the
older deployments' tasks are deregistered (their targets drain) and stopped.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from moto.moto_api._internal import mock_random

from ..clock import CLOCK
from ..epoch import EPOCH, group_key, service_key
from . import progressive

if TYPE_CHECKING:
    from .models import EmulatedEcsBackend, LatticeAwareService
    from .tasks import FargateTask

TASK_START_FAILURE_SECONDS = 30.0
"""How long a task that cannot start stays PENDING before ECS stops it."""
MAX_EVENTS_PER_READ = 1000


def failure_threshold(desired_count: int) -> int:
    """The circuit breaker's threshold: half the desired count, at least 3, at most 200."""
    return min(200, max(3, math.ceil(desired_count * 0.5)))


def reconcile(backend: EmulatedEcsBackend, service: LatticeAwareService) -> None:
    """Replay what is due. Not again from inside itself: a lifecycle hook it invokes reads the
    service, and sees it as it is at that moment."""
    if service.reconciling:
        return
    service.reconciling = True
    try:
        keys = epoch_keys(service)
        stamp, now = EPOCH.stamp(keys), CLOCK.now()
        for _ in range(MAX_EVENTS_PER_READ):
            if not _next_event(backend, service, now):
                caught_up = True
                break
        else:
            caught_up = False  # more is due: the next read goes on
        _update_counts(backend, service, now)
        service.quiet = (keys, stamp, quiet_until(backend, service, now) if caught_up else 0.0)
    finally:
        service.reconciling = False


def epoch_keys(service: LatticeAwareService) -> tuple[str, ...]:
    """What a change to moves ``service`` on (:mod:`..epoch`): the service, and each target
    group its tasks register in or its deployments name."""
    groups = set()
    configs = list(service.vpc_lattice_configurations)
    for deployment in service.deployments:
        configs += progressive.registered_in(deployment)
        configs += deployment.get("vpcLatticeConfigurations") or []
    for config in configs:
        groups.add(config.get("targetGroupArn") or "")
        groups.add((progressive.advanced([config]) or {}).get("alternateTargetGroupArn") or "")
    found = (group_key(arn) for arn in sorted(groups) if arn)
    return (service_key(service.cluster_name, service.name), *(key for key in found if key))


def quiet_until(backend: EmulatedEcsBackend, service: LatticeAwareService, now: float) -> float:
    """Until when a replay of ``service``, caught up at ``now``, can only find nothing to do as
    long as nothing else changes (:mod:`..epoch`): its own next moment. A rolling deployment
    moves only at moments of its tasks and their targets: a task turning RUNNING (it is
    registered; ``runningCount`` moves), a target turning HEALTHY (the rollout can complete,
    ``failedTasks`` resets) or UNHEALTHY, a task failing to start (:func:`_fails_at`); between
    them every replay finds what the last one found. A progressive deployment or its rollback
    (stages that bake, lifecycle hooks) and faults in force (a rule with ``after`` acts on the
    clock): never quiet (0)."""
    if backend.faults_in_force() or progressive.rolling_back(service) is not None:
        return 0.0
    if any(d.get("progressive") for d in service.deployments):
        return 0.0
    moments: list[float | None] = []
    for task in backend.service_tasks(service):
        moments += (task.running_at, _fails_at(backend, task))
        moments += (t.healthy_at(h, used) for t, h, used in _targets(backend, task))
    return min((at for at in moments if at is not None and at > now), default=math.inf)


def _next_event(backend: EmulatedEcsBackend, service: LatticeAwareService, now: float) -> bool:
    """Apply the earliest event due by ``now``; False when nothing is due."""
    if not service.deployments:
        return False
    starting = [
        (at, task)
        for task in backend.service_tasks(service)
        if not task.registered and (at := task.running_at) is not None and at <= now
    ]
    due = [
        (at, task)
        for task in backend.service_tasks(service)
        if (at := _fails_at(backend, task)) is not None and at <= now
    ]
    first = min(starting, key=lambda pair: pair[0], default=None)
    failure = min(due, key=lambda pair: pair[0], default=None)
    if first is not None and (failure is None or first[0] <= failure[0]):
        backend.register_task(first[1], first[0])  # it became RUNNING: ECS registers it
        return True
    if failure is not None:
        at, task = failure
        _fail_task(backend, service, task, at)
        _scale(backend, service, at)  # the scheduler replaces it at once
        return True
    if _scale(backend, service, now):
        return True
    if progressive.step_rollback(backend, service, now):  # ECS's rollback runs its hooks
        return True
    primary = service.deployments[0]
    if primary.get("progressive"):  # ECS's own strategy moves it on, stage by stage
        return progressive.step(backend, service, now)
    if primary["rolloutState"] == "IN_PROGRESS" and _steady(backend, service, primary, now):
        primary.update(
            rolloutState="COMPLETED",
            rolloutStateReason=f"ECS deployment {primary['id']} completed.",
            updatedAt=CLOCK.datetime(now),
            finishedAt=now,  # the service deployment's (ServiceDeployment.finishedAt)
        )
        for task in backend.service_tasks(service):
            if task.deployment_id != primary["id"]:
                backend.stop_service_task(task, "Scaling activity initiated by deployment", now)
        service.deployments = [primary]
        service_event(service, f"(service {service.name}) has reached a steady state.")
        return True
    return False


def _fails_at(backend: EmulatedEcsBackend, task: FargateTask) -> float | None:
    if task.fails_to_start:
        return task.started_at_v + TASK_START_FAILURE_SECONDS
    times = [t.unhealthy_at(health, in_use) for t, health, in_use in _targets(backend, task)]
    known = [t for t in times if t is not None]
    return min(known) if known else None


def _targets(
    backend: EmulatedEcsBackend, task: FargateTask
) -> list[tuple[Any, dict[str, Any], float | None]]:
    deployment = next(
        (d for d in backend._service_of(task).deployments if d["id"] == task.deployment_id), None
    )
    task_def = task.definition
    found = []
    for config, port in backend._lattice_ports(
        task_def, progressive.registered_in(deployment or {})
    ):
        target = backend.lattice.target(config["targetGroupArn"], task.ip, port)
        if target is not None:
            found.append(target)
    return found


def _fail_task(
    backend: EmulatedEcsBackend, service: LatticeAwareService, task: FargateTask, at: float
) -> None:
    if task.fails_to_start:
        reason, code = (
            "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
            "TaskFailedToStart",
        )
    else:
        reason, code = "Task failed VPC Lattice health checks", "ServiceSchedulerInitiated"
    backend.stop_service_task(task, reason, at, code)
    service_event(service, f"(service {service.name}) stopped 1 running tasks ({reason}).")
    deployment = next((d for d in service.deployments if d["id"] == task.deployment_id), None)
    if deployment is None or _reset_on_healthy(backend, service, deployment, at):
        return
    deployment["failedTasks"] += 1
    breaker = service.deployment_configuration.get("deploymentCircuitBreaker") or {}
    if (
        deployment is service.deployments[0]
        and deployment["rolloutState"] == "IN_PROGRESS"
        and breaker.get("enable")
        and deployment["failedTasks"] >= failure_threshold(deployment["desiredCount"])
    ):
        _trip_breaker(backend, service, deployment, at, bool(breaker.get("rollback")))


def _reset_on_healthy(
    backend: EmulatedEcsBackend, service: LatticeAwareService, deployment: dict[str, Any], at: float
) -> bool:
    """Whether ``failedTasks`` no longer counts, by ``at``: "Once a service deployment has one or
    more successfully running tasks, the failed task count resets to zero and stops being
    evaluated" (ECS API Reference, Deployment, ``failedTasks``). Successfully running is RUNNING
    with its health checks passing (every Lattice target HEALTHY): "a task that reaches a healthy
    state resets the failure count to 0 ... The default is true" (DeploymentCircuitBreaker,
    ``resetOnHealthyTask``; false: never reset)."""
    if deployment.get("healthyTaskSeen"):
        return True
    breaker = service.deployment_configuration.get("deploymentCircuitBreaker") or {}
    if breaker.get("resetOnHealthyTask") is False:
        return False
    healthy = any(
        task.running_at is not None
        and task.running_at <= at
        and task.registered
        and all(
            target.status(at, health, in_use)[0] == "HEALTHY"
            for target, health, in_use in _targets(backend, task)
        )
        for task in backend.service_tasks(service)
        if task.deployment_id == deployment["id"]
    )
    if healthy:
        deployment.update(healthyTaskSeen=True, failedTasks=0)
    return healthy


def _trip_breaker(
    backend: EmulatedEcsBackend,
    service: LatticeAwareService,
    failed: dict[str, Any],
    at: float,
    rollback: bool,
) -> None:
    failed.update(
        rolloutState="FAILED",
        rolloutStateReason="ECS deployment circuit breaker: tasks failed to start.",
        updatedAt=CLOCK.datetime(at),
        finishedAt=at,
    )
    service_event(
        service,
        f"(service {service.name}) deployment {failed['id']} deployment failed: "
        "tasks failed to start.",
    )
    if failed.get("progressive"):
        progressive.roll_back(backend, service, at, "tasks failed VPC Lattice health checks")
        return
    previous = next((d for d in service.deployments[1:] if d["rolloutState"] == "COMPLETED"), None)
    if not rollback or previous is None or failed.get("rollbackOf"):
        return  # ECS rolls back once; a failed rollback is left for the operator
    for task in backend.service_tasks(service):
        if task.deployment_id == failed["id"]:
            backend.stop_service_task(task, "Deployment rolled back by the circuit breaker", at)
    service.task_definition = previous["taskDefinition"]
    service.network_configuration = previous["networkConfiguration"]
    service.vpc_lattice_configurations = previous["vpcLatticeConfigurations"]
    service.service_connect = (
        previous.get("serviceConnectConfiguration"),
        previous.get("serviceConnectResources") or [],
    )
    rollback_to = backend.new_deployment(service)
    rollback_to["rollbackOf"] = failed["id"]
    rollback_to["rolloutStateReason"] = (
        f"ECS deployment circuit breaker: rolling back to deploymentId {previous['id']}."
    )
    failed["status"] = "ACTIVE"


def _scale(backend: EmulatedEcsBackend, service: LatticeAwareService, at: float) -> bool:
    """Start or stop tasks of the primary deployment to match its desired count."""
    primary = service.deployments[0]
    if primary["rolloutState"] == "FAILED":
        return False
    mine = [t for t in backend.service_tasks(service) if t.deployment_id == primary["id"]]
    if len(mine) < service.desired_count:
        for _ in range(service.desired_count - len(mine)):
            backend.start_service_task(service, primary, at)
        service_event(
            service,
            f"(service {service.name}) has started {service.desired_count - len(mine)} tasks.",
        )
        return True
    if len(mine) > service.desired_count:
        for task in sorted(mine, key=lambda t: t.started_at_v)[service.desired_count :]:
            backend.stop_service_task(task, "Scaling activity initiated by deployment", at)
        return True
    return False


def _steady(
    backend: EmulatedEcsBackend, service: LatticeAwareService, primary: dict[str, Any], now: float
) -> bool:
    mine = [t for t in backend.service_tasks(service) if t.deployment_id == primary["id"]]
    if len(mine) != service.desired_count or any(not t.registered for t in mine):
        return False
    return all(
        target.status(now, health, in_use)[0] == "HEALTHY"
        for task in mine
        for target, health, in_use in _targets(backend, task)
    )


def _update_counts(backend: EmulatedEcsBackend, service: LatticeAwareService, now: float) -> None:
    tasks = backend.service_tasks(service)
    for deployment in service.deployments:
        _reset_on_healthy(backend, service, deployment, now)
        mine = [t for t in tasks if t.deployment_id == deployment["id"]]
        running = sum(1 for t in mine if t.last_status == "RUNNING")
        counts = {"runningCount": running, "pendingCount": len(mine) - running}
        if any(deployment.get(k) != v for k, v in counts.items()):  # "last updated" (Deployment)
            deployment.update(counts, updatedAt=CLOCK.datetime(now))
    service.running_count = sum(1 for t in tasks if t.last_status == "RUNNING")
    service.pending_count = len(tasks) - service.running_count


def service_event(service: LatticeAwareService, message: str) -> None:
    service.events.insert(
        0, {"id": str(mock_random.uuid4()), "createdAt": CLOCK.datetime(), "message": message}
    )
