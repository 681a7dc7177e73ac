"""The tasks of a Fargate service: their lifecycle in virtual time, as the ECS Developer Guide
("Amazon ECS task lifecycle") and the API Reference (Task, Container) describe it.

Starting: PROVISIONING -> PENDING -> RUNNING. Stopping, as the Developer Guide's task lifecycle
page orders it: RUNNING -> DEACTIVATING (the task's load balancer targets, here its Lattice
targets, are deregistered) -> STOPPING (the containers are sent SIGTERM) -> DEPROVISIONING (the
ENI is detached) -> STOPPED. ``desiredStatus`` is STOPPED from the moment the stop is asked for.
The guide names the states, not their length: the durations below are this emulator's choice.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from moto.ecs.models import Task, TaskDefinition

from ..clock import CLOCK
from ..faults import FAULTS
from ..vpclattice.targets import DRAIN_SECONDS

if TYPE_CHECKING:
    from .models import LatticeAwareService

PROVISIONING_SECONDS = 10.0
"""PROVISIONING: ECS attaches the task's ENI (awsvpc)."""
STARTUP_SECONDS = 30.0
"""Until RUNNING: PROVISIONING, then PENDING while the image is pulled and the containers start.
The ECS Developer Guide ("Amazon ECS task lifecycle") documents the states, not their length;
these are a small image's on FARGATE. The task's Lattice targets are registered as it becomes
RUNNING (its ACTIVATING step, instant here)."""
DEACTIVATING_SECONDS = DRAIN_SECONDS
"""DEACTIVATING lasts while the task's Lattice targets drain (a task registered in none skips
it): ECS deregisters the targets in this state; AWS does not say it waits out the draining, we
chose that it does, as it waits out an ELB target group's deregistration delay."""
STOPPING_SECONDS = 5.0
"""STOPPING: chosen short; the containers exit on SIGTERM, well within ``stopTimeout``'s 30 s
default ("If this parameter isn't specified, the default value of 30 seconds is used",
ContainerDefinition)."""
DEPROVISIONING_SECONDS = 5.0
"""DEPROVISIONING: the ENI is detached and deleted; chosen short."""
STOPPED_EXIT_CODE = 0
"""The containers' ``exitCode`` once stopped by the scheduler: chosen 0, a clean exit on
SIGTERM. A task that never started has none (its containers never ran)."""


