"""ECS's own progressive strategies behind VPC Lattice, as a bundle asks for them.

A service definition whose ``deploymentConfiguration.strategy`` is BLUE_GREEN, LINEAR or CANARY
gets what the strategy needs and nothing else to write: an alternate IP target group like the
primary one (same health check), a production listener rule on the listener forwarding to both
(the primary at 100), an optional test rule (``vpcLatticeConfiguration.testRule``, a Lattice
``RuleMatch`` such as a header match), their ARNs in ``advancedConfiguration``, and this stack's
health gate as ECS's lifecycle hook (:mod:`deployer.hooks.lifecycle_hook`). ECS then moves the
weights; the execution follows its service deployment (:mod:`deployer.health.follow_deployment`). A
ROLLING bundle gets none of it. ECS's own ``advancedConfiguration`` in the native shape is taken as
is (adopted).
"""

from __future__ import annotations

import os
from typing import Any

from .failures import failed_task_limit

STRATEGIES = ("BLUE_GREEN", "LINEAR", "CANARY")
HOOK_STAGES = (
    "POST_SCALE_UP",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
)
"""Where the gate answers: before any production traffic, and after each shift."""
PRODUCTION_RULE, TEST_RULE = "lattice-deploy-production", "lattice-deploy-test"
PRODUCTION_PRIORITY, TEST_PRIORITY = 100, 90
EVERYTHING = {"httpMatch": {"pathMatch": {"match": {"prefix": "/"}}}}
DEFAULT_TIMEOUT = 3600
"""A progressive deployment waits out ECS's settles and every bake: the default run timeout."""
HOOK_TIMEOUT_MINIMUM = 1
"""``timeoutInMinutes``' lower bound (botocore's ECS model: min 1, max 20160)."""


def strategy_of(service_def: dict[str, Any]) -> str:
    return str((service_def.get("deploymentConfiguration") or {}).get("strategy") or "ROLLING")


def plan_of(
    service_def: dict[str, Any], spec: dict[str, Any], env: str, service: str
) -> dict[str, Any] | None:
    """``plan.lattice.progressive``: what the strategy needs made or adopted (None: ROLLING)."""
    strategy = strategy_of(service_def)
    if strategy not in STRATEGIES:
        return None
    given = spec.get("advancedConfiguration")  # ECS's own shape, adopted as it is
    return {
        "strategy": strategy,
        "adopted": dict(given) if given else None,
        "alternateGroup": {"name": f"{env}-{service}-targetgroup-alt"},
        "productionRule": {"name": PRODUCTION_RULE, "priority": PRODUCTION_PRIORITY},
        "testRule": (
            {"name": TEST_RULE, "priority": TEST_PRIORITY, "match": spec["testRule"]}
            if spec.get("testRule")
            else None
        ),
        "alarms": list(
            ((service_def.get("deploymentConfiguration") or {}).get("alarms") or {}).get(
                "alarmNames"
            )
            or []
        ),
    }


def advanced_configuration(event: dict[str, Any]) -> dict[str, Any] | None:
    """``advancedConfiguration`` of the Lattice wiring, from what ``ensure_lattice`` made."""
    progressive = event["plan"]["lattice"].get("progressive")
    if not progressive:
        return None
    if progressive["adopted"]:
        return dict(progressive["adopted"])
    resources = event["resources"]
    rules = resources["rules"]
    return {
        "alternateTargetGroupArn": resources["alternateGroup"]["arn"],
        "productionListenerRule": rules["production"]["arn"],
        **({"testListenerRule": rules["test"]["arn"]} if rules.get("test") else {}),
    }


def _failed_task_limit(plan: dict[str, Any]) -> int:
    return failed_task_limit(plan, int(plan["serviceDefinition"].get("desiredCount") or 1))


