"""Progressive delivery through VPC Lattice with ECS's own strategies: the workflow makes the
alternate group and the rules, registers its gate as ECS's hook, follows ECS's deployment, and
ends with ECS's verdict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLE, Local

CHECKOUT = EXAMPLE.parent / "checkout"


def bundle_of(tmp_path: Path, image: str, **deployment: Any) -> Path:
    target = tmp_path / image.replace(":", "-")
    target.mkdir()
    for name in ("ecspresso.yml", "ecs-service-def.json", "ecs-task-def.json"):
        (target / name).write_text((CHECKOUT / name).read_text())
    service = json.loads((target / "ecs-service-def.json").read_text())
    if deployment:
        service["deploymentConfiguration"] = deployment
    (target / "ecs-service-def.json").write_text(json.dumps(service))
    task = json.loads((target / "ecs-task-def.json").read_text())
    task["containerDefinitions"][0]["image"] = image
    (target / "ecs-task-def.json").write_text(json.dumps(task))
    return target


def weights_seen(local: Local, summary: dict[str, Any]) -> list[float]:
    """The production weight on the new revision, each time a check_health poll saw it move."""
    seen: list[float] = []
    for event in local.history(summary):
        details = event.get("stateExitedEventDetails") or {}
        if details.get("name") != "check_health":
            continue
        health = json.loads(details["output"]).get("health") or {}
        weight = health.get("productionWeight")
        if weight is not None and (not seen or seen[-1] != weight):
            seen.append(weight)
    return seen


def production(local: Local) -> dict[str, int]:
    """Target group name → weight on the production rule."""
    api = local.aws.client("vpc-lattice")
    (service,) = [s for s in api.list_services()["items"] if s["name"] == "dev-checkout-service"]
    (listener,) = api.list_listeners(serviceIdentifier=service["id"])["items"]
    on = {"serviceIdentifier": service["id"], "listenerIdentifier": listener["id"]}
    (rule,) = api.list_rules(**on)["items"]
    action = api.get_rule(**on, ruleIdentifier=rule["id"])["action"]
    names = {g["arn"]: g["name"] for g in api.list_target_groups()["items"]}
    return {
        names[g["targetGroupIdentifier"]]: g["weight"] for g in action["forward"]["targetGroups"]
    }


def running_image(local: Local) -> str:
    ecs = local.aws.client("ecs")
    (service,) = ecs.describe_services(cluster="my-cluster", services=["checkout"])["services"]
    task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    return str(task["taskDefinition"]["containerDefinitions"][0]["image"])


@pytest.mark.parametrize(
    ("deployment", "weights"),
    [
        ({"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 1}, [0.0, 100.0]),
        (
            {
                "strategy": "LINEAR",
                "bakeTimeInMinutes": 1,
                "linearConfiguration": {"stepPercent": 34.0, "stepBakeTimeInMinutes": 1},
            },
            [0.0, 34.0, 68.0, 100.0],
        ),
        (
            {
                "strategy": "CANARY",
                "bakeTimeInMinutes": 1,
                "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 2},
            },
            [0.0, 10.0, 100.0],
        ),
    ],
)
def test_an_image_change_is_shifted_by_ecs_in_order_and_succeeds(
    local: Local, tmp_path: Path, deployment: dict[str, Any], weights: list[float]
) -> None:
    first = local.deploy(bundle_of(tmp_path, "nginx:1.27", **deployment))
    assert first["status"] == "SUCCEEDED", first.get("failure")
    made = {r["type"]: r["action"] for r in first["resources"]}
    assert made["alternateGroup"] == "created" and made["rules"] == "created"
    assert production(local) == {"dev-checkout-targetgroup": 100, "dev-checkout-targetgroup-alt": 0}
    second = local.deploy(bundle_of(tmp_path, "nginx:1.28", **deployment))
    assert second["status"] == "SUCCEEDED", second.get("failure")
    assert weights_seen(local, second) == weights
    assert production(local) == {
        "dev-checkout-targetgroup": 0,
        "dev-checkout-targetgroup-alt": 999,
    }
    assert running_image(local) == "nginx:1.28"


def test_an_unhealthy_green_revision_never_gets_production_traffic(
    local: Local, tmp_path: Path
) -> None:
    assert local.deploy(bundle_of(tmp_path, "nginx:1.27"))["status"] == "SUCCEEDED"
    local.aws.inject("unhealthy-targets:checkout:2")
    failed = local.deploy(bundle_of(tmp_path, "nginx:1.28"))
    assert failed["status"] == "FAILED"
    message = failed["failure"]["message"]
    assert "ECS rolled the CANARY deployment back at POST_SCALE_UP" in message
    assert "UNHEALTHY" in message
    assert weights_seen(local, failed) == [0.0]
    assert production(local) == {"dev-checkout-targetgroup": 100, "dev-checkout-targetgroup-alt": 0}
    assert running_image(local) == "nginx:1.27"


def test_an_alarm_during_bake_rolls_back_to_the_previous_revision(
    local: Local, tmp_path: Path
) -> None:
    alarms = {"alarmNames": ["checkout-5xx"], "enable": True, "rollback": True}
    deployment = {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 30, "alarms": alarms}
    assert local.deploy(bundle_of(tmp_path, "nginx:1.27", **deployment))["status"] == "SUCCEEDED"
    # the alarm fires 20 minutes in: production is on green, in the 30 minutes of bake time
    local.aws.inject("alarm:checkout-5xx@1200")
    failed = local.deploy(bundle_of(tmp_path, "nginx:1.28", **deployment))
    assert failed["status"] == "FAILED"
    assert "alarm checkout-5xx" in failed["failure"]["message"]
    assert weights_seen(local, failed)[-1] == 0.0 and 100.0 in weights_seen(local, failed)
    assert production(local) == {"dev-checkout-targetgroup": 999, "dev-checkout-targetgroup-alt": 0}
    assert running_image(local) == "nginx:1.27"


def test_a_first_deploy_that_fails_leaves_nothing_behind(local: Local, tmp_path: Path) -> None:
    local.aws.inject("unhealthy-targets")
    failed = local.deploy(bundle_of(tmp_path, "nginx:1.27"))
    assert (failed["status"], failed["rolledBack"]) == ("FAILED", True)
    api = local.aws.client("vpc-lattice")
    assert api.list_target_groups()["items"] == [] and api.list_services()["items"] == []


def test_the_gate_answers_failed_when_it_cannot_look(local: Local) -> None:
    """ECS's sample payload, naming a service revision this account does not have."""
    from deployer.hooks import lifecycle_hook

    sample = json.loads((EXAMPLE.parents[1] / "events" / "lifecycle_hook.json").read_text())
    answer = lifecycle_hook.handler(sample, None)
    assert answer["hookStatus"] == "FAILED" and answer["reason"]


