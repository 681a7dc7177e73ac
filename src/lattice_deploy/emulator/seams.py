"""Where the emulated VPC Lattice meets the emulated ECS: one seam, one direction.

ECS → VPC Lattice, as on AWS, where ECS is a client of VPC Lattice: it registers a task's IP in
its target groups, moves listener rule weights and reads its targets' health through
:mod:`.vpclattice`'s backend and exceptions. VPC Lattice never imports :mod:`.ecs`; the little it
asks of the tasks behind its IP targets is :class:`Tasks`, which ECS's backend provides and
:func:`.install.install` joins once (:func:`join`).

Why: the two imported each other (Lattice asked ECS's backend, ECS Lattice's), which made them
one package in two folders and a circle ``make lint`` refuses (import-linter, pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Tasks(Protocol):
    """What VPC Lattice needs of the tasks behind its targets, in an account and a region."""

    def reconcile_all(self) -> None:
        """Catch up with virtual time: tasks that became RUNNING register their targets."""

    def task_ports(self, ip: str) -> dict[int, str] | None:
        """The ports the live task with this IP listens on, each with its HTTP version (HTTP1,
        HTTP2); None when no task has the IP (a target registered by hand answers on any)."""

    def task_names(self, ip: str) -> list[str]:
        """The names a fault matches for the live task with this IP (none: not a task's)."""


class _NoTasks:
    """Before the join (VPC Lattice alone): no task has any IP."""

    def reconcile_all(self) -> None:
        return None

    def task_ports(self, ip: str) -> dict[int, str] | None:
        return None

    def task_names(self, ip: str) -> list[str]:
        return []


TasksOf = Callable[[str, str], Tasks]
"""``(account_id, region_name)`` → that account's tasks in that region."""

_NONE = _NoTasks()
_tasks_of: TasksOf = lambda account_id, region_name: _NONE  # noqa: E731


def join(tasks_of: TasksOf) -> None:
    """Give VPC Lattice the tasks behind its targets (idempotent: the last join holds)."""
    global _tasks_of
    _tasks_of = tasks_of


def tasks(account_id: str, region_name: str) -> Tasks:
    """The tasks VPC Lattice's backend of this account and region sees behind its targets."""
    return _tasks_of(account_id, region_name)
