"""ECS's own progressive deployments behind VPC Lattice (BLUE_GREEN, LINEAR, CANARY), in virtual
time, as the ECS Developer Guide describes them ("Amazon ECS blue/green deployments", "linear",
"canary", "Lifecycle hooks for Amazon ECS service deployments"):

- the green revision's tasks register in the group production does not use (the alternate one,
  then back and forth), ECS waits after scale-up (:data:`SCALE_UP_SETTLE`), shifts test traffic
  when a test rule is given, then production traffic on the production rule's weights: all at once
  (BLUE_GREEN), ``canaryPercent`` then the rest after ``canaryBakeTimeInMinutes`` (CANARY), or
  ``stepPercent`` steps ``stepBakeTimeInMinutes`` apart (LINEAR), waiting after each change
  (:data:`SHIFT_SETTLE`); after ``bakeTimeInMinutes`` the blue tasks stop;
- each stage's Lambda hooks are invoked with ECS's payload; ``SUCCEEDED`` lets the stage end,
  ``IN_PROGRESS`` asks again after ``callBackDelay`` (default 30 s), ``FAILED``, an invalid answer
  or a failed invocation rolls back, as does a hook past ``timeoutInMinutes`` (action ROLLBACK) or
  an alarm of ``deploymentConfiguration.alarms`` in ALARM (CloudWatch, or the fault
  ``alarm:<name>``) once production traffic moves;
- a rollback puts every weight back on blue and stops the green tasks.

The settle times are what the issue measured ("about 3 minutes", "about 90 seconds"): AWS
documents that ECS waits, not how long. A service's first deployment has nothing to shift from
and rolls as usual. Rollback hooks (ECS runs TEST/PRODUCTION_TRAFFIC_SHIFT hooks while rolling
back) are not invoked.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from moto.moto_api._internal import mock_random

from ..clock import CLOCK
from ..faults import FAULTS

if TYPE_CHECKING:
    from .models import EmulatedEcsBackend, LatticeAwareService

STRATEGIES = ("BLUE_GREEN", "LINEAR", "CANARY")
SCALE_UP_SETTLE = 180.0
SHIFT_SETTLE = 90.0
HOOK_DELAY = 30.0
HOOK_TIMEOUT_MINUTES = 1440


def registered_in(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the deployment's tasks register: its Lattice wiring, or for the green revision of a
    progressive deployment the group production does not use."""
    return list(deployment.get("registerIn") or deployment.get("vpcLatticeConfigurations") or [])


def advanced(configs: list[dict[str, Any]]) -> dict[str, Any] | None:
    return (configs[0].get("advancedConfiguration") if configs else None) or None


def production_steps(config: dict[str, Any]) -> list[float]:
    """The green revision's production weight after each shift."""
    if config.get("strategy") == "CANARY":
        return [float((config.get("canaryConfiguration") or {}).get("canaryPercent", 5.0)), 100.0]
    if config.get("strategy") == "LINEAR":
        step = float((config.get("linearConfiguration") or {}).get("stepPercent", 10.0))
        return [min(100.0, round(step * (i + 1), 1)) for i in range(math.ceil(100 / step))]
    return [100.0]


def _bake_after(config: dict[str, Any], index: int, steps: list[float]) -> float:
    if index == len(steps) - 1:
        return 0.0
    if config.get("strategy") == "CANARY":
        return 60.0 * (config.get("canaryConfiguration") or {}).get("canaryBakeTimeInMinutes", 10)
    return 60.0 * (config.get("linearConfiguration") or {}).get("stepBakeTimeInMinutes", 6)


def _program(config: dict[str, Any], test_rule: bool) -> list[dict[str, Any]]:
    """The stages after scale-up: ``{stage, wait, test?/production?}`` in order."""
    stages: list[dict[str, Any]] = [{"stage": "POST_SCALE_UP", "wait": SCALE_UP_SETTLE}]
    if test_rule:
        stages += [
            {"stage": "TEST_TRAFFIC_SHIFT", "wait": SHIFT_SETTLE, "test": 100.0},
            {"stage": "POST_TEST_TRAFFIC_SHIFT", "wait": 0.0},
        ]
    steps = production_steps(config)
    for index, weight in enumerate(steps):
        wait = SHIFT_SETTLE + _bake_after(config, index, steps)
        stages.append({"stage": "PRODUCTION_TRAFFIC_SHIFT", "wait": wait, "production": weight})
    stages += [
        {"stage": "POST_PRODUCTION_TRAFFIC_SHIFT", "wait": 0.0},
        {"stage": "BAKE_TIME", "wait": 60.0 * int(config.get("bakeTimeInMinutes") or 0)},
        {"stage": "CLEAN_UP", "wait": 0.0},
    ]
    return stages