class FargateTask(Task):
    """A task of a service: its deployment, its address and a lifecycle in virtual time."""

    def __init__(self, service: LatticeAwareService, deployment_id: str, ip: str, **kwargs: Any):
        self.fails_to_start = False
        self.started_at_v = CLOCK.now()
        self.stopping_at_v: float | None = None
        """When the stop was asked for (it left RUNNING, or PENDING)."""
        self.deactivating_for = 0.0
        super().__init__(**kwargs)
        # Its own definition: tasks keep running on a revision deleted after they started (AWS).
        self.definition: TaskDefinition = kwargs["task_definition"]
        self.own_containers = [
            TaskContainer(self, c) for c in self.definition.container_definitions
        ]
        self.containers = self.own_containers  # type: ignore[assignment]  # what DescribeTasks shows
        self.service_name, self.deployment_id, self.ip = service.name, deployment_id, ip
        self.created_at = CLOCK.datetime()
        self.stop_code: str | None = None
        self.registered = False
        revision = self.task_definition_arn.rsplit(":", 1)[-1]
        self.fault_names = [service.name, f"{service.name}:{revision}", ip]
        account = service._account_id
        self.fails_to_start = FAULTS.matches(account, "tasks-fail-to-start", self.fault_names)
        self.unhealthy = FAULTS.matches(account, "unhealthy-targets", self.fault_names)

    def stop(self, reason: str, code: str, at: float) -> None:
        """Ask it to stop at ``at``: it passes the stopping states from there."""
        if self.stopping_at_v is not None:
            return
        self.stopping_at_v, self.desired_status = at, "STOPPED"
        self.stopped_reason, self.stop_code = reason, code
        self.deactivating_for = DEACTIVATING_SECONDS if self.registered else 0.0

    @property
    def running_at(self) -> float | None:
        """When it becomes RUNNING (None: never, it cannot start)."""
        return None if self.fails_to_start else self.started_at_v + STARTUP_SECONDS

    @property
    def stopped_at_v(self) -> float | None:
        """When it is (or will be) STOPPED; None while it is not stopping."""
        if self.stopping_at_v is None:
            return None
        return self.execution_stopped_at_v + DEPROVISIONING_SECONDS  # type: ignore[operator]

    @property
    def execution_stopped_at_v(self) -> float | None:
        """When its containers have exited: the end of STOPPING."""
        if self.stopping_at_v is None:
            return None
        return self.stopping_at_v + self.deactivating_for + STOPPING_SECONDS

    @property
    def started_at(self) -> datetime | None:
        """DescribeTasks' ``startedAt``: "the time when the task transitioned from the PENDING
        state to the RUNNING state" (ECS API Reference, Task), absent before that."""
        running_at = self.running_at
        ended = CLOCK.now() if self.stopping_at_v is None else self.stopping_at_v
        return None if running_at is None or ended < running_at else CLOCK.datetime(running_at)

    @property
    def stopping_at(self) -> datetime | None:
        """``stoppingAt``: "the time when the task transitions from the RUNNING state to
        STOPPING" (API Reference, Task); here: when the stop was asked for."""
        return None if self.stopping_at_v is None else CLOCK.datetime(self.stopping_at_v)

    @property
    def execution_stopped_at(self) -> datetime | None:
        """``executionStoppedAt``: "the time when the task execution stopped" (API Reference),
        once the containers have exited."""
        return self._once(self.execution_stopped_at_v)

    @property
    def stopped_at(self) -> datetime | None:
        """``stoppedAt``: "the time when the task transitioned from the RUNNING state to the
        STOPPED state" (API Reference, Task); absent until it is STOPPED."""
        return self._once(self.stopped_at_v)

    @property
    def last_status(self) -> str:
        now = CLOCK.now()
        if self.stopping_at_v is not None and now >= self.stopping_at_v:
            if now >= self.stopped_at_v:  # type: ignore[operator]
                return "STOPPED"
            if now >= self.execution_stopped_at_v:  # type: ignore[operator]
                return "DEPROVISIONING"
            if now >= self.stopping_at_v + self.deactivating_for:
                return "STOPPING"
            return "DEACTIVATING"
        if now - self.started_at_v < PROVISIONING_SECONDS:
            return "PROVISIONING"
        running_at = self.running_at
        return "RUNNING" if running_at is not None and now >= running_at else "PENDING"

    @last_status.setter
    def last_status(self, value: str) -> None:
        """moto sets it (RUNNING at creation); the state is derived from virtual time."""

    @property
    def health_status(self) -> str:
        """ "determined by the health of the essential containers in the task. If all essential
        containers in the task are reporting as HEALTHY, the task status also reports as
        HEALTHY. If any essential containers in the task are reporting as UNHEALTHY or UNKNOWN,
        the task status also reports as UNHEALTHY or UNKNOWN" (API Reference, Task)."""
        states = {c.health_status for c in self.own_containers if c.essential}
        for state in ("UNHEALTHY", "UNKNOWN"):
            if state in states:
                return state
        return "HEALTHY" if states else "UNKNOWN"

    @health_status.setter
    def health_status(self, value: str) -> None:
        """Derived from the containers (moto's Task sets none; kept for its setters)."""

    def _once(self, at: float | None) -> datetime | None:
        return None if at is None or CLOCK.now() < at else CLOCK.datetime(at)


class TaskContainer:
    """One container of a task, as DescribeTasks' ``containers`` shows it (moto shows only the
    first container definition's, always HEALTHY)."""

    def __init__(self, task: FargateTask, definition: dict[str, Any]) -> None:
        self._task, self._definition = task, definition
        self.name, self.image = definition.get("name"), definition.get("image")
        self.essential = definition.get("essential", True)
        self.container_arn = f"{task.task_arn.replace(':task/', ':container/')}/{self.name}"
        self.task_arn = task.task_arn
        self.cpu, self.memory = definition.get("cpu", 0), definition.get("memory")
        self.network_interfaces: list[dict[str, Any]] = []

    @property
    def last_status(self) -> str:
        """PENDING until the task runs; RUNNING until the task's containers exit; STOPPED."""
        status = self._task.last_status
        if status in ("PROVISIONING", "PENDING"):
            return "PENDING"
        if status in ("DEPROVISIONING", "STOPPED"):
            return "STOPPED"
        return "RUNNING"

    @property
    def exit_code(self) -> int | None:
        """ "The exit code returned from the container" (API Reference, Container): once it is
        STOPPED, if it ever ran (:data:`STOPPED_EXIT_CODE`)."""
        ran = self._task.started_at is not None
        return STOPPED_EXIT_CODE if ran and self.last_status == "STOPPED" else None

    @property
    def health_status(self) -> str:
        """ "If health checks aren't configured for this container in its task definition, then
        it reports the health status as UNKNOWN" (API Reference, Container). With one, the
        emulator runs no command: chosen HEALTHY while the container is RUNNING (UNKNOWN
        otherwise)."""
        if not self._definition.get("healthCheck"):
            return "UNKNOWN"
        return "HEALTHY" if self.last_status == "RUNNING" else "UNKNOWN"
