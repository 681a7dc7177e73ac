"""The health gate of a progressive update: ECS's own service deployment, followed.

ECS shifts the traffic and rolls back by itself (its lifecycle hook is this stack's gate,
:mod:`deployer.hooks.lifecycle_hook`); the run reads where it is (``ListServiceDeployments``,
``DescribeServiceDeployments``: status, lifecycle stage, production weight on the new revision)
and ends HEALTHY only when ECS says SUCCESSFUL, FAILED with ECS's reason when it rolled back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..ecs import api as ecs
from ..lattice import find_or_create as lattice

ENDED_BADLY = (
    "ROLLBACK_REQUESTED",
    "ROLLBACK_IN_PROGRESS",
    "ROLLBACK_SUCCESSFUL",
    "ROLLBACK_FAILED",
    "STOPPED",
    "STOP_REQUESTED",
)


def newest(plan: dict[str, Any], run: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """This run's service deployment, described (None: ECS has not listed it yet).

    ``run`` is what ``update_service`` recorded: ECS's ``currentServiceDeployment`` in
    UpdateService's answer names it exactly. Without it, the newest of every page of
    ListServiceDeployments (its order is not documented) created no earlier than the update's
    ECS deployment: the previous, SUCCESSFUL one must never pass for this run's."""
    api, run = ecs.client(plan), run or {}
    arn = run.get("serviceDeployment")
    if not arn:
        listed = _every_page(api, plan)
        after = run.get("deploymentCreatedAt")
        if after:
            floor = datetime.fromisoformat(after).timestamp() - CLOCK_SKEW
            listed = [d for d in listed if d["createdAt"].timestamp() >= floor]
        if not listed:
            return None
        arn = max(listed, key=lambda d: d["createdAt"])["serviceDeploymentArn"]
    found = api.describe_service_deployments(serviceDeploymentArns=[arn])["serviceDeployments"]
    return dict(found[0]) if found else None


def _every_page(api: Any, plan: dict[str, Any]) -> list[dict[str, Any]]:
    """ListServiceDeployments, every page (botocore has no paginator for it: ``nextToken``)."""
    found: list[dict[str, Any]] = []
    token: dict[str, str] = {}
    while True:
        page = api.list_service_deployments(
            cluster=plan["cluster"], service=plan["serviceName"], **token
        )
        found += page["serviceDeployments"]
        if not page.get("nextToken"):
            return found
        token = {"nextToken": page["nextToken"]}


CLOCK_SKEW = 5.0
"""Seconds a service deployment's ``createdAt`` may precede its ECS deployment's (both ECS's
clock; not documented to be equal)."""


def rule_share(rule_arn: str | None, group: str | None, plan: dict[str, Any]) -> float | None:
    """The percent of the production rule's traffic that reaches ``group`` (None: unknown), read
    from VPC Lattice itself: ECS saying it shifted is not the rule having shifted."""
    if not rule_arn or not group:
        return None
    parts = rule_arn.split("/")  # …:service/svc-…/listener/listener-…[/rule/rule-…]
    api = lattice.client(plan)
    if parts[-2] == "listener":  # a listener without rules (TLS_PASSTHROUGH): its default action
        on = {"serviceIdentifier": parts[-3], "listenerIdentifier": parts[-1]}
        action = api.get_listener(**on).get("defaultAction") or {}
    else:
        action = (
            api.get_rule(
                serviceIdentifier=parts[-5], listenerIdentifier=parts[-3], ruleIdentifier=parts[-1]
            ).get("action")
            or {}
        )
    weights = {
        str(g["targetGroupIdentifier"]).rsplit("/", 1)[-1]: int(g.get("weight", 0))
        for g in (action.get("forward") or {}).get("targetGroups") or []
    }
    total = sum(weights.values())
    return 100.0 * weights.get(group.rsplit("/", 1)[-1], 0) / total if total else 0.0


def verdict(
    plan: dict[str, Any],
    elapsed: float,
    share: float | None = None,
    run: dict[str, Any] | None = None,
) -> tuple[str, str, dict[str, Any]]:
    """``(HEALTHY | FAILED | WAITING, reason, {stage, productionWeight, ruleWeight})``; HEALTHY
    only when ECS says SUCCESSFUL and the production rule (``share``: its percent on the new
    revision's group, when known) sends all traffic there."""
    strategy = plan["lattice"]["progressive"]["strategy"]
    found = newest(plan, run)
    if found is None:
        return "WAITING", f"{strategy}: ECS has not started the deployment yet", {}
    stage = found.get("lifecycleStage", "")
    weight = float(
        (found.get("targetServiceRevision") or {}).get("requestedProductionTrafficWeight") or 0
    )
    detail = {
        "stage": stage,
        "productionWeight": weight,
        "serviceDeployment": found["serviceDeploymentArn"],
        **({"ruleWeight": round(share, 1)} if share is not None else {}),
    }
    status = found["status"]
    if status == "SUCCESSFUL" and (share is None or share >= 100.0):
        return (
            "HEALTHY",
            f"{strategy} deployment SUCCESSFUL: production 100% on the new revision",
            detail,
        )
    if status == "SUCCESSFUL" and elapsed < plan["timeoutSeconds"]:
        return (
            "WAITING",
            f"ECS reports the {strategy} deployment SUCCESSFUL, but the production rule sends "
            f"{share:g}% to the new revision's group",
            detail,
        )
    if status in ENDED_BADLY:
        why = found.get("statusReason") or (found.get("rollback") or {}).get("reason") or status
        return (
            "FAILED",
            (
                f"ECS rolled the {strategy} deployment back at {stage or 'its start'} ({why}); "
                "production traffic is 100% on the previous revision"
            ),
            detail,
        )
    if elapsed >= plan["timeoutSeconds"]:
        return (
            "FAILED",
            (
                f"{strategy} deployment not done within the timeout of {plan['timeoutSeconds']}s "
                f"(ECS: {status} at {stage}, production {weight:g}% on the new revision"
                + (f"; the production rule sends {share:g}% there" if share is not None else "")
                + "); a progressive deployment waits out ECS's settles and every bake: raise "
                "`timeout` in ecspresso.yml, or find why the stage does not end (the hook's "
                "answers in the ECS console, the rule's weights in VPC Lattice)"
            ),
            detail,
        )
    return "WAITING", f"{strategy} {stage}: production {weight:g}% on the new revision", detail


SETTLE_POLL = 30
"""While ECS scales up, shifts or runs a hook: the next poll, at most this far apart."""


def next_poll(plan: dict[str, Any], detail: dict[str, Any], fallback: int) -> int:
    """When the next poll can see a change: during a bake (canary, linear step, bake time) no
    sooner than a minute, the unit of every bake ECS takes; else every ``SETTLE_POLL`` seconds
    (ECS's settles are not documented in length; the stack's poll interval, if longer, wins)."""
    weight, stage = detail.get("productionWeight", 0.0), detail.get("stage", "")
    baking = stage == "BAKE_TIME" or 0.0 < weight < 100.0
    return max(fallback, 60 if baking else SETTLE_POLL)
