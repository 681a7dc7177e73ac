"""State ``register_task_definition``: register the bundle's task definition, unless the revision
the ECS service runs (no service yet: the family's newest ACTIVE one) already is what the bundle
says; then reuse it, with no mutating call."""

from __future__ import annotations

from typing import Any

from ..core.compare import covers
from ..core.step import record, step
from ..ecs import api as ecs


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    plan = event["plan"]
    wanted, api = plan["taskDefinition"], ecs.client(plan)
    current = ecs.current_task_definition(plan, ecs.describe_service(plan))
    if current and covers(current, wanted):
        return record("unchanged", arn=current["taskDefinitionArn"], revision=current["revision"])
    registered = api.register_task_definition(**wanted, tags=ecs.tags_for(plan, "taskDefinition"))[
        "taskDefinition"
    ]
    return record("created", arn=registered["taskDefinitionArn"], revision=registered["revision"])
