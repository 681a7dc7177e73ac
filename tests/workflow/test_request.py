"""``request`` on what a deploy made: examples/myservice through the local runner, then the
simulator reads the Lattice service, its network and its healthy targets back."""

from __future__ import annotations

import json
from typing import Any

from lattice_deploy.cli.main import main

from .conftest import EXAMPLE, Local


def test_a_deployed_service_answers_allow_with_its_healthy_targets(
    local: Local, capsys: Any
) -> None:
    deployed = local.deploy(EXAMPLE)
    assert deployed["status"] == "SUCCEEDED"
    arns = {r["type"]: r.get("arn") for r in deployed["resources"]}
    lattice = local.aws.client("vpc-lattice")
    group = arns["targetGroup"]
    registered = lattice.list_targets(targetGroupIdentifier=group)["items"]
    assert len(registered) == 3
    vpc = local.aws.demo["vpc"]
    code = main(
        [
            "request",
            arns["latticeService"],
            "--from-vpc",
            vpc,
            "--json",
            "--region",
            local.aws.region,
        ]
    )
    found = json.loads(capsys.readouterr().out)
    assert (code, found["verdict"], found["served"]) == (0, "ALLOW", True)
    assert found["reach"]["serviceNetwork"] == arns["serviceNetwork"]
    (forward,) = found["route"]["forward"]
    assert forward["arn"] == group and forward["share"] == 1.0
    assert sorted(forward["serving"]) == sorted(f"{t['id']}:{t['port']}" for t in registered)
