"""``lattice-deploy request`` end to end on the embedded AWS: the state is made with boto3 (as
any tool would make it), the answer read back through the CLI with its exit code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from lattice_deploy.cli.main import main
from lattice_deploy.emulator import EmbeddedAws

INVOKE = "vpc-lattice-svcs:Invoke"


@dataclass
class World:
    aws: EmbeddedAws
    lattice: Any
    vpc_a: str
    vpc_b: str
    vpc_c: str  # associated with no service network
    network: dict[str, Any]
    service: dict[str, Any]
    listener: dict[str, Any]
    blue: dict[str, Any]
    green: dict[str, Any]

    def put_policy(self, resource: dict[str, Any], *statements: dict[str, Any]) -> None:
        document = {"Version": "2012-10-17", "Statement": list(statements)}
        self.lattice.put_auth_policy(
            resourceIdentifier=resource["arn"], policy=json.dumps(document)
        )

    def ask(self, *options: str, service: str = "orders") -> int:
        return main(["request", service, "--region", self.aws.region, *options])


def allow(condition: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Principal": "*", "Action": INVOKE, "Resource": "*"}
    return statement | ({"Condition": condition} if condition else {}) | more


@pytest.fixture
def world(aws: EmbeddedAws, lattice: Any) -> World:
    return build(aws, lattice)


def build(aws: EmbeddedAws, lattice: Any, network_auth: str = "NONE") -> World:
    """Service ``orders`` (AWS_IAM) in network ``shared`` (NONE), which VPCs A and B are
    associated with; a listener on 80 whose rule ``api`` (priority 10, prefix /api) splits 75/25
    between blue and green, and whose default action forwards to blue; blue has two healthy
    targets, green one."""
    ec2 = aws.client("ec2")
    vpc_a, vpc_b, vpc_c = (
        ec2.create_vpc(CidrBlock=f"10.{i}.0.0/16")["Vpc"]["VpcId"] for i in (1, 2, 3)
    )
    network = lattice.create_service_network(name="shared", authType=network_auth)
    service = lattice.create_service(name="orders", authType="AWS_IAM")
    lattice.create_service_network_service_association(
        serviceNetworkIdentifier=network["id"], serviceIdentifier=service["id"]
    )
    for vpc in (vpc_a, vpc_b):
        lattice.create_service_network_vpc_association(
            serviceNetworkIdentifier=network["id"], vpcIdentifier=vpc
        )
    config = {"port": 80, "protocol": "HTTP", "vpcIdentifier": vpc_a}
    blue = lattice.create_target_group(name="orders-blue", type="IP", config=config)
    green = lattice.create_target_group(name="orders-green", type="IP", config=config)
    listener = lattice.create_listener(
        serviceIdentifier=service["id"],
        name="http",
        protocol="HTTP",
        port=80,
        defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": blue["id"]}]}},
    )
    lattice.create_rule(
        serviceIdentifier=service["id"],
        listenerIdentifier=listener["id"],
        name="api",
        priority=10,
        match={"httpMatch": {"pathMatch": {"match": {"prefix": "/api"}}}},
        action={
            "forward": {
                "targetGroups": [
                    {"targetGroupIdentifier": blue["id"], "weight": 75},
                    {"targetGroupIdentifier": green["id"], "weight": 25},
                ]
            }
        },
    )
    targets = {blue["id"]: ["10.1.0.10", "10.1.0.11"], green["id"]: ["10.1.0.20"]}
    for group, ips in targets.items():
        lattice.register_targets(
            targetGroupIdentifier=group, targets=[{"id": ip, "port": 80} for ip in ips]
        )
    aws.advance(120)  # past the first health check
    made = World(aws, lattice, vpc_a, vpc_b, vpc_c, network, service, listener, blue, green)
    made.put_policy(
        service,
        allow({"StringEquals": {"vpc-lattice-svcs:SourceVpc": vpc_a}}, Sid="FromVpcA"),
    )
    return made


def answer(world: World, capsys: Any, *options: str) -> tuple[int, dict[str, Any]]:
    code = world.ask(*options, "--json")
    return code, json.loads(capsys.readouterr().out)


def test_a_policy_allowing_one_vpc_allows_it_and_denies_another_naming_why(
    world: World, capsys: Any
) -> None:
    """The issue's done-when: ALLOW from that VPC, DENY (naming why) from another."""
    assert world.ask("--from-vpc", world.vpc_a) == 0
    out = capsys.readouterr().out
    assert "service orders: AWS_IAM: ALLOW: statement 1 (Sid FromVpcA) allows it" in out
    assert out.splitlines()[-1].startswith("ALLOW: ")

    assert world.ask("--from-vpc", world.vpc_b) == 1
    out = capsys.readouterr().out
    verdict = next(line for line in out.splitlines() if line.startswith("DENY"))
    assert "service orders: no statement allows it" in verdict
    assert "statement 1 (Sid FromVpcA): StringEquals vpc-lattice-svcs:SourceVpc" in verdict
    assert repr(world.vpc_b) in verdict
    assert "listener" not in out  # a denial shows the statement, not the route


