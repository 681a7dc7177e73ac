"""The issue's done-when, as a user checks it: ``examples/guarded`` (AWS_IAM, a policy allowing
one VPC) deploys through ``serve``, and the real aws CLI's ``vpc-lattice get-auth-policy``
returns that policy, Active; ``status`` says who may call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_serve_awscli import aws, cli, endpoint  # noqa: F401  (the module's serve)

GUARDED = Path(__file__).resolve().parents[1] / "examples" / "guarded"


@pytest.mark.awscli
def test_the_guarded_example_deploys_and_get_auth_policy_returns_its_policy(
    endpoint: str,  # noqa: F811
) -> None:
    deploy = cli("deploy", str(GUARDED), "--endpoint-url", endpoint, "--json")
    assert deploy.returncode == 0, deploy.stderr
    summary = json.loads(deploy.stdout)
    service = next(r for r in summary["resources"] if r["type"] == "latticeService")
    got = aws(endpoint, "vpc-lattice", "get-auth-policy", "--resource-identifier", service["arn"])
    wanted = json.loads((GUARDED / "ecs-service-def.json").read_text())
    assert json.loads(got["policy"]) == wanted["vpcLatticeConfiguration"]["auth"]["policy"]
    assert got["state"] == "Active"
    described = aws(endpoint, "vpc-lattice", "get-service", "--service-identifier", service["id"])
    assert described["authType"] == "AWS_IAM"
    shown = cli("status", "guarded", "--endpoint-url", endpoint)
    assert "auth: AWS_IAM: Allow Invoke from vpc-12345678 (SourceVpc)" in shown.stdout
