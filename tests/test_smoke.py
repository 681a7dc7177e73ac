"""``lattice-deploy smoke`` against a running ``serve``, started as CI starts it (``--port 0
--time-rate 0``): the test passes and the account is left exactly as it was found, and a test
whose removal or rollback cannot finish exits 1, naming the stage and what it left.

The account is read here with plain boto3 calls of its own (not the verb's :mod:`inventory`), in
more detail than the verb compares: every listener, association, target and its health, each
object version and each ordering row's content. ``examples/myservice`` is deployed first, so
"nothing else touched" is tested against a service that stays HEALTHY throughout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deployer.bundle import normalize as bundle
from deployer.bundle import validate
from lattice_deploy.cli.main import main
from lattice_deploy.emulator.control import ControlClient
from lattice_deploy.emulator.demo_account import CLUSTER, REGION
from lattice_deploy.runner import execution, throwaway
from lattice_deploy.runner.pace import Pace
from lattice_deploy.runner.targets import EndpointSession
from lattice_deploy.runner.teardown import Teardown
from serving import serving

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "lattice-deploy-bundles-123456789012-ap-northeast-1"
TABLE = "lattice-deploy-DeploymentsTable"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve") / "stderr.log"
    with serving(log) as url:
        example = str(ROOT / "examples" / "myservice")
        assert main(["deploy", example, "--endpoint-url", url]) == 0  # what must stay untouched
        yield url


def _items(client: Any, operation: str, **kwargs: Any) -> list[dict[str, Any]]:
    pages = client.get_paginator(operation).paginate(**kwargs)
    return [item for page in pages for item in page["items"]]


def account(url: str) -> dict[str, list[str]]:
    session = EndpointSession(url, REGION)
    ecs, lattice = session.client("ecs"), session.client("vpc-lattice")
    s3, dynamodb = session.client("s3"), session.client("dynamodb")
    arns = ecs.list_services(cluster=CLUSTER)["serviceArns"]
    services = ecs.describe_services(cluster=CLUSTER, services=arns)["services"] if arns else []
    lattice_services = _items(lattice, "list_services")
    groups = _items(lattice, "list_target_groups")
    networks = _items(lattice, "list_service_networks")
    versions = s3.list_object_versions(Bucket=BUCKET)
    return {
        "ecs": sorted(
            f"{s['serviceName']} {s['status']} {s['taskDefinition']} {s['runningCount']}"
            for s in services
        ),
        "taskDefinitions": sorted(
            arn
            for status in ("ACTIVE", "INACTIVE")
            for arn in ecs.list_task_definitions(status=status)["taskDefinitionArns"]
        ),
        "lattice": sorted(
            [f"service {s['arn']}" for s in lattice_services]
            + [f"group {g['arn']}" for g in groups]
            + [f"network {n['arn']}" for n in networks]
            + [
                f"listener {ln['arn']}"
                for s in lattice_services
                for ln in _items(lattice, "list_listeners", serviceIdentifier=s["id"])
            ]
            + [
                f"association {a['arn']}"
                for n in networks
                for operation in (
                    "list_service_network_vpc_associations",
                    "list_service_network_service_associations",
                )
                for a in _items(lattice, operation, serviceNetworkIdentifier=n["id"])
            ]
            + [
                f"target {g['name']} {t['id']} {t['status']}"
                for g in groups
                for t in _items(lattice, "list_targets", targetGroupIdentifier=g["id"])
            ]
        ),
        "objects": sorted(
            f"{v['Key']} {v['VersionId']}"
            for kind in ("Versions", "DeleteMarkers")
            for v in versions.get(kind) or []
        ),
        "rows": sorted(
            json.dumps(item, sort_keys=True) for item in dynamodb.scan(TableName=TABLE)["Items"]
        ),
    }


def smoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = main(["smoke", *args, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_smoke_passes_and_leaves_the_account_as_it_found_it(
    endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = account(endpoint)
    code, result, lines = smoke(capsys, "--endpoint-url", endpoint)
    assert code == 0, lines
    assert [(s["stage"], s["passed"]) for s in result["stages"]] == [
        ("listed", True),
        ("deploy", True),
        ("rollback", True),
        ("remove", True),
        ("unchanged", True),
    ]
    assert account(endpoint) == before
    name = result["service"]
    assert re.fullmatch(r"smoke-[0-9a-f]{6}", name) and result["clock"] == "virtual"
    assert result["left"] == [] and result["difference"] == {}
    # run 2 failed on the health gate, not a fault, and its rollback left nothing
    rollback = result["stages"][2]["rollback"]
    assert rollback["left"] == [] and [r["type"] for r in rollback["removed"]] == ["taskDefinition"]
    assert "HealthCheckFailed" in result["stages"][2]["detail"]
    # routing stops first: the association, the listener and the Lattice service go before the
    # ECS service, its revisions and then the groups its targets drained from
    order = list(dict.fromkeys(r["type"] for r in result["removed"]))
    assert order == [
        "serviceAssociation",
        "listener",
        "latticeService",
        "ecsService",
        "taskDefinition",
        "targetGroup",
        "bucketObject",
        "orderingRow",
    ]
    # one line per stage with its mark and virtual seconds; the deploy took a minute of it
    assert re.search(r"✓ deploy +60s", lines) and "PASSED in" in lines
    assert result["stages"][1]["seconds"] == 60.0


def test_a_removal_refused_exits_1_naming_the_stage_and_what_is_left(
    endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = account(endpoint)
    control = ControlClient(endpoint)
    control.inject("fail:DeleteTargetGroup")
    try:
        code, result, lines = smoke(capsys, "--endpoint-url", endpoint)
    finally:
        control.clear_faults()
    assert code == 1
    failed = [s["stage"] for s in result["stages"] if not s["passed"]]
    assert failed == ["remove", "unchanged"]
    assert "FAILED: remove, unchanged" in lines
    left = result["left"]
    assert sorted(i["type"] for i in left) == ["targetGroup", "targetGroup"]
    for item in left:
        assert "AccessDeniedException" in item["reason"]
        assert item["remove"] == (
            f"aws vpc-lattice delete-target-group --target-group-identifier {item['id']}"
        )
        assert item["remove"] in lines
    assert set(result["difference"]["added"]) == {"targetGroups"}
    # the printed command removes the rest, and the account is as it was
    command = result["remove"]
    assert command in lines
    assert command.startswith(f"lattice-deploy smoke --remove {result['service']} ")
    assert main(command.split()[1:]) == 0
    assert account(endpoint) == before


def test_a_rollback_that_cannot_finish_fails_its_stage_and_is_still_cleaned_up(
    endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = account(endpoint)
    control = ControlClient(endpoint)
    control.inject("fail:ecs.UpdateService@rollback")  # run 2's rollback cannot put ECS back
    try:
        code, result, lines = smoke(capsys, "--endpoint-url", endpoint)
    finally:
        control.clear_faults()
    assert code == 1
    stages = {s["stage"]: s for s in result["stages"]}
    assert [s for s, v in stages.items() if not v["passed"]] == ["rollback"]
    assert "run 2 failed, but its rollback left" in stages["rollback"]["detail"]
    assert "aws ecs update-service" in stages["rollback"]["detail"]
    assert "✗ rollback" in lines and "FAILED: rollback" in lines
    assert stages["remove"]["passed"] and stages["unchanged"]["passed"]
    assert account(endpoint) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], "give --cluster, --subnets, --security-groups"),
        (["--cluster", "c", "--subnets", "subnet-1", "--security-groups", "sg-12345678"], "id"),
        (["--endpoint-url", "http://127.0.0.1:9", "--remove", "myservice"], "smoke test's name"),
        (["--remove", "smoke-1a2b3c"], "--remove on a real account needs --cluster"),
        (["--endpoint-url", "http://127.0.0.1:9"], "cannot reach the lattice-deploy stack"),
    ],
)
def test_invalid_usage_or_no_stack_is_exit_2(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["smoke", *args]) == 2
    assert words in capsys.readouterr().out


def test_a_real_accounts_bundle_names_the_callers_network_and_validates(tmp_path: Path) -> None:
    """What the verb writes for a real account (checked offline, as deploy checks it first):
    the caller's cluster, subnets, groups, role, image and network; no Service Connect block;
    and run 2's variant adopts the unpassable group under a changed task definition."""
    where = throwaway.Placement(
        region="eu-west-1",
        cluster="prod",
        subnets=["subnet-0a1b2c3d4e5f60718"],
        security_groups=["sg-0a1b2c3d4e5f60718"],
        execution_role="arn:aws:iam::210987654321:role/ecsTaskExecutionRole",
        image="210987654321.dkr.ecr.eu-west-1.amazonaws.com/web:1",
        service_network="shared",
        public_ip=True,
    )
    throwaway.write(tmp_path, "smoke-1a2b3c", where)
    files = execution.read_bundle(tmp_path)
    validate.check(files, "dev")
    service = json.loads(files["ecs-service-def.json"])
    task = json.loads(files["ecs-task-def.json"])
    assert (
        bundle.config_of(files)["cluster"] == "prod"
        and "region: eu-west-1" in files["ecspresso.yml"]
    )
    assert service["networkConfiguration"]["awsvpcConfiguration"] == {
        "subnets": ["subnet-0a1b2c3d4e5f60718"],
        "securityGroups": ["sg-0a1b2c3d4e5f60718"],
        "assignPublicIp": "ENABLED",
    }
    assert "serviceConnectConfiguration" not in service
    assert service["vpcLatticeConfiguration"] == {"enabled": True, "serviceNetwork": "shared"}
    assert (task["family"], task["executionRoleArn"]) == ("smoke-1a2b3c", where.execution_role)
    assert task["containerDefinitions"][0]["image"] == where.image
    group = "arn:aws:vpc-lattice:eu-west-1:210987654321:targetgroup/tg-0123456789abcdef0"
    throwaway.make_failing(tmp_path, group)
    files = execution.read_bundle(tmp_path)
    validate.check(files, "dev")
    assert (
        json.loads(files["ecs-service-def.json"])["vpcLatticeConfiguration"]["targetGroupArn"]
        == group
    )
    container = json.loads(files["ecs-task-def.json"])["containerDefinitions"][0]
    assert throwaway.MARKER in container["environment"]


def test_the_teardown_refuses_any_name_but_a_smoke_tests() -> None:
    """The one guard in front of every delete: a service someone runs is never its input."""
    for name in ("myservice", "smoke-", "smoke-ABCDEF", "dev-smoke-1a2b3c", "smoke-1a2b3c/x"):
        with pytest.raises(ValueError, match="not a smoke test's name"):
            Teardown(None, name, CLUSTER, Pace())  # type: ignore[arg-type]