def test_the_text_answer_shows_the_rule_the_shares_and_the_targets(
    world: World, capsys: Any
) -> None:
    """The README's sample, line for line below the first two (ids differ per run)."""
    assert world.ask("--from-vpc", world.vpc_a, "--path", "/api/orders") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("GET /api/orders → orders (svc-")
    assert lines[2:] == [
        "  service network shared: NONE: ALLOW: auth type NONE: no auth policy applies",
        "  service orders: AWS_IAM: ALLOW: statement 1 (Sid FromVpcA) allows it",
        "  listener http (HTTP:80), rule api (priority 10)",
        "  → orders-blue 75% (weight 75): 2 of 2 can serve: 10.1.0.10:80, 10.1.0.11:80",
        "  → orders-green 25% (weight 25): 1 of 1 can serve: 10.1.0.20:80",
        "ALLOW: rule api forwards it to a healthy target",
    ]


def test_json_gives_the_verdict_the_rule_the_shares_and_the_serving_targets(
    world: World, capsys: Any
) -> None:
    code, found = answer(world, capsys, "--from-vpc", world.vpc_a, "--path", "/api/orders")
    assert code == 0
    assert (found["verdict"], found["served"]) == ("ALLOW", True)
    assert found["route"]["rule"]["name"] == "api" and found["route"]["rule"]["priority"] == 10
    groups = {g["name"]: g for g in found["route"]["forward"]}
    assert {n: g["share"] for n, g in groups.items()} == {"orders-blue": 0.75, "orders-green": 0.25}
    assert sorted(groups["orders-blue"]["serving"]) == ["10.1.0.10:80", "10.1.0.11:80"]
    assert found["auth"][1]["statement"] == {"index": 1, "sid": "FromVpcA"}
    code, found = answer(world, capsys, "--from-vpc", world.vpc_a, "--path", "/web")
    assert found["route"]["rule"] == {"name": "default", "isDefault": True}
    assert [g["name"] for g in found["route"]["forward"]] == ["orders-blue"]


def test_the_simulator_only_reads(world: World, capsys: Any) -> None:
    world.aws.reset_calls()
    world.ask("--from-vpc", world.vpc_a, "--path", "/api")
    counted = world.aws.calls()
    assert counted["mutating"] == 0 and counted["read"] > 0
    assert all(k.startswith("vpc-lattice:") for k in counted["calls"])


def test_a_vpc_in_no_network_of_the_service_is_unreachable(world: World, capsys: Any) -> None:
    code, found = answer(world, capsys, "--from-vpc", world.vpc_c)
    assert (code, found["verdict"]) == (1, "UNREACHABLE")
    assert (
        f"{world.vpc_c} is not associated with a service network the service is in"
        in (found["why"])
    )


def test_the_network_policy_and_the_service_policy_must_both_allow(
    aws: EmbeddedAws, lattice: Any, capsys: Any
) -> None:
    world = build(aws, lattice, network_auth="AWS_IAM")
    code, found = answer(world, capsys, "--from-vpc", world.vpc_a)
    assert (code, found["verdict"]) == (1, "DENY")  # AWS_IAM without a policy denies all
    assert found["why"] == (
        "service network shared: auth type AWS_IAM without an auth policy: every request is denied"
    )
    world.put_policy(
        world.network, allow({"StringEquals": {"aws:PrincipalAccount": "123456789012"}})
    )
    code, found = answer(world, capsys, "--from-vpc", world.vpc_a)  # anonymous: no account
    assert (code, found["auth"][0]["decision"], found["auth"][1]["decision"]) == (
        1,
        "DENY",
        "ALLOW",
    )
    caller = "arn:aws:iam::123456789012:role/client"
    code, found = answer(world, capsys, "--from-vpc", world.vpc_a, "--principal", caller)
    assert (code, [a["decision"] for a in found["auth"]]) == (0, ["ALLOW", "ALLOW"])
    assert any("SigV4" in note for note in found["notes"])
    code, found = answer(world, capsys, "--from-vpc", world.vpc_b, "--principal", caller)
    assert (code, [a["decision"] for a in found["auth"]]) == (1, ["ALLOW", "DENY"])