def start(
    backend: EmulatedEcsBackend,
    service: LatticeAwareService,
    green: dict[str, Any],
    blue: dict[str, Any] | None,
) -> None:
    """Make ``green`` a progressive deployment when the service asks for one and has a revision
    to shift from."""
    config, configs = service.deployment_configuration, green["vpcLatticeConfigurations"]
    adv = advanced(configs)
    if config.get("strategy") not in STRATEGIES or adv is None or blue is None:
        return
    production = service.production_group or configs[0]["targetGroupArn"]
    green_group = (
        adv["alternateTargetGroupArn"]
        if production == configs[0]["targetGroupArn"]
        else configs[0]["targetGroupArn"]
    )
    green["registerIn"] = [{**configs[0], "targetGroupArn": green_group}]
    green["progressive"] = {
        "strategy": config["strategy"],
        "status": "IN_PROGRESS",
        "stage": "SCALE_UP",
        "program": _program(config, bool(adv.get("testListenerRule"))),
        "index": -1,
        "enteredAt": CLOCK.now(),
        "hooks": {},
        "blue": blue["id"],
        "blueTaskDefinition": blue["taskDefinition"],
        "groups": {"blue": production, "green": green_group},
        "weights": {"production": 0.0, "test": 0.0},
        "shifts": [],
        "reason": "",
    }


def step(backend: EmulatedEcsBackend, service: LatticeAwareService, now: float) -> bool:
    """Apply the next progressive event due by ``now``; False when nothing is."""
    green = service.deployments[0]
    p = green.get("progressive")
    if not p or p["status"] != "IN_PROGRESS":
        return False
    if p["index"] >= 0 and (alarm := _alarm(backend, service)):
        roll_back(backend, service, now, f"alarm {alarm} is in ALARM")
        return True
    if p["index"] < 0:  # SCALE_UP: every green task RUNNING in the green group
        mine = [t for t in backend.service_tasks(service) if t.deployment_id == green["id"]]
        if len(mine) < service.desired_count or not all(t.registered for t in mine):
            return False
        at = max(t.running_at or now for t in mine)
        return _enter(backend, service, 0, min(at, now))
    stage = p["program"][p["index"]]
    due = _hooks_due(p, now)
    if due is not None:
        return _run_hooks(backend, service, stage, due)
    if any(h["status"] != "SUCCEEDED" for h in p["hooks"].values()):
        return False
    done_at = p["enteredAt"] + stage["wait"]
    if done_at > now:
        return False
    if p["index"] + 1 < len(p["program"]):
        return _enter(backend, service, p["index"] + 1, done_at)
    return False


def _enter(
    backend: EmulatedEcsBackend, service: LatticeAwareService, index: int, at: float
) -> bool:
    green = service.deployments[0]
    p = green["progressive"]
    stage = p["program"][index]
    p.update(index=index, stage=stage["stage"], enteredAt=at, hooks={})
    if "test" in stage:
        _shift(backend, service, "test", stage["test"], at)
    if "production" in stage:
        _shift(backend, service, "production", stage["production"], at)
    if stage["stage"] == "CLEAN_UP":
        _clean_up(backend, service, at)
        return True
    for hook in service.deployment_configuration.get("lifecycleHooks") or []:
        if stage["stage"] in (hook.get("lifecycleStages") or []):
            p["hooks"][hook["hookTargetArn"]] = {
                "hook": hook,
                "status": "IN_PROGRESS",
                "due": at,
                "since": at,
                "id": str(mock_random.uuid4()),
            }
    return True


def _hooks_due(p: dict[str, Any], now: float) -> float | None:
    due = [h["due"] for h in p["hooks"].values() if h["status"] == "IN_PROGRESS"]
    return min(due) if due and min(due) <= now else None


def _run_hooks(
    backend: EmulatedEcsBackend, service: LatticeAwareService, stage: dict[str, Any], at: float
) -> bool:
    p = service.deployments[0]["progressive"]
    for arn, state in list(p["hooks"].items()):
        if state["status"] != "IN_PROGRESS" or state["due"] > at:
            continue
        hook = state["hook"]
        timeout = hook.get("timeoutConfiguration") or {}
        if at - state["since"] >= 60 * timeout.get("timeoutInMinutes", HOOK_TIMEOUT_MINUTES):
            if timeout.get("action", "ROLLBACK") == "ROLLBACK":
                roll_back(backend, service, at, f"hook {arn} timed out at {stage['stage']}")
                return True
            state["status"] = "SUCCEEDED"
            continue
        answer = _invoke(backend, service, hook, stage["stage"], state)
        status = answer.get("hookStatus")
        if status == "IN_PROGRESS":
            state["due"] = at + max(1.0, float(answer.get("callBackDelay") or HOOK_DELAY))
            if "hookDetails" in answer:
                state["details"] = answer["hookDetails"]
        elif status == "SUCCEEDED":
            state["status"] = "SUCCEEDED"
        else:
            why = answer.get("reason") or f"answered {status!r}"
            roll_back(backend, service, at, f"hook {arn} at {stage['stage']}: {why}")
            return True
    return True


