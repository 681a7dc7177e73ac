"""ECS's own progressive strategies behind VPC Lattice in the embedded AWS: green tasks in the
alternate group, weights moving on the production rule in order, lifecycle hooks honoured,
bake time, alarms, ECS's rollback."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from lattice_deploy.emulator.awslambda.models import HANDLERS
from lattice_deploy.emulator.ecs.progressive import SCALE_UP_SETTLE, SHIFT_SETTLE

from .helpers import NETWORK, ROLE, served_target_group, target_group, task_definition
from .test_lattice_rules import EVERYTHING, forward

Answer = Callable[[dict[str, Any]], dict[str, Any]]


def hook(aws: Any, answer: Answer) -> tuple[str, list[dict[str, Any]]]:
    """A Lambda function ECS can invoke as a hook; the events it received."""
    seen: list[dict[str, Any]] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hook.py", "")
    role = aws.client("iam").create_role(
        RoleName="hook-role", AssumeRolePolicyDocument=json.dumps({"Statement": []})
    )["Role"]["Arn"]
    made = aws.client("lambda").create_function(
        FunctionName="gate",
        Runtime="python3.13",
        Role=role,
        Handler="hook.handler",
        Code={"ZipFile": buffer.getvalue()},
    )

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return answer(event)

    HANDLERS["gate"] = handler
    return made["FunctionArn"], seen


def progressive_service(
    aws: Any,
    lattice: Any,
    ecs: Any,
    config: dict[str, Any],
    test_rule: bool = False,
    on_listener: bool = False,
) -> dict[str, Any]:
    """A service on ECS's progressive ``config``; its production "rule" the listener itself
    when ``on_listener`` (a listener without rules, as TLS_PASSTHROUGH's)."""
    blue = served_target_group(lattice)
    green = target_group(lattice, "myservice-green")
    (listener,) = lattice.list_listeners(serviceIdentifier=blue["serviceId"])["items"]
    on = {"serviceIdentifier": blue["serviceId"], "listenerIdentifier": listener["id"]}
    production = lattice.create_rule(
        **on,
        name="production",
        priority=10,
        match=EVERYTHING,
        action=forward((blue["arn"], 100), (green["arn"], 0)),
    )
    advanced = {
        "alternateTargetGroupArn": green["arn"],
        "productionListenerRule": listener["arn"] if on_listener else production["arn"],
    }
    if on_listener:
        lattice.delete_rule(**on, ruleIdentifier=production["id"])
        action = forward((blue["arn"], 100), (green["arn"], 0))
        lattice.update_listener(**on, defaultAction=action)
    if test_rule:
        header = {"name": "x-canary", "match": {"exact": "1"}}
        advanced["testListenerRule"] = lattice.create_rule(
            **on,
            name="test",
            priority=5,
            match={"httpMatch": {"headerMatches": [header]}},
            action=forward((blue["arn"], 100), (green["arn"], 0)),
        )["arn"]
    ecs.create_service(
        cluster="my-cluster",
        serviceName="myservice",
        taskDefinition=task_definition(ecs),
        desiredCount=2,
        launchType="FARGATE",
        networkConfiguration=NETWORK,
        vpcLatticeConfigurations=[
            {
                "roleArn": ROLE,
                "targetGroupArn": blue["arn"],
                "portName": "http",
                "advancedConfiguration": advanced,
            }
        ],
        deploymentConfiguration=config,
    )
    aws.advance(400)  # the first deployment has nothing to shift from: it rolls, and completes
    assert service(ecs)["deployments"][0]["rolloutState"] == "COMPLETED"
    rule = None if on_listener else production["id"]
    return {"blue": blue, "green": green, "on": on, "production": rule}


def service(ecs: Any) -> dict[str, Any]:
    return dict(ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"][0])


def green_weights(lattice: Any, env: dict[str, Any], rule: str | None = None) -> float:
    if rule is None and env["production"] is None:  # the listener's default action
        got = lattice.get_listener(**env["on"])["defaultAction"]
    else:
        got = lattice.get_rule(**env["on"], ruleIdentifier=rule or env["production"])["action"]
    weights = {g["targetGroupIdentifier"]: g["weight"] for g in got["forward"]["targetGroups"]}
    return weights[env["green"]["arn"]] / sum(weights.values()) * 100


def timeline(
    aws: Any, ecs: Any, lattice: Any, env: dict[str, Any], seconds: int
) -> list[tuple[int, float]]:
    """``(second, green production weight)`` each time it changed, 10 s apart."""
    seen: list[tuple[int, float]] = []
    for tick in range(seconds // 10):
        aws.advance(10)
        service(ecs)
        weight = round(green_weights(lattice, env), 1)
        if not seen or seen[-1][1] != weight:
            seen.append((tick * 10 + 10, weight))
    return seen


def follow(aws: Any, ecs: Any, lattice: Any, env: dict[str, Any], seconds: int) -> list[float]:
    """The green production weight each time it changed, over ``seconds`` of virtual time."""
    return [weight for _, weight in timeline(aws, ecs, lattice, env, seconds)]


def update(ecs: Any, image: str = "nginx:1.27") -> None:
    ecs.update_service(
        cluster="my-cluster", service="myservice", taskDefinition=task_definition(ecs, image)
    )


def deployments(ecs: Any) -> list[dict[str, Any]]:
    arns = [
        d["serviceDeploymentArn"]
        for d in ecs.list_service_deployments(cluster="my-cluster", service="myservice")[
            "serviceDeployments"
        ]
    ]
    return list(ecs.describe_service_deployments(serviceDeploymentArns=arns)["serviceDeployments"])


def healthy_gate(event: dict[str, Any]) -> dict[str, Any]:
    return {"hookStatus": "SUCCEEDED"}


@pytest.mark.parametrize(
    ("config", "weights"),
    [
        ({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 1}, [0.0, 100.0]),
        (
            {
                "strategy": "CANARY",
                "bakeTimeInMinutes": 1,
                "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 2},
            },
            [0.0, 10.0, 100.0],
        ),
        (
            {
                "strategy": "LINEAR",
                "bakeTimeInMinutes": 1,
                "linearConfiguration": {"stepPercent": 34.0, "stepBakeTimeInMinutes": 1},
            },
            [0.0, 34.0, 68.0, 100.0],
        ),
    ],
)
def test_each_strategy_moves_the_weights_in_order_and_retires_blue(
    aws: Any, lattice: Any, ecs: Any, config: dict[str, Any], weights: list[float]
) -> None:
    env = progressive_service(aws, lattice, ecs, config)
    update(ecs)
    assert follow(aws, ecs, lattice, env, 1200) == weights
    (newest, first) = deployments(ecs)
    assert (newest["status"], newest["lifecycleStage"]) == ("SUCCESSFUL", "CLEAN_UP")
    assert first["status"] == "SUCCESSFUL"
    running = service(ecs)
    assert running["taskDefinition"].endswith(":2") and len(running["deployments"]) == 1
    green_targets = lattice.list_targets(targetGroupIdentifier=env["green"]["id"])["items"]
    assert {t["status"] for t in green_targets} == {"HEALTHY"} and len(green_targets) == 2
    blue_targets = lattice.list_targets(targetGroupIdentifier=env["blue"]["id"])["items"]
    assert {t["status"] for t in blue_targets} <= {"DRAINING"}


def test_a_canary_holds_its_share_for_its_bake_time(aws: Any, lattice: Any, ecs: Any) -> None:
    canary = {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 3}
    env = progressive_service(
        aws, lattice, ecs, {"strategy": "CANARY", "canaryConfiguration": canary}
    )
    update(ecs)
    (_, zero), (at_ten, ten), (at_all, everything) = timeline(aws, ecs, lattice, env, 1200)
    assert (zero, ten, everything) == (0.0, 10.0, 100.0)
    assert at_all - at_ten == pytest.approx(SHIFT_SETTLE + 180, abs=10)


def test_the_next_deployment_goes_back_to_the_first_group(aws: Any, lattice: Any, ecs: Any) -> None:
    env = progressive_service(aws, lattice, ecs, {"strategy": "BLUE_GREEN"})
    update(ecs)
    follow(aws, ecs, lattice, env, 900)
    update(ecs, "nginx:1.28")
    follow(aws, ecs, lattice, env, 900)
    assert green_weights(lattice, env) == 0.0  # production is on the first group again
    blue_targets = lattice.list_targets(targetGroupIdentifier=env["blue"]["id"])["items"]
    assert {t["status"] for t in blue_targets} == {"HEALTHY"}


def test_a_hook_is_invoked_with_ecs_payload_and_in_progress_asks_again(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    answers = iter(["IN_PROGRESS", "IN_PROGRESS", "SUCCEEDED"])
    arn, seen = hook(aws, lambda e: {"hookStatus": next(answers), "callBackDelay": 20})
    hooks = [{"hookTargetArn": arn, "roleArn": ROLE, "lifecycleStages": ["POST_SCALE_UP"]}]
    env = progressive_service(
        aws, lattice, ecs, {"strategy": "BLUE_GREEN", "lifecycleHooks": hooks}
    )
    update(ecs)
    follow(aws, ecs, lattice, env, 900)
    assert [e["lifecycleStage"] for e in seen] == ["POST_SCALE_UP"] * 3
    first = seen[0]
    assert first["resourceArn"].startswith(
        "arn:aws:ecs:ap-northeast-1:123456789012:service-deployment/my-cluster/myservice/"
    )
    details = first["executionDetails"]
    assert details["targetServiceRevisionArn"] in details["productionTrafficWeights"]
    assert details["productionTrafficWeights"][details["targetServiceRevisionArn"]] == 0.0
    assert deployments(ecs)[0]["status"] == "SUCCESSFUL"


def test_a_hook_that_fails_rolls_back_before_production_traffic_moves(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    arn, _ = hook(aws, lambda e: {"hookStatus": "FAILED"})
    hooks = [{"hookTargetArn": arn, "roleArn": ROLE, "lifecycleStages": ["POST_SCALE_UP"]}]
    env = progressive_service(aws, lattice, ecs, {"strategy": "CANARY", "lifecycleHooks": hooks})
    update(ecs)
    assert follow(aws, ecs, lattice, env, 600) == [0.0]
    newest = deployments(ecs)[0]
    assert newest["status"] == "ROLLBACK_SUCCESSFUL" and "POST_SCALE_UP" in newest["statusReason"]
    running = service(ecs)
    assert running["taskDefinition"].endswith(":1") and len(running["deployments"]) == 1


def test_an_alarm_during_bake_rolls_back_to_blue(aws: Any, lattice: Any, ecs: Any) -> None:
    alarms = {"alarmNames": ["errors"], "enable": True, "rollback": True}
    env = progressive_service(
        aws, lattice, ecs, {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 10, "alarms": alarms}
    )
    update(ecs)
    assert follow(aws, ecs, lattice, env, int(SCALE_UP_SETTLE + SHIFT_SETTLE) + 120)[-1] == 100.0
    aws.inject("alarm:errors")
    assert follow(aws, ecs, lattice, env, 60) == [0.0]
    newest = deployments(ecs)[0]
    assert newest["status"] == "ROLLBACK_SUCCESSFUL" and "alarm errors" in newest["statusReason"]
    assert service(ecs)["taskDefinition"].endswith(":1")


def test_a_test_rule_gets_all_test_traffic_before_production_moves(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    env = progressive_service(aws, lattice, ecs, {"strategy": "BLUE_GREEN"}, test_rule=True)
    test_rule = next(
        r["id"] for r in lattice.list_rules(**env["on"])["items"] if r["name"] == "test"
    )
    update(ecs)
    for _ in range(60):
        aws.advance(10)
        service(ecs)
        if green_weights(lattice, env, test_rule) == 100.0:
            break
    assert green_weights(lattice, env) == 0.0  # production has not moved yet


def test_a_cloudwatch_alarm_in_alarm_rolls_back_too(aws: Any, lattice: Any, ecs: Any) -> None:
    cloudwatch = aws.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="errors",
        MetricName="5xx",
        Namespace="App",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1.0,
        ComparisonOperator="GreaterThanThreshold",
    )
    alarms = {"alarmNames": ["errors"], "enable": True, "rollback": True}
    env = progressive_service(
        aws, lattice, ecs, {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 10, "alarms": alarms}
    )
    update(ecs)
    assert follow(aws, ecs, lattice, env, int(SCALE_UP_SETTLE + SHIFT_SETTLE) + 120)[-1] == 100.0
    cloudwatch.set_alarm_state(AlarmName="errors", StateValue="ALARM", StateReason="test")
    assert follow(aws, ecs, lattice, env, 60) == [0.0]
    assert deployments(ecs)[0]["status"] == "ROLLBACK_SUCCESSFUL"


def test_a_hook_past_its_timeout_rolls_back(aws: Any, lattice: Any, ecs: Any) -> None:
    arn, seen = hook(aws, lambda e: {"hookStatus": "IN_PROGRESS", "callBackDelay": 60})
    hooks = [
        {
            "hookTargetArn": arn,
            "roleArn": ROLE,
            "lifecycleStages": ["POST_SCALE_UP"],
            "timeoutConfiguration": {"timeoutInMinutes": 3, "action": "ROLLBACK"},
        }
    ]
    env = progressive_service(aws, lattice, ecs, {"strategy": "CANARY", "lifecycleHooks": hooks})
    update(ecs)
    assert follow(aws, ecs, lattice, env, 600) == [0.0]
    newest = deployments(ecs)[0]
    assert newest["status"] == "ROLLBACK_SUCCESSFUL" and "timed out" in newest["statusReason"]
    assert 3 <= len(seen) <= 4  # asked every 60 s until the 3 minutes ran out


@pytest.mark.parametrize(
    ("at_rollback", "status"),
    [
        ("SUCCEEDED", "ROLLBACK_SUCCESSFUL"),
        ("FAILED", "ROLLBACK_FAILED"),
        ("IN_PROGRESS", "ROLLBACK_IN_PROGRESS"),
    ],
)
def test_a_rollback_runs_the_traffic_shift_hooks_again_at_weight_0(
    aws: Any, lattice: Any, ecs: Any, at_rollback: str, status: str
) -> None:
    """ "There is no dedicated ROLLBACK lifecycle stage": ECS shifts the traffic back through
    TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT, and runs their hooks, the target revision
    at weight 0; the rollback ends as they answer."""

    def answer(event: dict[str, Any]) -> dict[str, Any]:
        if event["lifecycleStage"] == "POST_SCALE_UP":
            return {"hookStatus": "FAILED", "reason": "green is broken"}
        return {"hookStatus": at_rollback}

    arn, seen = hook(aws, answer)
    stages = ["POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"]
    hooks = [{"hookTargetArn": arn, "roleArn": ROLE, "lifecycleStages": stages}]
    config = {"strategy": "BLUE_GREEN", "lifecycleHooks": hooks}
    env = progressive_service(aws, lattice, ecs, config, test_rule=True)
    update(ecs)
    assert follow(aws, ecs, lattice, env, 600) == [0.0]
    newest = deployments(ecs)[0]
    assert newest["status"] == status and "green is broken" in newest["statusReason"]
    rollback = [e for e in seen if e["lifecycleStage"] != "POST_SCALE_UP"]
    assert rollback[0]["lifecycleStage"] == "PRODUCTION_TRAFFIC_SHIFT"
    if at_rollback == "SUCCEEDED":  # then the test traffic's stage, once each
        assert [e["lifecycleStage"] for e in rollback] == stages[:0:-1]
    for event in rollback:
        details = event["executionDetails"]
        target = details["targetServiceRevisionArn"]
        assert details["productionTrafficWeights"][target] == 0.0
        assert details["testTrafficWeights"][target] == 0.0
    assert service(ecs)["taskDefinition"].endswith(":1")


def test_a_listener_arn_as_production_rule_shifts_its_default_action(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    """ "productionListenerRule ... rule ... or listener" (API Reference, AdvancedConfiguration):
    a listener without rules (TLS_PASSTHROUGH) has its default action's weights moved."""
    config = {"strategy": "CANARY", "canaryConfiguration": {"canaryPercent": 10.0}}
    env = progressive_service(aws, lattice, ecs, config, on_listener=True)
    update(ecs)
    assert follow(aws, ecs, lattice, env, 1200) == [0.0, 10.0, 100.0]
    assert deployments(ecs)[0]["status"] == "SUCCESSFUL"
