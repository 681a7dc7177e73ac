"""``serve --state-dir`` survives a restart; ``seconds`` is each run's own; a CLI that loses
serve mid-run says so (exit 1), with no traceback. Each through real processes, as a user runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3

from lattice_deploy.cli.serve import spawn
from lattice_deploy.emulator.control import ControlClient

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "myservice"
REGION = "ap-northeast-1"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "lattice_deploy.cli.main", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def deployed(url: str, bundle: Path) -> dict[str, Any]:
    done = cli("deploy", str(bundle), "--endpoint-url", url, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    return dict(json.loads(done.stdout))


def client(url: str, service: str) -> Any:
    return boto3.client(  # type: ignore[call-overload]
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # nosec B106: the embedded AWS's dummy keys
    )


def machine_arn(sfn: Any, suffix: str) -> str:
    """The ARN of the stack's state machine whose name ends in ``suffix``."""
    machines = sfn.list_state_machines()["stateMachines"]
    return str(next(m["stateMachineArn"] for m in machines if m["name"].endswith(suffix)))


def stop(serve: subprocess.Popen[str], signum: int = signal.SIGTERM) -> str:
    serve.send_signal(signum)
    out, _ = serve.communicate(timeout=60)
    assert serve.returncode == 0
    return out


def test_a_restart_with_the_same_state_dir_resumes_the_account(tmp_path: Path) -> None:
    state, log = tmp_path / "state", (tmp_path / "serve.log").open("w")
    serve, url = spawn("--time-rate", "0", "--state-dir", str(state), stderr=log)
    assert serve.stdout is not None
    assert serve.stdout.readline().startswith(f"state: fresh, kept in {state}")
    first = deployed(url, EXAMPLE)
    other = tmp_path / "other"
    subprocess.run(["cp", "-r", str(EXAMPLE), str(other)], check=True)
    task = other / "ecs-task-def.json"
    task.write_text(task.read_text().replace("nginx:latest", "nginx:1.27"))
    second = deployed(url, other)  # a rollout too, on a clock ~200 virtual s older
    assert first["seconds"] > 30 and 0.5 < second["seconds"] / first["seconds"] < 1.5, (
        first["seconds"],
        second["seconds"],
    )
    stop(serve)
    assert "state saved in" in (tmp_path / "serve.log").read_text()

    serve, url = spawn("--time-rate", "0", "--state-dir", str(state), stderr=log)
    try:
        assert serve.stdout is not None
        said = serve.stdout.readline()
        assert said.startswith(f"state: resumed from {state} (2 executions, "), said
        (service,) = client(url, "ecs").describe_services(
            cluster="my-cluster", services=["myservice"]
        )["services"]
        assert service["status"] == "ACTIVE" and service["taskDefinition"].endswith(":2")
        names = [s["name"] for s in client(url, "vpc-lattice").list_services()["items"]]
        assert "dev-myservice-service" in names
        sfn = client(url, "stepfunctions")
        machine = machine_arn(sfn, "DeployStateMachine")
        runs = sfn.list_executions(stateMachineArn=machine)["executions"]
        assert sorted(r["status"] for r in runs) == ["SUCCEEDED", "SUCCEEDED"]
        history = sfn.get_execution_history(executionArn=second["executionArn"])["events"]
        assert history[-1]["type"] == "ExecutionSucceeded"
        bucket = f"lattice-deploy-bundles-123456789012-{REGION}"
        keys = [o["Key"] for o in client(url, "s3").list_objects_v2(Bucket=bucket)["Contents"]]
        assert f"reports/myservice/{second['deploymentId']}.json" in keys
        again = deployed(url, other)  # the same bundle: nothing to change
        assert again["status"] == "SUCCEEDED"
        assert again["calls"]["phases"]["deploy"]["mutating"] == 0, again["calls"]
    finally:
        stop(serve)


def test_a_state_dir_from_another_format_is_refused_before_serving(tmp_path: Path) -> None:
    (tmp_path / "format.json").write_text(json.dumps({"format": 0}))
    (tmp_path / "account.pickle").write_bytes(b"")
    done = cli("serve", "--port", "0", "--state-dir", str(tmp_path))
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"--state-dir {tmp_path}: written by another version (format 0" in done.stderr
    assert "Traceback" not in done.stderr and "listening" not in done.stdout


