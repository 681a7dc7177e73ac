"""``lattice-deploy serve`` driven by the real aws CLI (not the project's venv), as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bundles import renamed
from lattice_deploy.emulator import Fault
from serving import serving

ROOT = Path(__file__).resolve().parents[1]


def aws_cli() -> str:
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != venv_bin)
    found = shutil.which("aws", path=path) or str(ROOT / ".tools/awscli/bin/aws")
    if not Path(found).exists():
        pytest.fail("no aws CLI: `make setup` installs one into .tools/awscli")
    return found


SERVE_LOG: list[Path] = []
"""Where the running serve writes its stderr (a file, so a test can read it while it runs)."""


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve") / "stderr.log"
    SERVE_LOG[:] = [log]
    with serving(log) as url:
        yield url


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``lattice-deploy ARGS`` as a user runs it, in its own process."""
    command = [sys.executable, "-m", "lattice_deploy.cli.main", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def aws(endpoint: str, *args: str, ok: bool = True) -> Any:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    run = subprocess.run(
        [aws_cli(), "--endpoint-url", endpoint, "--output", "json", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if ok:
        assert run.returncode == 0, run.stderr
        if args[0] == "s3":  # the high-level s3 commands print lines, not JSON
            return run.stdout
        return json.loads(run.stdout or "{}")
    assert run.returncode != 0, run.stdout
    return run.stderr


@pytest.mark.awscli
def test_the_aws_cli_manages_lattice_targets_on_serve(endpoint: str) -> None:
    assert aws(endpoint, "vpc-lattice", "list-services")["items"] == []
    vpc = aws(endpoint, "ec2", "create-vpc", "--cidr-block", "10.9.0.0/16")["Vpc"]["VpcId"]
    assert vpc.startswith("vpc-")
    config = {"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}
    tg = aws(
        endpoint,
        "vpc-lattice",
        "create-target-group",
        "--name",
        "myservice-tg",
        "--type",
        "IP",
        "--config",
        json.dumps(config),
    )["id"]
    registered = aws(
        endpoint,
        "vpc-lattice",
        "register-targets",
        "--target-group-identifier",
        tg,
        "--targets",
        "id=10.0.1.20,port=80",
    )
    assert registered["successful"] == [{"id": "10.0.1.20", "port": 80}]
    listed = aws(endpoint, "vpc-lattice", "list-targets", "--target-group-identifier", tg)["items"]
    assert [(t["id"], t["port"]) for t in listed] == [("10.0.1.20", 80)]
    aws(
        endpoint,
        "vpc-lattice",
        "deregister-targets",
        "--target-group-identifier",
        tg,
        "--targets",
        "id=10.0.1.20,port=80",
    )
    refused = aws(  # the target drains for a minute
        endpoint, "vpc-lattice", "delete-target-group", "--target-group-identifier", tg, ok=False
    )
    assert "ConflictException" in refused


@pytest.mark.awscli
def test_controls_inject_faults_and_move_time(endpoint: str) -> None:
    from lattice_deploy.emulator.control import ControlClient

    control = ControlClient(endpoint)
    control.inject("fail:CreateService")
    denied = aws(endpoint, "vpc-lattice", "create-service", "--name", "denied", ok=False)
    assert "AccessDeniedException" in denied and "vpc-lattice:CreateService" in denied
    control.clear_faults()
    assert aws(endpoint, "vpc-lattice", "create-service", "--name", "allowed")["name"] == "allowed"
    before = control.state()["clock"]["now"]
    assert control.advance(90) == before + 90
    assert control.calls()["mutatingCalls"]["vpc-lattice:CreateService"] >= 2


@pytest.mark.awscli
def test_deploy_through_serve_then_the_aws_cli_sees_healthy_task_ips(endpoint: str) -> None:
    listed = aws(endpoint, "stepfunctions", "list-state-machines")["stateMachines"]
    assert sorted(m["name"] for m in listed) == [
        "lattice-deploy-CleanupStateMachine",
        "lattice-deploy-DeployStateMachine",
        "lattice-deploy-RedeployStateMachine",
    ]
    machines = [m for m in listed if m["name"] == "lattice-deploy-DeployStateMachine"]
    example = ROOT / "examples" / "myservice"
    deploy = cli("deploy", str(example), "--endpoint-url", endpoint, "--json")
    assert deploy.returncode == 0, deploy.stderr
    summary = json.loads(deploy.stdout)
    group = next(r["id"] for r in summary["resources"] if r["type"] == "targetGroup")
    listed = aws(endpoint, "vpc-lattice", "list-targets", "--target-group-identifier", group)[
        "items"
    ]
    (running,) = aws(
        endpoint, "ecs", "describe-services", "--cluster", "my-cluster", "--services", "myservice"
    )["services"]
    connect = running["deployments"][0]["serviceConnectConfiguration"]  # the origin document's
    assert (connect["namespace"], connect["services"][0]["portName"]) == ("my-namespace", "http")
    namespaces = aws(endpoint, "servicediscovery", "list-namespaces")["Namespaces"]
    assert [n["Name"] for n in namespaces] == ["my-namespace"]
    task_ips = {t["id"] for t in summary["targets"]}
    assert len(task_ips) == 3 and {(t["id"], t["status"]) for t in listed} == {
        (ip, "HEALTHY") for ip in task_ips
    }
    executions = aws(
        endpoint,
        "stepfunctions",
        "list-executions",
        "--state-machine-arn",
        machines[0]["stateMachineArn"],
    )
    assert [e["status"] for e in executions["executions"]] == ["SUCCEEDED"]
    shown = cli("status", "myservice", "--json", "--endpoint-url", endpoint)
    assert shown.returncode == 0, shown.stderr
    health = json.loads(shown.stdout)["health"]
    assert health["healthy"] is True
    assert {(t["id"], t["status"]) for t in health["lattice"]["targets"]} == {
        (t["id"], t["status"]) for t in listed
    }


def executions_of(endpoint: str, machine: str) -> list[dict[str, Any]]:
    machines = aws(endpoint, "stepfunctions", "list-state-machines")["stateMachines"]
    arn = next(m["stateMachineArn"] for m in machines if m["name"] == f"lattice-deploy-{machine}")
    listed = aws(endpoint, "stepfunctions", "list-executions", "--state-machine-arn", arn)
    return list(listed["executions"])


def settled(endpoint: str, machine: str, count: int) -> list[dict[str, Any]]:
    """The state machine's executions once ``count`` exist and none runs (bounded wait)."""
    deadline = time.monotonic() + 180
    while True:
        runs = executions_of(endpoint, machine)
        if len(runs) >= count and all(r["status"] != "RUNNING" for r in runs):
            return runs
        assert time.monotonic() < deadline, runs
        time.sleep(0.2)


@pytest.mark.awscli
def test_aws_s3_cp_of_a_bundle_starts_exactly_one_deployment(endpoint: str) -> None:
    before = len(executions_of(endpoint, "DeployStateMachine"))
    bucket = "lattice-deploy-bundles-123456789012-ap-northeast-1"
    example = ROOT / "examples" / "myservice"
    for name in ("ecs-task-def.json", "ecspresso.yml", "ecs-service-def.json"):
        target = f"s3://{bucket}/definitions/myservice/{name}"
        assert "upload:" in aws(endpoint, "s3", "cp", str(example / name), target)
    runs = settled(endpoint, "DeployStateMachine", before + 1)
    assert len(runs) == before + 1
    newest = max(runs, key=lambda r: r["startDate"])
    assert newest["status"] == "SUCCEEDED"
    described = aws(
        endpoint, "stepfunctions", "describe-execution", "--execution-arn", newest["executionArn"]
    )
    report = json.loads(described["output"])["report"]
    assert report["status"] == "SUCCEEDED"
    assert [t["status"] for t in report["targets"]] == ["HEALTHY"] * 3
    shown = cli("status", "myservice", "--endpoint-url", endpoint)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0] == "myservice: deploying now: nobody"
    assert f"✓ SUCCEEDED  {newest['name']}" in shown.stdout
    assert "by upload of s3://" in shown.stdout


@pytest.mark.awscli
def test_aws_ecr_put_image_redeploys_the_services_running_it(endpoint: str) -> None:
    orders = ROOT / "examples" / "orders"
    deploy = cli("deploy", str(orders), "--endpoint-url", endpoint, "--json")
    assert deploy.returncode == 0, deploy.stderr
    manifest = f"file://{orders / 'image-manifest.json'}"
    pushed = aws(
        endpoint,
        "ecr",
        "put-image",
        "--repository-name",
        "myapp",
        "--image-tag",
        "latest",
        "--image-manifest",
        manifest,
    )
    digest = pushed["image"]["imageId"]["imageDigest"]
    (fan_out,) = settled(endpoint, "RedeployStateMachine", 1)
    assert fan_out["status"] == "SUCCEEDED"
    found = aws(
        endpoint, "ecs", "describe-services", "--cluster", "my-cluster", "--services", "orders"
    )["services"][0]
    task = aws(
        endpoint, "ecs", "describe-task-definition", "--task-definition", found["taskDefinition"]
    )["taskDefinition"]
    image = task["containerDefinitions"][0]["image"]
    assert image == f"123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/myapp@{digest}"


@pytest.mark.awscli
def test_a_fault_injected_for_a_deploy_through_serve_ends_with_it(
    endpoint: str, tmp_path: Path
) -> None:
    from lattice_deploy.emulator.control import ControlClient

    bundle = renamed(ROOT / "examples" / "myservice", tmp_path, "injected")
    failed = cli("deploy", str(bundle), "--endpoint-url", endpoint, "--inject", "unhealthy-targets")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "health checks" in failed.stdout and "Rolled back" in failed.stdout
    assert ControlClient(endpoint).state()["faults"] == []
    assert cli("status", "injected", "--endpoint-url", endpoint).returncode == 1
    said = [line for line in SERVE_LOG[0].read_text().splitlines() if "injected-" in line]
    assert len(said) == 1 and " FAILED: DeploymentFailed: " in said[0], said  # one line, no dump
    assert "object at 0x" not in SERVE_LOG[0].read_text()
    again = cli("deploy", str(bundle), "--endpoint-url", endpoint)
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.awscli
def test_a_deploy_fault_is_scoped_to_that_deploy(endpoint: str, tmp_path: Path) -> None:
    """While one deploy runs with ``fail:CreateTargetGroup``, other callers are not denied."""
    from lattice_deploy.emulator.control import ControlClient

    control = ControlClient(endpoint)
    control.inject(Fault.parse("fail:CreateTargetGroup").scoped("someone-elses-run", "other"))
    try:
        config = json.dumps({"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"})
        made = aws(
            endpoint,
            "vpc-lattice",
            "create-target-group",
            "--name",
            "not-denied",
            "--type",
            "IP",
            "--config",
            config,
        )
        assert made["name"] == "not-denied"
    finally:
        control.clear_faults("someone-elses-run")
    assert control.state()["faults"] == []


@pytest.mark.awscli
def test_status_piped_to_a_reader_that_leaves_prints_no_traceback(endpoint: str) -> None:
    """``status --json | head -1``: the reader is gone before status writes."""
    command = [sys.executable, "-m", "lattice_deploy.cli.main", "status", "--json"]
    status = subprocess.Popen(
        [*command, "--endpoint-url", endpoint],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert status.stdout is not None and status.stderr is not None
    status.stdout.close()
    err = status.stderr.read()
    status.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