def hook_timeout(plan: dict[str, Any]) -> dict[str, Any]:
    """The gate's ``timeoutConfiguration``: the run's timeout, in whole minutes, rounded down.
    Without it ECS waits "Default: 1440 (24 hours)" on a hook still IN_PROGRESS (ECS API
    Reference, DeploymentLifecycleHookTimeoutConfiguration, ``timeoutInMinutes``), long after
    the run gave up; with it ECS takes the ``action`` ROLLBACK ("Rolls back the deployment to
    the previous service revision") no later than the run's own end. The hook is registered
    as the run starts following, so all of the run's timeout remains (below a minute: ECS's
    minimum, 1)."""
    minutes = max(HOOK_TIMEOUT_MINIMUM, int(plan["timeoutSeconds"]) // 60)
    return {"timeoutInMinutes": minutes, "action": "ROLLBACK"}


def deployment_configuration(event: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """The bundle's ``deploymentConfiguration`` with this stack's gate among its hooks."""
    progressive = event["plan"]["lattice"].get("progressive")
    if not progressive:
        return wanted
    advanced = advanced_configuration(event) or {}
    groups = [event["resources"]["targetGroup"]["arn"], advanced.get("alternateTargetGroupArn")]
    gate = {
        "targetType": "AWS_LAMBDA",
        "hookTargetArn": os.environ["LIFECYCLE_HOOK_ARN"],
        "roleArn": os.environ["LIFECYCLE_HOOK_ROLE_ARN"],
        "lifecycleStages": list(HOOK_STAGES),
        "hookDetails": {
            "targetGroups": [g for g in groups if g],
            "alarms": progressive["alarms"],
            "deploymentId": event["plan"]["deploymentId"],
            "maxFailedTasks": _failed_task_limit(event["plan"]),
        },
        "timeoutConfiguration": hook_timeout(event["plan"]),
    }
    theirs = [
        h
        for h in wanted.get("lifecycleHooks") or []
        if h.get("hookTargetArn") != gate["hookTargetArn"]
    ]
    return {**wanted, "lifecycleHooks": [*theirs, gate]}


def _percent(value: Any, low: float, where: str, found: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return  # the type is the model check's to report
    if not low <= value <= 100 or abs(value * 10 - round(value * 10)) > 1e-9:
        found.append(f"{where}: {value} is not a multiple of 0.1 from {low:g} to 100")


def problems(service_def: dict[str, Any], spec: dict[str, Any], service_file: str) -> list[str]:
    """What ECS refuses in a progressive strategy (ECS API reference: DeploymentConfiguration,
    LinearConfiguration, CanaryConfiguration, DeploymentController), said offline."""
    config = service_def.get("deploymentConfiguration") or {}
    strategy = config.get("strategy")
    where, found = f"{service_file}: deploymentConfiguration", []
    if strategy not in STRATEGIES:
        if spec.get("testRule"):
            found.append(
                f"{service_file}: vpcLatticeConfiguration.testRule: a test rule serves a "
                "progressive strategy only; set deploymentConfiguration.strategy to BLUE_GREEN, "
                "LINEAR or CANARY, or remove testRule"
            )
        return found
    controller = (service_def.get("deploymentController") or {}).get("type", "ECS")
    if controller != "ECS":
        found.append(
            f"{service_file}: deploymentController.type: {controller} cannot run the {strategy} "
            "strategy; ECS's own strategies need the ECS deployment controller (remove "
            "deploymentController or set its type to ECS)"
        )
    if strategy == "BLUE_GREEN" and "bakeTimeInMinutes" not in config:
        found.append(f"{where}.bakeTimeInMinutes: required by BLUE_GREEN; give 0 to 1440 minutes")
    linear = config.get("linearConfiguration") or {}
    canary = config.get("canaryConfiguration") or {}
    _percent(linear.get("stepPercent"), 3.0, f"{where}.linearConfiguration.stepPercent", found)
    _percent(canary.get("canaryPercent"), 0.1, f"{where}.canaryConfiguration.canaryPercent", found)
    for key, block in (("linearConfiguration", linear), ("canaryConfiguration", canary)):
        if block and not key.startswith(strategy.lower()):
            found.append(f"{where}.{key}: applies to {key[:6].upper()} only, not {strategy}")
    if str(spec.get("registration") or "ecs") == "direct":
        found.append(
            f"{service_file}: vpcLatticeConfiguration.registration: direct registration cannot "
            f"run the {strategy} strategy (ECS registers the green tasks itself); use ecs"
        )
    listener = str((spec.get("listener") or {}).get("protocol") or "HTTP")
    if spec.get("testRule") and listener not in ("HTTP", "HTTPS"):
        found.append(
            f"{service_file}: vpcLatticeConfiguration.testRule: a {listener} listener has no "
            "rules to match requests on; use an HTTP or HTTPS listener"
        )
    return found