def test_an_explicit_deny_on_the_service_is_named(world: World, capsys: Any) -> None:
    world.put_policy(
        world.service,
        allow(Sid="Everyone"),
        allow(
            {"StringLike": {"vpc-lattice-svcs:RequestPath": "/admin*"}},
            Effect="Deny",
            Sid="NoAdmin",
        ),
    )
    code, found = answer(world, capsys, "--from-vpc", world.vpc_b, "--path", "/admin/users")
    assert (code, found["verdict"]) == (1, "DENY")
    assert found["auth"][1]["statement"] == {"index": 2, "sid": "NoAdmin"}
    assert "statement 2 (Sid NoAdmin) denies it" in found["why"]
    assert answer(world, capsys, "--from-vpc", world.vpc_b, "--path", "/api")[0] == 0


def test_auth_type_none_allows_every_request_from_an_associated_vpc(
    world: World, capsys: Any
) -> None:
    world.lattice.update_service(serviceIdentifier=world.service["id"], authType="NONE")
    code, found = answer(world, capsys, "--from-vpc", world.vpc_b)
    assert (code, found["verdict"]) == (0, "ALLOW")
    assert {a["why"] for a in found["auth"]} == {"auth type NONE: no auth policy applies"}


def test_a_group_with_a_share_and_no_healthy_target_fails_the_request(
    world: World, capsys: Any
) -> None:
    world.lattice.deregister_targets(
        targetGroupIdentifier=world.green["id"], targets=[{"id": "10.1.0.20", "port": 80}]
    )
    code, found = answer(world, capsys, "--from-vpc", world.vpc_a, "--path", "/api")
    assert (code, found["verdict"], found["served"]) == (1, "ALLOW", False)
    assert found["why"] == "25% of requests go to orders-green, which has no healthy target"
    assert world.ask("--from-vpc", world.vpc_a, "--path", "/api") == 1
    assert "ALLOW, NOT SERVED: 25% of requests" in capsys.readouterr().out
    assert answer(world, capsys, "--from-vpc", world.vpc_a, "--path", "/web")[0] == 0  # blue only


def test_a_fixed_response_serves_no_target(world: World, capsys: Any) -> None:
    world.lattice.update_listener(
        serviceIdentifier=world.service["id"],
        listenerIdentifier=world.listener["id"],
        defaultAction={"fixedResponse": {"statusCode": 404}},
    )
    code, found = answer(world, capsys, "--from-vpc", world.vpc_a, "--path", "/web")
    assert (code, found["route"]["fixedResponse"]) == (1, 404)
    assert found["why"] == "rule default answers with a fixed response 404"


def test_headers_and_query_reach_the_policy(world: World, capsys: Any) -> None:
    world.put_policy(
        world.service,
        allow(
            {
                "StringEquals": {
                    "vpc-lattice-svcs:RequestHeader/x-team": "payments",
                    "vpc-lattice-svcs:RequestQueryString/v": "2",
                }
            }
        ),
    )
    vpc = ("--from-vpc", world.vpc_a)
    assert world.ask(*vpc, "--header", "X-Team=payments", "--path", "/api?v=2") == 0
    assert world.ask(*vpc, "--header", "X-Team=payments", "--query", "v=2") == 0
    assert world.ask(*vpc, "--header", "X-Team=payments") == 1


def test_the_service_by_id_or_arn_and_the_port(world: World, capsys: Any) -> None:
    vpc = ("--from-vpc", world.vpc_a)
    assert world.ask(*vpc, service=world.service["id"]) == 0
    assert world.ask(*vpc, service=world.service["arn"]) == 0
    capsys.readouterr()
    code, found = answer(world, capsys, *vpc, "--port", "443")
    assert (code, found["verdict"]) == (1, "UNREACHABLE")
    assert found["why"] == "the service has no listener on port 443 (listeners: HTTP:80)"


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (("--header", "x-team"), "--header 'x-team': write it as NAME=VALUE"),
        (("--path", "api"), "a path starts with /"),
        (("--principal", "bob"), "--principal 'bob'"),
    ],
)
def test_bad_usage_exits_2_naming_the_option(
    world: World, capsys: Any, options: tuple[str, ...], said: str
) -> None:
    assert world.ask(*options) == 2
    assert said in capsys.readouterr().out


def test_an_unknown_service_exits_2(world: World, capsys: Any) -> None:
    assert world.ask(service="nothing") == 2
    assert "no VPC Lattice service named 'nothing'" in capsys.readouterr().out
    assert world.ask(service="svc-0123456789abcdef0") == 2


