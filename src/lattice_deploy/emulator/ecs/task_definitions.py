"""Task definition revisions as ECS numbers and lists them, where moto 5.2 differs.

- ListTaskDefinitions sorts by family, then revision number, and filters by status
  (:meth:`sorted_task_definitions`; the response pages it).
- A revision number is never reused: moto numbers a new revision after the highest one it still
  holds, so a family whose newest revision was deleted got that number again. AWS: "The task
  definition name is retained by Amazon ECS and the revision is incremented the next time you
  create a task definition with that name" (Amazon ECS Developer Guide, "Deleting an Amazon ECS
  task definition revision using the console").
"""

from __future__ import annotations

from typing import Any

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

    def sorted_task_definitions(
        self, family: str | None, status: str, newest_first: bool
    ) -> list[str]:
        """ARNs of one family (``familyPrefix`` is the whole family name) or of all, in
        ListTaskDefinitions' order: by family name, then revision number (10 after 9)."""
        found = [
            td
            for revisions in self.task_definitions.values()
            for td in revisions.values()
            if (family is None or td.family == family) and td.status == status
        ]
        found.sort(key=lambda td: (td.family, int(td.revision)), reverse=newest_first)
        return [td.arn for td in found]
