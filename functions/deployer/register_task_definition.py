"""State ``register_task_definition``: register the bundle's task definition, unless the family's
latest ACTIVE revision already is what the bundle says (then reuse it: no mutating call)."""

from __future__ import annotations

from typing import Any

from . import ecs
from .compare import covers
from .step import record, step


@step
def handler(event: dict[str, Any]) -> dict[str, Any]:
    plan = event["plan"]
    wanted, api = plan["taskDefinition"], ecs.client(plan)
    latest = api.list_task_definitions(
        familyPrefix=wanted["family"], status="ACTIVE", sort="DESC", maxResults=1
    )
    if latest["taskDefinitionArns"]:
        current = api.describe_task_definition(taskDefinition=latest["taskDefinitionArns"][0])[
            "taskDefinition"
        ]
        if covers(current, wanted):
            return record(
                "unchanged", arn=current["taskDefinitionArn"], revision=current["revision"]
            )
    registered = api.register_task_definition(**wanted, tags=ecs.ecs_tags(plan["tags"]))[
        "taskDefinition"
    ]
    return record("created", arn=registered["taskDefinitionArn"], revision=registered["revision"])
