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


def test_an_iam_guarded_deploy_allows_its_vpc_and_denies_another_saying_why(
    local: Local, capsys: Any
) -> None:
    """Issue #27's case end to end: examples/guarded (AWS_IAM, a policy allowing one VPC)
    deployed; GetAuthPolicy returns that policy; ``request`` answers ALLOW from that VPC and DENY
    from another VPC of the same service network, naming the statement that did not allow it."""
    guarded = EXAMPLE.parent / "guarded"
    deployed = local.deploy(guarded)
    assert deployed["status"] == "SUCCEEDED", deployed.get("failure")
    arns = {r["type"]: r.get("arn") for r in deployed["resources"]}
    lattice = local.aws.client("vpc-lattice")
    given = json.loads((guarded / "ecs-service-def.json").read_text())
    got = lattice.get_auth_policy(resourceIdentifier=arns["latticeService"])
    assert json.loads(got["policy"]) == given["vpcLatticeConfiguration"]["auth"]["policy"]
    assert got["state"] == "Active"
    other = local.aws.client("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    lattice.create_service_network_vpc_association(
        serviceNetworkIdentifier=arns["serviceNetwork"], vpcIdentifier=other
    )
    answers = {}
    for vpc in (local.aws.demo["vpc"], other):
        argv = ["request", arns["latticeService"], "--from-vpc", vpc, "--region"]
        code = main([*argv, local.aws.region, "--json"])
        answers[vpc] = (code, json.loads(capsys.readouterr().out))
    code, allowed = answers[local.aws.demo["vpc"]]
    assert (code, allowed["verdict"], allowed["served"]) == (0, "ALLOW", True), allowed
    code, denied = answers[other]
    assert (code, denied["verdict"]) == (1, "DENY"), denied
    why = json.dumps(denied)
    assert "FromTheServiceVpc" in why and "SourceVpc" in why and other in why, why
