"""``request --endpoint-url`` against a running ``serve``, in its own process as a user runs it:
the state made over HTTP with boto3, the answer read over HTTP too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lattice_deploy.emulator.control import ControlClient
from lattice_deploy.runner.targets import EndpointSession
from serving import serving

REGION = "ap-northeast-1"


def request(url: str, *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "lattice_deploy.cli.main", "request", "orders"]
    return subprocess.run(
        [*command, "--endpoint-url", url, *options], capture_output=True, text=True, timeout=120
    )


def test_allow_from_the_allowed_vpc_and_deny_from_another_over_http(tmp_path: Path) -> None:
    with serving(tmp_path / "serve.log") as url:
        session = EndpointSession(url, REGION)
        ec2, lattice = session.client("ec2"), session.client("vpc-lattice")
        vpc_a, vpc_b = (
            ec2.create_vpc(CidrBlock=f"10.{i}.0.0/16")["Vpc"]["VpcId"] for i in (41, 42)
        )
        network = lattice.create_service_network(name="shared", authType="NONE")
        service = lattice.create_service(name="orders", authType="AWS_IAM")
        lattice.create_service_network_service_association(
            serviceNetworkIdentifier=network["id"], serviceIdentifier=service["id"]
        )
        for vpc in (vpc_a, vpc_b):
            lattice.create_service_network_vpc_association(
                serviceNetworkIdentifier=network["id"], vpcIdentifier=vpc
            )
        group = lattice.create_target_group(
            name="orders-tg",
            type="IP",
            config={"port": 80, "protocol": "HTTP", "vpcIdentifier": vpc_a},
        )
        lattice.create_listener(
            serviceIdentifier=service["id"],
            name="http",
            protocol="HTTP",
            port=80,
            defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": group["id"]}]}},
        )
        lattice.register_targets(
            targetGroupIdentifier=group["id"], targets=[{"id": "10.41.0.5", "port": 80}]
        )
        statement = {
            "Sid": "FromVpcA",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "vpc-lattice-svcs:Invoke",
            "Resource": f"{service['arn']}/*",
            "Condition": {"StringEquals": {"vpc-lattice-svcs:SourceVpc": vpc_a}},
        }
        lattice.put_auth_policy(
            resourceIdentifier=service["id"], policy=json.dumps({"Statement": [statement]})
        )
        ControlClient(url).advance(120)

        allowed = request(url, "--from-vpc", vpc_a, "--path", "/orders/1")
        assert allowed.returncode == 0, allowed.stdout + allowed.stderr
        assert (
            allowed.stdout.splitlines()[-1] == "ALLOW: rule default forwards it to a healthy target"
        )
        denied = request(url, "--from-vpc", vpc_b, "--json")
        assert denied.returncode == 1, denied.stdout + denied.stderr
        found = json.loads(denied.stdout)
        assert found["verdict"] == "DENY" and "no statement allows it" in found["why"]
        assert "Sid FromVpcA" in found["why"] and vpc_b in found["why"]
