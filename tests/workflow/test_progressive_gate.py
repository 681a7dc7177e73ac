"""The health gate ECS asks during its own progressive deployments
(:mod:`deployer.hooks.lifecycle_hook`) and the run's reading of ECS's deployment
(:mod:`deployer.health.follow_deployment`), at the edges AWS documents: services above
DescribeTasks' 100 tasks, ECS's rollback re-invoking the shift hooks, a hook's timeout, the
previous deployment in ListServiceDeployments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import Local
from .test_progressive import bundle_of, running_image


def sized(directory: Path, desired: int) -> Path:
    """The bundle with ``desiredCount`` set."""
    path = directory / "ecs-service-def.json"
    service = json.loads(path.read_text())
    service["desiredCount"] = desired
    path.write_text(json.dumps(service))
    return directory


def test_a_blue_green_service_above_50_tasks_passes_the_gate(local: Local, tmp_path: Path) -> None:
    """60 blue and 60 green tasks run at POST_SCALE_UP: 120 task ARNs, more than the 100 one
    DescribeTasks takes. The gate asks in batches; asked at once, it answers FAILED and ECS rolls
    back."""
    deployment = {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 0}
    first = local.deploy(sized(bundle_of(tmp_path, "nginx:1.27", **deployment), 60))
    assert first["status"] == "SUCCEEDED", first.get("failure")
    second = local.deploy(sized(bundle_of(tmp_path, "nginx:1.28", **deployment), 60))
    assert second["status"] == "SUCCEEDED", second.get("failure")
    assert running_image(local) == "nginx:1.28"


def ecs_deployment(local: Local) -> dict[str, Any]:
    """ECS's newest service deployment of the checkout service, described."""
    ecs = local.aws.client("ecs")
    listed = ecs.list_service_deployments(cluster="my-cluster", service="checkout")
    newest = max(listed["serviceDeployments"], key=lambda d: d["createdAt"])
    arns = [newest["serviceDeploymentArn"]]
    return dict(
        ecs.describe_service_deployments(serviceDeploymentArns=arns)["serviceDeployments"][0]
    )


@pytest.mark.parametrize(
    ("fault", "deployment"),
    [
        ("unhealthy-targets:checkout:2", {}),  # the gate would ask again and again
        (  # the gate would answer FAILED: the alarm is still in ALARM while ECS rolls back
            "alarm:checkout-5xx@1200",
            {
                "strategy": "BLUE_GREEN",
                "bakeTimeInMinutes": 30,
                "alarms": {"alarmNames": ["checkout-5xx"], "enable": True, "rollback": True},
            },
        ),
    ],
)
def test_the_gate_lets_ecs_own_rollback_through(
    local: Local, tmp_path: Path, fault: str, deployment: dict[str, Any]
) -> None:
    """ECS runs the PRODUCTION_TRAFFIC_SHIFT hook again while it rolls back, the new revision at
    weight 0: the gate answers SUCCEEDED there, and ECS's rollback ends ROLLBACK_SUCCESSFUL."""
    assert local.deploy(bundle_of(tmp_path, "nginx:1.27", **deployment))["status"] == "SUCCEEDED"
    local.aws.inject(fault)
    failed = local.deploy(bundle_of(tmp_path, "nginx:1.28", **deployment))
    assert failed["status"] == "FAILED"
    local.aws.advance(60)
    rolled = ecs_deployment(local)
    assert rolled["status"] == "ROLLBACK_SUCCESSFUL", rolled
    assert running_image(local) == "nginx:1.27"


