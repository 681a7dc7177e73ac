"""Rollback, ECS side: delete the service this run created, or put back the task definition,
desired count, Lattice wiring, Service Connect block and deployment strategy it had; deregister
and delete the revisions this run registered."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from ..ecs import api as ecs
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
    config = _strategy_back(current, before)
    if config is None and (current["taskDefinition"], current["desiredCount"], wiring, connect) == (
        before["taskDefinition"],
        before["desiredCount"],
        before["vpcLatticeConfigurations"],
        connect_before,
    ):
        return
    # a block the service had not: turned off again (an update cannot remove it)
    put_back = connect_before or ({"enabled": False} if connect else None)
    extra: dict[str, Any] = {ecs.CONNECT: put_back} if put_back and put_back != connect else {}
    if config is not None:
        extra["deploymentConfiguration"] = config
    values = {
        "taskDefinition": before["taskDefinition"],
        "desiredCount": before["desiredCount"],
        "vpcLatticeConfigurations": before["vpcLatticeConfigurations"],
        **extra,
    }
    flags = {ecs.CONNECT: "--service-connect-configuration"}
    command = " ".join(
        [
            f"aws ecs update-service --cluster {plan['cluster']} --service {plan['serviceName']}",
            f"--task-definition {before['taskDefinition']}",
            f"--desired-count {before['desiredCount']}",
            f"--vpc-lattice-configurations '{json.dumps(before['vpcLatticeConfigurations'])}'",
            *(
                f"{flags.get(k, '--deployment-configuration')} '{json.dumps(v)}'"
                for k, v in extra.items()
            ),
        ]
    )
    if ledger.attempt(
        "ecsService", current["serviceArn"], lambda: api.update_service(**where, **values), command
    ):
        ledger.restore(
            "ecsService",
            current["serviceArn"],
            taskDefinition=before["taskDefinition"],
            **({"strategy": config["strategy"]} if config else {}),
        )


def _strategy_back(current: dict[str, Any], before: dict[str, Any]) -> dict[str, Any] | None:
    """The deployment configuration to put back when the run changed the strategy or its hooks
    (None: unchanged, or a baseline from before it was recorded). Why with the same update as the
    wiring: ECS runs a progressive strategy on the ``advancedConfiguration`` it was given, so the
    strategy goes back to ROLLING in the call that drops the rules' ARNs, before the Lattice part
    deletes them (:meth:`.undo_lattice.LatticeUndo.held`). A hook list the service had not is
    sent empty: left out, ECS would keep this run's gate (UpdateService changes only what it is
    given; AWS does not say how a list is removed, an empty one is our choice)."""
    if before.get("deploymentConfiguration") is None:
        return None

    def settled(config: dict[str, Any]) -> dict[str, Any]:
        return {
            **config,
            "strategy": config.get("strategy") or "ROLLING",
            "lifecycleHooks": config.get("lifecycleHooks") or [],
        }

    wanted = settled(before["deploymentConfiguration"])
    return None if settled(current.get("deploymentConfiguration") or {}) == wanted else wanted


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
