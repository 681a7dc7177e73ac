"""The tasks of a Fargate service: their lifecycle in virtual time, as the ECS Developer Guide
("Amazon ECS task lifecycle") and the API Reference (Task, Container) describe it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from moto.ecs.models import Task, TaskDefinition

from ..clock import CLOCK
from ..faults import FAULTS

if TYPE_CHECKING:
    from .models import LatticeAwareService

PROVISIONING_SECONDS = 10.0
"""PROVISIONING: ECS attaches the task's ENI (awsvpc)."""
STARTUP_SECONDS = 30.0
"""Until RUNNING: PROVISIONING, then PENDING while the image is pulled and the containers start.
The ECS Developer Guide ("Amazon ECS task lifecycle") documents the states, not their length;
these are a small image's on FARGATE. The task's Lattice targets are registered as it becomes
RUNNING (its ACTIVATING step, instant here)."""


class FargateTask(Task):
    """A task of a service: its deployment, its address and a lifecycle in virtual time."""

    def __init__(self, service: LatticeAwareService, deployment_id: str, ip: str, **kwargs: Any):
        self._stopped, self.fails_to_start = False, False
        self.started_at_v = CLOCK.now()
        super().__init__(**kwargs)
        # Its own definition: tasks keep running on a revision deleted after they started (AWS).
        self.definition: TaskDefinition = kwargs["task_definition"]
        self.service_name, self.deployment_id, self.ip = service.name, deployment_id, ip
        self.created_at = CLOCK.datetime()
        self.health_status = "UNKNOWN"
        self.stop_code: str | None = None
        self.stopped_at: datetime | None = None
        self.stopped_at_v: float | None = None
        self.registered = False
        revision = self.task_definition_arn.rsplit(":", 1)[-1]
        self.fault_names = [service.name, f"{service.name}:{revision}", ip]
        account = service._account_id
        self.fails_to_start = FAULTS.matches(account, "tasks-fail-to-start", self.fault_names)
        self.unhealthy = FAULTS.matches(account, "unhealthy-targets", self.fault_names)

    @property
    def running_at(self) -> float | None:
        """When it becomes RUNNING (None: never, it cannot start)."""
        return None if self.fails_to_start else self.started_at_v + STARTUP_SECONDS

    @property
    def started_at(self) -> datetime | None:
        """DescribeTasks' ``startedAt``: "the time when the task transitioned from the PENDING
        state to the RUNNING state" (ECS API Reference, Task), absent before that."""
        running_at = self.running_at
        ended = CLOCK.now() if self.stopped_at_v is None else self.stopped_at_v
        return None if running_at is None or ended < running_at else CLOCK.datetime(running_at)

    @property
    def last_status(self) -> str:
        if self._stopped:
            return "STOPPED"
        elapsed = CLOCK.now() - self.started_at_v
        if elapsed < PROVISIONING_SECONDS:
            return "PROVISIONING"
        running_at = self.running_at
        return "RUNNING" if running_at is not None and CLOCK.now() >= running_at else "PENDING"

    @last_status.setter
    def last_status(self, value: str) -> None:
        self._stopped = self._stopped or value == "STOPPED"
