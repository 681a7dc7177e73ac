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
- a rollback puts every weight back on blue and stops the green tasks, then runs the hooks
  registered at PRODUCTION_TRAFFIC_SHIFT (and TEST_TRAFFIC_SHIFT, with a test rule) again, the
  green revision at weight 0 in their payload: "There is no dedicated ROLLBACK lifecycle stage"
  (ECS Developer Guide, "Lifecycle hooks for Amazon ECS service deployments"; ECS shifts the
  traffic back through those stages). The deployment is ROLLBACK_IN_PROGRESS until they
  succeed, ROLLBACK_SUCCESSFUL then, ROLLBACK_FAILED when one fails.

The settle times are what the issue measured ("about 3 minutes", "about 90 seconds"): AWS
documents that ECS waits, not how long. A service's first deployment has nothing to shift from
and rolls as usual.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..clock import CLOCK
from ..faults import FAULTS
from . import progressive_hooks as hooks

if TYPE_CHECKING:
    from .models import EmulatedEcsBackend, LatticeAwareService

STRATEGIES = ("BLUE_GREEN", "LINEAR", "CANARY")
SCALE_UP_SETTLE = 180.0
SHIFT_SETTLE = 90.0


def registered_in(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the deployment's tasks register: its Lattice wiring, or for the green revision of a
    progressive deployment the group production does not use."""
    return list(deployment.get("registerIn") or deployment.get("vpcLatticeConfigurations") or [])


def advanced(configs: list[dict[str, Any]]) -> dict[str, Any] | None:
    return (configs[0].get("advancedConfiguration") if configs else None) or None


def check_groups_active(backend: EmulatedEcsBackend, configs: list[dict[str, Any]]) -> None:
    """CreateService and UpdateService refuse a target group, primary or alternate, that is not
    ACTIVE yet (CREATE_IN_PROGRESS right after its create). AWS is silent on this; our choice:
    ECS registers the tasks in both groups and moves weights onto them, which a group still being
    created cannot take, so the request is refused (InvalidParameterException) and not left to
    fail later. A group that does not exist is :meth:`.models.EmulatedEcsBackend._check_lattice`'s
    to refuse."""
    from moto.ecs.exceptions import InvalidParameterException

    from ..vpclattice.exceptions import LatticeError

    backend.lattice.settle_target_groups()
    for config in configs:
        named = [
            config.get("targetGroupArn"),
            (advanced([config]) or {}).get("alternateTargetGroupArn"),
        ]
        for arn in filter(None, named):
            try:
                status = backend.lattice.find("target_group", arn).status
            except LatticeError:  # not there: refused where the wiring is checked
                continue
            if status != "ACTIVE":
                raise InvalidParameterException(
                    f"vpcLatticeConfigurations: target group {arn} is {status}, not ACTIVE; "
                    "retry once it is ACTIVE"
                )


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
    due = hooks.due(p["hooks"], now)
    if due is not None:
        if why := hooks.run(backend, service, green, stage["stage"], due):
            roll_back(backend, service, due, why)
        return True
    if hooks.pending(p["hooks"]):
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
    p["hooks"] = hooks.arm(service, stage["stage"], at)
    return True


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
    test_rule = bool((advanced(green["vpcLatticeConfigurations"]) or {}).get("testListenerRule"))
    p.update(
        status="ROLLBACK_IN_PROGRESS",
        reason=reason,
        rollbackStartedAt=at,
        rollbackStages=["PRODUCTION_TRAFFIC_SHIFT", *(["TEST_TRAFFIC_SHIFT"] if test_rule else [])],
        hooks={},
    )
    service.deployments = [blue]
    _next_rollback_stage(service, green, at)


def rolling_back(service: LatticeAwareService) -> dict[str, Any] | None:
    """The deployment whose rollback still runs its hooks (at most one: the newest)."""
    newest = service.history[-1] if service.history else {}
    p = newest.get("progressive") or {}
    return newest if p.get("status") == "ROLLBACK_IN_PROGRESS" else None


def step_rollback(backend: EmulatedEcsBackend, service: LatticeAwareService, now: float) -> bool:
    """Apply the next rollback hook event due by ``now``; False when nothing is."""
    green = rolling_back(service)
    if green is None:
        return False
    p = green["progressive"]
    due = hooks.due(p["hooks"], now)
    if due is None:
        return False
    if why := hooks.run(backend, service, green, p["rollbackStage"], due):
        p.update(status="ROLLBACK_FAILED", reason=f"{p['reason']}; rollback: {why}", finishedAt=due)
    elif not hooks.pending(p["hooks"]):
        _next_rollback_stage(service, green, due)
    return True


def _next_rollback_stage(service: LatticeAwareService, green: dict[str, Any], at: float) -> None:
    """Arm the next traffic-shift stage's hooks; the rollback is done when none is left."""
    p = green["progressive"]
    while p["rollbackStages"]:
        stage = p["rollbackStages"].pop(0)
        p.update(rollbackStage=stage, hooks=hooks.arm(service, stage, at))
        if p["hooks"]:
            return
    p.update(status="ROLLBACK_SUCCESSFUL", finishedAt=at)


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
