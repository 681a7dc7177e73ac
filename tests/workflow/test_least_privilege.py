"""Least privilege, both ways: what each function needed (the emulator's record of its requests
over a run of every path: first deploy, redeploy, update, each rollback, adoption by ARN, access
logs, direct registration, a network of another account, a turn taken over, the S3 and ECR
triggers, a progressive strategy) against what its policy in template.yaml grants. Needed but
not granted fails every workflow test (conftest); granted but never needed fails here unless
listed with the reason AWS needs it anyway."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bundles import renamed
from config.test_plugins_run import plugin_account, plugin_bundle
from lattice_deploy.emulator.account import SECOND_ACCOUNT
from lattice_deploy.runner import execution

from . import policies
from .conftest import EXAMPLE, Local
from .test_ecr_trigger import ORDERS, REGISTRY, SAMPLE, fan_outs, push
from .test_progressive import bundle_of
from .test_routes import every_path
from .test_s3_trigger import finish, settle, started, upload
from .test_stopped import stop_while_waiting_for_health

NEEDED_WITHOUT_A_CALL = {
    "iam:PassRole": "ECS checks it when CreateService/UpdateService pass the infrastructure role "
    "and RegisterTaskDefinition the task roles; no PassRole request is made",
    "ecs:TagResource": "ECS checks it for tags given at create (tag-on-create)",
    "vpc-lattice:TagResource": "VPC Lattice checks it for tags given at create",
    "s3:ListBucket": "S3 answers a missing key (an optional ecspresso.yml) with 404 only to a "
    "caller that may list the bucket, else with 403 (S3 API reference, GetObject)",
    "kms:Decrypt": "Parameter Store decrypts a SecureString under a customer managed key with "
    "the caller's kms:Decrypt (granted only via ssm: tests/test_wiring.py); the caller makes no "
    "KMS request",
}
"""Granted actions no request names: AWS checks them on the caller's behalf."""
NEEDED_IN_ANOTHER_ACCOUNT = {
    f"{function}: vpc-lattice:{action}": "a hand-made listener serving the group by a rule, "
    "adopted as it is: test_progressive.py::test_ecs_own_advanced_configuration_is_adopted_as_"
    "it_is needs it (its account has its own service named checkout; the fixture there fails "
    "on any action called but not granted)"
    for function, action in (
        ("EnsureLatticeFunction", "GetRule"),
        ("LoadBundleFunction", "GetRule"),
        ("LoadBundleFunction", "ListRules"),
    )
}
NEEDED_IN_ANOTHER_ACCOUNT["CheckHealthFunction: ecs:ListServiceDeployments"] = (
    "follow_deployment's fallback when UpdateService's answer names no currentServiceDeployment: "
    "the embedded ECS always names it; test_progressive_gate.py::test_the_run_follows_its_own_"
    "service_deployment takes that path"
)
"""Granted actions a path needs that this run cannot take in the same account."""


def _edit(directory: Path, name: str, change: Any) -> Path:
    data = json.loads((directory / name).read_text())
    change(data)
    (directory / name).write_text(json.dumps(data))
    return directory


def _image(directory: Path, image: str) -> Path:
    return _edit(
        directory,
        "ecs-task-def.json",
        lambda t: t["containerDefinitions"][0].update(image=image),
    )


def _lattice(directory: Path, **friendly: Any) -> Path:
    return _edit(
        directory, "ecs-service-def.json", lambda s: s["vpcLatticeConfiguration"].update(friendly)
    )


def _health_path(directory: Path, path: str) -> Path:
    return _lattice(directory, healthCheck={"path": path})


