"""doctor against a running ``serve`` (--endpoint-url), as a user runs both: the stack serve
deployed passes every check, and serve's own call record says doctor made reads only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from lattice_deploy.cli.serve import spawn
from lattice_deploy.emulator.calls import is_mutating
from lattice_deploy.emulator.control import ControlClient

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "myservice"


def test_doctor_passes_against_serve_and_only_reads(tmp_path: Path) -> None:
    serve, url = spawn("--time-rate", "0", stderr=(tmp_path / "serve.log").open("w"))
    try:
        controls = ControlClient(url)
        controls.reset_calls()
        command = [sys.executable, "-m", "lattice_deploy.cli.main", "doctor", str(EXAMPLE)]
        done = subprocess.run(
            [*command, "--endpoint-url", url, "--json"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        document = json.loads(done.stdout)
        assert {c["status"] for c in document["checks"]} == {"pass"}, document
        assert document["endpointUrl"] == url
        made = controls.calls()["calls"]
        assert "iam:SimulatePrincipalPolicy" in made and "awslambda:GetLayerVersion" in made
        assert "s3:GetObject" in made  # the layer archive, fetched from the link serve gave
        assert not [op for op in made if is_mutating(op.split(":", 1)[1])], made
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.communicate(timeout=60)


def _doctor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "lattice_deploy.cli.main", "doctor", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def test_nothing_to_read_is_exit_2(tmp_path: Path) -> None:
    """No endpoint listening, or no credentials for AWS: nothing is checked, and it says why."""
    unreachable = _doctor("--endpoint-url", "http://127.0.0.1:9")
    assert unreachable.returncode == 2
    assert "cannot reach http://127.0.0.1:9" in unreachable.stderr
    bare = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") or k == "AWS_REGION"}
    bare.update(
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    anonymous = _doctor("--region", "eu-west-1", env=bare)
    assert anonymous.returncode == 2
    assert "no AWS credentials" in anonymous.stderr