def _invoke(
    backend: EmulatedEcsBackend,
    service: LatticeAwareService,
    hook: dict[str, Any],
    stage: str,
    state: dict[str, Any],
) -> dict[str, Any]:
    """ECS's invocation: its payload (ECS Developer Guide, "Lifecycle payloads"), synchronous."""
    from ..awslambda.models import lambda_backends

    green = service.deployments[0]
    p = green["progressive"]
    blue_rev, green_rev = revision_arn(service, p["blue"]), revision_arn(service, green["id"])
    weights = p["weights"]
    event = {
        "executionId": state["id"],
        "lifecycleStage": stage,
        "resourceArn": deployment_arn(service, green["id"]),
        "executionDetails": {
            "serviceArn": service.arn,
            "targetServiceRevisionArn": green_rev,
            "testTrafficWeights": {
                blue_rev: 100.0 - weights["test"],
                green_rev: weights["test"],
            },
            "productionTrafficWeights": {
                blue_rev: 100.0 - weights["production"],
                green_rev: weights["production"],
            },
        },
        **({"hookDetails": d} if (d := state.get("details", hook.get("hookDetails"))) else {}),
    }
    headers: dict[str, str] = {}
    try:
        raw = lambda_backends[backend.account_id][backend.region_name].invoke(
            hook["hookTargetArn"], None, json.dumps(event).encode(), {}, headers
        )
        answer = json.loads(raw or "{}")
    except Exception as exc:  # the hook's function missing, or its answer not JSON
        return {"hookStatus": "FAILED", "reason": f"invocation failed: {exc}"}
    if headers.get("x-amz-function-error") or not isinstance(answer, dict):
        return {"hookStatus": "FAILED", "reason": "the function failed"}
    return answer


def _shift(
    backend: EmulatedEcsBackend,
    service: LatticeAwareService,
    kind: str,
    green_weight: float,
    at: float,
) -> None:
    """Set the production (or test) rule's weights: ``green_weight`` percent on green."""
    green = service.deployments[0]
    p = green["progressive"]
    adv = advanced(green["vpcLatticeConfigurations"]) or {}
    rule_arn = adv.get("productionListenerRule" if kind == "production" else "testListenerRule")
    if not rule_arn:
        return
    p["weights"][kind] = green_weight
    blue_w, green_w = _integral(100.0 - green_weight), _integral(green_weight)
    backend.lattice.set_rule_weights(
        rule_arn, {p["groups"]["blue"]: blue_w, p["groups"]["green"]: green_w}
    )
    p["shifts"].append({"at": at, "rule": kind, "green": green_weight})


def _integral(percent: float) -> int:
    """Lattice weights are integers 0-999: percents to one decimal, times ten."""
    return min(999, round(percent * 10))


def _alarm(backend: EmulatedEcsBackend, service: LatticeAwareService) -> str | None:
    alarms = service.deployment_configuration.get("alarms") or {}
    if not alarms.get("enable") or not alarms.get("rollback"):
        return None
    from moto.cloudwatch.models import cloudwatch_backends

    stored = cloudwatch_backends[backend.account_id][backend.region_name].alarms
    for name in alarms.get("alarmNames") or []:
        raised = FAULTS.matches(backend.account_id, "alarm", [name])
        if raised or getattr(stored.get(name), "state_value", None) == "ALARM":
            return str(name)
    return None


def roll_back(
    backend: EmulatedEcsBackend, service: LatticeAwareService, at: float, reason: str
) -> None:
    green = service.deployments[0]
    p = green["progressive"]
    for kind in ("production", "test"):
        if p["weights"][kind]:
            _shift(backend, service, kind, 0.0, at)
    for task in backend.service_tasks(service):
        if task.deployment_id == green["id"]:
            backend.stop_service_task(task, f"Deployment rolled back: {reason}", at)
    blue = next(d for d in service.deployments if d["id"] == p["blue"])
    service.task_definition = blue["taskDefinition"]
    blue["status"] = "PRIMARY"
    green.update(status="INACTIVE", rolloutState="FAILED", rolloutStateReason=reason)
    p.update(status="ROLLBACK_SUCCESSFUL", reason=reason, finishedAt=at)
    service.deployments = [blue]


def _clean_up(backend: EmulatedEcsBackend, service: LatticeAwareService, at: float) -> None:
    green = service.deployments[0]
    p = green["progressive"]
    for task in backend.service_tasks(service):
        if task.deployment_id != green["id"]:
            backend.stop_service_task(task, "Blue revision retired after bake time", at)
    service.production_group = p["groups"]["green"]
    green.update(
        rolloutState="COMPLETED", rolloutStateReason=f"ECS deployment {green['id']} completed."
    )
    p.update(status="SUCCESSFUL", finishedAt=at)
    service.deployments = [green]


def revision_arn(service: LatticeAwareService, deployment_id: str) -> str:
    return service.arn.replace(":service/", ":service-revision/") + "/" + _number(deployment_id)


def deployment_arn(service: LatticeAwareService, deployment_id: str) -> str:
    return service.arn.replace(":service/", ":service-deployment/") + "/" + _number(deployment_id)


def _number(deployment_id: str) -> str:
    return deployment_id.rsplit("/", 1)[-1]
