"""The GitHub Action (``action.yml``) run step by step on a simulated runner (:mod:`.runner`)
against a running ``serve``: the outputs, the job summary and the step's exit code of a deploy
that succeeds, one that fails and is rolled back, and a bundle that is refused.

The simulation skips ``uses: actions/setup-python`` (answering its ``python-path`` with this
Python) and skips the install step the documented way, ``$LATTICE_DEPLOY_CLI`` naming a
``lattice-deploy`` (this checkout); ``LATTICE_DEPLOY_ACTION_INSTALL=1`` runs the install step for
real too (pip from the package registry: about a minute).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bundles import renamed
from lattice_deploy.emulator.control import ControlClient
from serving import serving

from . import runner
from .runner import ROOT, CannotSimulate

EXAMPLE = ROOT / "examples" / "myservice"
PREFIX = {"env-prefix": "ci"}
"""Every deploy's, so the tests share one service network on the one serve (the VPC can be in
one only), whichever runs first."""


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve") / "stderr.log"
    with serving(log) as url:
        yield url


@pytest.fixture
def runner_env(tmp_path: Path) -> dict[str, str]:
    """What the runner's environment gives the steps: no AWS credentials (the endpoint's own
    test keys are the CLI's), the tool named by ``$LATTICE_DEPLOY_CLI``."""
    tools = tmp_path / "tools"
    tools.mkdir()
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "LATTICE_DEPLOY_CLI": str(runner.cli_wrapper(tools)),
    }


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """``$GITHUB_WORKSPACE``: a repository holding the example bundle."""
    where = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, where / "deploy" / "myservice")
    return where


def act(
    endpoint: str, workspace: Path, environ: dict[str, str], bundle: str, **inputs: str
) -> runner.Run:
    temp = workspace.parent / "runner-temp"
    temp.mkdir(exist_ok=True)
    given = {"bundle": bundle, "endpoint-url": endpoint, "region": "ap-northeast-1", **inputs}
    return runner.run(given, workspace, temp, environ)


def test_a_deploy_sets_the_outputs_and_writes_the_summary(
    endpoint: str, workspace: Path, runner_env: dict[str, str]
) -> None:
    done = act(endpoint, workspace, runner_env, "deploy/myservice", **PREFIX)
    assert done.exit_code == 0, done.log
    assert done.outputs["status"] == "SUCCEEDED"
    arn = done.outputs["execution-arn"]
    assert re.fullmatch(
        r"arn:aws:states:ap-northeast-1:123456789012:execution:.+:myservice-.+", arn
    )
    assert done.outputs["report-url"].startswith("s3://lattice-deploy-bundles-")
    assert done.outputs["report-url"].endswith(f"/reports/myservice/{arn.rsplit(':', 1)[1]}.json")
    # the progress lines are the step's log; the headline last
    assert (
        "✓ ensure_lattice" in done.log and "SUCCEEDED: myservice is behind VPC Lattice" in done.log
    )
    summary = done.summary
    assert summary.startswith("## ✅ lattice-deploy: myservice SUCCEEDED")
    assert f"`{arn}`" in summary and done.outputs["report-url"] in summary
    assert "### Resources" in summary and "ci-myservice-targetgroup" in summary  # --env
    assert "| targetGroup | created | ci-myservice-targetgroup | arn:aws:vpc-lattice:" in summary
    assert "### Targets" in summary and "3 HEALTHY" in summary
    assert len(re.findall(r"^\| 10\.0\.\d+\.\d+ \| 80 \| HEALTHY \|", summary, re.M)) == 3
    assert "### AWS calls" in summary and "| deploy | 8 |" in summary
    assert "### Failure" not in summary and "### Rollback" not in summary
    assert "console.aws.amazon.com" not in summary  # the embedded AWS has no console
    assert "::error" not in done.log


def test_a_failed_deploy_exits_1_and_the_summary_says_what_the_rollback_did(
    endpoint: str, workspace: Path, runner_env: dict[str, str]
) -> None:
    renamed(EXAMPLE, workspace / "deploy", "doomed")
    control = ControlClient(endpoint)
    control.inject("unhealthy-targets:doomed")  # the health gate cannot pass: a rollback
    try:
        done = act(endpoint, workspace, runner_env, "deploy/doomed", **PREFIX)
    finally:
        control.clear_faults()
    assert done.exit_code == 1, done.log
    assert done.outputs["status"] == "FAILED"
    assert ":execution:" in done.outputs["execution-arn"]
    assert done.outputs["report-url"].endswith(".json")
    assert "::error title=lattice-deploy FAILED::FAILED: HealthCheckFailed" in done.log
    summary = done.summary
    assert summary.startswith("## ❌ lattice-deploy: doomed FAILED")
    assert "### Failure" in summary and "`HealthCheckFailed` in `check_health`:" in summary
    assert "Task failed VPC Lattice health checks" in summary
    assert "### Rollback" in summary, summary
    rollback = summary.split("### Rollback", 1)[1]
    assert "The run was rolled back." in rollback
    assert re.search(r"^Removed: [678]$", rollback, re.M) and "\nLeft: 0" in rollback
    for kind in ("ecsService", "taskDefinition", "listener", "targetGroup", "latticeService"):
        assert f"| {kind} |" in rollback, kind
    assert "| rollback |" in summary  # the rollback's own calls counted
    assert "- exit code 1" in summary


