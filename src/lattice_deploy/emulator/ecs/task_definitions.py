"""Task definition revisions as ECS numbers and lists them, where moto 5.2 differs.

- ListTaskDefinitions sorts by family, then revision number, and filters by status
  (:meth:`sorted_task_definitions`; the response pages it).
- A revision number is never reused: moto numbers a new revision after the highest one it still
  holds, so a family whose newest revision was deleted got that number again. AWS: "The task
  definition name is retained by Amazon ECS and the revision is incremented the next time you
  create a task definition with that name" (Amazon ECS Developer Guide, "Deleting an Amazon ECS
  task definition revision using the console").
- A deregistered revision stays describable, INACTIVE (moto's). A deleted one is
  DELETE_IN_PROGRESS and "will stay in DELETE_IN_PROGRESS status until all the associated tasks
  and services have been terminated" (ECS API Reference, DeleteTaskDefinitions): still
  described and listed until then (moto forgets it at once), then gone. "You can't use a
  DELETE_IN_PROGRESS task definition revision to run new tasks or create new services. You also
  can't update an existing service to reference" one (same page): refused.
- ``family`` alone names "the latest ACTIVE revision" (DescribeTaskDefinition,
  ``taskDefinition``); moto takes the highest number, whatever its status.
- ListTaskDefinitionFamilies filters by ``status`` (moto ignores it): "If this parameter is set
  to ACTIVE, only task definition families that have an ACTIVE task definition revision are
  returned. If this parameter is set to INACTIVE, only task definition families that do not
  have any ACTIVE task definition revisions are returned" (ECS API Reference); a family whose
  every revision is deleted and gone is not listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from moto.ecs.exceptions import EcsClientException
from moto.ecs.models import EC2ContainerServiceBackend, TaskDefinition


class TaskDefinitionRules(EC2ContainerServiceBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self._highest_revision: dict[str, int] = {}

    def register_task_definition(self, family: str, *args: Any, **kwargs: Any) -> TaskDefinition:
        td: TaskDefinition = super().register_task_definition(family, *args, **kwargs)
        highest = self._highest_revision.get(family, 0)
        if td.revision <= highest:  # the number of a deleted revision: take the next one
            revisions = self.task_definitions[family]
            del revisions[td.revision]
            td.revision = highest + 1
            td.arn = f"{td.arn.rsplit(':', 1)[0]}:{td.revision}"
            revisions[td.revision] = td
        self._highest_revision[family] = td.revision
        return td

    def describe_task_definition(self, task_definition_str: str) -> TaskDefinition:
        self._forget_deleted()
        name = task_definition_str.rsplit("/", 1)[-1]
        if ":" not in name:  # the family: its latest ACTIVE revision
            active = [
                n for n, td in self.task_definitions.get(name, {}).items() if td.status == "ACTIVE"
            ]
            if active:
                name = f"{name}:{max(active)}"
        return super().describe_task_definition(name)

    def usable_task_definition(self, task_definition_str: str) -> TaskDefinition:
        """The revision a new service, or an update, may take: not one being deleted."""
        td = self.describe_task_definition(task_definition_str)
        if td.status == "DELETE_IN_PROGRESS":
            raise EcsClientException(
                f"TaskDefinition {td.family}:{td.revision} is DELETE_IN_PROGRESS: it cannot be "
                "used by a new service or an update."
            )
        return td

    def delete_task_definitions(
        self, task_definitions: list[str]
    ) -> tuple[list[TaskDefinition], list[Any]]:
        deleted, failures = super().delete_task_definitions(task_definitions)
        for td in deleted:  # kept, DELETE_IN_PROGRESS, while something references it
            self.task_definitions[td.family][int(td.revision)] = td
            self._deleting().add((td.family, int(td.revision)))
        self._forget_deleted()
        return deleted, failures

    def _deleting(self) -> set[tuple[str, int]]:
        """The DELETE_IN_PROGRESS revisions, kept as they are deleted (found once in an account
        saved without them). Why: each start of a task describes its revision, and the check of
        what still uses a deleted one reads every task: not when none is being deleted."""
        found: set[tuple[str, int]] | None = self.__dict__.get("_being_deleted")
        if found is None:
            found = self.__dict__["_being_deleted"] = {
                (td.family, int(td.revision))
                for revisions in self.task_definitions.values()
                for td in revisions.values()
                if td.status == "DELETE_IN_PROGRESS"
            }
        return found

    def _forget_deleted(self) -> None:
        """Drop the DELETE_IN_PROGRESS revisions no task that has not STOPPED and no ACTIVE
        service (any of its deployments) references any more."""
        deleting = self._deleting()
        if not deleting:
            return
        used = {
            t.task_definition_arn
            for tasks in self.tasks.values()
            for t in tasks.values()
            if t.last_status != "STOPPED"
        }
        for service in self.services.values():
            if service.status == "ACTIVE":
                used.add(str(service.task_definition))
                used.update(d.get("taskDefinition") for d in getattr(service, "deployments", []))
        for family, number in list(deleting):
            td = self.task_definitions.get(family, {}).get(number)
            if td is None or td.status != "DELETE_IN_PROGRESS":
                deleting.discard((family, number))
            elif td.arn not in used:
                del self.task_definitions[family][number]
                deleting.discard((family, number))

    def sorted_task_definitions(
        self, family: str | None, status: str, newest_first: bool
    ) -> list[str]:
        """ARNs of one family (``familyPrefix`` is the whole family name) or of all, in
        ListTaskDefinitions' order: by family name, then revision number (10 after 9)."""
        self._forget_deleted()
        found = [
            td
            for revisions in self.task_definitions.values()
            for td in revisions.values()
            if (family is None or td.family == family) and td.status == status
        ]
        found.sort(key=lambda td: (td.family, int(td.revision)), reverse=newest_first)
        return [td.arn for td in found]

    def list_task_definition_families(
        self, family_prefix: str | None = None, status: str | None = None
    ) -> Iterator[str]:
        self._forget_deleted()
        for family, revisions in sorted(self.task_definitions.items()):
            if not revisions or (family_prefix and not family.startswith(family_prefix)):
                continue
            active = any(td.status == "ACTIVE" for td in revisions.values())
            if status in (None, "ALL") or active == (status == "ACTIVE"):
                yield family