def test_the_run_follows_its_own_service_deployment(
    local: Local, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ListServiceDeployments has not listed the update's deployment yet (its order and
    freshness are not documented): the previous one, SUCCESSFUL, must not pass for it (a false
    HEALTHY on the first poll). The run follows the deployment UpdateService named
    (``currentServiceDeployment``), else one created since the update."""
    from deployer.health import follow_deployment
    from lattice_deploy.emulator.ecs import service_deployments

    deployment = {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 0}
    assert local.deploy(bundle_of(tmp_path, "nginx:1.27", **deployment))["status"] == "SUCCEEDED"
    ecs = local.aws.client("ecs")
    (service,) = ecs.describe_services(cluster="my-cluster", services=["checkout"])["services"]
    (gate,) = service["deploymentConfiguration"]["lifecycleHooks"]  # the run's timeout: 30m
    assert gate["timeoutConfiguration"] == {"timeoutInMinutes": 30, "action": "ROLLBACK"}
    updated = ecs.update_service(
        cluster="my-cluster",
        service="checkout",
        taskDefinition=service["taskDefinition"],
        forceNewDeployment=True,
    )["service"]
    listed = service_deployments.listed
    monkeypatch.setattr(service_deployments, "listed", lambda *a: listed(*a)[1:])
    plan = {
        "cluster": "my-cluster",
        "serviceName": "checkout",
        "region": local.aws.region,
        "timeoutSeconds": 1800,
        "lattice": {"progressive": {"strategy": "BLUE_GREEN"}},
    }
    run = {
        "serviceDeployment": updated["currentServiceDeployment"],
        "deploymentCreatedAt": updated["deployments"][0]["createdAt"].isoformat(),
    }
    for given in (run, {"deploymentCreatedAt": run["deploymentCreatedAt"]}):
        status, _, detail = follow_deployment.verdict(plan, 0.0, 100.0, given)
        assert status == "WAITING", detail
    monkeypatch.setattr(service_deployments, "listed", listed)
    found = follow_deployment.newest(plan, {"deploymentCreatedAt": run["deploymentCreatedAt"]})
    assert found is not None and found["serviceDeploymentArn"] == run["serviceDeployment"]


def test_a_tls_passthrough_listener_is_its_own_production_rule(aws: Any) -> None:
    """A TLS_PASSTHROUGH listener has no rules: ``productionListenerRule`` is the listener ARN
    ("rule ... or listener", ECS API Reference, AdvancedConfiguration). The run creates no rule,
    adds the alternate group to the default action at weight 0, and reads the share there."""
    from deployer.health import follow_deployment
    from deployer.lattice import ensure_rules

    api = aws.client("vpc-lattice")
    vpc = {"port": 443, "protocol": "TCP", "vpcIdentifier": "vpc-12345678"}
    blue = api.create_target_group(name="tls-blue", type="IP", config=vpc)
    green = api.create_target_group(name="tls-green", type="IP", config=vpc)
    service = api.create_service(name="tls", customDomainName="tls.example.com")
    listener = api.create_listener(
        serviceIdentifier=service["id"],
        name="tls",
        protocol="TLS_PASSTHROUGH",
        port=443,
        defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": blue["arn"]}]}},
    )
    plan = {
        "region": aws.region,
        "lattice": {
            "progressive": {"adopted": None, "productionRule": {"name": "p", "priority": 100}}
        },
    }
    event = {
        "plan": plan,
        "resources": {
            "latticeService": {"id": service["id"]},
            "listener": {"id": listener["id"]},
            "targetGroup": {"arn": blue["arn"]},
            "alternateGroup": {"arn": green["arn"]},
        },
    }
    made = ensure_rules.ensure(event)
    assert made is not None and made["production"]["arn"] == listener["arn"]
    on = {"serviceIdentifier": service["id"], "listenerIdentifier": listener["id"]}
    assert not [r for r in api.list_rules(**on)["items"] if not r.get("isDefault")]
    assert follow_deployment.rule_share(listener["arn"], blue["arn"], plan) == 100.0
    assert follow_deployment.rule_share(listener["arn"], green["arn"], plan) == 0.0
    assert ensure_rules.ensure(event)["action"] == "unchanged"  # type: ignore[index]


@pytest.mark.parametrize(("seconds", "minutes"), [(1800, 30), (899, 14), (30, 1)])
def test_the_gate_hook_times_out_within_the_run(
    monkeypatch: pytest.MonkeyPatch, seconds: int, minutes: int
) -> None:
    """ECS waits "Default: 1440 (24 hours)" on a hook (API Reference,
    DeploymentLifecycleHookTimeoutConfiguration): the gate's timeout is the run's, rounded down
    to whole minutes (at least ECS's minimum, 1), and ECS rolls back when it passes."""
    from deployer.ecs import progressive

    monkeypatch.setenv(
        "LIFECYCLE_HOOK_ARN", "arn:aws:lambda:ap-northeast-1:123456789012:function:g"
    )
    monkeypatch.setenv("LIFECYCLE_HOOK_ROLE_ARN", "arn:aws:iam::123456789012:role/hook")
    monkeypatch.setattr(progressive, "_failed_task_limit", lambda plan: 3)
    plan = {
        "timeoutSeconds": seconds,
        "deploymentId": "d-1",
        "lattice": {"progressive": {"adopted": None, "alarms": []}},
    }
    event = {
        "plan": plan,
        "resources": {
            "targetGroup": {"arn": "tg-blue"},
            "alternateGroup": {"arn": "tg-green"},
            "rules": {"production": {"arn": "rule"}},
        },
    }
    own = {"hookTargetArn": "arn:aws:lambda:ap-northeast-1:123456789012:function:theirs"}
    hooks = progressive.deployment_configuration(event, {"lifecycleHooks": [own]})["lifecycleHooks"]
    assert hooks[0] == own  # the bundle's own hooks are the bundle's
    assert hooks[-1]["timeoutConfiguration"] == {"timeoutInMinutes": minutes, "action": "ROLLBACK"}


def test_undo_puts_back_a_tls_listeners_default_action(aws: Any) -> None:
    """A failed first progressive run on an existing TLS_PASSTHROUGH listener: ensure_rules added
    the alternate group to the default action; the rollback restores the action as the run
    found it, then deletes the alternate group (never left forwarding to a deleted group)."""
    from deployer.lattice import ensure_rules
    from deployer.rollback import baseline
    from deployer.rollback.undo import TAG, Ledger
    from deployer.rollback.undo_lattice import LatticeUndo

    api = aws.client("vpc-lattice")
    vpc = {"port": 443, "protocol": "TCP", "vpcIdentifier": "vpc-12345678"}
    blue = api.create_target_group(name="tls-blue", type="IP", config=vpc)
    service = api.create_service(name="tls", customDomainName="tls.example.com")
    before = {"forward": {"targetGroups": [{"targetGroupIdentifier": blue["arn"], "weight": 100}]}}
    listener = api.create_listener(
        serviceIdentifier=service["id"],
        name="tls",
        protocol="TLS_PASSTHROUGH",
        port=443,
        defaultAction=before,
    )
    plan: dict[str, Any] = {
        "region": aws.region,
        "deploymentId": "d-1",
        "serviceName": "tls",
        "cluster": "my-cluster",
        "tags": {TAG: "d-1"},
        "lattice": {
            "vpcId": "vpc-12345678",
            "service": {"name": "tls"},
            "serviceNetwork": {"name": "tls-network"},
            "targetGroup": {"name": "tls-blue"},
            "progressive": {
                "adopted": None,
                "alternateGroup": {"name": "tls-green"},
                "productionRule": {"name": "p", "priority": 100},
            },
        },
    }
    found = baseline.read(plan)  # as load_bundle reads it, before anything changes
    green = api.create_target_group(name="tls-green", type="IP", config=vpc, tags={TAG: "d-1"})
    resources = {
        "latticeService": {"id": service["id"]},
        "listener": {"id": listener["id"]},
        "targetGroup": {"arn": blue["arn"], "id": blue["id"]},
        "alternateGroup": {"arn": green["arn"], "id": green["id"]},
    }
    ensure_rules.ensure({"plan": plan, "resources": resources})
    on = {"serviceIdentifier": service["id"], "listenerIdentifier": listener["id"]}
    assert len(api.get_listener(**on)["defaultAction"]["forward"]["targetGroups"]) == 2
    ledger = Ledger(None)
    LatticeUndo(plan, found, resources, ledger).run()
    assert api.get_listener(**on)["defaultAction"] == before
    assert ledger.pending == [] and {"type": "targetGroup", "id": green["id"]} in [
        {"type": r["type"], "id": r["id"]} for r in ledger.removed
    ]


def test_a_progressive_deployment_fails_at_the_poll_that_reaches_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As the ROLLING gate: a deployment still IN_PROGRESS fails at ``elapsed == timeout``, not
    one poll later (the last wait is cut to end there)."""
    from deployer.health import follow_deployment

    found = {
        "serviceDeploymentArn": "arn:aws:ecs:ap-northeast-1:123456789012:service-deployment/c/s/x",
        "status": "IN_PROGRESS",
        "lifecycleStage": "BAKE_TIME",
        "targetServiceRevision": {"requestedProductionTrafficWeight": 100.0},
    }
    monkeypatch.setattr(follow_deployment, "newest", lambda plan, run=None: found)
    plan = {"timeoutSeconds": 1800, "lattice": {"progressive": {"strategy": "BLUE_GREEN"}}}
    assert follow_deployment.verdict(plan, 1799.9, 100.0)[0] == "WAITING"
    status, reason, _ = follow_deployment.verdict(plan, 1800.0, 100.0)
    assert status == "FAILED" and "within the timeout of 1800s" in reason, reason