def _deploys(local: Local, tmp: Path) -> None:
    """First deploys (one rolled back whole), updates (health check, image), their rollbacks."""
    deploy, inject = local.deploy, local.aws.inject
    logs = "arn:aws:logs:ap-northeast-1:123456789012:log-group:lattice-access"
    logged = _lattice(renamed(EXAMPLE, tmp, "logged"), accessLogs=logs, registration="direct")
    doomed = _lattice(renamed(logged, tmp / "a", "doomed"), accessLogs="arn:aws:s3:::access-logs")
    inject("unhealthy-targets")  # the very first run fails: all it made is deleted, network too
    assert deploy(doomed)["status"] == "FAILED"
    local.aws.clear_faults()
    assert deploy(EXAMPLE)["status"] == "SUCCEEDED"
    assert deploy(EXAMPLE)["status"] == "SUCCEEDED"  # a redeploy that changes nothing
    checked = _health_path(_image(renamed(EXAMPLE, tmp / "b", "myservice"), "nginx:1.27"), "/up")
    assert deploy(checked)["status"] == "SUCCEEDED"  # the group's health check updated
    for fault, path in (("unhealthy-targets:myservice:3", "/ok"), ("fail:UpdateService", "/")):
        inject(fault)  # rolled back: ECS and the health check put back
        assert deploy(_health_path(_image(checked, f"nginx:{path}x"), path))["status"] == "FAILED"
        local.aws.clear_faults()
    assert deploy(logged)["status"] == "SUCCEEDED"
    assert deploy(_image(logged, "nginx:1.27"))["status"] == "SUCCEEDED"  # targets follow tasks
    inject("unhealthy-targets:logged:3")
    assert deploy(_image(logged, "nginx:1.28"))["status"] == "FAILED"
    local.aws.clear_faults()


def _auth(local: Local, tmp: Path) -> None:
    """Auth policies on the service and the network myservice owns: put, turned off, and put
    back by rollbacks (to none, and to the policy before)."""
    deploy, inject = local.deploy, local.aws.inject

    def authed(name: str, auth: dict[str, Any], image: str | None = None) -> Path:
        directory = _lattice(renamed(EXAMPLE, tmp / name, "myservice"), auth=auth, networkAuth=auth)
        return _image(directory, image) if image else directory

    def allowing(vpc: str) -> dict[str, Any]:
        statement = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
        condition = {"StringEquals": {"vpc-lattice-svcs:SourceVpc": vpc}}
        policy = {"Version": "2012-10-17", "Statement": [{**statement, "Condition": condition}]}
        return {"type": "AWS_IAM", "policy": policy}

    assert deploy(authed("auth1", allowing("vpc-12345678")))["status"] == "SUCCEEDED"
    assert deploy(authed("auth2", {"type": "NONE"}))["status"] == "SUCCEEDED"  # turned off
    for name, before in (("auth3", None), ("auth4", allowing("vpc-12345678"))):
        if before:
            done = deploy(authed(f"{name}-before", before, f"nginx:{name}-before"))
            assert done["status"] == "SUCCEEDED"
        inject("unhealthy-targets:myservice")
        failed = deploy(authed(name, allowing("vpc-0abc1234def567890"), f"nginx:{name}"))
        assert failed["status"] == "FAILED"
        local.aws.clear_faults()