def test_without_from_vpc_a_service_in_two_networks_asks_for_it(world: World, capsys: Any) -> None:
    other = world.lattice.create_service_network(name="other", authType="NONE")
    world.lattice.create_service_network_service_association(
        serviceNetworkIdentifier=other["id"], serviceIdentifier=world.service["id"]
    )
    assert world.ask() == 2
    assert "--from-vpc" in capsys.readouterr().out


def test_without_from_vpc_source_vpc_is_absent_and_said(world: World, capsys: Any) -> None:
    code, found = answer(world, capsys)
    assert (code, found["verdict"]) == (1, "DENY")
    assert "no --from-vpc: vpc-lattice-svcs:SourceVpc is absent from the request" in found["notes"]


def test_nothing_listening_at_the_endpoint_exits_2(capsys: Any) -> None:
    assert main(["request", "orders", "--endpoint-url", "http://127.0.0.1:9"]) == 2
    assert "lattice-deploy serve" in capsys.readouterr().out


def test_an_unhealthy_group_serves_nothing_lattice_documents_no_fail_open(
    world: World, capsys: Any
) -> None:
    world.aws.inject("unhealthy-targets:orders-green")
    world.lattice.deregister_targets(
        targetGroupIdentifier=world.green["id"], targets=[{"id": "10.1.0.20", "port": 80}]
    )
    world.lattice.register_targets(
        targetGroupIdentifier=world.green["id"], targets=[{"id": "10.1.0.21", "port": 80}]
    )
    world.aws.advance(400)  # past the unhealthy threshold and the old target's draining
    code, found = answer(world, capsys, "--from-vpc", world.vpc_a, "--path", "/api")
    green = next(g for g in found["route"]["forward"] if g["name"] == "orders-green")
    assert [t["status"] for t in green["targets"]] == ["UNHEALTHY"]
    assert (code, green["serving"], found["served"]) == (1, [], False)


def test_a_policy_that_cannot_be_read_is_unknown_not_guessed(world: World, capsys: Any) -> None:
    world.aws.inject("fail:vpc-lattice.GetAuthPolicy")
    code, found = answer(world, capsys, "--from-vpc", world.vpc_a)
    assert (code, found["verdict"]) == (1, "UNKNOWN")
    assert found["why"].startswith(
        "service orders: cannot read its auth policy: AccessDeniedException"
    )


def test_a_tls_passthrough_listener_is_connect_on_the_service(
    aws: EmbeddedAws, lattice: Any, capsys: Any
) -> None:
    """TLS_PASSTHROUGH: no rules, the action vpc-lattice-svcs:Connect, the resource the service's
    ARN (Service Authorization Reference: the TCP Service resource type)."""
    network = lattice.create_service_network(name="tcp-net", authType="NONE")
    service = lattice.create_service(
        name="db-proxy", authType="AWS_IAM", customDomainName="db.example.com"
    )
    lattice.create_service_network_service_association(
        serviceNetworkIdentifier=network["id"], serviceIdentifier=service["id"]
    )
    vpc = aws.demo["vpc"]
    lattice.create_service_network_vpc_association(
        serviceNetworkIdentifier=network["id"], vpcIdentifier=vpc
    )
    config = {"port": 443, "protocol": "TCP", "vpcIdentifier": vpc}
    group = lattice.create_target_group(name="db-proxy-tcp", type="IP", config=config)
    lattice.create_listener(
        serviceIdentifier=service["id"],
        name="tls",
        protocol="TLS_PASSTHROUGH",
        port=443,
        defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": group["id"]}]}},
    )
    lattice.register_targets(
        targetGroupIdentifier=group["id"], targets=[{"id": "10.0.1.9", "port": 443}]
    )
    aws.advance(120)
    ask = ["request", "db-proxy", "--from-vpc", vpc, "--region", aws.region]
    for action, code in (("vpc-lattice-svcs:Invoke", 1), ("vpc-lattice-svcs:Connect", 0)):
        statement = {"Effect": "Allow", "Principal": "*", "Action": action}
        document = {"Statement": [statement | {"Resource": service["arn"]}]}
        lattice.put_auth_policy(resourceIdentifier=service["arn"], policy=json.dumps(document))
        assert main(ask) == code
    out = capsys.readouterr().out
    assert f"a TLS connection → db-proxy ({service['id']})" in out
    assert "vpc-lattice-svcs:Invoke'] does not cover vpc-lattice-svcs:Connect" in out