def test_plan_shows_the_alternate_group_and_rules_it_would_make(
    local: Local, tmp_path: Path
) -> None:
    from deployer.bundle import plan as planner
    from deployer.bundle.account_check import plan_of
    from lattice_deploy.runner import execution

    def planned(directory: Path) -> dict[str, str]:
        files = execution.rendered(execution.read_bundle(directory))
        items = planner.plan_changes(plan_of(files, "plan", "dev"))
        return {f"{i['resource']} {i['name']}": i["action"] for i in items}

    directory = bundle_of(tmp_path, "nginx:1.27")
    before = planned(directory)
    assert before["alternateGroup dev-checkout-targetgroup-alt"] == "create"
    assert before["rule lattice-deploy-production"] == "create"
    assert local.deploy(directory)["status"] == "SUCCEEDED"
    after = planned(directory)
    assert after["alternateGroup dev-checkout-targetgroup-alt"] == "unchanged"
    assert after["rule lattice-deploy-production"] == "unchanged"


def test_ecs_own_advanced_configuration_is_adopted_as_it_is(local: Local, tmp_path: Path) -> None:
    api = local.aws.client("vpc-lattice")
    vpc = {"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}
    blue = api.create_target_group(name="shop-blue", type="IP", config=vpc)
    green = api.create_target_group(name="shop-green", type="IP", config=vpc)
    shop = api.create_service(name="shop", authType="NONE")
    listener = api.create_listener(
        serviceIdentifier=shop["id"],
        name="http",
        protocol="HTTP",
        port=80,
        defaultAction={"fixedResponse": {"statusCode": 404}},
    )
    rule = api.create_rule(
        serviceIdentifier=shop["id"],
        listenerIdentifier=listener["id"],
        name="live",
        priority=1,
        match={"httpMatch": {"pathMatch": {"match": {"prefix": "/"}}}},
        action={
            "forward": {
                "targetGroups": [
                    {"targetGroupIdentifier": blue["arn"], "weight": 100},
                    {"targetGroupIdentifier": green["arn"], "weight": 0},
                ]
            }
        },
    )
    native = [
        {
            "roleArn": "arn:aws:iam::123456789012:role/ecs-own-lattice-role",
            "targetGroupArn": blue["arn"],
            "portName": "http",
            "advancedConfiguration": {
                "alternateTargetGroupArn": green["arn"],
                "productionListenerRule": rule["arn"],
            },
        }
    ]

    def bundle(image: str) -> Path:
        directory = bundle_of(tmp_path, image, strategy="BLUE_GREEN", bakeTimeInMinutes=1)
        service = json.loads((directory / "ecs-service-def.json").read_text())
        del service["vpcLatticeConfiguration"]
        service["vpcLatticeConfigurations"] = native
        (directory / "ecs-service-def.json").write_text(json.dumps(service))
        return directory

    assert local.deploy(bundle("nginx:1.27"))["status"] == "SUCCEEDED"
    second = local.deploy(bundle("nginx:1.28"))
    assert second["status"] == "SUCCEEDED", second.get("failure")
    assert {"alternateGroup", "rules"}.isdisjoint(r["type"] for r in second["resources"])
    weights = api.get_rule(
        serviceIdentifier=shop["id"], listenerIdentifier=listener["id"], ruleIdentifier=rule["id"]
    )["action"]["forward"]["targetGroups"]
    assert [w["weight"] for w in weights] == [0, 999]  # production moved to their green group
    assert running_image(local) == "nginx:1.28"


def test_ecs_saying_successful_is_not_enough_while_the_rule_sends_traffic_elsewhere(
    local: Local, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ECS and VPC Lattice can disagree on AWS (a rule edited by hand, a shift not applied):
    the gate believes the rule, not ECS's word, and the run fails at its timeout."""
    from lattice_deploy.emulator.vpclattice.models import EmulatedLatticeBackend

    first = bundle_of(tmp_path, "nginx:1.27", strategy="BLUE_GREEN", bakeTimeInMinutes=1)
    assert local.deploy(first)["status"] == "SUCCEEDED"
    monkeypatch.setattr(EmulatedLatticeBackend, "set_rule_weights", lambda *_: None)
    second = bundle_of(tmp_path, "nginx:1.28", strategy="BLUE_GREEN", bakeTimeInMinutes=1)
    config = (second / "ecspresso.yml").read_text().replace("timeout: 30m", "timeout: 15m")
    (second / "ecspresso.yml").write_text(config)
    failed = local.deploy(second)
    assert failed["status"] == "FAILED"
    message = failed["failure"]["message"]
    assert "ECS: SUCCESSFUL" in message and "the production rule sends 0% there" in message