def _adoption(local: Local, tmp: Path) -> None:
    """Resources made by hand, adopted by ARN; the workflow's listener on them moved from one
    group to another (rolled back once: its action is put back)."""
    api = local.aws.client("vpc-lattice")
    vpc = {"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}
    service = api.create_service(name="handmade")
    group = api.create_target_group(name="handmade-tg", type="IP", config=vpc)
    elsewhere = api.create_target_group(name="elsewhere-tg", type="IP", config=vpc)
    networks = api.list_service_networks()["items"]
    adopter = _lattice(
        renamed(EXAMPLE, tmp, "adopter"),
        serviceNetwork=next(n["arn"] for n in networks if n["name"] == "dev-servicenetwork"),
        serviceArn=service["arn"],
        targetGroupArn=elsewhere["arn"],
        accessLogs="arn:aws:firehose:ap-northeast-1:123456789012:deliverystream/access-logs",
    )
    assert local.deploy(adopter)["status"] == "SUCCEEDED"
    moved = _lattice(adopter, targetGroupArn=group["arn"])
    local.aws.inject("unhealthy-targets:adopter")  # the listener's action is put back
    assert local.deploy(moved)["status"] == "FAILED"
    local.aws.clear_faults()
    assert local.deploy(moved)["status"] == "SUCCEEDED"


def _shared(local: Local, tmp: Path) -> None:
    """A network of another account, offered by a RAM invitation not yet accepted: refused
    before any change (is it shared? is an invitation pending?)."""
    owner = local.aws.client("vpc-lattice", account=SECOND_ACCOUNT)
    network = owner.create_service_network(name="platform-network")
    local.aws.client("ram", account=SECOND_ACCOUNT).create_resource_share(
        name="lattice", resourceArns=[network["arn"]], principals=[local.aws.account_id]
    )
    offered = _lattice(renamed(EXAMPLE, tmp / "s", "offered"), serviceNetwork=network["arn"])
    assert local.deploy(offered)["failure"]["error"] == "BundleInvalid"


def _triggers(local: Local, tmp: Path) -> None:
    """A turn taken over, an upload without ecspresso.yml (twice; its image and a variable from
    Parameter Store, read in one batch), an ECR push (twice: it renders that bundle too), a run
    stopped by hand (and cleaned up)."""
    ghost = f"{local.stack.state_machine_arn.replace(':stateMachine:', ':execution:')}:gone"
    local.aws.client("dynamodb").put_item(  # a turn whose holder ended without giving it back
        TableName="lattice-deploy-DeploymentsTable",
        Item={"service": {"S": "myservice"}, "latest": {"N": "99"}, "holder": {"S": ghost}},
    )
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    bare = _edit(
        renamed(EXAMPLE, tmp / "c", "uploaded"),
        "ecs-service-def.json",
        lambda s: s.update(cluster="my-cluster"),
    )
    ssm = local.aws.client("ssm")
    ssm.put_parameter(Name="/uploaded/image", Value="nginx:1", Type="String")
    ssm.put_parameter(Name="/uploaded/stage", Value="dev", Type="String")
    stage = [{"name": "STAGE", "value": "{{ ssm `/uploaded/stage` }}"}]  # two names: a batch
    staged = _edit(
        _image(bare, "{{ ssm `/uploaded/image` }}"),
        "ecs-task-def.json",
        lambda t: t["containerDefinitions"][0].update(environment=stage),
    )
    files = execution.read_bundle(staged)  # Parameter Store
    upload(local, "ecs-task-def.json", files["ecs-task-def.json"], service="uploaded")
    service_def = files["ecs-service-def.json"]
    run = started(upload(local, "ecs-service-def.json", service_def, "uploaded"))
    assert finish(local, run["executionArn"]) == "SUCCEEDED"
    upload(local, "ecs-service-def.json", service_def, "uploaded")  # identical: starts nothing
    single = _image(renamed(EXAMPLE, tmp / "e", "single"), "{{ ssm `/uploaded/image` }}")
    assert local.deploy(single)["status"] == "SUCCEEDED"  # one name: GetParameter, alone
    assert local.deploy(ORDERS)["status"] == "SUCCEEDED"
    # ECR's image named through Parameter Store: each redeployment renders its bundle (one
    # name: GetParameter; two: GetParameters).
    ssm.put_parameter(Name="/orders/image", Value=f"{REGISTRY}/myapp:latest", Type="String")
    one = _image(renamed(ORDERS, tmp / "f", "ssm-one"), "{{ ssm `/orders/image` }}")
    two = _edit(
        _image(renamed(ORDERS, tmp / "g", "ssm-two"), "{{ ssm `/orders/image` }}"),
        "ecs-task-def.json",
        lambda t: t["containerDefinitions"][0].update(environment=stage),
    )
    for bundle in (one, two):
        assert local.deploy(bundle)["status"] == "SUCCEEDED"
    event = json.loads(json.dumps(SAMPLE)) | {"account": "123456789012"}
    event["detail"]["image-digest"] = push(local)
    redeploy = local.stack.functions["StartRedeploymentsFunction"]
    local.aws.client("lambda").invoke(FunctionName=redeploy, Payload=json.dumps(event))  # again
    assert [f["status"] for f in fan_outs(local)] == ["SUCCEEDED"]
    prepare = local.stack.functions["PrepareRedeploymentFunction"]  # retried, as a Task may be:
    ask = {"service": "orders", "push": json.loads(fan_outs(local)[0]["input"])["push"]}
    local.aws.client("lambda").invoke(FunctionName=prepare, Payload=json.dumps(ask))  # same ticket
    stopped = stop_while_waiting_for_health(
        local, _image(renamed(EXAMPLE, tmp / "d", "halted"), "nginx:2")
    )
    assert stopped["status"] == "ABORTED"  # then cleaned up by its status event
    cleanups = settle(local, "CleanupStateMachine", at_least=1)  # started by the ABORTED event
    assert [c["status"] for c in cleanups] == ["SUCCEEDED"]


def _progressive(local: Local, tmp: Path) -> None:
    """A rolling service turned CANARY: the first try fails (its rules and alternate group are
    removed from a listener it did not make), the second succeeds with an alarm watched."""
    canary = {
        "strategy": "CANARY",
        "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 1},
        "alarms": {"alarmNames": ["checkout-5xx"], "enable": True, "rollback": True},
    }
    assert local.deploy(bundle_of(tmp, "nginx:1.27", strategy="ROLLING"))["status"] == "SUCCEEDED"
    local.aws.inject("unhealthy-targets:checkout:2")
    assert local.deploy(bundle_of(tmp, "nginx:1.28", **canary))["status"] == "FAILED"
    local.aws.clear_faults()
    assert local.deploy(bundle_of(tmp, "nginx:1.29", **canary))["status"] == "SUCCEEDED"


def _leftovers(local: Local, tmp: Path) -> None:
    """A rollback that cannot finish (its record kept), finished by the next run."""
    fresh = renamed(EXAMPLE, tmp / "left", "leftover")
    local.aws.inject("unhealthy-targets:leftover")
    local.aws.inject("fail:DeleteTargetGroup@rollback")
    assert local.deploy(fresh)["status"] == "FAILED"
    local.aws.clear_faults()
    assert local.deploy(fresh)["status"] == "SUCCEEDED"


def _plugins(local: Local, tmp: Path) -> None:
    """A bundle using each plugin: its state in S3 and in the bundle, a secret, a stack."""
    plugin_account(local)
    assert local.deploy(plugin_bundle(tmp / "plugins"))["status"] == "SUCCEEDED"


def test_each_function_is_granted_only_what_it_needs(
    local: Local, tmp_path: Path, bundle: Any
) -> None:
    _deploys(local, tmp_path)
    _auth(local, tmp_path)
    _adoption(local, tmp_path)
    _shared(local, tmp_path)
    _triggers(local, tmp_path)
    _progressive(local, tmp_path)
    _leftovers(local, tmp_path)
    _plugins(local, tmp_path)
    every_path(local, bundle)
    needed = policies.called(local.stack.functions)
    # finish_leftovers runs the rollback's own code on an earlier run's record: it needs what
    # the rollback needed, over every path above, and its records' reads
    finisher = needed.setdefault("FinishLeftoversFunction", set())
    finisher |= {a for a in needed.get("RollbackFunction", set()) if not a.startswith("s3:")}
    unused = sorted(
        f"{logical}: {action}"
        for logical, actions in policies.granted().items()
        for action in actions
        if action not in NEEDED_WITHOUT_A_CALL
        and not any(policies.allows([action], used) for used in needed.get(logical, set()))
    )
    unused = [u for u in unused if u not in NEEDED_IN_ANOTHER_ACCOUNT]
    assert not unused, "granted in template.yaml but never needed:\n" + "\n".join(unused)
