"""Rollback, ECS side: delete the service this run created, or put back the task definition,
desired count, Lattice wiring and Service Connect block it had; deregister and delete the
revisions this run registered."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from . import ecs
from .undo import Ledger, made_by


def undo_service(plan: dict[str, Any], baseline: dict[str, Any], ledger: Ledger) -> None:
    api, current = ecs.client(plan), ecs.describe_service(plan)
    if current is None:
        return
    before = baseline.get("ecsService")
    where = {"cluster": plan["cluster"], "service": plan["serviceName"]}
    if before is None:
        ledger.remove(
            "ecsService",
            current["serviceArn"],
            lambda: api.delete_service(**where, force=True),
            f"aws ecs delete-service --cluster {plan['cluster']} "
            f"--service {plan['serviceName']} --force",
        )
        return
    primary = ecs.primary(current)
    wiring = primary.get("vpcLatticeConfigurations") or []
    connect, connect_before = ecs.connect_of(primary), ecs.connect_of(before)
    if (current["taskDefinition"], current["desiredCount"], wiring, connect) == (
        before["taskDefinition"],
        before["desiredCount"],
        before["vpcLatticeConfigurations"],
        connect_before,
    ):
        return
    # a block the service had not: turned off again (an update cannot remove it)
    put_back = connect_before or ({"enabled": False} if connect else None)
    extra = {ecs.CONNECT: put_back} if put_back and put_back != connect else {}
    values = {
        "taskDefinition": before["taskDefinition"],
        "desiredCount": before["desiredCount"],
        "vpcLatticeConfigurations": before["vpcLatticeConfigurations"],
        **extra,
    }
    command = " ".join(
        [
            f"aws ecs update-service --cluster {plan['cluster']} --service {plan['serviceName']}",
            f"--task-definition {before['taskDefinition']}",
            f"--desired-count {before['desiredCount']}",
            f"--vpc-lattice-configurations '{json.dumps(before['vpcLatticeConfigurations'])}'",
            *(f"--service-connect-configuration '{json.dumps(v)}'" for v in extra.values()),
        ]
    )
    if ledger.attempt(
        "ecsService", current["serviceArn"], lambda: api.update_service(**where, **values), command
    ):
        ledger.restore("ecsService", current["serviceArn"], taskDefinition=before["taskDefinition"])


def undo_task_definitions(plan: dict[str, Any], ledger: Ledger) -> None:
    """Revisions tagged with this deployment: deregister, then delete (the newest few suffice:
    a run registers at most one, as the family's newest). Never one the service still runs
    (its delete or restore was refused): AWS would delete it anyway ("Tasks and services that
    reference the DELETE_IN_PROGRESS task definition revision continue to run", ECS API
    reference, DeleteTaskDefinitions), and the service could then not be scaled or redeployed."""
    api, family = ecs.client(plan), plan["taskDefinition"]["family"]
    service = ecs.describe_service(plan) or {}
    in_use = service.get("taskDefinition") if service.get("status") == "ACTIVE" else None
    for status in ("ACTIVE", "INACTIVE"):
        listed = api.list_task_definitions(
            familyPrefix=family, status=status, sort="DESC", maxResults=10
        )
        for arn in listed["taskDefinitionArns"]:
            found = api.describe_task_definition(taskDefinition=arn, include=["TAGS"])
            tags = {t["key"]: t["value"] for t in found.get("tags") or []}
            if not made_by(tags, plan["deploymentId"]):
                continue
            delete = f"aws ecs delete-task-definitions --task-definitions {arn}"
            deregister = f"aws ecs deregister-task-definition --task-definition {arn}"
            both = f"{deregister} && {delete}" if status == "ACTIVE" else delete
            if arn == in_use:
                why = f"ECS service {plan['serviceName']} still runs it: after it is put back"
                ledger.left("taskDefinition", arn, why, both, retry=False)
                continue
            deregistered = partial(api.deregister_task_definition, taskDefinition=arn)
            if status == "ACTIVE" and not ledger.attempt("taskDefinition", arn, deregistered, both):
                continue
            deleted = partial(api.delete_task_definitions, taskDefinitions=[arn])
            ledger.remove("taskDefinition", arn, deleted, delete)