def following(url: str) -> subprocess.Popen[str]:
    """``deploy`` of the example through ``url`` in a process of its own, its lines unbuffered."""
    command = [sys.executable, "-m", "lattice_deploy.cli.main", "deploy", str(EXAMPLE)]
    return subprocess.Popen(
        [*command, "--endpoint-url", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_a_deploy_that_loses_serve_mid_run_says_so_and_exits_1(tmp_path: Path) -> None:
    serve, url = spawn("--time-rate", "0", stderr=(tmp_path / "serve.log").open("w"))
    follower = following(url)
    assert follower.stdout is not None
    assert "deploying myservice as execution" in follower.stdout.readline()
    follower.send_signal(signal.SIGSTOP)  # the run has just started: it is being followed
    serve.kill()
    serve.wait(timeout=30)
    follower.send_signal(signal.SIGCONT)
    out, err = follower.communicate(timeout=120)
    assert follower.returncode == 1, out + err
    assert "Traceback" not in err, err
    assert f"lost the connection to {url}" in err and "lattice-deploy status" in err


def test_an_execution_running_when_serve_stops_is_aborted_on_resume(tmp_path: Path) -> None:
    """It cannot go on (its threads died with the process): on restart it is ended ABORTED,
    saying why (stopped before it took its turn, it changed nothing: no cleanup is owed)."""
    state, log = tmp_path / "state", (tmp_path / "serve.log").open("w")
    serve, url = spawn("--time-rate", "0", "--state-dir", str(state), stderr=log)
    follower = following(url)
    assert follower.stdout is not None
    line = follower.stdout.readline()
    assert "deploying myservice as execution" in line, line
    name = line.split()[-1]
    stop(serve)  # SIGTERM while the run has just started
    follower.communicate(timeout=120)

    serve, url = spawn("--time-rate", "0", "--state-dir", str(state), stderr=log)
    try:
        sfn = client(url, "stepfunctions")
        machine = machine_arn(sfn, "DeployStateMachine")
        arn = f"{machine.replace(':stateMachine:', ':execution:')}:{name}"
        described = sfn.describe_execution(executionArn=arn)
        assert described["status"] == "ABORTED", described["status"]
        assert "serve stopped while this execution ran" in described.get("cause", "")
    finally:
        stop(serve)


def test_what_a_run_stopped_with_serve_had_made_is_cleaned_up_on_resume(tmp_path: Path) -> None:
    """Stopped after it made the Lattice side and the ECS service (the clock is held, so the
    run is still waiting for health): on restart it is ABORTED and the cleanup rule's run
    removes all it had made."""
    state, log = tmp_path / "state", (tmp_path / "serve.log").open("w")
    serve, url = spawn("--time-rate", "0", "--state-dir", str(state), stderr=log)
    ControlClient(url).hold()  # else time jumps through the health wait in no real time
    follower = following(url)
    assert follower.stdout is not None
    for line in follower.stdout:  # the service is made; the run now waits ~30 s for health
        if "update_service" in line:
            break
    stop(serve)
    follower.communicate(timeout=120)

    serve, url = spawn("--time-rate", "0", "--state-dir", str(state), stderr=log)
    try:
        sfn = client(url, "stepfunctions")
        cleanup = machine_arn(sfn, "CleanupStateMachine")
        runs: list[dict[str, Any]] = []
        for _ in range(1200):  # the rule's run starts on resume; time is stopped: poll briefly
            runs = sfn.list_executions(stateMachineArn=cleanup)["executions"]
            if runs and runs[0]["status"] != "RUNNING":
                break
            time.sleep(0.1)
        assert [r["status"] for r in runs] == ["SUCCEEDED"], runs
        output = json.loads(sfn.describe_execution(executionArn=runs[0]["executionArn"])["output"])
        removed = {r["type"] for r in output["rollback"]["removed"]}
        assert removed >= {"ecsService", "latticeService", "targetGroup", "listener"}, output
        lattice = client(url, "vpc-lattice")
        assert [s["name"] for s in lattice.list_services()["items"]] == []
        assert [g["name"] for g in lattice.list_target_groups()["items"]] == []
        ecs = client(url, "ecs")
        described = ecs.describe_services(cluster="my-cluster", services=["myservice"])
        assert [s["status"] for s in described["services"]] in ([], ["INACTIVE"], ["DRAINING"])
    finally:
        stop(serve)