def test_an_invalid_bundle_exits_2_and_nothing_starts(
    endpoint: str, workspace: Path, runner_env: dict[str, str]
) -> None:
    broken = workspace / "deploy" / "myservice" / "ecs-service-def.json"
    broken.write_text(broken.read_text()[:40])
    done = act(endpoint, workspace, runner_env, "deploy/myservice")
    assert done.exit_code == 2, done.log
    assert done.outputs == {"execution-arn": "", "status": "REFUSED", "report-url": ""}
    assert done.summary.startswith("## ❌ lattice-deploy: REFUSED")
    assert "invalid bundle" in done.summary and "ecs-service-def.json" in done.summary
    assert "::error title=lattice-deploy REFUSED::invalid bundle" in done.log


def test_a_stack_it_cannot_reach_exits_2_saying_what_to_start(
    workspace: Path, runner_env: dict[str, str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    done = act(closed, workspace, runner_env, "deploy/myservice")
    assert done.exit_code == 2, done.log
    assert done.outputs["status"] == "REFUSED"
    assert "cannot reach the lattice-deploy stack" in done.summary
    assert "Start `lattice-deploy serve`" in done.summary


def test_an_input_is_data_to_the_scripts_never_code(
    endpoint: str, workspace: Path, runner_env: dict[str, str]
) -> None:
    """Inputs reach the scripts through env:, so shell in an input is a (refused) name."""
    hostile = 'x"; touch "$GITHUB_WORKSPACE/pwned"; echo "$(touch pwned2)'
    done = act(endpoint, workspace, runner_env, hostile, stack="--local", region="`touch pwn3`")
    assert done.exit_code == 2, done.log
    assert not list(workspace.glob("pwn*")), done.log
    assert done.outputs["status"] == "REFUSED"


def test_the_simulation_refuses_what_it_cannot_evaluate(tmp_path: Path) -> None:
    """The rules the action is held to: an unknown expression, one inside a script."""
    context = {"inputs": {"bundle": "b"}, "steps": {}, "action_path": ROOT}
    assert runner.evaluate("${{ inputs.bundle }}/x", context) == "b/x"
    for expression in ("${{ github.event.head_commit.message }}", "${{ inputs.bundle || 'x' }}"):
        with pytest.raises(CannotSimulate):
            runner.evaluate(expression, context)
    runner.check(runner.load())  # the action as it is: every expression known, none in a script
    text = runner.ACTION.read_text()
    for changed, refused in (
        (text.replace('"$CLI" "${args[@]}"', '"$CLI" ${{ inputs.bundle }}'), "inside run"),
        (text.replace("      id: deploy\n", "      id: deploy\n      if: always()\n"), "keys"),
        (text.replace("${{ inputs.region }}", "${{ env.REGION }}"), "does not evaluate"),
        (text.replace("shell: bash", "shell: sh"), "not bash"),
    ):
        assert changed != text
        bad = tmp_path / refused.replace(" ", "-")
        bad.mkdir()
        (bad / "action.yml").write_text(changed)
        with pytest.raises(CannotSimulate, match=refused):
            runner.run({"bundle": "b"}, tmp_path, tmp_path, {}, action_path=bad)


@pytest.mark.skipif(
    os.environ.get("LATTICE_DEPLOY_ACTION_INSTALL") != "1",
    reason="installs from the package registry: LATTICE_DEPLOY_ACTION_INSTALL=1 runs it",
)
def test_the_install_step_installs_the_tool_from_the_actions_checkout(
    endpoint: str, workspace: Path, runner_env: dict[str, str]
) -> None:
    del runner_env["LATTICE_DEPLOY_CLI"]
    done = act(endpoint, workspace, runner_env, "deploy/myservice")
    assert done.exit_code == 0, done.log
    assert done.steps["install"]["cli"].endswith("/lattice-deploy-venv/bin/lattice-deploy")
    assert done.outputs["status"] == "SUCCEEDED"
